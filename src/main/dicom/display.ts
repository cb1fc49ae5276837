import type { DisplayTags, Lut, VoiLutFunction } from './header'

/**
 * The grayscale display pipeline of PS3.3 C.11: stored values → Modality LUT or rescale →
 * VOI (window or LUT table) → presentation (inversion) → 8-bit. Pure functions on typed arrays,
 * shared by the importer, the viewer and the synthetic cohort.
 */

export type Voi =
  | { kind: 'window'; center: number; width: number; fn: VoiLutFunction; source: 'file' | 'auto' | 'user'; explanation: string | null }
  | { kind: 'lut'; lut: Lut; source: 'file' }

/** The table's entry for input x; inputs outside the table take its first or last entry. */
export function lutValue(lut: Lut, x: number): number {
  const i = Math.round(x) - lut.firstMapped
  return lut.data[i < 0 ? 0 : i >= lut.data.length ? lut.data.length - 1 : i]
}

/** Modality values, in place: the Modality LUT when present, else `stored × slope + intercept`. */
export function applyModalityTransform(values: Float32Array, tags: Pick<DisplayTags, 'modalityLut' | 'rescaleSlope' | 'rescaleIntercept'>): Float32Array {
  const lut = tags.modalityLut
  if (lut) {
    for (let i = 0; i < values.length; i++) values[i] = lutValue(lut, values[i])
  } else if (tags.rescaleSlope !== 1 || tags.rescaleIntercept !== 0) {
    const { rescaleSlope: m, rescaleIntercept: b } = tags
    for (let i = 0; i < values.length; i++) values[i] = values[i] * m + b
  }
  return values
}

/** One VOI window function on [0, 1] (PS3.3 C.11.2.1.2–3). */
export function windowValue(x: number, center: number, width: number, fn: VoiLutFunction): number {
  if (fn === 'SIGMOID') return 1 / (1 + Math.exp((-4 * (x - center)) / width))
  if (fn === 'LINEAR_EXACT') {
    if (x <= center - width / 2) return 0
    if (x > center + width / 2) return 1
    return (x - center) / width + 0.5
  }
  const w = Math.max(1, width)
  if (x <= center - 0.5 - (w - 1) / 2) return 0
  if (x > center - 0.5 + (w - 1) / 2) return 1
  return (x - (center - 0.5)) / (w - 1) + 0.5
}

/** Maps modality values to 8-bit display values through a VOI, inverting when the image asks to. */
export function renderVoi(values: Float32Array, voi: Voi, invert: boolean, out = new Uint8Array(values.length)): Uint8Array {
  const levels = 255
  if (voi.kind === 'lut') {
    const top = 2 ** Math.min(16, Math.max(1, voi.lut.bitsPerEntry)) - 1
    for (let i = 0; i < values.length; i++) {
      const y = Math.min(1, lutValue(voi.lut, values[i]) / top)
      out[i] = Math.round((invert ? 1 - y : y) * levels)
    }
    return out
  }
  const { center, width, fn } = voi
  if (fn === 'SIGMOID') {
    for (let i = 0; i < values.length; i++) {
      const y = windowValue(values[i], center, width, fn)
      out[i] = Math.round((invert ? 1 - y : y) * levels)
    }
    return out
  }
  // Both linear functions are y = (x − x0)·k clamped to [0, 1]; inlined, as this runs per pixel.
  const exact = fn === 'LINEAR_EXACT'
  const w = exact ? width : Math.max(1, width)
  const lowEdge = exact ? center - w / 2 : center - 0.5 - (w - 1) / 2
  const highEdge = exact ? center + w / 2 : center - 0.5 + (w - 1) / 2
  const k = exact ? 1 / w : w > 1 ? 1 / (w - 1) : 0
  const x0 = exact ? center - w / 2 : center - 0.5 - (w - 1) / 2
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    const y = x <= lowEdge ? 0 : x > highEdge ? 1 : (x - x0) * k
    out[i] = Math.round((invert ? 1 - y : y) * levels)
  }
  return out
}

/**
 * The 1st–99th percentile of the central 80 % of the image, padding pixels left out: collimator
 * edges, markers and the background outside the detector would ruin a plain min/max. Null when every
 * sampled pixel is padding.
 */
export function centralRange(values: Float32Array, width: number, height: number, padding: DisplayTags['padding'] = null): { lo: number; hi: number } | null {
  const x0 = Math.floor(width * 0.1)
  const y0 = Math.floor(height * 0.1)
  const x1 = Math.max(x0 + 1, Math.ceil(width * 0.9))
  const y1 = Math.max(y0 + 1, Math.ceil(height * 0.9))
  const step = Math.max(1, Math.floor(Math.sqrt(((x1 - x0) * (y1 - y0)) / 65536)))
  const padded = (v: number): boolean => padding !== null && v >= padding.low && v <= padding.high
  const sample: number[] = []
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) if (!padded(values[y * width + x])) sample.push(values[y * width + x])
  }
  if (sample.length === 0) return null
  const sorted = Float64Array.from(sample).sort()
  return { lo: sorted[Math.floor(0.01 * (sorted.length - 1))], hi: sorted[Math.ceil(0.99 * (sorted.length - 1))] }
}

/** The window of a central range (see centralRange): what the film's own values span. */
export function percentileWindow(values: Float32Array, width: number, height: number, padding: DisplayTags['padding'] = null): { center: number; width: number } {
  return windowOfRange(centralRange(values, width, height, padding), padding)
}

function windowOfRange(range: { lo: number; hi: number } | null, padding: DisplayTags['padding']): { center: number; width: number } {
  if (!range) return { center: padding?.low ?? 0, width: 1 }
  return { center: (range.lo + range.hi) / 2, width: Math.max(1, range.hi - range.lo) }
}

/**
 * Whether a file's window shows its film: the film's values fill at least a tenth of the window's width
 * (not washed out: a 12-bit film under a window of 0–65535, an 8-bit copy keeping its 12-bit original's
 * window) and at least a tenth of them lie inside it (not clipped away: a placeholder window of width 1,
 * or one placed outside the values). A film of one value fits any window.
 */
export function windowFitsFilm(window: { center: number; width: number }, range: { lo: number; hi: number } | null): boolean {
  if (!range || range.hi <= range.lo) return true
  const spread = range.hi - range.lo
  const inside = Math.min(range.hi, window.center + window.width / 2) - Math.max(range.lo, window.center - window.width / 2)
  return spread >= 0.1 * window.width && inside >= 0.1 * spread
}

/**
 * The VOI a reader sees first (and the model image is rendered through): the file's first window that
 * fits the film (windowFitsFilm), else its first VOI LUT, else the auto window of the film's values.
 */
export function defaultVoi(tags: DisplayTags, values: Float32Array, width: number, height: number): Voi {
  const range = centralRange(values, width, height, tags.padding)
  const fitting = tags.windows.find((w) => windowFitsFilm(w, range))
  if (fitting) return { kind: 'window', ...fitting, fn: tags.voiLutFunction, source: 'file' }
  if (tags.voiLuts[0]) return { kind: 'lut', lut: tags.voiLuts[0], source: 'file' }
  const unfit = tags.windows[0]
  const explanation = unfit ? `the file's window ${unfit.center}/${unfit.width} does not fit the film's values` : null
  return { kind: 'window', ...windowOfRange(range, tags.padding), fn: 'LINEAR', source: 'auto', explanation }
}

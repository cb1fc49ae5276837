import type { DisplayImage } from '../../../shared/contract'

/**
 * Windowing of the 16-bit display image in the renderer (PS3.3 C.11.2): every stored value maps
 * to a modality value (offset + scale × pixel), then through the VOI to 0–255. The mapping is
 * built once per VOI as a table over the pixel values present, so a drag re-renders in one pass.
 */

export type Voi =
  | { kind: 'window'; center: number; width: number; label: string | null }
  | { kind: 'lut'; index: number; label: string | null }
export type WindowVoi = Extract<Voi, { kind: 'window' }>

export interface Pixels {
  values: Uint16Array
  max: number
}

export function decodePixels(image: DisplayImage): Pixels {
  const binary = atob(image.pixels)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  const values = new Uint16Array(bytes.buffer, 0, image.width * image.height)
  let max = 0
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i]
  return { values, max }
}

/**
 * The window function on [0, 1] for one modality value. Both linear functions are written as
 * (x − x0)·k, the same arithmetic as the import pipeline, so the viewer's greys match the
 * stored model image to the last rounding.
 */
function windowed(x: number, center: number, width: number, fn: DisplayImage['voiLutFunction']): number {
  if (fn === 'SIGMOID') return 1 / (1 + Math.exp((-4 * (x - center)) / width))
  const exact = fn === 'LINEAR_EXACT'
  const w = exact ? width : Math.max(1, width)
  const x0 = exact ? center - w / 2 : center - 0.5 - (w - 1) / 2
  const x1 = exact ? center + w / 2 : center - 0.5 + (w - 1) / 2
  if (x <= x0) return 0
  if (x > x1) return 1
  return (x - x0) * (exact ? 1 / w : w > 1 ? 1 / (w - 1) : 0)
}

/** Stored pixel value → 8-bit grey, for every value up to `max`. */
export function displayTable(image: DisplayImage, max: number, voi: Voi, invert: boolean): Uint8Array {
  const table = new Uint8Array(max + 1)
  const lut = voi.kind === 'lut' ? image.voiLuts[voi.index] : null
  const top = lut ? 2 ** Math.min(16, Math.max(1, lut.bitsPerEntry)) - 1 : 1
  for (let p = 0; p <= max; p++) {
    const x = image.valueOffset + image.valueScale * p
    let y: number
    if (lut) {
      const i = Math.min(lut.data.length - 1, Math.max(0, Math.round(x) - lut.firstMapped))
      y = Math.min(1, lut.data[i] / top)
    } else if (voi.kind === 'window') y = windowed(x, voi.center, voi.width, image.voiLutFunction)
    else y = 0
    // The image's own inversion (MONOCHROME1) and the reader's toggle combine.
    const shown = invert !== image.invert ? 1 - y : y
    table[p] = Math.round(shown * 255)
  }
  return table
}

/** A window from the 1st–99th percentile of the central 80 % (edges, markers and padding left out). */
export function autoWindow(image: DisplayImage, pixels: Pixels): WindowVoi {
  const { width, height, padding } = image
  const counts = new Uint32Array(pixels.max + 1)
  let n = 0
  for (let y = Math.floor(height * 0.1); y < Math.ceil(height * 0.9); y++) {
    for (let x = Math.floor(width * 0.1); x < Math.ceil(width * 0.9); x++) {
      const p = pixels.values[y * width + x]
      const value = image.valueOffset + image.valueScale * p
      if (padding && value >= padding.low && value <= padding.high) continue
      counts[p]++
      n++
    }
  }
  const at = (fraction: number) => {
    let seen = 0
    for (let p = 0; p < counts.length; p++) if ((seen += counts[p]) > fraction * n) return p
    return counts.length - 1
  }
  const lo = image.valueOffset + image.valueScale * at(0.01)
  const hi = image.valueOffset + image.valueScale * at(0.99)
  return { kind: 'window', center: (lo + hi) / 2, width: Math.max(1, hi - lo), label: null }
}

/** The file's presets in order: its window pairs, then its VOI LUT tables. */
export function filePresets(image: DisplayImage): Voi[] {
  return [
    ...image.windows.map((w): Voi => ({ kind: 'window', center: w.center, width: w.width, label: w.explanation })),
    ...image.voiLuts.map((l, index): Voi => ({ kind: 'lut', index, label: l.explanation }))
  ]
}

/** Length of a line in the image, in mm of the acquired pixels, or null without calibration. */
export function lengthMm(image: DisplayImage, dx: number, dy: number): number | null {
  const { rowMm, colMm } = image.spacing
  if (image.spacing.kind === 'none' || rowMm === null || colMm === null) return null
  const sx = (dx * image.sourceWidth) / image.width
  const sy = (dy * image.sourceHeight) / image.height
  return Math.hypot(sx * colMm, sy * rowMm)
}

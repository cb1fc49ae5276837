/**
 * How much a film looks like a frontal chest film, from its pixels alone: about 0 to 2, higher more
 * frontal.
 *
 * Where no header and no file name says which of a study's films is the frontal one, the pixels
 * still do. A PA or AP film shows two lung fields either side of the mediastinum, each the other's
 * mirror image, and the mediastinum and spine are the brightest thing in the middle of the chest; a
 * lateral film shows the lungs laid over each other in one field, the spine along one edge and the
 * sternum along the other. Reading the view from the film's left–right profile is the classic way
 * (projection-profile methods, Kao et al., Acad Radiol 2006); this adds up two such readings:
 *  - mirror symmetry: the best correlation, over vertical mirror lines near the middle, between the
 *    lung band on one side of the line and its mirror image on the other (−1 to 1);
 *  - the mediastinal peak: how far the brightest column of the middle fifth stands above the lung
 *    field on each side of it, as a share of the profile's range (0 to 1).
 * It ranks the films of one study — the most frontal-looking is the study's model image — and is no
 * verdict on a film alone: a rotated frontal film scores less than a straight one, but still more
 * than its study's lateral.
 */

/** The band of rows read: the lung fields, without the neck and labels above or the abdomen below. */
const BAND = { top: 0.15, bottom: 0.8 }
/** The band the mediastinal peak is read in: below the shoulders (a frontal film's humeral heads), above the heart. */
const MEDIASTINAL_BAND = { top: 0.25, bottom: 0.6 }
/** How far from the film's middle the patient's midline may lie (a film not centred on the chest). */
const AXIS_SHIFT = 0.15
/** Columns a mirror line must match on each side, as a share of the width: a line near an edge matches too little to tell. */
const MIN_OVERLAP = 0.3
/** Columns across the mirror comparison reads at most: the lungs' shapes, not their ribs, are what mirror, and every pixel of a model image took ten times as long for the same ranking of the test films. */
const MIRROR_COLUMNS = 128

/** The film's frontal likeness; `pixels` is the film upright in the standard frame (the model image's content), one byte a pixel. */
export function frontalLikeness(pixels: Uint8Array, width: number, height: number): number {
  return mirrorSymmetry(pixels, width, height) + mediastinalPeak(pixels, width, height)
}

/** The best correlation between the lung band and its mirror image, over mirror lines near the middle. */
function mirrorSymmetry(pixels: Uint8Array, width: number, height: number): number {
  const top = Math.floor(height * BAND.top)
  const bottom = Math.max(top + 1, Math.ceil(height * BAND.bottom))
  const stride = Math.max(1, Math.round(width / MIRROR_COLUMNS))
  let best = -1
  // A line at axis2 / 2 pairs column x with column axis2 − x (half-pixel lines too).
  const lowest = Math.round(width * (1 - 2 * AXIS_SHIFT)) - 1
  const highest = Math.round(width * (1 + 2 * AXIS_SHIFT)) - 1
  for (let axis2 = lowest; axis2 <= highest; axis2 += stride) {
    const correlation = mirroredCorrelation(pixels, width, top, bottom, axis2, stride)
    if (correlation !== null && correlation > best) best = correlation
  }
  return best
}

/** The correlation of column x with column axis2 − x over the band, for every `stride`-th pair inside the film; null when too few pairs. */
function mirroredCorrelation(pixels: Uint8Array, width: number, top: number, bottom: number, axis2: number, stride: number): number | null {
  const first = Math.max(0, axis2 - (width - 1))
  const pairs = Math.ceil(axis2 / 2) - first
  if (pairs < width * MIN_OVERLAP) return null
  let n = 0
  let sumA = 0
  let sumB = 0
  let sumAA = 0
  let sumBB = 0
  let sumAB = 0
  for (let y = top; y < bottom; y += stride) {
    const row = y * width
    for (let x = first; x < first + pairs; x += stride) {
      const a = pixels[row + x]
      const b = pixels[row + axis2 - x]
      sumA += a
      sumB += b
      sumAA += a * a
      sumBB += b * b
      sumAB += a * b
      n++
    }
  }
  const varA = sumAA - (sumA * sumA) / n
  const varB = sumBB - (sumB * sumB) / n
  return varA > 0 && varB > 0 ? (sumAB - (sumA * sumB) / n) / Math.sqrt(varA * varB) : 0
}

/**
 * The brightest column of the middle fifth above the darker of the two sides' lung fields — the
 * brighter of their darkest columns, so both must be lung —, as a share of the profile's range.
 */
function mediastinalPeak(pixels: Uint8Array, width: number, height: number): number {
  const profile = columnProfile(pixels, width, height)
  const span = (from: number, to: number): Float64Array => profile.subarray(Math.round(width * from), Math.max(Math.round(width * from) + 1, Math.round(width * to)))
  const middle = Math.max(...span(0.4, 0.6))
  const lungs = Math.max(Math.min(...span(0.1, 0.45)), Math.min(...span(0.55, 0.9)))
  const whole = span(0.05, 0.95)
  const range = Math.max(...whole) - Math.min(...whole)
  return range > 0 ? Math.max(0, (middle - lungs) / range) : 0
}

/** Each column's mean over the mediastinal band, smoothed over a fortieth of the width (ribs and noise). */
function columnProfile(pixels: Uint8Array, width: number, height: number): Float64Array {
  const top = Math.floor(height * MEDIASTINAL_BAND.top)
  const bottom = Math.max(top + 1, Math.ceil(height * MEDIASTINAL_BAND.bottom))
  const sums = new Float64Array(width)
  for (let y = top; y < bottom; y++) for (let x = 0; x < width; x++) sums[x] += pixels[y * width + x]
  const radius = Math.max(1, Math.round(width / 80))
  const smoothed = new Float64Array(width)
  for (let x = 0; x < width; x++) {
    let total = 0
    let count = 0
    for (let k = Math.max(0, x - radius); k <= Math.min(width - 1, x + radius); k++) {
      total += sums[k]
      count++
    }
    smoothed[x] = total / count
  }
  return smoothed
}

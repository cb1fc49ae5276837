import { asStored, type Flip, type Reorientation } from '../../shared/orientation'

/**
 * Area-average resampling (each output pixel is the mean of the input area it covers), separable
 * in rows then columns: the right filter for shrinking radiographs without aliasing the grid lines.
 */
export function resampleArea(src: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  if (outWidth === width && outHeight === height) return src.slice()
  const factor = width / outWidth
  if (Number.isInteger(factor) && factor === height / outHeight) return boxAverage(src, width, outWidth, outHeight, factor)
  const across = areaWeights(width, outWidth)
  const down = areaWeights(height, outHeight)
  const rows = new Float32Array(outWidth * height)
  for (let y = 0; y < height; y++) applyWeights(src, y * width, 1, across, rows, y * outWidth, 1)
  const out = new Float32Array(outWidth * outHeight)
  for (let x = 0; x < outWidth; x++) applyWeights(rows, x, outWidth, down, out, x, outWidth)
  return out
}

/** The exact-factor case (2048 → 1024 and the like): the mean of each k×k block. */
function boxAverage(src: Float32Array, width: number, outWidth: number, outHeight: number, k: number): Float32Array {
  const out = new Float32Array(outWidth * outHeight)
  const rowSums = new Float32Array(outWidth)
  const norm = 1 / (k * k)
  for (let y = 0; y < outHeight; y++) {
    rowSums.fill(0)
    for (let dy = 0; dy < k; dy++) {
      let p = (y * k + dy) * width
      for (let x = 0; x < outWidth; x++) {
        let sum = 0
        for (let dx = 0; dx < k; dx++) sum += src[p++]
        rowSums[x] += sum
      }
    }
    for (let x = 0; x < outWidth; x++) out[y * outWidth + x] = rowSums[x] * norm
  }
  return out
}

/** For each output sample: the first input index and the weights of the inputs it covers (summing to 1). */
interface AreaWeights {
  first: Int32Array
  count: Int32Array
  weights: Float32Array[]
}

function areaWeights(n: number, m: number): AreaWeights {
  const scale = n / m
  const first = new Int32Array(m)
  const count = new Int32Array(m)
  const weights: Float32Array[] = []
  for (let j = 0; j < m; j++) {
    const a = j * scale
    const b = a + scale
    const i0 = Math.floor(a)
    const i1 = Math.min(n, Math.ceil(b))
    const w = new Float32Array(i1 - i0)
    for (let i = i0; i < i1; i++) w[i - i0] = (Math.min(b, i + 1) - Math.max(a, i)) / scale
    first[j] = i0
    count[j] = i1 - i0
    weights.push(w)
  }
  return { first, count, weights }
}

function applyWeights(src: Float32Array, srcStart: number, srcStride: number, table: AreaWeights, dst: Float32Array, dstStart: number, dstStride: number): void {
  for (let j = 0; j < table.first.length; j++) {
    const w = table.weights[j]
    let p = srcStart + table.first[j] * srcStride
    let sum = 0
    for (let k = 0; k < table.count[j]; k++, p += srcStride) sum += w[k] * src[p]
    dst[dstStart + j * dstStride] = sum
  }
}

/** The size that fits inside `maxSide` keeping the aspect ratio; enlarges only when asked. */
export function fitWithin(width: number, height: number, maxSide: number, enlarge = false): { width: number; height: number } {
  const scale = enlarge ? maxSide / Math.max(width, height) : Math.min(1, maxSide / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** Centres an image on a square canvas of `side`, filling the margins with `fill` (black). */
export function padToSquare(src: Uint8Array, width: number, height: number, side: number, fill = 0): Uint8Array {
  const out = new Uint8Array(side * side).fill(fill)
  const x0 = Math.floor((side - width) / 2)
  const y0 = Math.floor((side - height) / 2)
  for (let y = 0; y < height; y++) out.set(src.subarray(y * width, (y + 1) * width), (y0 + y) * side + x0)
  return out
}

/** Where a width×height image lies in its square model image of `side`: scaled to fit, centred. */
export function modelContentBox(width: number, height: number, side: number): { x0: number; y0: number; width: number; height: number } {
  const fit = fitWithin(width, height, side, true)
  return { x0: Math.floor((side - fit.width) / 2), y0: Math.floor((side - fit.height) / 2), ...fit }
}

/** The image mirrored left to right and/or turned upside down. */
function flipped(src: Uint8Array, width: number, height: number, flip: Flip): Uint8Array {
  if (!flip.horizontal && !flip.vertical) return src
  const out = new Uint8Array(src.length)
  for (let y = 0; y < height; y++) {
    const from = flip.vertical ? height - 1 - y : y
    for (let x = 0; x < width; x++) out[y * width + x] = src[from * width + (flip.horizontal ? width - 1 - x : x)]
  }
  return out
}

/** The image with rows and columns swapped (a width×height image becomes height×width). */
function transposed(src: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(src.length)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[x * height + y] = src[y * width + x]
  return out
}

/**
 * Model input: an 8-bit rendering turned into the standard frame when the film is stored on its
 * side, mirrored or upside down, then scaled so its long side is `side`, aspect kept by padding.
 */
export function modelImage(
  rendered: Uint8Array,
  width: number,
  height: number,
  side: number,
  reorientation: Reorientation = asStored
): Uint8Array {
  const content = modelImageContent(rendered, width, height, side, reorientation)
  return padToSquare(content.pixels, content.width, content.height, side)
}

/** The model image before its padding: the film in the standard frame, its long side `side`. */
export function modelImageContent(
  rendered: Uint8Array,
  width: number,
  height: number,
  side: number,
  reorientation: Reorientation = asStored
): { pixels: Uint8Array; width: number; height: number } {
  const [upright, w, h] = reorientation.transpose ? [transposed(rendered, width, height), height, width] : [rendered, width, height]
  const fit = modelContentBox(w, h, side)
  const small = resampleArea(Float32Array.from(upright), w, h, fit.width, fit.height)
  const bytes = Uint8Array.from(small, (v) => Math.round(v))
  return { pixels: flipped(bytes, fit.width, fit.height, reorientation), width: fit.width, height: fit.height }
}

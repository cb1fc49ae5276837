/**
 * Area-average resampling (each output pixel is the mean of the input area it covers), separable
 * in rows then columns: the right filter for shrinking radiographs without aliasing the grid lines.
 */
export function resampleArea(src: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  if (outWidth === width && outHeight === height) return src.slice()
  const rows = new Float32Array(outWidth * height)
  for (let y = 0; y < height; y++) resampleLine(src, y * width, 1, width, rows, y * outWidth, 1, outWidth)
  const out = new Float32Array(outWidth * outHeight)
  for (let x = 0; x < outWidth; x++) resampleLine(rows, x, outWidth, height, out, x, outWidth, outHeight)
  return out
}

function resampleLine(src: Float32Array, srcStart: number, srcStride: number, n: number, dst: Float32Array, dstStart: number, dstStride: number, m: number): void {
  const scale = n / m
  for (let j = 0; j < m; j++) {
    const a = j * scale
    const b = a + scale
    let sum = 0
    for (let i = Math.floor(a); i < Math.min(n, Math.ceil(b)); i++) {
      const cover = Math.min(b, i + 1) - Math.max(a, i)
      sum += cover * src[srcStart + i * srcStride]
    }
    dst[dstStart + j * dstStride] = sum / scale
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

/** Model input: an 8-bit rendering scaled so its long side is `side`, aspect kept by padding. */
export function modelImage(rendered: Uint8Array, width: number, height: number, side: number): Uint8Array {
  const fit = fitWithin(width, height, side, true)
  const small = resampleArea(Float32Array.from(rendered), width, height, fit.width, fit.height)
  const bytes = Uint8Array.from(small, (v) => Math.round(v))
  return padToSquare(bytes, fit.width, fit.height, side)
}

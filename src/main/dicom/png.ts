import zlib from 'node:zlib'
import { PNG } from 'pngjs'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))))
  return Buffer.concat([head, data, crc])
}

/**
 * Grayscale PNG files: 16-bit for display images (window/level needs the precision), 8-bit for
 * model input. Written directly (every row with the Sub filter, light deflate): pngjs goes through
 * RGBA and is several times slower on 16-bit radiographs.
 */
export function encodeGrayPng(pixels: Uint8Array | Uint16Array, width: number, height: number): Buffer {
  const bytesPerPixel = pixels instanceof Uint16Array ? 2 : 1
  const stride = width * bytesPerPixel + 1
  const raw = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const row = y * stride
    raw[row] = 1 // Sub: each byte minus the same byte of the pixel to its left
    let previousHigh = 0
    let previousLow = 0
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x]
      if (bytesPerPixel === 2) {
        const high = v >> 8
        const low = v & 0xff
        raw[row + 1 + 2 * x] = high - previousHigh
        raw[row + 2 + 2 * x] = low - previousLow
        previousHigh = high
        previousLow = low
      } else {
        raw[row + 1 + x] = v - previousLow
        previousLow = v
      }
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = bytesPerPixel * 8
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))])
}

/** One value a pixel: 16-bit pictures as Uint16Array. */
export interface GrayPng {
  width: number
  height: number
  pixels: Uint8Array | Uint16Array
}

/** Reads a grayscale PNG back (ours, or any grey one): one value per pixel, 16-bit files as Uint16Array. */
export function decodeGrayPng(file: Buffer): GrayPng {
  const direct = readPlainGrayPng(file)
  if (direct) return direct
  const png = PNG.sync.read(file, { skipRescale: true })
  const rgba = png.data as unknown as Uint8Array | Uint16Array
  const pixels = png.depth === 16 ? new Uint16Array(png.width * png.height) : new Uint8Array(png.width * png.height)
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[4 * i]
  return { width: png.width, height: png.height, pixels }
}

/**
 * A grey, 8- or 16-bit, non-interlaced PNG — every display and model image this app writes, and most
 * radiographs saved as PNG — read directly: pngjs expands every picture to RGBA first, which takes
 * most of the time on a 16-bit film (390 against ~60 ms at 2048²). Null for any other kind (colour,
 * a palette, interlaced, under 8 bits), which pngjs reads. Throws on a file cut short or damaged.
 */
export function readPlainGrayPng(file: Uint8Array): GrayPng | null {
  if (file.length < 33 || !SIGNATURE.equals(file.subarray(0, 8))) return null
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const width = view.getUint32(16)
  const height = view.getUint32(20)
  const [depth, colourType, , , interlace] = file.subarray(24, 29)
  if (colourType !== 0 || interlace !== 0 || (depth !== 8 && depth !== 16) || width === 0 || height === 0) return null
  const data: Uint8Array[] = []
  for (let at = 8; at + 8 <= file.length; ) {
    const length = view.getUint32(at)
    const type = String.fromCharCode(file[at + 4], file[at + 5], file[at + 6], file[at + 7])
    if (type === 'IDAT') data.push(file.subarray(at + 8, at + 8 + length))
    if (type === 'IEND') break
    at += 12 + length
  }
  const bytesPerPixel = depth / 8
  const stride = width * bytesPerPixel
  const expected = (stride + 1) * height
  let raw: Buffer
  try {
    // bounded: a stream that inflates past the declared size is refused, not held
    raw = zlib.inflateSync(Buffer.concat(data), { maxOutputLength: expected })
  } catch (err) {
    throw new Error(`its image data cannot be inflated (${err instanceof Error ? err.message : String(err)})`)
  }
  if (raw.length < expected) throw new Error(`it ends before its image data (the file is cut short: ${raw.length} of ${expected} bytes)`)
  unfilterRows(raw, stride, height, bytesPerPixel)
  return { width, height, pixels: depth === 8 ? unfilteredBytes(raw, stride, height) : unfilteredWords(raw, stride, width, height) }
}

/** Undoes each row's filter (PNG spec §9) in place; each row starts with its filter type. */
function unfilterRows(raw: Uint8Array, stride: number, height: number, bpp: number): void {
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1) + 1
    const above = row - stride - 1
    const filter = raw[row - 1]
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? raw[row + x - bpp] : 0
      const up = y > 0 ? raw[above + x] : 0
      const upLeft = y > 0 && x >= bpp ? raw[above + x - bpp] : 0
      let predicted = 0
      if (filter === 1) predicted = left
      else if (filter === 2) predicted = up
      else if (filter === 3) predicted = (left + up) >> 1
      else if (filter === 4) predicted = paeth(left, up, upLeft)
      else if (filter !== 0) throw new Error(`a row has filter type ${filter}, which PNG does not define (the file is damaged)`)
      raw[row + x] = (raw[row + x] + predicted) & 0xff
    }
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

function unfilteredBytes(raw: Uint8Array, stride: number, height: number): Uint8Array {
  const pixels = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride)
  return pixels
}

/** 16-bit samples are big-endian in PNG. */
function unfilteredWords(raw: Uint8Array, stride: number, width: number, height: number): Uint16Array {
  const pixels = new Uint16Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1) + 1
    for (let x = 0; x < width; x++) pixels[y * width + x] = (raw[row + 2 * x] << 8) | raw[row + 2 * x + 1]
  }
  return pixels
}

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

/** Reads a grayscale PNG back: one value per pixel, 16-bit files as Uint16Array. */
export function decodeGrayPng(file: Buffer): { width: number; height: number; pixels: Uint8Array | Uint16Array } {
  const png = PNG.sync.read(file, { skipRescale: true })
  const rgba = png.data as unknown as Uint8Array | Uint16Array
  const pixels = png.depth === 16 ? new Uint16Array(png.width * png.height) : new Uint8Array(png.width * png.height)
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[4 * i]
  return { width: png.width, height: png.height, pixels }
}

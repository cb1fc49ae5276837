import { describe, expect, it } from 'vitest'
import { Decoder } from '@cornerstonejs/jpeg-lossless-decoder-js'
import { encodeJpegLossless } from '../../../src/main/synth/jpeg-lossless'
import { Rng } from '../../../src/main/random'

function decode(encoded: Uint8Array): Uint16Array {
  const copy = encoded.slice()
  return new Decoder().decode(copy.buffer, 0, copy.byteLength) as Uint16Array
}

describe('JPEG lossless (process 14, SV1) encoder', () => {
  it('round-trips 12-bit noisy images bit-exactly through the cornerstone decoder', () => {
    const rng = new Rng(7)
    for (const [rows, columns] of [[64, 48], [1, 9], [33, 1], [129, 257]] as const) {
      const pixels = new Uint16Array(rows * columns)
      for (let y = 0; y < rows; y++)
        for (let x = 0; x < columns; x++)
          pixels[y * columns + x] = Math.max(0, Math.min(4095, Math.round(2000 + 900 * Math.sin(x / 9) * Math.cos(y / 13) + rng.normal(0, 40))))
      const decoded = decode(encodeJpegLossless(pixels, rows, columns, 12))
      expect(decoded.length).toBe(pixels.length)
      expect(Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).equals(Buffer.from(pixels.buffer))).toBe(true)
    }
  })

  it('round-trips the extremes of 16-bit data, where differences reach ±32768', () => {
    const pixels = Uint16Array.from([0, 65535, 0, 32768, 65535, 1, 0, 65535, 12345, 0, 0, 65535])
    const decoded = decode(encodeJpegLossless(pixels, 3, 4, 16))
    expect(Array.from(decoded)).toEqual(Array.from(pixels))
  })

  it('compresses a smooth image well below its raw size', () => {
    const rows = 256
    const columns = 256
    const pixels = new Uint16Array(rows * columns)
    for (let i = 0; i < pixels.length; i++) pixels[i] = 1000 + ((i % columns) >> 2)
    const encoded = encodeJpegLossless(pixels, rows, columns, 12)
    expect(encoded.length).toBeLessThan(pixels.byteLength / 4)
    expect(Array.from(decode(encoded))).toEqual(Array.from(pixels))
  })
})

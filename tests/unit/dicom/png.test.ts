import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import { decodeGrayPng, encodeGrayPng, readPlainGrayPng } from '../../../src/main/dicom/png'
import { seededRandom } from '../../helpers/dicom-corpus'

/** Grey values with edges and noise, so that every filter predicts something. */
function values(width: number, height: number, depth: 8 | 16, seed: number): Uint16Array {
  const rand = seededRandom(seed)
  const max = depth === 16 ? 65535 : 255
  return Uint16Array.from({ length: width * height }, (_, i) => Math.round((((i % width) * 7 + Math.floor(i / width) * 3) % 97) / 97 * max * 0.8 + rand() * max * 0.2))
}

/** A grey PNG as pngjs writes it, with one filter type for every row (or its own choice per row, -1). */
function pngjsGray(pixels: Uint16Array, width: number, height: number, depth: 8 | 16, filterType: number): Buffer {
  const png = new PNG({ width, height, bitDepth: depth, colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType })
  png.data = Buffer.from((depth === 16 ? pixels : Uint8Array.from(pixels)).buffer)
  return PNG.sync.write(png, { bitDepth: depth, colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType })
}

describe('reading grey PNGs directly', () => {
  for (const depth of [8, 16] as const) {
    for (const filterType of [0, 1, 2, 3, 4, -1]) {
      it(`reads every value of a ${depth}-bit PNG whose rows are filtered with ${filterType < 0 ? 'a filter chosen per row' : `filter ${filterType}`}`, () => {
        const [width, height] = [37, 23]
        const pixels = values(width, height, depth, depth + filterType)
        const read = readPlainGrayPng(pngjsGray(pixels, width, height, depth, filterType))
        expect(read).not.toBeNull()
        expect([read!.width, read!.height, read!.pixels instanceof Uint16Array]).toEqual([width, height, depth === 16])
        expect(Array.from(read!.pixels)).toEqual(Array.from(pixels))
      })
    }
  }

  it('reads back what the app writes, 8- and 16-bit', () => {
    const wide = values(64, 48, 16, 3)
    expect(decodeGrayPng(encodeGrayPng(wide, 64, 48))).toEqual({ width: 64, height: 48, pixels: wide })
    const narrow = Uint8Array.from(values(64, 48, 8, 4))
    expect(decodeGrayPng(encodeGrayPng(narrow, 64, 48))).toEqual({ width: 64, height: 48, pixels: narrow })
  })

  it('leaves colour, palette and interlaced pictures to pngjs, and says when a file is cut short', () => {
    const rgb = new PNG({ width: 4, height: 4, colorType: 2 })
    rgb.data = Buffer.alloc(4 * 4 * 4, 200)
    expect(readPlainGrayPng(PNG.sync.write(rgb, { colorType: 2 }))).toBeNull()
    const interlaced = Buffer.from(pngjsGray(values(8, 8, 8, 5), 8, 8, 8, 0))
    interlaced[28] = 1
    expect(readPlainGrayPng(interlaced)).toBeNull()
    expect(readPlainGrayPng(Buffer.from('not a png at all, not at all, not at all'))).toBeNull()
    const whole = pngjsGray(values(300, 300, 16, 6), 300, 300, 16, 1)
    expect(() => readPlainGrayPng(whole.subarray(0, whole.length / 2))).toThrow(/^its image data cannot be inflated \(unexpected end of file\)$/)
  })

  it('refuses image data that inflates past the size its header declares', () => {
    const small = Buffer.from(pngjsGray(values(16, 16, 8, 7), 16, 16, 8, 0))
    small.writeUInt32BE(8, 20)
    expect(() => readPlainGrayPng(small)).toThrow(/^its image data cannot be inflated/)
  })
})

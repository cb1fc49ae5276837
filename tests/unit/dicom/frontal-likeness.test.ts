import { describe, expect, it } from 'vitest'
import { buildImageProducts } from '../../../src/main/dicom/image-products'
import { parseDicomFile } from '../../../src/main/dicom/parse'
import { frontalLikeness } from '../../../src/main/dicom/frontal-likeness'
import { unnamedViews } from '../../helpers/chest-views'

const likenessOf = async (bytes: Buffer) => (await buildImageProducts(parseDicomFile(bytes), '1.2.840.10008.1.2.1')).model!.frontalLikeness

/** The image mirrored left to right. */
function mirrored(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(pixels.length)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = pixels[y * width + width - 1 - x]
  return out
}

describe('how frontal a film looks', () => {
  it('ranks each study\'s frontal film above its lateral one, for films of different patients', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { lateral, frontal } = unnamedViews(seed, `2.25.${seed}`)
      const [l, f] = [await likenessOf(lateral.bytes), await likenessOf(frontal.bytes)]
      expect(f, `seed ${seed}: frontal ${f.toFixed(2)}, lateral ${l.toFixed(2)}`).toBeGreaterThan(l + 0.1)
    }
  })

  it('does not care which way a film faces: a mirror image scores as the film does', () => {
    const width = 64
    const height = 72
    const pixels = Uint8Array.from({ length: width * height }, (_, i) => ((i % width) * 3 + Math.floor(i / width) * 2 + ((i * 7919) % 13)) % 256)
    expect(frontalLikeness(mirrored(pixels, width, height), width, height)).toBeCloseTo(frontalLikeness(pixels, width, height), 6)
  })

  it('scores a film of one grey value, or of too few columns, without failing', () => {
    expect(frontalLikeness(new Uint8Array(40 * 30).fill(90), 40, 30)).toBe(0)
    expect(Number.isFinite(frontalLikeness(Uint8Array.from([1, 2, 3, 4]), 2, 2))).toBe(true)
  })
})

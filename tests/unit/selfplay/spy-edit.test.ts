import { describe, expect, it } from 'vitest'
import { makeSpyImages, replaySpyImages } from '../../../src/main/selfplay/spy-edit'
import { renderStudy } from '../../../src/main/synth'
import { Rng } from '../../../src/main/random'

// A real phantom radiograph at model-image scale: 8-bit, 256 px, the spacing the model image has.
function modelImage() {
  const study = renderStudy({ seed: 5, studies: 1, language: 'en', reportFraction: 1, imperfectReportRate: 0, detector: { rows: 512, columns: 512, spacingMm: 0.7 } }, 0)
  const { rows, columns, pixels } = study.image
  const out = new Uint8Array(256 * 256)
  for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++) out[y * 256 + x] = pixels[(y * 2) * columns + x * 2] >> 4
  return { pixels: out, rows: 256, columns: 256, spacingMm: [1.4, 1.4] as const, whiteLevel: 255, layout: study.truth.layout, srcRows: rows }
}

const differs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

describe('spy-game images', () => {
  it('makes every kind of edit on a model-size radiograph, and the spy image differs only locally', () => {
    const image = modelImage()
    const kinds = new Set<string>()
    for (let seed = 1; seed <= 24; seed++) {
      const { civilian, spy, edit } = makeSpyImages(image, new Rng(seed), { blank: false, context: { layout: image.layout } })
      kinds.add(edit.kind)
      const changed = differs(civilian.pixels, spy.pixels)
      expect(changed, edit.kind).toBeGreaterThan(0)
      expect(changed, edit.kind).toBeLessThan(256 * 256 * 0.1)
      if (edit.kind === 'insert') expect(edit).toMatchObject({ before: null, after: { side: expect.any(String), zone: expect.any(String) } })
      if (edit.kind === 'remove') expect(edit).toMatchObject({ before: { sizeMm: expect.any(Number) }, after: null })
      if (edit.kind === 'move') expect([edit.before!.side, edit.before!.zone]).not.toEqual([edit.after!.side, edit.after!.zone])
      if (edit.kind === 'resize') expect(edit.after!.sizeMm).not.toBe(edit.before!.sizeMm)
      // The civilians' image of an insert is the untouched original.
      if (edit.kind === 'insert') expect(differs(civilian.pixels, image.pixels)).toBe(0)
    }
    expect([...kinds].sort()).toEqual(['insert', 'move', 'remove', 'resize'])
  })

  it('gives the spy a flat image under the blank option', () => {
    const image = modelImage()
    const { civilian, spy, edit } = makeSpyImages(image, new Rng(1), { blank: true })
    expect(edit.kind).toBe('blank')
    expect(new Set(spy.pixels).size).toBe(1)
    expect(civilian).toBe(image)
  })
})

describe('spy-game images drawn again from their stored recipe', () => {
  it('are the pixels the players saw, for every kind of edit and the blank spy', () => {
    const image = modelImage()
    const kinds = new Set<string>()
    for (let seed = 1; seed <= 16; seed++) {
      const made = makeSpyImages(image, new Rng(seed), { blank: seed === 16, context: { layout: image.layout } })
      kinds.add(made.edit.kind)
      // Through JSON, as the game row stores it.
      const again = replaySpyImages(image, JSON.parse(JSON.stringify(made.recipe)))
      expect(differs(again.civilian.pixels, made.civilian.pixels), made.edit.kind).toBe(0)
      expect(differs(again.spy.pixels, made.spy.pixels), made.edit.kind).toBe(0)
    }
    expect([...kinds].sort()).toEqual(['blank', 'insert', 'move', 'remove', 'resize'])
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { renderStudy, type RenderedStudy } from '../../../src/main/synth/cohort'
import { blankImage, insertNodule, moveNodule, removeInsertedNodule, resizeNodule, type PlacedNodule } from '../../../src/main/synth/edits'
import { Rng } from '../../../src/main/random'
import { DEFAULT_CHEST_LAYOUT, locateInChest, type PixelArray, type Radiograph } from '../../../src/main/synth/radiograph'
import { smallCohort } from './helpers'

/** Pixels that differ, with the largest distance (mm) from the given centres. */
function changedFarFrom(a: Radiograph, b: Radiograph, nodules: PlacedNodule[], radiusFactor: number): number {
  let far = 0
  for (let y = 0; y < a.rows; y++) {
    for (let x = 0; x < a.columns; x++) {
      const i = y * a.columns + x
      if (a.pixels[i] === b.pixels[i]) continue
      const near = nodules.some((n) => {
        const d = Math.hypot((x + 0.5) * a.spacingMm[1] - n.spec.centerMm.x, (y + 0.5) * a.spacingMm[0] - n.spec.centerMm.y)
        return d <= radiusFactor * n.spec.diameterMm
      })
      if (!near) far++
    }
  }
  return far
}

function countChanged(a: PixelArray, b: PixelArray): number {
  let n = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++
  return n
}

function maxAbsDifference(a: PixelArray, b: PixelArray): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

/** An 8-bit, 256×256 model-input copy of a radiograph (what self-play edits). */
function modelImage(image: Radiograph): Radiograph {
  const side = 256
  const pixels = new Uint8Array(side * side)
  const fy = image.rows / side
  const fx = image.columns / side
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) pixels[y * side + x] = Math.round((image.pixels[Math.floor(y * fy) * image.columns + Math.floor(x * fx)] / image.whiteLevel) * 255)
  return { pixels, rows: side, columns: side, spacingMm: [image.spacingMm[0] * fy, image.spacingMm[1] * fx], whiteLevel: 255 }
}

let study: RenderedStudy
beforeAll(() => {
  // The first study with a nodule drawn by the generator (most have one).
  const options = smallCohort({ seed: 3 })
  for (let i = 0; !study || study.truth.nodules.length === 0; i++) study = renderStudy(options, i)
})

describe('spy-game radiograph edits', () => {
  it('insertNodule changes pixels only around the nodule and describes it in the finding schema', () => {
    const image = study.image
    const result = insertNodule(image, new Rng(1), { layout: study.truth.layout }, { diameterMm: 14, density: 'solid', side: 'left', zone: 'lower' })
    expect(result.nodule).not.toBeNull()
    const nodule = result.nodule!
    expect(countChanged(image.pixels, result.image.pixels)).toBeGreaterThan(50)
    expect(changedFarFrom(image, result.image, [nodule], 2)).toBe(0)
    expect(result.edit).toMatchObject({ kind: 'insert', before: null, after: { side: 'left', zone: 'lower', lobe: 'LLL', sizeMm: 14, density: 'solid' } })
    // The input is left as it was.
    expect(image.pixels).toBe(study.image.pixels)
    // Brighter at the centre than the unedited image.
    const cx = Math.floor(nodule.spec.centerMm.x / image.spacingMm[1])
    const cy = Math.floor(nodule.spec.centerMm.y / image.spacingMm[0])
    expect(result.image.pixels[cy * image.columns + cx]).toBeGreaterThan(image.pixels[cy * image.columns + cx] + 50)
  })

  it('removeInsertedNodule restores the original (exactly, unless the insertion clipped)', () => {
    const image = study.image
    for (let seed = 0; seed < 5; seed++) {
      const inserted = insertNodule(image, new Rng(seed), { layout: study.truth.layout })
      const removed = removeInsertedNodule(inserted.image, inserted.nodule!)
      expect(maxAbsDifference(removed.image.pixels, image.pixels)).toBeLessThanOrEqual(1)
      expect(removed.edit).toEqual({ kind: 'remove', before: inserted.nodule!.item, after: null })
    }
  })

  it('removes a nodule the generator drew: its centre darkens by its contrast, nothing far away changes', () => {
    const withNodules = study
    const drawn = withNodules.truth.nodules
    expect(drawn.length).toBeGreaterThan(0)
    let image: Radiograph = withNodules.image
    for (const n of drawn) image = removeInsertedNodule(image, n).image
    expect(changedFarFrom(withNodules.image, image, drawn, 2)).toBe(0)
    for (const n of drawn) {
      const i = Math.floor(n.spec.centerMm.y / image.spacingMm[0]) * image.columns + Math.floor(n.spec.centerMm.x / image.spacingMm[1])
      expect(withNodules.image.pixels[i] - image.pixels[i]).toBeGreaterThan(0.5 * n.spec.contrast * withNodules.image.window.width)
    }
  })

  it('moveNodule takes the nodule to another zone and changes only the two places', () => {
    const image = study.image
    const inserted = insertNodule(image, new Rng(7), { layout: study.truth.layout }, { diameterMm: 12, side: 'right', zone: 'upper' })
    const moved = moveNodule(inserted.image, inserted.nodule!, new Rng(8), { layout: study.truth.layout })
    expect(moved.edit.kind).toBe('move')
    expect(moved.edit.before).toEqual(inserted.nodule!.item)
    expect(moved.edit.after?.zone).not.toBe('upper')
    expect(changedFarFrom(inserted.image, moved.image, [inserted.nodule!, moved.nodule!], 2)).toBe(0)
    // Moving it away again and removing it gives the original back.
    const removed = removeInsertedNodule(moved.image, moved.nodule!)
    expect(maxAbsDifference(removed.image.pixels, image.pixels)).toBeLessThanOrEqual(1)
  })

  it('resizeNodule redraws it at the new size in the same place', () => {
    const image = study.image
    const inserted = insertNodule(image, new Rng(9), { layout: study.truth.layout }, { diameterMm: 8, side: 'left', zone: 'middle' })
    const resized = resizeNodule(inserted.image, inserted.nodule!, 20, { layout: study.truth.layout })
    expect(resized.edit).toMatchObject({ kind: 'resize', before: { sizeMm: 8 }, after: { sizeMm: 20, side: 'left', zone: 'middle' } })
    expect(changedFarFrom(inserted.image, resized.image, [resized.nodule!], 2)).toBe(0)
    const direct = insertNodule(image, new Rng(9), { layout: study.truth.layout }, { diameterMm: 8, side: 'left', zone: 'middle' })
    expect(countChanged(resized.image.pixels, direct.image.pixels)).toBeGreaterThan(countChanged(inserted.image.pixels, image.pixels))
  })

  it('blankImage gives a uniform image of the same size', () => {
    const blank = blankImage(study.image)
    expect(blank.edit).toEqual({ kind: 'blank', before: null, after: null })
    expect(blank.image.pixels.length).toBe(study.image.pixels.length)
    expect(new Set(blank.image.pixels).size).toBe(1)
  })

  it('works on an 8-bit 256×256 model image and on float pixels, sized by the spacing', () => {
    const small = modelImage(study.image)
    const inserted = insertNodule(small, new Rng(4), { layout: study.truth.layout }, { diameterMm: 10, side: 'right', zone: 'lower' })
    expect(inserted.image.pixels).toBeInstanceOf(Uint8Array)
    expect(changedFarFrom(small, inserted.image, [inserted.nodule!], 2)).toBe(0)
    // A 10 mm nodule at 1.6 mm per pixel covers roughly a 6-pixel disc.
    const changed = countChanged(small.pixels, inserted.image.pixels)
    expect(changed).toBeGreaterThan(10)
    expect(changed).toBeLessThan(200)
    expect(removeInsertedNodule(inserted.image, inserted.nodule!).image.pixels).toEqual(small.pixels)

    const float: Radiograph = { ...small, pixels: Float32Array.from(small.pixels, (v) => v / 255), whiteLevel: 1 }
    const floatInserted = insertNodule(float, new Rng(4), { layout: study.truth.layout }, { diameterMm: 10, side: 'right', zone: 'lower' })
    const restored = removeInsertedNodule(floatInserted.image, floatInserted.nodule!)
    expect(maxAbsDifference(restored.image.pixels, float.pixels)).toBeLessThan(1e-5)
  })

  it('places nodules in the requested zone of any radiograph with the default layout', () => {
    const plain: Radiograph = { pixels: new Uint16Array(300 * 250).fill(2000), rows: 300, columns: 250, spacingMm: [1.4, 1.4], whiteLevel: 4095 }
    for (const side of ['right', 'left'] as const) {
      for (const zone of ['upper', 'middle', 'lower'] as const) {
        const r = insertNodule(plain, new Rng(side.length * 7 + zone.length), undefined, { side, zone, diameterMm: 6 })
        const c = r.nodule!.spec.centerMm
        expect(locateInChest(c.x / (250 * 1.4), c.y / (300 * 1.4), DEFAULT_CHEST_LAYOUT)).toMatchObject({ side, zone })
        expect(r.edit.after).toMatchObject({ side, zone, sizeMm: 6 })
        // Patient's right is on the image left.
        expect(c.x < (250 * 1.4) / 2).toBe(side === 'right')
      }
    }
  })
})

import { describe, expect, it } from 'vitest'
import { renderStudy } from '../../../src/main/synth/cohort'
import type { Radiograph } from '../../../src/main/synth/radiograph'
import { removeInsertedNodule } from '../../../src/main/synth/edits'
import { smallCohort } from './helpers'

/** Mean display value in a box given as fractions of the image. */
function meanIn(image: Radiograph, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0
  let n = 0
  for (let y = Math.floor(y0 * image.rows); y < y1 * image.rows; y++)
    for (let x = Math.floor(x0 * image.columns); x < x1 * image.columns; x++) {
      sum += image.pixels[y * image.columns + x]
      n++
    }
  return sum / n
}

/** The middle of a lung box, away from its edges. */
function lungCentre(layout: { lateral: number; medial: number; top: number; bottom: number }) {
  const cx = (layout.lateral + layout.medial) / 2
  const cy = layout.top + 0.45 * (layout.bottom - layout.top)
  return [cx - 0.03, cx + 0.03, cy - 0.03, cy + 0.03] as const
}

describe('phantom chest radiographs', () => {
  it('at realistic size: 12 bits in 16, 0.14–0.2 mm pixels, dark lungs, bright mediastinum and abdomen', () => {
    // Realistic detector sizes (no override); one study is enough for a smoke test.
    const study = renderStudy({ ...smallCohort({ seed: 2 }), detector: undefined }, 0)
    const { image, truth } = study
    expect(image.rows).toBeGreaterThanOrEqual(2000)
    expect(image.columns).toBeGreaterThanOrEqual(1700)
    expect(truth.spacingMm).toBeGreaterThanOrEqual(0.14)
    expect(truth.spacingMm).toBeLessThanOrEqual(0.2)
    expect(image.pixels.every((v) => v <= 4095)).toBe(true)
    const right = meanIn(image, ...lungCentre(truth.layout.right))
    const left = meanIn(image, ...lungCentre(truth.layout.left))
    const midline = (truth.layout.right.medial + truth.layout.left.medial) / 2
    const mediastinum = meanIn(image, midline - 0.015, midline + 0.015, 0.4, 0.5)
    const abdomen = meanIn(image, 0.3, 0.7, 0.9, 0.97)
    expect(mediastinum).toBeGreaterThan(right + 600)
    expect(mediastinum).toBeGreaterThan(left + 600)
    expect(abdomen).toBeGreaterThan(right + 600)
    // Patient's right lung is on the image left.
    expect(truth.layout.right.lateral).toBeLessThan(truth.layout.left.lateral)
  })

  it('vary anatomy, exposure and position between patients', () => {
    const options = smallCohort({ seed: 9 })
    const studies = [0, 1, 2, 3].map((i) => renderStudy(options, i))
    const tops = new Set(studies.map((s) => s.truth.layout.right.top.toFixed(3)))
    const widths = new Set(studies.map((s) => (s.truth.layout.left.lateral - s.truth.layout.right.lateral).toFixed(3)))
    const lungLevels = new Set(studies.map((s) => Math.round(meanIn(s.image, ...lungCentre(s.truth.layout.right)) / 20)))
    expect(tops.size).toBe(4)
    expect(widths.size).toBe(4)
    expect(lungLevels.size).toBeGreaterThan(1)
  })

  it('draws each truth nodule over lung, in the zone the truth names, brighter than what it covers', () => {
    const options = smallCohort({ seed: 13, studies: 12 })
    let seen = 0
    for (let i = 0; i < 12 && seen < 6; i++) {
      const { image, truth } = renderStudy(options, i)
      const midline = (truth.layout.right.medial + truth.layout.left.medial) / 2
      const mediastinum = meanIn(image, midline - 0.015, midline + 0.015, 0.4, 0.5)
      let background: Radiograph = image
      for (const n of truth.nodules) background = removeInsertedNodule(background, n).image
      for (const n of truth.nodules) {
        seen++
        const s = image.spacingMm[1]
        const x = n.spec.centerMm.x / (image.columns * s)
        const y = n.spec.centerMm.y / (image.rows * s)
        const half = n.spec.diameterMm / 6 / (image.columns * s)
        const under = meanIn(background, x - half, x + half, y - half, y + half)
        expect(under).toBeLessThan(mediastinum - 300)
        expect(meanIn(image, x - half, x + half, y - half, y + half)).toBeGreaterThan(under + 0.4 * n.spec.contrast * image.window.width)
        const band = { upper: [0, 1 / 3], middle: [1 / 3, 2 / 3], lower: [2 / 3, 1] }[n.item.zone!]
        const box = truth.layout[n.item.side as 'right' | 'left']
        const t = (y - box.top) / (box.bottom - box.top)
        expect(t).toBeGreaterThanOrEqual(band[0] - 1e-9)
        expect(t).toBeLessThanOrEqual(band[1] + 1e-9)
      }
    }
    expect(seen).toBeGreaterThanOrEqual(4)
  })

  it('puts some nodules over ribs and some between them, and says which in the truth', () => {
    const options = smallCohort({ seed: 17, studies: 40, detector: { rows: 256, columns: 256, spacingMm: 1.6 } })
    const overBone = Array.from({ length: 40 }, (_, i) => renderStudy(options, i).truth.nodules.map((n) => n.overBone)).flat()
    expect(overBone.length).toBeGreaterThan(15)
    expect(overBone.filter(Boolean).length).toBeGreaterThan(2)
    expect(overBone.filter((b) => !b).length).toBeGreaterThan(2)
  })
})

import { describe, expect, it } from 'vitest'
import { NODULE_PLACES } from '../../../src/main/model/vlm-graph'
import { reportPlaces } from '../../../src/main/model/warmup'

const places = (text: string) => reportPlaces({ rawText: text, findingsJson: null })
/** The places a list of [side, zone] names, as reportPlaces writes them. */
const at = (...named: [string, string][]) => NODULE_PLACES.map(([side, zone]) => (named.some(([s, z]) => s === side && z === zone) ? 1 : 0))

describe('where a report places its nodules (the vision phase’s place targets)', () => {
  it('marks each named side and zone, in English and Chinese, and "bilateral" on both sides', () => {
    expect(places('Findings: A 9 mm nodule in the left mid zone. A 20 mm nodule in the right upper zone.')).toEqual(at(['left', 'middle'], ['right', 'upper']))
    expect(places('检查所见：右下肺野见一约8mm结节影。')).toEqual(at(['right', 'lower']))
    expect(places('Findings: Bilateral lower zone nodules, the largest 7 mm.')).toEqual(at(['right', 'lower'], ['left', 'lower']))
  })

  it('places nothing on a clear film, and says nothing where the report does not say where, or is unsure', () => {
    expect(places('Findings: No pulmonary nodule.')).toEqual(at())
    expect(places('Findings: A 12 mm nodule is seen.')).toBeNull()
    expect(places('Findings: A 9 mm nodule in the left upper zone. Another nodule is seen.')).toBeNull()
    expect(places('Findings: Cannot exclude a small nodule in the right lower zone.')).toBeNull()
  })
})

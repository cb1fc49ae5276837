import { describe, expect, it } from 'vitest'
import { edgeLabels, flipToStandard, opposite, parseOrientation } from '../../../src/shared/orientation'

const noFlip = { horizontal: false, vertical: false }

describe('patient orientation (PS3.3 C.7.6.1.1.1)', () => {
  it('reads PatientOrientation and refuses what is not two runs of direction letters', () => {
    expect(parseOrientation('L\\F')).toEqual({ row: 'L', column: 'F' })
    expect(parseOrientation('lf\\hp')).toEqual({ row: 'LF', column: 'HP' })
    for (const bad of [null, '', 'L', 'L\\F\\A', 'X\\F', 'L\\']) expect(parseOrientation(bad), String(bad)).toBeNull()
  })

  it('labels each screen edge with the direction it faces, following the reader\'s flips', () => {
    const standard = parseOrientation('L\\F')!
    expect(edgeLabels(standard, noFlip)).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' })
    expect(edgeLabels(standard, { horizontal: true, vertical: false })).toEqual({ left: 'L', right: 'R', top: 'H', bottom: 'F' })
    expect(edgeLabels(standard, { horizontal: false, vertical: true })).toEqual({ left: 'R', right: 'L', top: 'F', bottom: 'H' })
    expect(edgeLabels(parseOrientation('A\\FR')!, noFlip)).toEqual({ left: 'P', right: 'A', top: 'HL', bottom: 'FR' })
    expect(opposite('LFA')).toBe('RHP')
  })

  it('says how a stored frontal film differs from the standard frame', () => {
    expect(flipToStandard(parseOrientation('L\\F'))).toEqual(noFlip)
    expect(flipToStandard(parseOrientation('R\\F'))).toEqual({ horizontal: true, vertical: false })
    expect(flipToStandard(parseOrientation('L\\H'))).toEqual({ horizontal: false, vertical: true })
    expect(flipToStandard(null)).toEqual(noFlip)
  })
})

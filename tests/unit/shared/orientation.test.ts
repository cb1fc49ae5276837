import { describe, expect, it } from 'vitest'
import { asStored, edgeLabels, opposite, parseOrientation, rotatedClockwise, standardToStored, toStandard } from '../../../src/shared/orientation'

const noFlip = { horizontal: false, vertical: false }
const view = (horizontal: boolean, vertical: boolean) => ({ transpose: false, horizontal, vertical })

describe('patient orientation (PS3.3 C.7.6.1.1.1)', () => {
  it('reads PatientOrientation and refuses what is not two runs of direction letters', () => {
    expect(parseOrientation('L\\F')).toEqual({ row: 'L', column: 'F' })
    expect(parseOrientation('lf\\hp')).toEqual({ row: 'LF', column: 'HP' })
    for (const bad of [null, '', 'L', 'L\\F\\A', 'X\\F', 'L\\']) expect(parseOrientation(bad), String(bad)).toBeNull()
  })

  it('labels each screen edge with the direction it faces, following the reader\'s flips', () => {
    const standard = parseOrientation('L\\F')!
    expect(edgeLabels(standard, asStored)).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' })
    expect(edgeLabels(standard, view(true, false))).toEqual({ left: 'L', right: 'R', top: 'H', bottom: 'F' })
    expect(edgeLabels(standard, view(false, true))).toEqual({ left: 'R', right: 'L', top: 'F', bottom: 'H' })
    expect(edgeLabels(parseOrientation('A\\FR')!, asStored)).toEqual({ left: 'P', right: 'A', top: 'HL', bottom: 'FR' })
    // A quarter turn clockwise takes the head to the right edge and the patient's right to the top.
    const turned = rotatedClockwise(asStored)
    expect(edgeLabels(standard, turned)).toEqual({ left: 'F', right: 'H', top: 'R', bottom: 'L' })
    expect(rotatedClockwise(rotatedClockwise(rotatedClockwise(turned)))).toEqual(asStored)
    // A film stored turned a quarter clockwise (head at the right edge), turned back a quarter
    // counter-clockwise (three clockwise), is upright.
    const sideways = parseOrientation('H\\L')!
    expect(edgeLabels(sideways, rotatedClockwise(rotatedClockwise(turned)))).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' })
    expect(opposite('LFA')).toBe('RHP')
  })

  it('says how a stored frontal film becomes the standard frame, and where a standard region lies on it', () => {
    const asStored = { transpose: false, ...noFlip }
    expect(toStandard(parseOrientation('L\\F'))).toEqual(asStored)
    expect(toStandard(parseOrientation('R\\F'))).toEqual({ transpose: false, horizontal: true, vertical: false })
    expect(toStandard(parseOrientation('L\\H'))).toEqual({ transpose: false, horizontal: false, vertical: true })
    expect(toStandard(parseOrientation('F\\R'))).toEqual({ transpose: true, horizontal: true, vertical: false })
    expect(toStandard(null)).toEqual(asStored)
    // The right upper zone: left of the standard frame, near the top.
    const rightUpper: [number, number, number, number] = [0.08, 0.1, 0.42, 0.28]
    expect(standardToStored(rightUpper, asStored)).toEqual(rightUpper)
    expect(standardToStored(rightUpper, toStandard(parseOrientation('R\\F')))).toEqual([0.5, 0.1, 0.42, 0.28])
    // Stored on its side with rows running to the feet and columns to the patient's left: the top of
    // the chest is at the left edge, the patient's right at the top.
    expect(standardToStored(rightUpper, toStandard(parseOrientation('F\\L')))).toEqual([0.1, 0.08, 0.28, 0.42])
  })
})

import { describe, expect, it } from 'vitest'
import { identifierCleaner } from '../../../src/main/privacy/identifiers'

describe('cleaning free text of a study’s identifiers', () => {
  it('removes the name in its DICOM and written forms, whole words only, any case', () => {
    const clean = identifierCleaner([{ patientName: 'Lovelace^Ada', patientId: 'MRN-900001', accessionNumber: 'ACC1001' }])
    expect(clean('Patient LOVELACE^ADA, Ada Lovelace (lovelace, ada) MRN-900001 acc ACC1001.')).toBe('Patient [removed], [removed] ([removed], [removed]) [removed] acc [removed].')
    // Parts of other words stay: "adapted", "Lovelaces" are not the patient.
    expect(clean('An adapted view; the Lovelaces ward.')).toBe('An adapted view; the Lovelaces ward.')
  })

  it('removes a birth date however it is written', () => {
    const clean = identifierCleaner([{ birthDate: '19481210' }])
    for (const written of ['19481210', '1948-12-10', '1948/12/10', '10.12.1948', '10/12/1948', '12/10/1948', '1948年12月10日']) expect(clean(`born ${written}.`), written).toBe('born [removed].')
  })

  it('removes Han names inside running text, which has no word breaks', () => {
    const clean = identifierCleaner([{ patientName: 'Wang^XiaoDong=王^小东' }])
    expect(clean('患者王小东，男。检查所见：小东双肺纹理清晰。Wang XiaoDong')).toBe('患者[removed]，男。检查所见：[removed]双肺纹理清晰。[removed]')
  })

  it('leaves text alone when the study has no identifiers', () => {
    expect(identifierCleaner([{ patientName: null, patientId: '' }])('No nodule.')).toBe('No nodule.')
  })
})

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

describe('cleaning free text of identifiers no study stores', () => {
  const clean = identifierCleaner([{ patientName: 'Lovelace^Ada' }])

  it('removes a birth date after its label, however it is written, and keeps the label', () => {
    expect(clean('DOB: 12/10/1948. Born on 1948-12-10, date of birth 19481210.')).toBe('DOB: [removed]. Born on [removed], date of birth [removed].')
    expect(clean('出生日期：1948年12月10日 检查日期：2026-01-05')).toBe('出生日期：[removed] 检查日期：2026-01-05')
  })

  it('removes telephone numbers after their label', () => {
    expect(clean('Tel: +86 (10) 6512-3456; phone no. 555 0134 221')).toBe('Tel: [removed]; phone no. [removed]')
    expect(clean('联系电话：13912345678，手机 010-65123456。')).toBe('联系电话：[removed]，手机 [removed]。')
  })

  it('removes a Chinese resident identity number, labelled or alone, when its check character is right', () => {
    // 11010519491231002X is GB 11643's own example.
    expect(clean('身份证号：11010519491231002X 患者11010519491231002x')).toBe('身份证号：[removed] 患者[removed]')
    // Eighteen digits whose check fails (an accession number) stay.
    expect(clean('Accession 110105194912310021')).toBe('Accession 110105194912310021')
  })

  it('leaves sizes, study dates and report words alone', () => {
    const report = 'A 12 mm nodule (1.2 x 0.8 cm) in the right upper zone, stable since 2025-01-05. 右肺上叶结节约12mm，较2025年1月5日片相仿。Cellular debris.'
    expect(clean(report)).toBe(report)
    expect(identifierCleaner([])(report)).toBe(report)
  })
})

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import dcmjs from 'dcmjs'
import dicomParser from 'dicom-parser'
import { afterAll, describe, expect, it } from 'vitest'
import { deidentifiedRows, reviewCsv, reviewJson, writeReviewSr } from '../../../src/main/api/review-export'
import { BasicProfile, uidKey } from '../../../src/main/privacy/basic-profile'
import type { ExportRow } from '../../../src/main/store/review-repository'
import type { StudyIdentity } from '../../../src/main/store/study-repository'
import { tempDataDir } from '../../helpers/temp-services'

// PS3.15 Annex E basic profile on what the app exports, read back the way a receiving site
// would: the SR parsed with dcmjs and dicom-parser, the CSV and JSON as text.
const data = tempDataDir('vzw-privacy-')
afterAll(() => data.cleanup())

const study: StudyIdentity = {
  pseudonym: 'CXR-PSEUDO01',
  studyUid: '1.2.826.0.1.3680043.8.498.1234567',
  patientName: 'ZZMARKER^PHIONE',
  patientId: 'ZZMRN-771001',
  birthDate: '19370412',
  accessionNumber: 'ZZACC-5501',
  studyDate: '20250318'
}
const row = (over: Partial<ExportRow> = {}): ExportRow => ({
  findingId: 1,
  pseudonym: study.pseudonym,
  studyDate: study.studyDate,
  viewPosition: 'PA',
  decision: 'edit',
  reason: null,
  comment: 'Told ZZMARKER (ZZMRN-771001) to come back for CT',
  // Free text that quotes the patient (a report header copied into a finding), in several forms.
  originalText: 'Patient ZZMARKER^PHIONE (ZZMRN-771001, born 1937-04-12): 9 mm nodule right upper zone',
  originalStructured: { presence: 'present', count: 1, items: [{ side: 'right', zone: 'upper', sizeMm: 9, evidence: { start: 0, end: 20, text: 'Phione ZZMARKER acc ZZACC-5501' } }] },
  certainty: 0.83,
  finalText: '9 mm nodule right upper zone, ZZMARKER',
  finalStructured: { presence: 'present', count: 1, items: [] },
  reviewer: 'Dr Reader',
  secondsOnTask: 4,
  reviewedAt: '2026-11-29T08:00:00.000Z',
  ...over
})
const identifiers = [study.patientName!, 'ZZMARKER', 'PHIONE', study.patientId!, study.accessionNumber!, study.birthDate!, '1937-04-12', study.studyUid, '20250318', 'Dr Reader']

type Element = { vr?: string; Value?: unknown[] }
/** Every element of a denaturalized dataset, sequences included, with its tag. */
function* elements(dict: Record<string, Element>): Generator<[string, Element]> {
  for (const [tag, el] of Object.entries(dict)) {
    yield [tag, el]
    if (el.vr === 'SQ') for (const item of el.Value ?? []) yield* elements(item as Record<string, Element>)
  }
}

describe('PS3.15 basic profile', () => {
  it('replaces a UID by the same 2.25 UID under one key, another under another key', () => {
    const key = uidKey(data.dir)
    expect(uidKey(data.dir)).toEqual(key)
    expect(fs.statSync(path.join(data.dir, 'privacy', 'uid-key')).mode & 0o077).toBe(0)
    const a = new BasicProfile(key, []).uid(study.studyUid)
    expect(new BasicProfile(key, []).uid(study.studyUid)).toBe(a)
    expect(new BasicProfile(key, []).uid(study.studyUid + '1')).not.toBe(a)
    expect(new BasicProfile(crypto.randomBytes(32), []).uid(study.studyUid)).not.toBe(a)
    expect(a).toMatch(/^2\.25\.[1-9]\d*$/)
    expect(a.length).toBeLessThanOrEqual(64)
  })

  it('applies the table to any dataset: identifiers, dates, names, UIDs and private attributes', () => {
    const profile = new BasicProfile(uidKey(data.dir), [study])
    const clean = profile.dataset(
      {
        PatientName: study.patientName,
        PatientID: study.patientId,
        PatientBirthDate: study.birthDate,
        PatientAddress: '1 Marker Street',
        OtherPatientIDs: 'ZZ-OTHER',
        AccessionNumber: study.accessionNumber,
        InstitutionName: 'St Marker Hospital',
        StudyDescription: 'CHEST ZZMARKER',
        OperatorsName: 'Tech^One',
        StudyDate: study.studyDate,
        AcquisitionDateTime: '20250318101010',
        StudyInstanceUID: study.studyUid,
        SOPClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
        '00091001': 'private creator data',
        ContentSequence: [{ ValueType: 'TEXT', TextValue: 'seen in ZZMARKER^PHIONE', PersonName: 'Dr Reader', ReferencedSOPInstanceUID: '1.2.3.4.5' }],
        Modality: 'DX',
        BodyPartExamined: 'CHEST',
        Manufacturer: 'Acme for ZZMARKER^PHIONE'
      },
      study.pseudonym
    )
    expect(clean).toMatchObject({
      PatientName: study.pseudonym,
      PatientID: study.pseudonym,
      PatientBirthDate: '',
      AccessionNumber: '',
      StudyDate: '',
      AcquisitionDateTime: '',
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
      Modality: 'DX',
      BodyPartExamined: 'CHEST',
      Manufacturer: 'Acme for [removed]',
      PatientIdentityRemoved: 'YES'
    })
    for (const removed of ['PatientAddress', 'OtherPatientIDs', 'InstitutionName', 'StudyDescription', 'OperatorsName', '00091001']) expect(clean, removed).not.toHaveProperty(removed)
    expect(clean.StudyInstanceUID).toBe(profile.uid(study.studyUid))
    expect(clean.ContentSequence).toEqual([{ ValueType: 'TEXT', TextValue: 'seen in [removed]', PersonName: 'Reviewer 1', ReferencedSOPInstanceUID: profile.uid('1.2.3.4.5') }])
    expect((clean.DeidentificationMethodCodeSequence as { CodeValue: string }[]).map((c) => c.CodeValue)).toEqual(['113100', '113104'])
  })

  it('CSV and JSON rows: no dates, reviewers replaced, identifiers cleaned from every text', () => {
    const rows = deidentifiedRows([row(), row({ findingId: 2, reviewer: 'Dr Other', decision: 'reject', reason: 'other: ZZMARKER has an old scar' })], new BasicProfile(uidKey(data.dir), [study]))
    for (const text of [reviewCsv(rows), reviewJson(rows)]) {
      for (const phi of identifiers) expect(text, phi).not.toContain(phi)
      expect(text).toContain('Reviewer 1')
      expect(text).toContain('Reviewer 2')
      expect(text).toContain('9 mm nodule right upper zone')
      expect(text).not.toMatch(/2026-11-29|reviewedAt|studyDate/)
    }
    const json = JSON.parse(reviewJson(rows)) as Record<string, unknown>
    expect(json).toMatchObject({ PatientIdentityRemoved: 'YES', deidentificationMethodCodes: ['113100', '113104'] })
  })

  it('the SR, parsed back: pseudonym, no dates or identifiers, UIDs replaced consistently, no private tags, method 113100', () => {
    const rows = [row(), row({ findingId: 2, decision: 'accept' })]
    const files = [writeReviewSr(data.dir, study, rows), writeReviewSr(data.dir, study, rows)]
    const parsed = files.map((f) => dcmjs.data.DicomMessage.readFile(new Uint8Array(f.bytes).buffer))
    const [first, second] = parsed.map((p) => dcmjs.data.DicomMetaDictionary.naturalizeDataset(p.dict))
    expect(first).toMatchObject({ PatientName: [{ Alphabetic: study.pseudonym }], PatientID: study.pseudonym, PatientIdentityRemoved: 'YES' })
    expect((first.DeidentificationMethodCodeSequence as Record<string, unknown>[])[0]).toMatchObject({
      CodeValue: '113100',
      CodingSchemeDesignator: 'DCM',
      CodeMeaning: 'Basic Application Confidentiality Profile'
    })
    // The same study lands in the same de-identified study, export after export; instances differ.
    expect(first.StudyInstanceUID).toBe(second.StudyInstanceUID)
    expect(first.StudyInstanceUID).toMatch(/^2\.25\./)
    expect(first.SOPInstanceUID).not.toBe(second.SOPInstanceUID)
    expect(parsed[0].meta['00020003']).toMatchObject({ Value: [first.SOPInstanceUID] })
    for (const p of parsed) {
      for (const [tag, el] of elements(p.dict as Record<string, Element>)) {
        expect(parseInt(tag.slice(0, 4), 16) % 2, `private tag ${tag}`).toBe(0)
        if (el.vr === 'DA' || el.vr === 'DT') expect((el.Value ?? []).filter((d) => d && d !== '19000101'), `date ${tag}`).toEqual([])
        if (el.vr === 'UI') for (const uid of el.Value ?? []) expect(String(uid), tag).toMatch(/^(2\.25\.|1\.2\.840\.10008\.)/)
      }
    }
    // dicom-parser, independently: the identifying values are nowhere in the file.
    const ds = dicomParser.parseDicom(new Uint8Array(files[0].bytes))
    expect(ds.string('x00100010')).toBe(study.pseudonym)
    expect(ds.string('x00120062')).toBe('YES')
    expect(ds.string('x00080050') ?? '').toBe('')
    expect(ds.string('x00080020') ?? '').toBe('')
    const bytes = files[0].bytes.toString('latin1')
    for (const phi of identifiers) expect(bytes, phi).not.toContain(phi)
    expect(bytes).toContain('Reviewer 1')
  })
})

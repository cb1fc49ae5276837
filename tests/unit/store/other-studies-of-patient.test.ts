import { expect, it } from 'vitest'
import type { Db } from '../../../src/main/store/database'
import { createImportJob, insertImportedImage, type StudyFields } from '../../../src/main/store/import-repository'
import { otherStudiesOfPatient } from '../../../src/main/store/study-repository'
import { tempDatabasePerTest } from '../../helpers/temp-database'

const openTempDb = tempDatabasePerTest()

let instances = 0
/** One imported film of a study; `frontal: false` stores a lateral view, `chest: false` one the model does not read. */
function film(db: Db, job: number, study: Partial<StudyFields> & { studyUid: string }, options: { frontal?: boolean; chest?: boolean } = {}): number {
  instances++
  const fields: StudyFields = { patientId: null, patientName: null, patientBirthDate: null, patientSex: null, studyDate: null, accessionNumber: null, description: null, ...study }
  insertImportedImage(
    db,
    fields,
    { seriesUid: `${study.studyUid}.${instances}`, modality: 'DX', bodyPart: 'CHEST', viewPosition: null, description: null },
    {
      jobId: job,
      sopInstanceUid: `2.25.9${instances}`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
      filePath: `/site/${instances}.dcm`,
      fileSize: 1,
      sha256: 'x',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      rows: 8,
      columns: 8,
      photometric: 'MONOCHROME2',
      bitsStored: 12,
      spacingRowMm: null,
      spacingColMm: null,
      spacingKind: 'none',
      viewPosition: null,
      projection: options.frontal === false ? 'lateral' : 'frontal',
      forProcessing: false,
      modelImageRank: 0,
      tags: {},
      displayPath: `display/${instances}.png`,
      displaySha256: 'x',
      modelPath: options.chest === false ? null : `model/${instances}.png`,
      modelSha256: 'x',
      frontalLikeness: null
    }
  )
  return (db.prepare('SELECT id FROM studies WHERE study_uid = ?').get(study.studyUid) as { id: number }).id
}

it("lists the patient's other studies with a frontal film, newest first, and keeps apart patients an ID alone would join", () => {
  const db = openTempDb()
  const job = createImportJob(db, ['/site'])
  const ada = { patientId: ' MRN-1 ', patientBirthDate: '19481210', patientSex: 'F' }
  const now = film(db, job, { studyUid: '1.1', studyDate: '20260105', ...ada, patientId: 'MRN-1' })
  const lastYear = film(db, job, { studyUid: '1.2', studyDate: '20250105', ...ada })
  const later = film(db, job, { studyUid: '1.3', studyDate: '20260301', ...ada, patientSex: null })
  const undated = film(db, job, { studyUid: '1.4', ...ada, patientBirthDate: null })
  film(db, job, { studyUid: '1.5', studyDate: '20240105', ...ada }, { frontal: false })
  film(db, job, { studyUid: '1.6', studyDate: '20230105', ...ada }, { chest: false })
  // An anonymised export that gave another patient the same ID: told apart by birth date, or by sex.
  film(db, job, { studyUid: '1.7', studyDate: '20220105', ...ada, patientBirthDate: '19700101' })
  film(db, job, { studyUid: '1.8', studyDate: '20220106', ...ada, patientSex: 'M' })

  const others = otherStudiesOfPatient(db, now)
  expect(others.map((o) => o.studyId)).toEqual([later, lastYear, undated])
  expect(others[1]).toMatchObject({ studyDate: '20250105', pseudonym: expect.stringMatching(/^CXR-/), imageId: expect.any(Number) })
  expect(otherStudiesOfPatient(db, lastYear).map((o) => o.studyId)).toEqual([later, now, undated])
})

it('finds no other study for a study without a Patient ID, or with a blank one', () => {
  const db = openTempDb()
  const job = createImportJob(db, ['/site'])
  const blank = film(db, job, { studyUid: '2.1', patientId: '  ', studyDate: '20260105' })
  film(db, job, { studyUid: '2.2', patientId: '', studyDate: '20250105' })
  const none = film(db, job, { studyUid: '2.3', studyDate: '20260105' })
  film(db, job, { studyUid: '2.4', studyDate: '20250105' })
  expect(otherStudiesOfPatient(db, blank)).toEqual([])
  expect(otherStudiesOfPatient(db, none)).toEqual([])
})

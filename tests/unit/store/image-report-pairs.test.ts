import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { databasePath, openDatabase, type Db } from '../../../src/main/store/database'
import { imageReportPairs } from '../../../src/main/store/training-repository'
import { evaluationStudies } from '../../../src/main/store/evaluation-repository'
import { importReportFiles } from '../../../src/main/reports'
import { writeSelfPlayCohort } from '../../helpers/selfplay-cohort'

let dir: string
let db: Db

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-pairs-'))
  writeSelfPlayCohort(dir, 5)
  db = openDatabase(databasePath(dir))
})

afterAll(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

it('reads one study’s image–report pair alone, the same pair the whole library’s list holds', () => {
  const all = imageReportPairs(db)
  expect(all).toHaveLength(5)
  for (const pair of all) expect(imageReportPairs(db, pair.studyId)).toEqual([pair])
  expect(imageReportPairs(db, 999)).toEqual([])
})

it('pairs a study with its newest report: a report imported again with changed text (an addendum, a corrected final) supersedes it', async () => {
  const { studyId, studyUid } = db.prepare('SELECT id AS studyId, study_uid AS studyUid FROM studies ORDER BY id LIMIT 1').get() as { studyId: number; studyUid: string }
  const before = imageReportPairs(db, studyId)[0].rawText
  // the study's report, exported again after the radiologist added to it
  const file = path.join(dir, `${studyUid}.txt`)
  fs.writeFileSync(file, `${before}\nADDENDUM: The nodule is a nipple shadow.`)
  const jobId = Number(db.prepare("INSERT INTO import_jobs (roots_json, status, started_at) VALUES ('[]', 'done', 'now')").run().lastInsertRowid)
  expect((await importReportFiles(db, [file], jobId)).matched).toBe(1)
  expect(db.prepare('SELECT count(*) AS n FROM reports WHERE study_id = ?').get(studyId)).toEqual({ n: 2 })
  expect(imageReportPairs(db, studyId)[0].rawText).toContain('ADDENDUM: The nodule is a nipple shadow.')
  expect(evaluationStudies(db).find((s) => s.studyId === studyId)?.reportText).toContain('ADDENDUM')
})

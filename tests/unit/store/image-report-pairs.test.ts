import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { databasePath, openDatabase, type Db } from '../../../src/main/store/database'
import { imageReportPairs } from '../../../src/main/store/training-repository'
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

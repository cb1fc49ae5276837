import { expect, it } from 'vitest'
import type { Db } from '../../../src/main/store/database'
import { insertFinding, listReviewQueue, recordDecision } from '../../../src/main/store/review-repository'
import { createRun, insertCheckpoint } from '../../../src/main/store/training-repository'
import { listStudies } from '../../../src/main/store/import-repository'
import { emptyNoduleItem, type NoduleFinding } from '../../../src/shared/finding'
import { tempDatabasePerTest } from '../../helpers/temp-database'

const openTempDb = tempDatabasePerTest()

const absent: NoduleFinding = { presence: 'absent', count: 0, items: [] }
const present: NoduleFinding = { presence: 'present', count: 1, items: [{ ...emptyNoduleItem(), side: 'right', zone: 'upper', sizeMm: 12 }] }

function addStudy(db: Db, n: number): number {
  return Number(db.prepare('INSERT INTO studies (study_uid, pseudonym, created_at) VALUES (?, ?, ?)').run(`2.25.${n}`, `CXR-${n}`, new Date().toISOString()).lastInsertRowid)
}

function addCheckpoint(db: Db, run: number, round: number): number {
  return insertCheckpoint(db, { runId: run, roundIndex: round, path: `checkpoints/r${round}.safetensors`, sha256: 'x'.repeat(64), metricsJson: null })
}

it('shows for each study the findings of the model that described it last, and every finding already decided on', () => {
  const db = openTempDb()
  const [a, b] = [addStudy(db, 1), addStudy(db, 2)]
  const run = createRun(db, { name: 'selfplay', configJson: '{}', seed: 1, device: 'test', executionProvider: 'cpu' })
  const [older, newer] = [addCheckpoint(db, run, 1), addCheckpoint(db, run, 2)]
  const oldA = insertFinding(db, { studyId: a, imageId: null, checkpointId: older, text: 'No nodule.', structured: absent })
  const oldB = insertFinding(db, { studyId: b, imageId: null, checkpointId: older, text: 'No nodule.', structured: absent })
  recordDecision(db, { findingId: oldB, decision: 'reject', reason: 'artifact', secondsOnTask: 3, reviewer: 'Dr Reader' })
  const newA = insertFinding(db, { studyId: a, imageId: null, checkpointId: newer, text: '12 mm nodule, right upper zone.', structured: present })
  const newB = insertFinding(db, { studyId: b, imageId: null, checkpointId: newer, text: '12 mm nodule, right upper zone.', structured: present })

  const queue = listReviewQueue(db)
  expect(queue.rows.map((r) => r.findingId)).toEqual([newA, oldB, newB])
  expect(queue.rows.map((r) => r.findingId)).not.toContain(oldA)
  expect(queue.remaining).toBe(2)
  expect(listReviewQueue(db, a).rows.map((r) => r.findingId)).toEqual([newA])
})

it('counts in the Library the findings the queue shows: a study whose newest model\'s finding is decided is reviewed, whatever older models wrote', () => {
  const db = openTempDb()
  const [a, b] = [addStudy(db, 1), addStudy(db, 2)]
  const run = createRun(db, { name: 'selfplay', configJson: '{}', seed: 1, device: 'test', executionProvider: 'cpu' })
  const [older, newer] = [addCheckpoint(db, run, 1), addCheckpoint(db, run, 2)]
  for (const study of [a, b]) insertFinding(db, { studyId: study, imageId: null, checkpointId: older, text: 'No nodule.', structured: absent })
  const [newA] = [a, b].map((study) => insertFinding(db, { studyId: study, imageId: null, checkpointId: newer, text: '12 mm nodule, right upper zone.', structured: present }))
  recordDecision(db, { findingId: newA, decision: 'accept', secondsOnTask: 3, reviewer: 'Dr Reader' })

  const rows = listStudies(db, { limit: 10, offset: 0 }).rows
  const row = (id: number) => rows.find((r) => r.id === id)!
  expect([row(a).reviewedFindings, row(a).findings]).toEqual([1, 1])
  expect([row(b).reviewedFindings, row(b).findings]).toEqual([0, 1])
  expect(listStudies(db, { limit: 10, offset: 0, reviewStatus: 'pending' }).rows.map((r) => r.id)).toEqual([b])
  expect(listStudies(db, { limit: 10, offset: 0, reviewStatus: 'reviewed' }).rows.map((r) => r.id)).toEqual([a])
  expect(listReviewQueue(db).remaining).toBe(1)
})

it('records in each audit row which model wrote the finding and from which file, by their sha256, and the certainty the reader was shown', () => {
  const db = openTempDb()
  const run = createRun(db, { name: 'selfplay', configJson: '{}', seed: 1, device: 'test', executionProvider: 'cpu' })
  const checkpoint = addCheckpoint(db, run, 7)
  const imageId = Number(
    db.prepare("INSERT INTO images (file_path, file_sha256, status, created_at) VALUES ('/site/IM1.dcm', ?, 'ok', ?)").run('f'.repeat(64), new Date().toISOString()).lastInsertRowid
  )
  const finding = insertFinding(db, { studyId: addStudy(db, 3), imageId, checkpointId: checkpoint, text: '12 mm nodule, right upper zone.', structured: present, certainty: 0.64 })
  recordDecision(db, { findingId: finding, decision: 'accept', secondsOnTask: 2, reviewer: 'Dr Reader' })
  const row = db.prepare("SELECT after_json FROM audit_log WHERE action = 'review.accept'").get() as { after_json: string }
  expect(JSON.parse(row.after_json).finding).toMatchObject({
    id: finding,
    model: { checkpointId: checkpoint, runId: run, round: 7, sha256: 'x'.repeat(64) },
    inputSha256: 'f'.repeat(64),
    certainty: 0.64
  })
})

it("shows the model's certainty of each finding it wrote, and none for one stored without it", () => {
  const db = openTempDb()
  const measured = insertFinding(db, { studyId: addStudy(db, 4), imageId: null, text: '12 mm nodule, right upper zone.', structured: present, certainty: 0.42 })
  const unmeasured = insertFinding(db, { studyId: addStudy(db, 5), imageId: null, text: 'No nodule.', structured: absent })
  expect(listReviewQueue(db).rows.map((r) => [r.findingId, r.certainty])).toEqual([
    [measured, 0.42],
    [unmeasured, null]
  ])
})

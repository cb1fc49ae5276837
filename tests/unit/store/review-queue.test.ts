import { expect, it } from 'vitest'
import type { Db } from '../../../src/main/store/database'
import { insertFinding, listReviewQueue, recordDecision } from '../../../src/main/store/review-repository'
import { createRun, insertCheckpoint } from '../../../src/main/store/training-repository'
import { emptyNoduleItem, type NoduleFinding } from '../../../src/shared/finding'
import { tempDatabasePerTest } from '../../helpers/temp-services'

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

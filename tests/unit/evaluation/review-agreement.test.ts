import { describe, expect, it } from 'vitest'
import { ReviewAgreement } from '../../../src/shared/contract'
import { emptyNoduleItem, type NoduleFinding, type Side, type Zone } from '../../../src/shared/finding'
import { cohensKappa, reviewAgreement } from '../../../src/main/evaluation/review-agreement'
import type { Db } from '../../../src/main/store/database'
import { insertFinding, recordDecision, undoLastDecision, type Decision } from '../../../src/main/store/review-repository'
import { createRun, insertCheckpoint } from '../../../src/main/store/training-repository'
import { tempDatabasePerTest } from '../../helpers/temp-database'

const openTempDb = tempDatabasePerTest()

const absent: NoduleFinding = { presence: 'absent', count: 0, items: [] }
function nodule(side: Side, zone: Zone, sizeMm: number): NoduleFinding {
  return { presence: 'present', count: 1, items: [{ ...emptyNoduleItem(), side, zone, sizeMm }] }
}

let studies = 0
function addStudy(db: Db): number {
  studies++
  return Number(db.prepare('INSERT INTO studies (study_uid, pseudonym, created_at) VALUES (?, ?, ?)').run(`2.25.${studies}`, `CXR-${studies}`, new Date().toISOString()).lastInsertRowid)
}

function modelOf(db: Db, name: string, step: number): number {
  const run = createRun(db, { name, configJson: '{}', seed: 1, device: 'test', executionProvider: 'cpu' })
  return insertCheckpoint(db, { runId: run, roundIndex: step, path: `checkpoints/${name}-${step}.safetensors`, sha256: 'x'.repeat(64), metricsJson: null })
}

function write(db: Db, checkpointId: number | null, structured: NoduleFinding, certainty: number | null = null): number {
  return insertFinding(db, { studyId: addStudy(db), imageId: null, checkpointId, text: 'generated', structured, certainty })
}

function decide(db: Db, findingId: number, reviewer: string, decision: Omit<Decision, 'findingId' | 'reviewer' | 'secondsOnTask'>, secondsOnTask = 5): void {
  recordDecision(db, { findingId, reviewer, secondsOnTask, ...decision })
}

describe('what the clinicians decisions say of each model', () => {
  it('counts decisions and reasons, scores the model against the finding the clinician signed, and reads double reads', () => {
    const db = openTempDb()
    const warmup = modelOf(db, 'warmup', 60)
    const selfPlay = modelOf(db, 'selfplay', 19)

    // The self-play model: seven findings, six decided by one reader.
    const rightUpper = nodule('right', 'upper', 12)
    const [accepted, movedZone, resized, nipple, other, unsure] = Array.from({ length: 6 }, () => write(db, selfPlay, rightUpper))
    write(db, selfPlay, absent)
    decide(db, accepted, 'Dr A', { decision: 'accept' }, 2)
    decide(db, movedZone, 'Dr A', { decision: 'edit', edited: { text: 'Left lower zone nodule 12 mm', structured: nodule('left', 'lower', 12) } }, 4)
    decide(db, resized, 'Dr A', { decision: 'edit', edited: { text: 'Right upper zone nodule 20 mm', structured: nodule('right', 'upper', 20) } }, 6)
    decide(db, nipple, 'Dr A', { decision: 'reject', reason: 'nipple-shadow' }, 8)
    decide(db, other, 'Dr A', { decision: 'reject', reason: 'other', reasonText: 'old fracture callus' }, 10)
    decide(db, unsure, 'Dr A', { decision: 'uncertain' }, 12)

    // The warm-up model: four findings read by two readers. A doubt taken back does not count.
    const [g1, g2, g3, g4] = [0.9, 0.4, 0.7, 0.6].map((certainty) => write(db, warmup, absent, certainty))
    decide(db, g1, 'Dr A', { decision: 'accept' })
    decide(db, g1, 'Dr A', { decision: 'uncertain' })
    expect(undoLastDecision(db, 'Dr A')).toEqual({ findingId: g1, decision: 'uncertain' })
    decide(db, g2, 'Dr A', { decision: 'accept' })
    decide(db, g3, 'Dr A', { decision: 'reject', reason: 'artifact' })
    decide(db, g4, 'Dr A', { decision: 'edit', edited: { text: 'Right lower zone nodule 6 mm', structured: nodule('right', 'lower', 6) } })
    decide(db, g1, 'Dr B', { decision: 'accept' })
    decide(db, g2, 'Dr B', { decision: 'reject', reason: 'artifact' })
    decide(db, g3, 'Dr B', { decision: 'reject', reason: 'duplicate' })
    decide(db, g4, 'Dr B', { decision: 'accept' })

    // A finding stored without a model record.
    decide(db, write(db, null, absent), 'Dr A', { decision: 'accept' })

    const result = ReviewAgreement.parse(reviewAgreement(db))
    expect(result.models.map((m) => m.run)).toEqual([
      { id: expect.any(Number), name: 'selfplay', step: 19 },
      { id: expect.any(Number), name: 'warmup', step: 60 },
      null
    ])

    const [sp, wu, none] = result.models
    expect(sp).toMatchObject({ checkpointId: selfPlay, findings: 7, reviewed: 6, decisions: { accept: 1, edit: 2, reject: 2, uncertain: 1 }, medianSecondsOnTask: 7 })
    expect(sp.rejectReasons).toEqual([
      { reason: 'nipple-shadow', count: 1 },
      { reason: 'other', count: 1 }
    ])
    // Signed: the accepted finding (all agree), the zone moved (side + zone and so the finding disagree), the size changed by 8 mm.
    expect(sp.agreement).toEqual({
      images: 3,
      presence: { correct: 3, total: 3 },
      sideZone: { correct: 2, total: 3 },
      size: { correct: 2, total: 3 },
      finding: { correct: 1, total: 3 }
    })

    // The latest decision on each finding counts: Dr B's.
    expect(wu).toMatchObject({ checkpointId: warmup, findings: 4, reviewed: 4, decisions: { accept: 2, edit: 0, reject: 2, uncertain: 0 } })
    expect(wu.rejectReasons).toEqual([
      { reason: 'artifact', count: 1 },
      { reason: 'duplicate', count: 1 }
    ])
    // Both accepted findings say "no nodule", as the model did: presence agrees; side + zone count no image.
    expect(wu.agreement).toMatchObject({ images: 2, presence: { correct: 2, total: 2 }, sideZone: { correct: 0, total: 0 } })
    expect(none).toMatchObject({ checkpointId: null, findings: 1, reviewed: 1, decisions: { accept: 1, edit: 0, reject: 0, uncertain: 0 } })
    // Accepted in the end: g1 (0.9) and g4 (0.6); rejected: g2 (0.4) and g3 (0.7) — three of the four pairs in order.
    expect(wu.certaintyAuc).toBe(0.75)
    // Without certainties, or without both an acceptance and a rejection, it is not measured.
    expect(sp.certaintyAuc).toBeNull()
    expect(none.certaintyAuc).toBeNull()

    // Dr A then Dr B: accept/accept, accept/reject, reject/reject, edit/accept.
    expect(result.doubleRead.findings).toBe(4)
    expect(result.doubleRead.agreement).toBeCloseTo(0.5, 10)
    expect(result.doubleRead.kappa).toBeCloseTo(0.2, 10)
  })

  it('has no model to show before any decision, and no double read with one reader', () => {
    const db = openTempDb()
    write(db, modelOf(db, 'selfplay', 3), absent)
    expect(reviewAgreement(db)).toEqual({ models: [], doubleRead: { findings: 0, agreement: null, kappa: null } })
  })
})

describe("Cohen's kappa", () => {
  it('is 1 for perfect agreement beyond chance, 0 at chance, and undefined when both raters always say the same one thing', () => {
    expect(cohensKappa([['accept', 'accept'], ['reject', 'reject']]).kappa).toBeCloseTo(1, 10)
    // Each rater accepts half the time, independently of the other.
    expect(cohensKappa([['accept', 'accept'], ['accept', 'reject'], ['reject', 'accept'], ['reject', 'reject']]).kappa).toBeCloseTo(0, 10)
    expect(cohensKappa([['accept', 'accept'], ['accept', 'accept']])).toEqual({ agreement: 1, kappa: null })
    // Always disagreeing, with balanced shares: below chance.
    expect(cohensKappa([['accept', 'reject'], ['reject', 'accept']]).kappa).toBeCloseTo(-1, 10)
  })
})

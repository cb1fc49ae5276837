import { NoduleFinding } from '../../shared/finding'
import type { RejectReason, ReviewDecision, ReviewItem } from '../../shared/contract'
import { appendAudit } from './audit-log'
import type { Db } from './database'

/**
 * Generated findings and the clinician's decisions on them. A finding may be decided again; the
 * latest reviews row counts. Every decision and every undo writes its audit row in the same
 * transaction, with the state before and after. Transactions are IMMEDIATE: they read, then
 * write, while an import child may be writing too.
 */

export interface NewFinding {
  studyId: number
  imageId: number | null
  checkpointId?: number | null
  text: string
  structured: NoduleFinding
  /** The model's certainty of its finding (model/finding-certainty.ts); null when not measured. */
  certainty?: number | null
}

export function insertFinding(db: Db, finding: NewFinding): number {
  const info = db
    .prepare('INSERT INTO findings (study_id, image_id, checkpoint_id, text, structured_json, certainty, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(finding.studyId, finding.imageId, finding.checkpointId ?? null, finding.text, JSON.stringify(finding.structured), finding.certainty ?? null, new Date().toISOString())
  return Number(info.lastInsertRowid)
}

interface ReviewRow {
  id: number
  finding_id: number
  decision: ReviewDecision
  edited_json: string | null
  reason: string | null
  comment: string | null
  reviewer: string
  seconds_on_task: number | null
  created_at: string
}

const LATEST_REVIEW = `SELECT * FROM reviews WHERE finding_id = ? ORDER BY id DESC LIMIT 1`

function parseStructured(json: string | null): NoduleFinding | null {
  if (json === null) return null
  try {
    return structuredOf(JSON.parse(json))
  } catch {
    return null
  }
}

function structuredOf(value: unknown): NoduleFinding | null {
  const parsed = NoduleFinding.safeParse(value)
  return parsed.success ? parsed.data : null
}

function reviewView(row: Pick<ReviewRow, 'id' | 'decision' | 'reason' | 'comment' | 'edited_json' | 'reviewer' | 'created_at'>): ReviewItem['review'] {
  const edited = row.edited_json ? (JSON.parse(row.edited_json) as { text: string; structured: unknown }) : null
  const structured = edited ? structuredOf(edited.structured) : null
  return {
    id: row.id,
    decision: row.decision,
    reason: row.reason,
    comment: row.comment,
    edited: edited && structured ? { text: edited.text, structured } : null,
    reviewer: row.reviewer,
    at: row.created_at
  }
}

/**
 * Whether finding `f` is one a reader reviews: written by the model that described its study last
 * (each run and experiment arm writes findings for every study; a reader reviews the newest), or
 * already decided on, so no decision drops out of sight. The queue and the Library count these.
 */
export const FINDING_IN_REVIEW = `(f.checkpoint_id IS (SELECT g.checkpoint_id FROM findings g WHERE g.study_id = f.study_id ORDER BY g.id DESC LIMIT 1)
  OR EXISTS (SELECT 1 FROM reviews v WHERE v.finding_id = f.id))`

/** The review queue (optionally of one study), oldest study first: each finding in review (FINDING_IN_REVIEW) with its latest decision. */
export function listReviewQueue(db: Db, studyId?: number): { total: number; remaining: number; rows: ReviewItem[] } {
  const findings = db
    .prepare(
      `SELECT f.id, f.study_id, f.image_id, f.text, f.structured_json, f.certainty, f.created_at, s.pseudonym,
         r.id AS review_id, r.decision, r.edited_json, r.reason, r.comment, r.reviewer, r.created_at AS reviewed_at
       FROM findings f JOIN studies s ON s.id = f.study_id
       LEFT JOIN reviews r ON r.id = (SELECT max(id) FROM reviews WHERE finding_id = f.id)
       WHERE (? IS NULL OR f.study_id = ?) AND ${FINDING_IN_REVIEW}
       ORDER BY f.study_id, f.id`
    )
    .all(studyId ?? null, studyId ?? null) as {
    id: number
    study_id: number
    image_id: number | null
    text: string
    structured_json: string
    certainty: number | null
    created_at: string
    pseudonym: string
    review_id: number | null
    decision: ReviewDecision | null
    edited_json: string | null
    reason: string | null
    comment: string | null
    reviewer: string | null
    reviewed_at: string | null
  }[]
  const rows = findings.map((f) => ({
    findingId: f.id,
    studyId: f.study_id,
    pseudonym: f.pseudonym,
    imageId: f.image_id,
    text: f.text,
    structured: parseStructured(f.structured_json),
    certainty: f.certainty,
    createdAt: f.created_at,
    // decision, reviewer and created_at are NOT NULL in reviews: a joined row (review_id set) has them.
    review:
      f.review_id === null
        ? null
        : reviewView({ id: f.review_id, decision: f.decision!, reason: f.reason, comment: f.comment, edited_json: f.edited_json, reviewer: f.reviewer!, created_at: f.reviewed_at! })
  }))
  return { total: rows.length, remaining: rows.filter((r) => r.review === null).length, rows }
}

export interface Decision {
  findingId: number
  decision: ReviewDecision
  reason?: RejectReason
  reasonText?: string
  /** The reader's optional free-text comment, with any decision. */
  comment?: string
  edited?: { text: string; structured: NoduleFinding }
  secondsOnTask: number
  reviewer: string
}

/** The reason as stored: the code, with the reader's words after 'other: '. */
function storedReason(d: Decision): string | null {
  if (d.decision !== 'reject') return null
  if (!d.reason) throw new Error('A rejection needs a reason')
  if (d.reason === 'other') {
    if (!d.reasonText) throw new Error("A rejection for 'other' needs the reason in words")
    return `other: ${d.reasonText}`
  }
  return d.reason
}

/**
 * A finding as an audit row records it: what the model wrote, which model (run, round and the
 * checkpoint file's sha256) and on which input (the DICOM file's sha256), so a decision can be traced
 * to the exact weights and film even after a checkpoint row is gone.
 */
function findingSnapshot(db: Db, findingId: number): Record<string, unknown> | null {
  const f = db
    .prepare(
      `SELECT f.id, f.text, f.structured_json, f.certainty, f.checkpoint_id, c.run_id, c.round_index, c.sha256 AS checkpoint_sha256, i.file_sha256
       FROM findings f LEFT JOIN checkpoints c ON c.id = f.checkpoint_id LEFT JOIN images i ON i.id = f.image_id
       WHERE f.id = ?`
    )
    .get(findingId) as
    | {
        id: number
        text: string
        structured_json: string
        certainty: number | null
        checkpoint_id: number | null
        run_id: number | null
        round_index: number | null
        checkpoint_sha256: string | null
        file_sha256: string | null
      }
    | undefined
  if (!f) return null
  return {
    id: f.id,
    text: f.text,
    structured: JSON.parse(f.structured_json),
    // what the reader was shown of the model's certainty
    certainty: f.certainty,
    model: f.checkpoint_id === null ? null : { checkpointId: f.checkpoint_id, runId: f.run_id, round: f.round_index, sha256: f.checkpoint_sha256 },
    inputSha256: f.file_sha256
  }
}

function decisionSnapshot(row: ReviewRow | undefined): Record<string, unknown> | null {
  if (!row) return null
  return {
    reviewId: row.id,
    decision: row.decision,
    reason: row.reason,
    comment: row.comment,
    edited: row.edited_json ? JSON.parse(row.edited_json) : null,
    reviewer: row.reviewer,
    secondsOnTask: row.seconds_on_task,
    at: row.created_at
  }
}

export function findingExists(db: Db, findingId: number): boolean {
  return db.prepare('SELECT 1 FROM findings WHERE id = ?').get(findingId) !== undefined
}

/**
 * Records one decision and its audit row together. The original finding is never changed: an
 * edit is stored beside it. Throws (nothing written) when the finding is missing or the decision
 * lacks what it needs.
 */
export function recordDecision(db: Db, d: Decision): number {
  if (d.decision === 'edit' && !d.edited) throw new Error('An edit needs the edited finding')
  const reason = storedReason(d)
  return db.transaction(() => {
    const finding = findingSnapshot(db, d.findingId)
    if (!finding) throw new Error(`No finding ${d.findingId}`)
    const before = decisionSnapshot(db.prepare(LATEST_REVIEW).get(d.findingId) as ReviewRow | undefined)
    const at = new Date().toISOString()
    const edited = d.decision === 'edit' && d.edited ? JSON.stringify(d.edited) : null
    const info = db
      .prepare('INSERT INTO reviews (finding_id, decision, edited_json, reason, comment, reviewer, seconds_on_task, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(d.findingId, d.decision, edited, reason, d.comment || null, d.reviewer, d.secondsOnTask, at)
    const reviewId = Number(info.lastInsertRowid)
    const after = decisionSnapshot(db.prepare('SELECT * FROM reviews WHERE id = ?').get(reviewId) as ReviewRow)
    appendAudit(db, { actor: d.reviewer, action: `review.${d.decision}`, entity: 'finding', entityId: d.findingId, before: { finding, review: before }, after: { finding, review: after } }, at)
    return reviewId
  }).immediate()
}

/** Removes `reviewer`'s most recent decision (audited); the one before it counts again. */
export function undoLastDecision(db: Db, reviewer: string): { findingId: number; decision: ReviewDecision } | null {
  return db.transaction(() => {
    const last = db.prepare('SELECT * FROM reviews WHERE reviewer = ? ORDER BY id DESC LIMIT 1').get(reviewer) as ReviewRow | undefined
    if (!last) return null
    db.prepare('DELETE FROM reviews WHERE id = ?').run(last.id)
    const restored = decisionSnapshot(db.prepare(LATEST_REVIEW).get(last.finding_id) as ReviewRow | undefined)
    const finding = findingSnapshot(db, last.finding_id)
    appendAudit(db, {
      actor: reviewer,
      action: 'review.undo',
      entity: 'finding',
      entityId: last.finding_id,
      before: { finding, review: decisionSnapshot(last) },
      after: { finding, review: restored }
    })
    return { findingId: last.finding_id, decision: last.decision }
  }).immediate()
}

/** One row per reviewed finding, identified only by the study's pseudonym. */
export interface ExportRow {
  findingId: number
  pseudonym: string
  studyDate: string | null
  viewPosition: string | null
  decision: ReviewDecision
  reason: string | null
  comment: string | null
  originalText: string
  originalStructured: unknown
  /** The model's certainty of the finding it wrote (0–1); null when not measured. */
  certainty: number | null
  finalText: string
  finalStructured: unknown
  reviewer: string
  secondsOnTask: number | null
  reviewedAt: string
}

export function reviewedFindingsForExport(db: Db, studyId?: number): ExportRow[] {
  const rows = db
    .prepare(
      `SELECT f.id AS findingId, s.pseudonym, s.study_date AS studyDate, i.view_position AS viewPosition,
         r.decision, r.reason, r.comment, f.text, f.structured_json, f.certainty, r.edited_json, r.reviewer, r.seconds_on_task AS secondsOnTask,
         r.created_at AS reviewedAt
       FROM findings f
       JOIN studies s ON s.id = f.study_id
       LEFT JOIN images i ON i.id = f.image_id
       JOIN reviews r ON r.id = (SELECT max(id) FROM reviews WHERE finding_id = f.id)
       WHERE (? IS NULL OR f.study_id = ?)
       ORDER BY f.id`
    )
    .all(studyId ?? null, studyId ?? null) as (Omit<ExportRow, 'originalText' | 'originalStructured' | 'finalText' | 'finalStructured'> & {
    text: string
    structured_json: string
    edited_json: string | null
  })[]
  return rows.map(({ text, structured_json, edited_json, ...r }) => {
    const original = JSON.parse(structured_json) as unknown
    const edited = edited_json ? (JSON.parse(edited_json) as { text: string; structured: unknown }) : null
    return {
      ...r,
      originalText: text,
      originalStructured: original,
      finalText: edited?.text ?? text,
      finalStructured: edited?.structured ?? original
    }
  })
}

/** A decided finding with the model that wrote it and every decision on it, oldest first. */
export interface DecidedFinding {
  findingId: number
  checkpointId: number | null
  run: { id: number; name: string; step: number } | null
  /** Null when the stored structure does not parse. */
  structured: NoduleFinding | null
  /** The model's certainty of it (0–1); null when not measured. */
  certainty: number | null
  decisions: { decision: ReviewDecision; edited: NoduleFinding | null; reason: string | null; reviewer: string; secondsOnTask: number | null }[]
}

export function decidedFindings(db: Db): DecidedFinding[] {
  const rows = db
    .prepare(
      `SELECT f.id AS findingId, f.checkpoint_id AS checkpointId, c.run_id AS runId, runs.name AS runName, c.round_index AS step,
         f.structured_json, f.certainty, r.decision, r.edited_json, r.reason, r.reviewer, r.seconds_on_task AS secondsOnTask
       FROM reviews r
       JOIN findings f ON f.id = r.finding_id
       LEFT JOIN checkpoints c ON c.id = f.checkpoint_id
       LEFT JOIN runs ON runs.id = c.run_id
       ORDER BY f.id, r.id`
    )
    .all() as {
    findingId: number
    checkpointId: number | null
    runId: number | null
    runName: string | null
    step: number | null
    structured_json: string
    certainty: number | null
    decision: ReviewDecision
    edited_json: string | null
    reason: string | null
    reviewer: string
    secondsOnTask: number | null
  }[]
  const byFinding = new Map<number, DecidedFinding>()
  for (const row of rows) {
    let finding = byFinding.get(row.findingId)
    if (!finding) {
      finding = {
        findingId: row.findingId,
        checkpointId: row.checkpointId,
        run: row.runId !== null && row.runName !== null && row.step !== null ? { id: row.runId, name: row.runName, step: row.step } : null,
        structured: parseStructured(row.structured_json),
        certainty: row.certainty,
        decisions: []
      }
      byFinding.set(row.findingId, finding)
    }
    finding.decisions.push({
      decision: row.decision,
      edited: row.edited_json ? structuredOf((JSON.parse(row.edited_json) as { structured: unknown }).structured) : null,
      reason: row.reason,
      reviewer: row.reviewer,
      secondsOnTask: row.secondsOnTask
    })
  }
  return [...byFinding.values()]
}

/** How many findings each model wrote (null: findings stored without a model record). */
export function findingCountsByCheckpoint(db: Db): Map<number | null, number> {
  const rows = db.prepare('SELECT checkpoint_id AS checkpointId, count(*) AS n FROM findings GROUP BY checkpoint_id').all() as { checkpointId: number | null; n: number }[]
  return new Map(rows.map((r) => [r.checkpointId, r.n]))
}

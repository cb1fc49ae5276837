import { identifierCleaner, type StudyIdentifiers } from '../privacy/identifiers'
import { STUDY_MODEL_IMAGE_ID, STUDY_REPORT_ID } from './study-repository'
import type { Db } from './database'

/** Runs, checkpoints and the image–report pairs training reads. */

export interface ImageReportPair {
  studyId: number
  studyUid: string
  pseudonym: string
  /** The model-input PNG, relative to the data folder. */
  modelPath: string
  rawText: string
  sectionsJson: string | null
  findingsJson: string | null
}

/** The model-input PNG of a study's model image (see STUDY_MODEL_IMAGE_ID). */
const STUDY_MODEL_IMAGE = `(SELECT model_path FROM images WHERE id = ${STUDY_MODEL_IMAGE_ID})`

/**
 * One pair per study that has both a model image and a report: the study's model image and its
 * report (its newest, STUDY_REPORT_ID). The report's texts come cleaned of the study's identifiers (a report may name its
 * patient): what training reads ends up in the tokenizer, checkpoints and logs, where no PHI may
 * go. `onlyStudyId` reads one study's pair (the transcript viewer redraws one game's images)
 * instead of the whole library's.
 */
export function imageReportPairs(db: Db, onlyStudyId: number | null = null): ImageReportPair[] {
  const rows = db
    .prepare(
      `SELECT s.id AS studyId, s.study_uid AS studyUid, s.pseudonym,
              s.patient_name AS patientName, s.patient_id AS patientId, s.patient_birth_date AS birthDate, s.accession_number AS accessionNumber,
              ${STUDY_MODEL_IMAGE} AS modelPath,
              r.raw_text AS rawText, r.sections_json AS sectionsJson, r.findings_json AS findingsJson
         FROM studies s
         JOIN reports r ON r.id = ${STUDY_REPORT_ID}
        WHERE modelPath IS NOT NULL AND (? IS NULL OR s.id = ?)
        ORDER BY s.id`
    )
    .all(onlyStudyId, onlyStudyId) as (ImageReportPair & StudyIdentifiers)[]
  return rows.map(({ patientName, patientId, birthDate, accessionNumber, ...pair }) => {
    const clean = identifierCleaner([{ patientName, patientId, birthDate, accessionNumber }])
    return {
      ...pair,
      rawText: clean(pair.rawText),
      sectionsJson: pair.sectionsJson === null ? null : clean(pair.sectionsJson),
      findingsJson: pair.findingsJson === null ? null : clean(pair.findingsJson)
    }
  })
}

export interface UnreportedImage {
  studyId: number
  studyUid: string
  pseudonym: string
  modelPath: string
}

/** Studies with a model image and no report: images self-play may play on without a report to judge them. */
export function imagesWithoutReport(db: Db): UnreportedImage[] {
  return db
    .prepare(
      `SELECT s.id AS studyId, s.study_uid AS studyUid, s.pseudonym, ${STUDY_MODEL_IMAGE} AS modelPath
         FROM studies s
        WHERE modelPath IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.study_id = s.id)
        ORDER BY s.id`
    )
    .all() as UnreportedImage[]
}

/** A study found by pseudonym or numeric id, with its model image if it has one. */
export interface StudyModelImage {
  studyId: number
  pseudonym: string
  /** The image the model reads (STUDY_MODEL_IMAGE_ID); null when the study has none. */
  imageId: number | null
  modelPath: string | null
}

export function studyImage(db: Db, key: string): StudyModelImage | null {
  const row = db
    .prepare(
      `SELECT s.id AS studyId, s.pseudonym, ${STUDY_MODEL_IMAGE_ID} AS imageId, ${STUDY_MODEL_IMAGE} AS modelPath
         FROM studies s WHERE s.pseudonym = ? OR CAST(s.id AS TEXT) = ?`
    )
    .get(key, key) as StudyModelImage | undefined
  return row ?? null
}

export type RunStatus = 'created' | 'running' | 'paused' | 'stopped' | 'done' | 'failed' | 'interrupted'

export interface RunRow {
  id: number
  name: string
  configJson: string
  status: RunStatus
  seed: number
}

export function createRun(db: Db, run: { name: string; configJson: string; seed: number; device: string; executionProvider: string }): number {
  const now = new Date().toISOString()
  return Number(
    db
      .prepare(
        `INSERT INTO runs (name, config_json, status, seed, device, execution_provider, created_at, started_at)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`
      )
      .run(run.name, run.configJson, run.seed, run.device, run.executionProvider, now, now).lastInsertRowid
  )
}

export function setRunStatus(db: Db, id: number, status: RunStatus, error: string | null = null): void {
  const finished = status === 'done' || status === 'failed' || status === 'stopped' ? new Date().toISOString() : null
  db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = COALESCE(?, finished_at) WHERE id = ?').run(status, error, finished, id)
}

/**
 * Moves a run to `to` only from one of the statuses `from` (so a change asked for from outside
 * never overwrites what the run itself wrote meanwhile, e.g. 'done'); true when it moved.
 */
export function changeRunStatus(db: Db, id: number, from: readonly RunStatus[], to: RunStatus, error: string | null = null): boolean {
  const finished = to === 'done' || to === 'failed' || to === 'stopped' ? new Date().toISOString() : null
  return (
    db
      .prepare(`UPDATE runs SET status = ?, error = ?, finished_at = COALESCE(?, finished_at) WHERE id = ? AND status IN (${from.map(() => '?').join(', ')})`)
      .run(to, error, finished, id, ...from).changes > 0
  )
}

/** A run cut short: 'stopped' when the user cancelled it, else 'failed' with the error's message. */
export function markRunInterrupted(db: Db, id: number, err: unknown, cancelled: boolean): void {
  setRunStatus(db, id, cancelled ? 'stopped' : 'failed', cancelled ? null : err instanceof Error ? err.message : String(err))
}

/** The newest run of this name and config that did not finish: the one to resume after a kill. */
export function unfinishedRun(db: Db, name: string, configJson: string): RunRow | null {
  const row = db
    .prepare(
      `SELECT id, name, config_json AS configJson, status, seed FROM runs
        WHERE name = ? AND config_json = ? AND status IN ('running', 'paused', 'interrupted', 'stopped', 'failed')
        ORDER BY id DESC LIMIT 1`
    )
    .get(name, configJson) as RunRow | undefined
  return row ?? null
}

export function runById(db: Db, id: number): RunRow | null {
  return (db.prepare('SELECT id, name, config_json AS configJson, status, seed FROM runs WHERE id = ?').get(id) as RunRow | undefined) ?? null
}

export interface CheckpointRow {
  id: number
  runId: number
  roundIndex: number
  path: string
  sha256: string
  metricsJson: string | null
}

/** Records a checkpoint whose file is already written and synced. */
export function insertCheckpoint(db: Db, row: Omit<CheckpointRow, 'id'>): number {
  return Number(
    db
      .prepare('INSERT INTO checkpoints (run_id, round_index, path, sha256, metrics_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.runId, row.roundIndex, row.path, row.sha256, row.metricsJson, new Date().toISOString()).lastInsertRowid
  )
}

const checkpointColumns = 'c.id, c.run_id AS runId, c.round_index AS roundIndex, c.path, c.sha256, c.metrics_json AS metricsJson'

export function latestCheckpointOfRun(db: Db, runId: number): CheckpointRow | null {
  return (db.prepare(`SELECT ${checkpointColumns} FROM checkpoints c WHERE c.run_id = ? ORDER BY c.round_index DESC, c.id DESC LIMIT 1`).get(runId) as CheckpointRow | undefined) ?? null
}

/** The newest checkpoint of any run with this name (e.g. the last warm-up). */
export function latestCheckpointNamed(db: Db, runName: string): CheckpointRow | null {
  return (
    (db
      .prepare(`SELECT ${checkpointColumns} FROM checkpoints c JOIN runs r ON r.id = c.run_id WHERE r.name = ? ORDER BY c.id DESC LIMIT 1`)
      .get(runName) as CheckpointRow | undefined) ?? null
  )
}

/**
 * The checkpoint whose findings the Review page shows: the one that wrote the newest finding (a run's
 * final policy, or the model `vzw describe` used); null before any checkpoint wrote one.
 */
export function reviewedCheckpoint(db: Db): CheckpointRow | null {
  return (
    (db.prepare(`SELECT ${checkpointColumns} FROM findings f JOIN checkpoints c ON c.id = f.checkpoint_id ORDER BY f.id DESC LIMIT 1`).get() as CheckpointRow | undefined) ??
    null
  )
}

/** A finding the model wrote for a study, with the checkpoint that wrote it when it has a row. */

import { EvaluationMetrics, summarizeExperiment, type Arm, type ArmResult, type ExperimentListItem, type RunEvaluation, type TruthSource } from '../../shared/evaluation'
import type { Db } from './database'
import { STUDY_MODEL_IMAGE_ID, STUDY_REPORT_ID } from './study-repository'

/** Held-out evaluations, experiments and their arms (migrations 3 and 4), and what evaluation reads. */

export interface EvaluationStudy {
  studyId: number
  studyUid: string
  pseudonym: string
  imageId: number
  /** The model-input PNG, relative to the data folder. */
  modelPath: string
  reportText: string | null
  findingsJson: string | null
}

/** Every study with a model image (see STUDY_MODEL_IMAGE_ID) and its report (STUDY_REPORT_ID), if any. */
export function evaluationStudies(db: Db): EvaluationStudy[] {
  return db
    .prepare(
      `SELECT s.id AS studyId, s.study_uid AS studyUid, s.pseudonym, i.id AS imageId, i.model_path AS modelPath,
              r.raw_text AS reportText, r.findings_json AS findingsJson
         FROM studies s
         JOIN images i ON i.id = ${STUDY_MODEL_IMAGE_ID}
         LEFT JOIN reports r ON r.id = ${STUDY_REPORT_ID}
        ORDER BY s.id`
    )
    .all() as EvaluationStudy[]
}

/** The folders import jobs read, newest job first. */
export function importRoots(db: Db): string[] {
  const rows = db.prepare('SELECT roots_json AS rootsJson FROM import_jobs ORDER BY id DESC').all() as { rootsJson: string }[]
  return [...new Set(rows.flatMap((r) => JSON.parse(r.rootsJson) as string[]))]
}

export interface NewEvaluation {
  runId: number | null
  roundIndex: number | null
  checkpointPath: string
  truthSource: TruthSource
  metrics: EvaluationMetrics
  seconds: number
}

export function insertEvaluation(db: Db, e: NewEvaluation): number {
  return Number(
    db
      .prepare('INSERT INTO evaluations (run_id, round_index, checkpoint_path, truth_source, images, metrics_json, seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.runId, e.roundIndex, e.checkpointPath, e.truthSource, e.metrics.images, JSON.stringify(e.metrics), e.seconds, new Date().toISOString()).lastInsertRowid
  )
}

export function evaluationsOfRun(db: Db, runId: number): RunEvaluation[] {
  const rows = db
    .prepare('SELECT round_index AS roundIndex, truth_source AS truthSource, metrics_json AS metricsJson, created_at AS createdAt FROM evaluations WHERE run_id = ? ORDER BY round_index IS NULL, round_index, id')
    .all(runId) as { roundIndex: number | null; truthSource: TruthSource; metricsJson: string; createdAt: string }[]
  return rows.map(({ metricsJson, ...r }) => ({ ...r, metrics: EvaluationMetrics.parse(JSON.parse(metricsJson)) }))
}

/** A running experiment on `heldOut` images, with the score of writing "no nodule" for each of them. */
export function createExperiment(db: Db, e: { preset: string; configJson: string; seeds: readonly number[]; truthSource: TruthSource; heldOut: number; noNodule: EvaluationMetrics }): number {
  return Number(
    db
      .prepare(`INSERT INTO experiments (preset, config_json, seeds_json, status, truth_source, held_out, no_nodule_metrics_json, created_at) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)`)
      .run(e.preset, e.configJson, JSON.stringify(e.seeds), e.truthSource, e.heldOut, JSON.stringify(e.noNodule), new Date().toISOString()).lastInsertRowid
  )
}

/** An arm's result: its evaluation and its row, in one transaction. */
export function insertExperimentArm(
  db: Db,
  experimentId: number,
  arm: { seed: number; arm: Arm; runId: number | null; computeSeconds: number; warmupSteps: number; selfPlayRounds: number },
  evaluation: NewEvaluation
): void {
  db.transaction(() => {
    const evaluationId = insertEvaluation(db, evaluation)
    db.prepare(
      'INSERT INTO experiment_arms (experiment_id, seed, arm, run_id, evaluation_id, compute_seconds, warmup_steps, selfplay_rounds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    ).run(experimentId, arm.seed, arm.arm, arm.runId, evaluationId, arm.computeSeconds, arm.warmupSteps, arm.selfPlayRounds)
  })()
}

export function finishExperiment(db: Db, id: number, end: { status: 'done' | 'failed' | 'stopped'; reportPath?: string; plotPath?: string; error?: string }): void {
  db.prepare('UPDATE experiments SET status = ?, report_path = ?, plot_path = ?, error = ?, finished_at = ? WHERE id = ?').run(
    end.status,
    end.reportPath ?? null,
    end.plotPath ?? null,
    end.error ?? null,
    new Date().toISOString(),
    id
  )
}

export function experimentArms(db: Db, experimentId: number): ArmResult[] {
  const rows = db
    .prepare(
      `SELECT a.seed, a.arm, a.run_id AS runId, a.compute_seconds AS computeSeconds, a.warmup_steps AS warmupSteps,
              a.selfplay_rounds AS selfPlayRounds, e.metrics_json AS metricsJson
         FROM experiment_arms a JOIN evaluations e ON e.id = a.evaluation_id
        WHERE a.experiment_id = ? ORDER BY a.seed, a.id`
    )
    .all(experimentId) as (Omit<ArmResult, 'metrics'> & { metricsJson: string })[]
  return rows.map(({ metricsJson, ...r }) => ({ ...r, metrics: EvaluationMetrics.parse(JSON.parse(metricsJson)) }))
}

interface ExperimentRow {
  id: number
  status: ExperimentListItem['status']
  createdAt: string
  finishedAt: string | null
  preset: string
  seedsJson: string
  truthSource: TruthSource
  heldOut: number
  noNoduleJson: string | null
}

/** Experiments newest first, each with its arms and their mean ± spread. */
export function listExperiments(db: Db): ExperimentListItem[] {
  const rows = db
    .prepare(
      `SELECT id, status, created_at AS createdAt, finished_at AS finishedAt, preset, seeds_json AS seedsJson, truth_source AS truthSource, held_out AS heldOut,
              no_nodule_metrics_json AS noNoduleJson
         FROM experiments ORDER BY id DESC`
    )
    .all() as ExperimentRow[]
  return rows.map(({ seedsJson, heldOut, noNoduleJson, ...row }) => {
    const results = experimentArms(db, row.id)
    const noNodule = noNoduleJson === null ? null : EvaluationMetrics.parse(JSON.parse(noNoduleJson))
    return { ...row, seeds: JSON.parse(seedsJson) as number[], heldOutImages: heldOut, noNodule, results, summary: summarizeExperiment(results) }
  })
}

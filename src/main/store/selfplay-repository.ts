import type { SpyEditRecipe } from '../selfplay/spy-edit'
import type { Db } from './database'
import { insertFinding, type NewFinding } from './review-repository'
import { insertCheckpoint, type CheckpointRow } from './training-repository'
import { STUDY_MODEL_IMAGE_ID } from './study-repository'

/** Self-play rounds and their games; a round, its games and its checkpoint row commit together. */

export interface GameRow {
  kind: 'spy' | 'qa'
  playersJson: string
  transcriptJson: string
  rewardsJson: string
  advantagesJson: string
  /** A spy game's study and image recipe (a StoredSpyEdit as JSON); null for QA games and games stored before schema 2. */
  spyEditJson: string | null
}

/** What a spy game's two images were drawn from. */
export interface StoredSpyEdit {
  studyId: number
  recipe: SpyEditRecipe
}

export interface RoundCommit {
  runId: number
  roundIndex: number
  stage: string
  metricsJson: string
  startedAt: string
  seconds: number
  games: readonly GameRow[]
  /** The checkpoint file written (atomically) before this commit. */
  checkpoint: Omit<CheckpointRow, 'id' | 'runId' | 'roundIndex'>
  /** An older round whose checkpoint row is dropped in the same transaction (its file is then deleted by the caller). */
  pruneRound?: number
}

/**
 * Commits one round in one transaction: the round row, every game and the checkpoint row. A crash
 * before the commit leaves none of them (the round is played again on resume); the unique
 * (run, round index) refuses a round committed twice.
 */
export function commitRound(db: Db, round: RoundCommit): { roundId: number; checkpointId: number; prunedPath: string | null } {
  return db.transaction(() => {
    const roundId = Number(
      db
        .prepare('INSERT INTO rounds (run_id, round_index, stage, metrics_json, started_at, seconds) VALUES (?, ?, ?, ?, ?, ?)')
        .run(round.runId, round.roundIndex, round.stage, round.metricsJson, round.startedAt, round.seconds).lastInsertRowid
    )
    const insertGame = db.prepare('INSERT INTO games (round_id, kind, players_json, transcript_json, rewards_json, advantages_json, spy_edit_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
    for (const g of round.games) insertGame.run(roundId, g.kind, g.playersJson, g.transcriptJson, g.rewardsJson, g.advantagesJson, g.spyEditJson)
    const checkpointId = insertCheckpoint(db, { runId: round.runId, roundIndex: round.roundIndex, ...round.checkpoint })
    let prunedPath: string | null = null
    if (round.pruneRound !== undefined) {
      const old = db.prepare('SELECT id, path FROM checkpoints WHERE run_id = ? AND round_index = ?').get(round.runId, round.pruneRound) as { id: number; path: string } | undefined
      // A checkpoint that wrote findings stays: its row is their provenance.
      if (old && !db.prepare('SELECT 1 FROM findings WHERE checkpoint_id = ?').get(old.id)) {
        db.prepare('DELETE FROM checkpoints WHERE id = ?').run(old.id)
        prunedPath = old.path
      }
    }
    return { roundId, checkpointId, prunedPath }
  })()
}

export interface RoundRow {
  id: number
  roundIndex: number
  stage: string
  metricsJson: string
  seconds: number
}

export function roundsOfRun(db: Db, runId: number): RoundRow[] {
  return db
    .prepare('SELECT id, round_index AS roundIndex, stage, metrics_json AS metricsJson, seconds FROM rounds WHERE run_id = ? ORDER BY round_index')
    .all(runId) as RoundRow[]
}

const gameColumns = 'g.id, g.kind, g.players_json AS playersJson, g.transcript_json AS transcriptJson, g.rewards_json AS rewardsJson, g.advantages_json AS advantagesJson, g.spy_edit_json AS spyEditJson'

export function gamesOfRound(db: Db, roundId: number): (GameRow & { id: number })[] {
  return db.prepare(`SELECT ${gameColumns} FROM games g WHERE g.round_id = ? ORDER BY g.id`).all(roundId) as (GameRow & { id: number })[]
}

/** One stored game by id. */
export function gameById(db: Db, gameId: number): (GameRow & { id: number }) | null {
  return (db.prepare(`SELECT ${gameColumns} FROM games g WHERE g.id = ?`).get(gameId) as (GameRow & { id: number }) | undefined) ?? null
}

/** A run's round by its index (null when that round was not committed). */
export function roundOfRun(db: Db, runId: number, roundIndex: number): RoundRow | null {
  return (
    (db
      .prepare('SELECT id, round_index AS roundIndex, stage, metrics_json AS metricsJson, seconds FROM rounds WHERE run_id = ? AND round_index = ?')
      .get(runId, roundIndex) as RoundRow | undefined) ?? null
  )
}

/**
 * Size and pixel spacing of the image a model image was rendered from, as the model image shows
 * it: rows and columns swapped when the film was stored on its side (null spacing when unknown).
 */
export function sourceGeometryOfModelImage(db: Db, modelPath: string): { rows: number | null; columns: number | null; spacingRowMm: number | null; spacingColMm: number | null } | null {
  const row = db
    .prepare(
      `SELECT rows, columns, spacing_row_mm AS spacingRowMm, spacing_col_mm AS spacingColMm,
              coalesce(json_extract(tags_json, '$.modelImageReoriented.transpose'), 0) AS transposed
       FROM images WHERE model_path = ? ORDER BY id LIMIT 1`
    )
    .get(modelPath) as { rows: number | null; columns: number | null; spacingRowMm: number | null; spacingColMm: number | null; transposed: number } | undefined
  if (!row) return null
  const { transposed, ...g } = row
  return transposed ? { rows: g.columns, columns: g.rows, spacingRowMm: g.spacingColMm, spacingColMm: g.spacingRowMm } : g
}

/** The newest checkpoint of a finished run with this name and model config (a warm-up that ran to its end). */
export function latestFinishedCheckpoint(db: Db, runName: string, modelConfig: string): CheckpointRow | null {
  return (
    (db
      .prepare(
        `SELECT c.id, c.run_id AS runId, c.round_index AS roundIndex, c.path, c.sha256, c.metrics_json AS metricsJson
           FROM checkpoints c JOIN runs r ON r.id = c.run_id
          WHERE r.name = ? AND r.status = 'done' AND json_extract(r.config_json, '$.config') = ? ORDER BY c.id DESC LIMIT 1`
      )
      .get(runName, modelConfig) as CheckpointRow | undefined) ?? null
  )
}

/** Every study with an imported presentation image: the image the model describes. */
/** Studies with a model image that the checkpoint (the query's one parameter) has not described yet. */
const STUDIES_NOT_DESCRIBED = `FROM studies s
         JOIN images i ON i.id = ${STUDY_MODEL_IMAGE_ID}
        WHERE NOT EXISTS (SELECT 1 FROM findings f WHERE f.study_id = s.id AND f.checkpoint_id = ?)`

/** The studies with a model image that this checkpoint has not described yet, oldest first. */
export function studiesNotDescribedBy(db: Db, checkpointId: number): { studyId: number; pseudonym: string; imageId: number; modelPath: string }[] {
  return db
    .prepare(`SELECT s.id AS studyId, s.pseudonym, i.id AS imageId, i.model_path AS modelPath ${STUDIES_NOT_DESCRIBED} ORDER BY s.id`)
    .all(checkpointId) as { studyId: number; pseudonym: string; imageId: number; modelPath: string }[]
}

/** How many studies studiesNotDescribedBy lists, without reading them. */
export function countStudiesNotDescribedBy(db: Db, checkpointId: number): number {
  return (db.prepare(`SELECT count(*) AS n ${STUDIES_NOT_DESCRIBED}`).get(checkpointId) as { n: number }).n
}

/** Findings for several studies, in one transaction: after a crash there are all or none of them. */
export function insertFindings(db: Db, findings: readonly NewFinding[]): void {
  db.transaction(() => {
    for (const f of findings) insertFinding(db, f)
  })()
}

export interface RunListRow {
  id: number
  name: string
  status: string
  createdAt: string
  configJson: string
  rounds: number
  error: string | null
}

/** Every run, newest first, with its number of stored rounds. */
export function runsWithRoundCounts(db: Db): RunListRow[] {
  return db
    .prepare(
      `SELECT r.id, r.name, r.status, r.created_at AS createdAt, r.config_json AS configJson, r.error, count(ro.id) AS rounds
       FROM runs r LEFT JOIN rounds ro ON ro.run_id = r.id GROUP BY r.id ORDER BY r.id DESC`
    )
    .all() as RunListRow[]
}

/** Every game's kind, seating and rewards in a run, with its round index (for rewards per role). */
export function gameRewardsOfRun(db: Db, runId: number): { roundIndex: number; kind: 'spy' | 'qa'; playersJson: string; rewardsJson: string }[] {
  return db
    .prepare(
      `SELECT ro.round_index AS roundIndex, g.kind, g.players_json AS playersJson, g.rewards_json AS rewardsJson
         FROM games g JOIN rounds ro ON ro.id = g.round_id WHERE ro.run_id = ? ORDER BY g.id`
    )
    .all(runId) as { roundIndex: number; kind: 'spy' | 'qa'; playersJson: string; rewardsJson: string }[]
}

import type { TaskKind, TaskProgress, TaskStatus, TaskSummary } from '../../shared/contract'
import type { Db } from './database'

interface TaskRow {
  id: number
  kind: string
  params_json: string
  status: TaskStatus
  progress_json: string | null
  result_json: string | null
  error: string | null
  created_at: string
  finished_at: string | null
}

function toSummary(r: TaskRow): TaskSummary {
  return {
    id: r.id,
    kind: r.kind as TaskKind,
    status: r.status,
    progress: r.progress_json ? (JSON.parse(r.progress_json) as TaskProgress) : null,
    result: r.result_json ? (JSON.parse(r.result_json) as unknown) : null,
    error: r.error,
    createdAt: r.created_at,
    finishedAt: r.finished_at
  }
}

export function insertTask(db: Db, kind: TaskKind, params: unknown): number {
  const info = db
    .prepare("INSERT INTO tasks (kind, params_json, status, created_at) VALUES (?, ?, 'running', ?)")
    .run(kind, JSON.stringify(params), new Date().toISOString())
  return Number(info.lastInsertRowid)
}

export function updateTaskProgress(db: Db, id: number, progress: TaskProgress): void {
  db.prepare('UPDATE tasks SET progress_json = ? WHERE id = ?').run(JSON.stringify(progress), id)
}

export function finishTask(
  db: Db,
  id: number,
  status: Exclude<TaskStatus, 'running'>,
  outcome: { result?: unknown; error?: string }
): void {
  db.prepare('UPDATE tasks SET status = ?, result_json = ?, error = ?, finished_at = ? WHERE id = ?').run(
    status,
    outcome.result === undefined ? null : JSON.stringify(outcome.result),
    outcome.error ?? null,
    new Date().toISOString(),
    id
  )
}

export function getTask(db: Db, id: number): TaskSummary | null {
  const row = db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined
  return row ? toSummary(row) : null
}

export function listTasks(db: Db, limit = 50): TaskSummary[] {
  return (db.prepare('SELECT * FROM tasks ORDER BY id DESC LIMIT ?').all(limit) as TaskRow[]).map(toSummary)
}

/** Tasks still marked running when the app starts were cut off by a crash or a kill. */
export function markRunningTasksInterrupted(db: Db): number {
  return db
    .prepare("UPDATE tasks SET status = 'interrupted', finished_at = ? WHERE status = 'running'")
    .run(new Date().toISOString()).changes
}

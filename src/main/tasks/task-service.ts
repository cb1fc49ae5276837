import type { TaskKind, TaskSummary } from '../../shared/contract'
import type { EventBus } from '../app/event-bus'
import type { Db } from '../store/database'
import { finishTask, getTask, insertTask, updateTaskProgress } from '../store/task-repository'
import type { SpawnTaskProcess, TaskProcess } from './protocol'

/** How long a cancelled child may take to stop by itself before it is killed. */
const CANCEL_GRACE_MS = 2000

interface Running {
  process: TaskProcess
  finished: Promise<TaskSummary>
  cancelTimer?: NodeJS.Timeout
}

/**
 * Starts long tasks in child processes, records their progress and outcome in SQLite, and
 * streams `task.progress` / `task.finished` events. The parent never does the work itself.
 */
export class TaskService {
  private readonly running = new Map<number, Running>()
  /** Set when the app quits: a killed child's last messages and its exit then change nothing (the database is closing). */
  private stopped = false

  constructor(
    private readonly db: Db,
    private readonly events: EventBus,
    private readonly spawn: SpawnTaskProcess,
    private readonly dataDir: string
  ) {}

  start(kind: TaskKind, params: unknown): number {
    const id = insertTask(this.db, kind, params)
    const child = this.spawn()
    let settled = false
    const finished = new Promise<TaskSummary>((resolve) => {
      const settle = (status: 'done' | 'cancelled' | 'failed', outcome: { result?: unknown; error?: string }) => {
        if (settled) return
        settled = true
        const entry = this.running.get(id)
        if (entry?.cancelTimer) clearTimeout(entry.cancelTimer)
        this.running.delete(id)
        let summary: TaskSummary
        try {
          finishTask(this.db, id, status, outcome)
          summary = getTask(this.db, id)!
        } catch (err) {
          // The database cannot take the outcome (a full or read-only disk): report it anyway;
          // the row stays 'running' and is marked interrupted at the next start.
          const unrecorded = `the outcome could not be stored: ${err instanceof Error ? err.message : String(err)}`
          summary = { ...getTask(this.db, id)!, status, result: outcome.result ?? null, error: outcome.error ? `${outcome.error} (${unrecorded})` : unrecorded }
        }
        this.events.emit('task.finished', summary)
        resolve(summary)
      }
      child.onMessage((m) => {
        if (this.stopped) return
        if (m.type === 'progress') {
          // Progress that cannot be stored (a full disk) is still shown; the task decides whether it can go on.
          try {
            updateTaskProgress(this.db, id, m.progress)
          } catch {}
          this.events.emit('task.progress', { taskId: id, kind, progress: m.progress })
        } else if (m.type === 'done') settle('done', { result: m.result })
        else if (m.type === 'cancelled') settle('cancelled', {})
        else settle('failed', { error: m.error })
      })
      child.onExit((code) => {
        if (this.stopped) return
        const cancelled = this.running.get(id)?.cancelTimer !== undefined
        if (cancelled) settle('cancelled', {})
        else settle('failed', { error: `The task process stopped unexpectedly (exit code ${code ?? 'signal'})` })
      })
    })
    this.running.set(id, { process: child, finished })
    child.send({ type: 'start', kind, params, dataDir: this.dataDir })
    return id
  }

  /** Asks the child to stop; kills it when it does not within the grace period. */
  cancel(id: number): boolean {
    const entry = this.running.get(id)
    if (!entry || entry.cancelTimer) return false
    entry.process.send({ type: 'cancel' })
    entry.cancelTimer = setTimeout(() => entry.process.kill(), CANCEL_GRACE_MS)
    return true
  }

  /** Resolves when the task has finished, with its final record. */
  whenFinished(id: number): Promise<TaskSummary | null> {
    return this.running.get(id)?.finished ?? Promise.resolve(getTask(this.db, id))
  }

  /** Kills every child; used when the app quits. */
  stopAll(): void {
    this.stopped = true
    for (const [id, entry] of this.running) {
      entry.process.kill()
      this.running.delete(id)
      finishTask(this.db, id, 'interrupted', { error: 'The app was closed while the task ran' })
    }
  }
}

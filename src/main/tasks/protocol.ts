import type { TaskKind, TaskProgress } from '../../shared/contract'

/** Messages between the parent and a task's child process (fork or Electron utilityProcess). */
export type ToChild = { type: 'start'; kind: TaskKind; params: unknown; dataDir: string } | { type: 'cancel' }

export type FromChild =
  | { type: 'progress'; progress: TaskProgress }
  | { type: 'done'; result: unknown }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string }

/** One running child process, whatever spawned it. */
export interface TaskProcess {
  send(message: ToChild): void
  onMessage(listener: (message: FromChild) => void): void
  /** Called once when the process is gone, with its exit code (null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export type SpawnTaskProcess = () => TaskProcess

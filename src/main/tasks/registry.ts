import type { TaskKind, TaskProgress } from '../../shared/contract'
import { importFoldersTask } from '../importer/import-task'
import { modelWarmupTask } from '../model/warmup-task'
import { engineSelfTest } from '../tensor/self-test-task'
import { writeNewFindingsTask } from '../training/findings-task'
import { selfPlayRunTask } from '../training/selfplay-task'
import { experimentTask } from '../evaluation/experiment-task'
import { countPrimes } from './demo-count-primes'
import { holdingTrainingLock } from './training-lock'

/** What a task body gets from the child process it runs in. */
export interface TaskContext {
  dataDir: string
  signal: AbortSignal
  progress(progress: TaskProgress): void
  /** Lets the child read its message queue (cancel) between chunks of CPU-bound work. */
  yieldToEvents(): Promise<void>
}

type TaskBody = (params: never, ctx: TaskContext) => Promise<unknown>

/** Every kind of long task, by name. Bodies run only in the child process. */
export const taskBodies: Record<TaskKind, TaskBody> = {
  'demo.countPrimes': countPrimes,
  'import.folders': importFoldersTask,
  'engine.selfTest': engineSelfTest,
  // The tasks that train write runs and checkpoints: one of them per data folder at a time.
  'model.warmup': holdingTrainingLock('model.warmup', modelWarmupTask),
  'selfplay.run': holdingTrainingLock('selfplay.run', selfPlayRunTask),
  'evaluation.experiment': holdingTrainingLock('evaluation.experiment', experimentTask),
  // It writes the findings a run writes at its end, with the model of a finished run: not beside a training.
  'findings.write': holdingTrainingLock('findings.write', writeNewFindingsTask)
}

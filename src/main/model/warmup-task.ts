import { databasePath, openDatabase } from '../store/database'
import { phaseProgress } from '../tasks/progress'
import type { TaskContext } from '../tasks/registry'
import { runWarmup, type WarmupOptions, type WarmupResult } from './warmup'

/**
 * Task body 'model.warmup': the warm-up trainer in the task child process (session.run blocks its
 * thread), reporting steps with loss, rate and ETA, then the held-out evaluation; stops on cancel.
 */
export async function modelWarmupTask(params: Partial<WarmupOptions>, ctx: TaskContext): Promise<WarmupResult> {
  const db = openDatabase(databasePath(ctx.dataDir))
  const training = phaseProgress(ctx, 'steps')
  const vision = phaseProgress(ctx, 'vision steps')
  const evaluation = phaseProgress(ctx, 'held-out studies')
  try {
    return await runWarmup(db, ctx.dataDir, params, {
      signal: ctx.signal,
      onStep: ({ step, steps, loss }) => training(step, steps, `loss ${loss.toFixed(3)}`),
      onPhase: (phase, done, total) => (phase === 'vision' ? vision(done, total, "vision phase: the encoder on the reports' presence") : evaluation(done, total, 'evaluating'))
    })
  } finally {
    db.close()
  }
}

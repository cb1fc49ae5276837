import { databasePath, openDatabase } from '../store/database'
import { ProgressMeter } from '../tasks/progress'
import type { TaskContext } from '../tasks/registry'
import { runWarmup, type WarmupOptions, type WarmupResult } from './warmup'

/**
 * Task body 'model.warmup': the warm-up trainer in the task child process (session.run blocks its
 * thread), reporting steps with loss, rate and ETA, then the held-out evaluation; stops on cancel.
 */
export async function modelWarmupTask(params: Partial<WarmupOptions>, ctx: TaskContext): Promise<WarmupResult> {
  const db = openDatabase(databasePath(ctx.dataDir))
  let meter: ProgressMeter | null = null
  let evalMeter: ProgressMeter | null = null
  try {
    return await runWarmup(db, ctx.dataDir, params, {
      signal: ctx.signal,
      async onStep({ step, steps, loss }) {
        meter ??= new ProgressMeter(steps, 'steps')
        ctx.progress(meter.update(step, `loss ${loss.toFixed(3)}`))
        await ctx.yieldToEvents()
      },
      async onPhase(_phase, done, total) {
        evalMeter ??= new ProgressMeter(total, 'held-out studies')
        ctx.progress(evalMeter.update(done, 'evaluating'))
        await ctx.yieldToEvents()
      }
    })
  } finally {
    db.close()
  }
}

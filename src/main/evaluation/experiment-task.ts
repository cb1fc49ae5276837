import { databasePath, openDatabase } from '../store/database'
import { ProgressMeter } from '../tasks/progress'
import type { TaskContext } from '../tasks/registry'
import { runExperiment, seedFraction, type ExperimentOptions, type ExperimentResult } from './experiment'

/**
 * Task body 'evaluation.experiment': the three arms for every seed in the task child process.
 * Progress counts seeds (each arm its expected share of a seed), so the rate and ETA cover the whole
 * experiment; the message says which seed, arm and step is running. Stops on cancel.
 */
export async function experimentTask(params: ExperimentOptions, ctx: TaskContext): Promise<ExperimentResult> {
  const db = openDatabase(databasePath(ctx.dataDir))
  const meter = new ProgressMeter(params.seeds.length, 'seeds')
  let lastReport = 0
  try {
    return await runExperiment(db, ctx.dataDir, params, {
      signal: ctx.signal,
      onTick: () => ctx.yieldToEvents(),
      async onProgress({ seedIndex, phase, fraction, message }) {
        // Warm-up steps come fast on small models: a few reports a second are enough.
        const now = performance.now()
        if (now - lastReport < 250 && fraction < 1) return
        lastReport = now
        ctx.progress(meter.update(seedIndex + seedFraction(phase, fraction), message))
        await ctx.yieldToEvents()
      }
    })
  } finally {
    db.close()
  }
}

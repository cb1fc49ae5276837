import { ProgressMeter } from '../tasks/progress'
import type { TaskContext } from '../tasks/registry'
import { runSelfTest, type SelfTestOptions, type SelfTestResult } from './self-test'

/**
 * Task body 'engine.selfTest': trains the self-test language model in the task child process
 * (session.run blocks its thread), reporting steps with rate and ETA and stopping on cancel.
 */
export async function engineSelfTest(params: Partial<SelfTestOptions>, ctx: TaskContext): Promise<SelfTestResult> {
  const steps = params.steps ?? 250
  const meter = new ProgressMeter(steps, 'steps')
  return runSelfTest({ ...params, steps }, async (step, loss) => {
    if (ctx.signal.aborted) throw ctx.signal.reason
    if (step % 10 === 0 || step === steps) {
      ctx.progress(meter.update(step, `loss ${loss.toFixed(4)}`))
      await ctx.yieldToEvents()
    }
  })
}

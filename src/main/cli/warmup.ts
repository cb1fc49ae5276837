import { ExecutionProvider, Settings } from '../../shared/contract'
import { printResultLine } from '../app/result-line'
import type { Services } from '../app/services'
import { namedConfigs } from '../model/config'
import { defaultWarmupOptions, type WarmupOptions, type WarmupResult } from '../model/warmup'
import { readSettings } from '../store/settings-repository'
import type { CliCommand } from './command'
import { runTaskWithProgress } from './run-task'

/** An integer flag ≥ min, or the fallback when absent; the error names the flag. */
export function intFlag(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${String(value)}`)
  return n
}

/** A flag that may be given several times (parseArgs' `multiple`), as a list: empty when absent. */
export function repeatedFlag(value: unknown): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String)
}

/** `--ep auto|webgpu|dml|coreml|cpu`: where the train steps run; undefined when absent. */
export function executionProviderFlag(value: unknown): 'auto' | ExecutionProvider | undefined {
  if (value === undefined) return undefined
  const parsed = Settings.shape.executionProvider.safeParse(value)
  if (!parsed.success) throw new Error(`--ep must be one of auto, ${ExecutionProvider.options.join(', ')}, got ${String(value)}`)
  return parsed.data
}

/** The provider a training command uses: its `--ep`, else the one the app's settings prefer. */
export function trainingProvider(value: unknown, services: Services): 'auto' | ExecutionProvider {
  return executionProviderFlag(value) ?? readSettings(services.db).executionProvider
}

export const executionProviderUsage = '  --ep PROVIDER           where the train steps run: auto (a GPU when one works), webgpu, dml, coreml or cpu (default: the app\'s setting); generation stays on the CPU'

export const warmupCommand: CliCommand = {
  name: 'warmup',
  summary: 'Warm up the VLM on imported image–report pairs (stage 0); resumes an interrupted run',
  usage: 'vzw warmup --steps N [--config default|conv|tiny] [--vision-steps N [--vision-places]] [--seed S] [--batch B] [--lr X] [--threads T] [--ep PROVIDER] [--checkpoint-every N] [--max-minutes M]\n\n' + executionProviderUsage,
  options: {
    steps: { type: 'string' },
    'vision-steps': { type: 'string' },
    'vision-places': { type: 'boolean' },
    config: { type: 'string' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    threads: { type: 'string' },
    ep: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'max-minutes': { type: 'string' }
  },
  async run(ctx) {
    const v = ctx.values
    const config = (v.config as string | undefined) ?? 'default'
    if (!namedConfigs[config]) throw new Error(`--config must be one of ${Object.keys(namedConfigs).join(', ')}, got ${config}`)
    const steps = intFlag(v.steps, 'steps', defaultWarmupOptions.steps, 1)
    const visionSteps = intFlag(v['vision-steps'], 'vision-steps', 0, 0)
    const visionPlaces = v['vision-places'] === true
    if (visionPlaces && visionSteps === 0) throw new Error('--vision-places fits the vision phase to where reports place nodules: it needs --vision-steps N')
    const lr = v.lr === undefined ? defaultWarmupOptions.lr : Number(v.lr)
    if (!(lr > 0)) throw new Error(`--lr must be a positive number, got ${String(v.lr)}`)
    const maxMinutes = v['max-minutes'] === undefined ? 0 : Number(v['max-minutes'])
    if (!(maxMinutes >= 0)) throw new Error(`--max-minutes must be a number ≥ 0, got ${String(v['max-minutes'])}`)
    const options: WarmupOptions = {
      ...defaultWarmupOptions,
      maxMinutes,
      steps,
      config,
      lr,
      seed: intFlag(v.seed, 'seed', defaultWarmupOptions.seed, 0),
      batch: intFlag(v.batch, 'batch', defaultWarmupOptions.batch, 1),
      threads: intFlag(v.threads, 'threads', 0, 0),
      executionProvider: trainingProvider(v.ep, ctx.services()),
      checkpointEvery: intFlag(v['checkpoint-every'], 'checkpoint-every', Math.max(1, Math.min(defaultWarmupOptions.checkpointEvery, Math.ceil(steps / 5))), 1),
      // Absent rather than 0, so runs started before the option existed still resume.
      ...(visionSteps > 0 ? { visionSteps } : {}),
      ...(visionPlaces ? { visionPlaces } : {})
    }
    const summary = await runTaskWithProgress(ctx.services(), 'model.warmup', options, 'warm-up', ' (run it again with the same options to resume from the last checkpoint)')
    if (!summary) return 1
    const r = summary.result as WarmupResult
    // Only a self-play run pauses its warm-up; this one always ends scored.
    const p = r.presence!
    console.log(
      [
        `run ${r.runId}${r.resumedFromStep !== null ? ` (resumed from step ${r.resumedFromStep})` : ''}: ${r.steps}/${steps} steps${r.steps < steps ? ' (time limit; the same command continues it)' : ''} on ${r.trainStudies} studies, ${(r.parameters / 1e6).toFixed(2)}M parameters, ${r.provider}`,
        ...(r.visionAccuracy !== null ? [`vision phase: ${visionSteps} steps, presence accuracy ${(r.visionAccuracy * 100).toFixed(1)}% on its last training batches`] : []),
        `loss ${r.firstLoss?.toFixed(3) ?? '-'} → ${r.finalLoss.toFixed(3)}; checkpoint ${r.checkpoint}`,
        `held-out nodule presence accuracy ${(p.accuracy * 100).toFixed(1)}% on ${p.studies} studies (majority class '${p.majorityClass}': ${(p.majorityRate * 100).toFixed(1)}%)`,
        `confusion (truth → predicted): ${JSON.stringify(p.confusion)}`
      ].join('\n')
    )
    printResultLine('warmup', { presence_acc: +p.accuracy.toFixed(4), majority: +p.majorityRate.toFixed(4), minutes: +r.minutes.toFixed(2), steps: r.steps, vision_steps: visionSteps, held_out: p.studies, final_loss: +r.finalLoss.toFixed(4) })
    return 0
  }
}

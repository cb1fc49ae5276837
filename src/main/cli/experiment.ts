import path from 'node:path'
import type { ParseArgsOptionsConfig } from 'node:util'
import { rate } from '../../shared/evaluation'
import type { Services } from '../app/services'
import { printResultLine } from '../app/result-line'
import { experimentPresets, type ExperimentOptions, type ExperimentResult } from '../evaluation/experiment'
import { withSettings } from '../selfplay/config'
import type { CliCommand, CommandContext } from './command'
import { runTaskWithBar } from './run-task'
import { executionProviderFlag, executionProviderUsage, intFlag, repeatedFlag, trainingProvider } from './warmup'

/** Flags shared by `vzw experiment` and `vzw demo`: the preset and what may be changed in it. */
export const experimentFlags: ParseArgsOptionsConfig = {
  seeds: { type: 'string' },
  preset: { type: 'string' },
  'warmup-steps': { type: 'string' },
  rounds: { type: 'string' },
  'spy-games': { type: 'string' },
  'qa-games': { type: 'string' },
  'format-steps': { type: 'string' },
  'evaluate-every': { type: 'string' },
  'evaluation-studies': { type: 'string' },
  withheld: { type: 'string' },
  threads: { type: 'string' },
  ep: { type: 'string' },
  truth: { type: 'string' },
  out: { type: 'string' },
  set: { type: 'string', multiple: true }
}

export const experimentFlagsUsage = [
  '  --seeds N               seeds 1…N (default 3)',
  `  --preset NAME           ${Object.keys(experimentPresets).join(' | ')} (default demo: the default model, sized for the CPU demo)`,
  '  --warmup-steps N        warm-up steps of arm (a) (and of (c) before its extra steps)',
  '  --rounds N              self-play rounds of arm (b)',
  '  --spy-games N, --qa-games N, --format-steps N   self-play games per round, game-format steps',
  '  --evaluate-every N, --evaluation-studies N      periodic evaluation during self-play',
  '  --withheld F            fraction of training reports arms (a) and (b) do not see (0–1)',
  '  --threads T             onnxruntime threads (0: its choice)',
  executionProviderUsage,
  '  --truth FILE            truth.json to score against (default: beside the imported folder, else the reports)',
  '  --out DIR               where experiment-<id>.md and .svg go (default DATA/experiments)',
  '  --set PATH=VALUE        a self-play setting of arm (b), repeatable (e.g. --set scheduler.accuracyToClue=0.5)'
].join('\n')

export function experimentOptionsFromFlags(v: CommandContext['values']): ExperimentOptions {
  const presetName = (v.preset as string | undefined) ?? 'demo'
  const preset = experimentPresets[presetName]
  if (!preset) throw new Error(`--preset must be one of ${Object.keys(experimentPresets).join(', ')}, got ${presetName}`)
  const seeds = intFlag(v.seeds, 'seeds', 3, 1)
  const withheld = v.withheld === undefined ? preset.withheldReportFraction : Number(v.withheld)
  if (!(withheld >= 0 && withheld < 1)) throw new Error(`--withheld must be a number in [0, 1), got ${String(v.withheld)}`)
  const sp = preset.selfplay
  return {
    ...preset,
    preset: presetName,
    seeds: Array.from({ length: seeds }, (_, i) => i + 1),
    withheldReportFraction: withheld,
    warmup: { ...preset.warmup, steps: intFlag(v['warmup-steps'], 'warmup-steps', preset.warmup.steps, 2) },
    selfplay: {
      ...sp,
      rounds: intFlag(v.rounds, 'rounds', sp.rounds, 1),
      spyGamesPerRound: intFlag(v['spy-games'], 'spy-games', sp.spyGamesPerRound, 0),
      qaGamesPerRound: intFlag(v['qa-games'], 'qa-games', sp.qaGamesPerRound, 0),
      format: { ...sp.format, steps: intFlag(v['format-steps'], 'format-steps', sp.format.steps, 0) },
      evaluation: { every: intFlag(v['evaluate-every'], 'evaluate-every', sp.evaluation.every, 0), studies: intFlag(v['evaluation-studies'], 'evaluation-studies', sp.evaluation.studies, 1) },
      selfplay: withSettings(sp.selfplay, repeatedFlag(v.set))
    },
    threads: intFlag(v.threads, 'threads', 0, 0),
    executionProvider: executionProviderFlag(v.ep),
    truthFile: v.truth === undefined ? undefined : path.resolve(String(v.truth)),
    outDir: v.out === undefined ? undefined : path.resolve(String(v.out))
  }
}

/** Mean finding accuracy of an arm for a RESULT line. */
export function armAccuracy(r: ExperimentResult, arm: 'warmup' | 'selfplay' | 'supervised'): number | null {
  const mean = r.summary.arms.find((a) => a.arm === arm)?.metrics.finding.mean ?? null
  return mean === null ? null : +mean.toFixed(4)
}

/** Finding accuracy of writing "no nodule" for every held-out image, for a RESULT line. */
export function noNoduleAccuracy(r: ExperimentResult): number | null {
  const floor = rate(r.noNodule.finding)
  return floor === null ? null : +floor.toFixed(4)
}

/** The largest seed spread of finding accuracy over the arms. */
export function largestSpread(r: ExperimentResult): number | null {
  const spreads = r.summary.arms.map((a) => a.metrics.finding.spread).filter((s): s is number => s !== null)
  return spreads.length ? +Math.max(...spreads).toFixed(4) : null
}

/**
 * Runs the experiment task with a progress bar (its train steps where `--ep` says, else where the
 * app's settings prefer) and prints its table; null when it did not finish.
 */
export async function runExperimentWithBar(services: Services, options: ExperimentOptions): Promise<ExperimentResult | null> {
  const executionProvider = trainingProvider(options.executionProvider, services)
  const summary = await runTaskWithBar(services, 'evaluation.experiment', { ...options, executionProvider }, 'experiment')
  if (!summary) return null
  const r = summary.result as ExperimentResult
  console.log(`\n${r.markdown}`)
  console.log(`Table: ${r.reportPath}\nPlot:  ${r.plotPath}`)
  return r
}

export const experimentCommand: CliCommand = {
  name: 'experiment',
  summary: 'The three arms of DESIGN §10 (warm-up, + self-play, supervised) over seeds, scored on the held-out split',
  usage: ['vzw experiment [--seeds N] [--preset demo|tiny] [options]', '', experimentFlagsUsage].join('\n'),
  options: experimentFlags,
  async run(ctx) {
    const options = experimentOptionsFromFlags(ctx.values)
    const services = ctx.services()
    try {
      const r = await runExperimentWithBar(services, options)
      if (!r) return 1
      printResultLine('experiment', {
        id: r.experimentId,
        seeds: options.seeds.length,
        truth: r.truthSource,
        held_out: r.heldOutImages,
        warmup_acc: armAccuracy(r, 'warmup'),
        selfplay_acc: armAccuracy(r, 'selfplay'),
        supervised_acc: armAccuracy(r, 'supervised'),
        spread: largestSpread(r),
        b_over_c: r.summary.selfPlayOverSupervised === null ? null : +r.summary.selfPlayOverSupervised.toFixed(4),
        no_nodule_acc: noNoduleAccuracy(r),
        minutes: +r.minutes.toFixed(2)
      })
      return 0
    } finally {
      services.close()
    }
  }
}

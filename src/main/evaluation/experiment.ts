import fs from 'node:fs'
import type { ExecutionProvider } from '../../shared/contract'
import path from 'node:path'
import { summarizeExperiment, type Arm, type ArmResult, type EvaluationMetrics, type ExperimentSummary, type TruthSource } from '../../shared/evaluation'
import { withCheckpointOnCpu } from '../model/checkpoint'
import { runWarmup, type WarmupOptions, type WarmupResult } from '../model/warmup'
import type { Db } from '../store/database'
import { createExperiment, experimentArms, finishExperiment, insertExperimentArm } from '../store/evaluation-repository'
import { runSelfPlay, selfPlayPresets, type SelfPlayHooks, type SelfPlayResult, type SelfPlayRunOptions } from '../training/selfplay-run'
import { experimentMarkdown, writeExperimentFiles } from './experiment-report'
import { evaluateModel, heldOutSet, noNoduleScore, type HeldOutSet } from './held-out'

/**
 * The headline experiment (DESIGN §10): per seed, three arms trained through the app's own
 * warm-up and self-play, each scored on the warm-up's held-out split against the same truth.
 *
 * Reading of the arms (see README.md): the training split's reported studies are R ∪ W, where W
 * (`withheldReportFraction`, by a hash of the Study UID) are treated as having no report by arms
 * (a) and (b).
 * - (a) warm-up: warm-up on R for `warmup.steps` steps.
 * - (b) self-play: (a)'s checkpoint, then a self-play run (game-format phase + rounds) on R.
 * - (c) supervised: warm-up on R ∪ W (every training image with its report) for `warmup.steps` + E
 *   steps, where E is the number of warm-up steps that take as long as (b)'s self-play training
 *   did, measured in this run: (b) and (c) have the same compute.
 */
export interface ExperimentOptions {
  /** The preset's name, stored with the experiment. */
  preset: string
  seeds: number[]
  /** A named model config ('default', 'tiny'). */
  config: string
  withheldReportFraction: number
  warmup: Omit<WarmupOptions, 'config' | 'seed' | 'threads' | 'executionProvider' | 'withheldReportFraction'>
  selfplay: Omit<SelfPlayRunOptions, 'config' | 'seed' | 'threads' | 'executionProvider' | 'warmup' | 'startCheckpoint'>
  threads: number
  /** Where the arms' train steps run (scoring generates on the CPU); absent: the CPU. */
  executionProvider?: 'auto' | ExecutionProvider
  /** A truth.json to score against; absent: one found beside an import root, else the reports. */
  truthFile?: string
  /** Folder for experiment-<id>.md and .svg; absent: DATA/experiments. */
  outDir?: string
}

/** An experiment size from a self-play preset: its model, games and warm-up, with these changes. */
function fromSelfPlayPreset(
  name: string,
  selfplay: Partial<ExperimentOptions['selfplay']> & { rounds: number },
  warmup: Partial<ExperimentOptions['warmup']>
): Pick<ExperimentOptions, 'config' | 'warmup' | 'selfplay'> {
  const { config, seed: _seed, warmup: presetWarmup, ...rest } = selfPlayPresets[name]
  return { config, warmup: { ...presetWarmup, ...warmup }, selfplay: { ...rest, ...selfplay } }
}

/**
 * Named experiment sizes, in one place. `demo` is what `npm run demo` runs on the CPU (sized so
 * three seeds fit the demo's 30 minutes on 2 cores); `conv` is the model that sees nodules (#6:
 * the conv encoder with its vision phase), about an hour a seed on 2 cores on a 600-study cohort,
 * (a) keeping three quarters of the training reports so its vision phase has enough films to learn
 * from; `tiny` is for tests.
 */
export const experimentPresets: Readonly<Record<string, Omit<ExperimentOptions, 'preset' | 'seeds' | 'threads' | 'truthFile' | 'outDir'>>> = {
  demo: {
    withheldReportFraction: 0.5,
    ...fromSelfPlayPreset(
      'default',
      { rounds: 2, spyGamesPerRound: 4, qaGamesPerRound: 4, format: { steps: 10, batch: 16, lr: 5e-4 }, evaluation: { every: 1, studies: 16 } },
      { steps: 60, checkpointEvery: 1000 }
    )
  },
  conv: {
    withheldReportFraction: 0.25,
    ...fromSelfPlayPreset('conv', { rounds: 20, evaluation: { every: 10, studies: 32 } }, {})
  },
  tiny: {
    withheldReportFraction: 0.5,
    ...fromSelfPlayPreset('tiny', { rounds: 2, format: { steps: 20, batch: 8, lr: 3e-3 }, evaluation: { every: 1, studies: 4 } }, { steps: 6 })
  }
}

export const experimentPhases = ['warm-up (a)', 'self-play (b)', 'supervised (c)'] as const

/**
 * Each arm's expected share of a seed's time, for progress: (c) trains as long as (a) and (b)
 * together (equal compute), so it is half a seed.
 */
const phaseShares = [0.25, 0.25, 0.5] as const

/** How much of a seed is done when `phase` is `fraction` done. */
export function seedFraction(phase: number, fraction: number): number {
  return phaseShares.slice(0, phase).reduce((a, b) => a + b, 0) + phaseShares[phase] * fraction
}

export interface ExperimentProgress {
  seedIndex: number
  seeds: number
  /** 0, 1, 2: the arm being trained or scored. */
  phase: number
  /** Fraction of this phase done (0–1). */
  fraction: number
  message: string
}

export interface ExperimentHooks {
  signal?: AbortSignal
  onProgress?(p: ExperimentProgress): Promise<void> | void
  /** Lets a task child read cancel messages. */
  onTick?(): Promise<void>
}

export interface ExperimentResult {
  experimentId: number
  truthSource: TruthSource
  truthFile: string | null
  heldOutImages: number
  /** The held-out set scored as if "no nodule" were written for every image. */
  noNodule: EvaluationMetrics
  results: ArmResult[]
  summary: ExperimentSummary
  markdown: string
  reportPath: string
  plotPath: string
  minutes: number
}

/** Seconds per warm-up step from the steps' times (the first step also compiles, so it is left out). */
class StepClock {
  private first: number | null = null
  private last: number | null = null
  private steps = 0
  tick(): void {
    const now = performance.now()
    this.first ??= now
    this.last = now
    this.steps++
  }
  secondsPerStep(): number {
    if (this.first === null || this.last === null || this.steps < 2) return NaN
    return (this.last - this.first) / 1000 / (this.steps - 1)
  }
}

export async function runExperiment(db: Db, dataDir: string, options: ExperimentOptions, hooks: ExperimentHooks = {}): Promise<ExperimentResult> {
  const o = options
  if (o.seeds.length === 0) throw new Error('An experiment needs at least one seed')
  if (!(o.withheldReportFraction >= 0 && o.withheldReportFraction < 1)) throw new Error(`withheldReportFraction must be within [0, 1), got ${o.withheldReportFraction}`)
  const started = performance.now()
  const set = heldOutSet(db, o.warmup.heldOutFraction, { truthFile: o.truthFile })
  if (set.images.length === 0) throw new Error('No held-out study has a model image and a truth to score against: import a cohort (with reports, or a synthetic one with its truth.json) first')
  const { outDir: _out, truthFile: _truth, threads: _threads, executionProvider: _provider, ...stored } = o
  const noNodule = noNoduleScore(set)
  const experimentId = createExperiment(db, { preset: o.preset, configJson: JSON.stringify(stored), seeds: o.seeds, truthSource: set.source, heldOut: set.images.length, noNodule })
  const progress = async (seedIndex: number, phase: number, fraction: number, message: string) => {
    if (hooks.signal?.aborted) throw hooks.signal.reason
    await hooks.onProgress?.({ seedIndex, seeds: o.seeds.length, phase, fraction, message })
  }
  try {
    for (const [seedIndex, seed] of o.seeds.entries()) await runSeed(db, dataDir, o, experimentId, set, seed, (phase, fraction, message) => progress(seedIndex, phase, fraction, `seed ${seed}: ${message}`), hooks)
    const results = experimentArms(db, experimentId)
    const summary = summarizeExperiment(results)
    const report = { preset: o.preset, seeds: o.seeds, truthSource: set.source, truthFile: set.truthFile, heldOutImages: set.images.length, noNodule, results, summary }
    const files = writeExperimentFiles(o.outDir ?? path.join(dataDir, 'experiments'), experimentId, report)
    finishExperiment(db, experimentId, { status: 'done', reportPath: files.reportPath, plotPath: files.plotPath })
    return {
      experimentId,
      truthSource: set.source,
      truthFile: set.truthFile,
      heldOutImages: set.images.length,
      noNodule,
      results,
      summary,
      markdown: experimentMarkdown(report),
      ...files,
      minutes: (performance.now() - started) / 60000
    }
  } catch (err) {
    const cancelled = hooks.signal?.aborted === true
    finishExperiment(db, experimentId, { status: cancelled ? 'stopped' : 'failed', error: cancelled ? undefined : err instanceof Error ? err.message : String(err) })
    throw err
  }
}

type PhaseProgress = (phase: number, fraction: number, message: string) => Promise<void>

/** The three arms of one seed, each stored with its evaluation as soon as it is scored. */
async function runSeed(db: Db, dataDir: string, o: ExperimentOptions, experimentId: number, set: HeldOutSet, seed: number, progress: PhaseProgress, hooks: ExperimentHooks): Promise<void> {
  const warmupOptions = (steps: number, withheld: number): Partial<WarmupOptions> => ({ ...o.warmup, steps, config: o.config, seed, threads: o.threads, executionProvider: o.executionProvider, withheldReportFraction: withheld })
  const warmup = async (phase: number, steps: number, withheld: number): Promise<{ result: WarmupResult; seconds: number; secondsPerStep: number }> => {
    const clock = new StepClock()
    // A vision phase (conv encoder) comes first: its steps count in the arm's fraction with the text steps.
    const visionSteps = o.warmup.visionSteps ?? 0
    const allSteps = visionSteps + steps
    const result = await runWarmup(db, dataDir, warmupOptions(steps, withheld), {
      signal: hooks.signal,
      onPhase: async (kind, done, total) => {
        if (kind === 'vision') await progress(phase, done / allSteps, `${experimentPhases[phase]} vision step ${done}/${total}`)
      },
      onStep: async ({ step, steps: total, loss }) => {
        clock.tick()
        await progress(phase, (visionSteps + step) / allSteps, `${experimentPhases[phase]} step ${step}/${total}, loss ${loss.toFixed(3)}`)
      }
    })
    // A resumed warm-up may have had fewer than two steps left to time here: its whole time then.
    const timed = clock.secondsPerStep()
    const secondsPerStep = Number.isFinite(timed) ? timed : (result.minutes * 60) / Math.max(1, result.steps)
    return { result, secondsPerStep, seconds: secondsPerStep * result.steps }
  }
  const score = async (phase: number, checkpoint: string): Promise<{ metrics: EvaluationMetrics; seconds: number }> => {
    const t = performance.now()
    const metrics = await evaluateCheckpoint(dataDir, path.join(dataDir, checkpoint), set, o.threads, (done, total) => progress(phase, 1, `${experimentPhases[phase]}: scoring ${done}/${total} held-out images`))
    return { metrics, seconds: (performance.now() - t) / 1000 }
  }
  const store = (arm: Arm, runId: number, checkpoint: string, computeSeconds: number, warmupSteps: number, selfPlayRounds: number, s: { metrics: EvaluationMetrics; seconds: number }) =>
    insertExperimentArm(db, experimentId, { seed, arm, runId, computeSeconds, warmupSteps, selfPlayRounds }, { runId, roundIndex: null, checkpointPath: checkpoint, truthSource: set.source, metrics: s.metrics, seconds: s.seconds })

  // (a) warm-up on the reported subset.
  const a = await warmup(0, o.warmup.steps, o.withheldReportFraction)
  store('warmup', a.result.runId, a.result.checkpoint, a.seconds, a.result.steps, 0, await score(0, a.result.checkpoint))

  // (b) self-play from (a)'s checkpoint, on the same subset.
  const b = await selfPlay(db, dataDir, o, seed, a.result.checkpoint, progress, hooks)
  store('selfplay', b.runId, b.checkpoint, a.seconds + b.trainingSeconds, a.result.steps, b.rounds, await score(1, b.checkpoint))

  // (c) warm-up on every reported training study, with (b)'s self-play seconds as extra steps.
  const extraSteps = Math.max(0, Math.round(b.trainingSeconds / a.secondsPerStep))
  const c = await warmup(2, o.warmup.steps + extraSteps, 0)
  store('supervised', c.result.runId, c.result.checkpoint, c.seconds, c.result.steps, 0, await score(2, c.result.checkpoint))
}

async function selfPlay(db: Db, dataDir: string, o: ExperimentOptions, seed: number, startCheckpoint: string, progress: PhaseProgress, hooks: ExperimentHooks): Promise<SelfPlayResult> {
  const { rounds, format } = o.selfplay
  // The phase's fraction: game-format steps count as one round's worth, then each round.
  const share = 1 / (rounds + (format.steps > 0 ? 1 : 0))
  const formatShare = format.steps > 0 ? share : 0
  const spHooks: SelfPlayHooks = {
    signal: hooks.signal,
    onTick: hooks.onTick,
    onFormatReports: (done, total) => progress(1, 0, `game-format phase: the warm-up's own reports ${done}/${total}`),
    onFormatStep: (step, steps, loss) => progress(1, (formatShare * step) / steps, `game-format step ${step}/${steps}, loss ${loss.toFixed(3)}`),
    onRound: ({ round, rounds: total, metrics }) =>
      progress(1, formatShare + share * round, `round ${round}/${total}, ${metrics.stage} stage, vote accuracy ${metrics.voteAccuracy === null ? '-' : `${(metrics.voteAccuracy * 100).toFixed(0)}%`}`),
    onEvaluation: (round, m) => progress(1, formatShare + share * round, `round ${round}: held-out sample finding accuracy ${m.finding.correct}/${m.finding.total}`),
    onFindings: (done, total) => progress(1, 1, `findings for every study ${done}/${total}`)
  }
  return runSelfPlay(db, dataDir, { ...o.selfplay, config: o.config, seed, threads: o.threads, executionProvider: o.executionProvider, startCheckpoint, warmup: { ...o.warmup, withheldReportFraction: o.withheldReportFraction } }, spHooks)
}

/** A checkpoint file's model scored on a held-out set. */
export async function evaluateCheckpoint(dataDir: string, file: string, set: HeldOutSet, threads: number, onProgress?: (done: number, total: number) => Promise<void> | void): Promise<EvaluationMetrics> {
  if (!fs.existsSync(file)) throw new Error(`Checkpoint ${file} does not exist`)
  return withCheckpointOnCpu(file, threads, (model) => evaluateModel(model, dataDir, set, onProgress))
}

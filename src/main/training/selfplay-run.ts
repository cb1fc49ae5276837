import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint'
import { namedConfigs, type VlmConfig } from '../model/config'
import { VlmModel } from '../model/vlm'
import { WARMUP_RUN, defaultWarmupOptions, runWarmup, type WarmupHooks, type WarmupOptions, type WarmupResult } from '../model/warmup'
import { defaultSelfPlayConfig, type SelfPlayConfig } from '../selfplay/config'
import { initialSchedulerState } from '../selfplay/scheduler'
import { vlmPlayerPolicy } from '../selfplay/vlm-policy'
import type { Db } from '../store/database'
import { commitRound, latestFinishedCheckpoint } from '../store/selfplay-repository'
import { createRun, markRunInterrupted, insertCheckpoint, latestCheckpointOfRun, runById, setRunStatus, unfinishedRun, type RunRow } from '../store/training-repository'
import { createTrainingRuntimes } from '../tensor/runtime'
import type { ExecutionProvider } from '../../shared/contract'
import { runFormatWarmup, type FormatWarmupOptions } from './format-warmup'
import { PolicyUpdater } from './policy-update'
import { playRound, type RoundMetrics, type SelfPlayState } from './selfplay-round'
import { loadPlayedFilms } from './selfplay-studies'
import { writeStudyFindings, type FindingsSummary } from './study-findings'
import type { EvaluationMetrics } from '../../shared/evaluation'
import { evaluateModel, heldOutSet } from '../evaluation/held-out'
import { insertEvaluation } from '../store/evaluation-repository'

/**
 * A self-play run (DESIGN §9–§10): the warm-up when no finished one exists, then self-play rounds
 * from the warm-up weights, the warm-up model frozen as the KL reference. After every round its
 * checkpoint (weights, Adam moments) is written atomically, then the round, its games and the
 * checkpoint row (which holds the scheduler state and role baselines) commit in one transaction.
 * A run killed at any point resumes from its last committed round: nothing is lost (an uncommitted
 * round is played again) and nothing is doubled (round indices are unique per run).
 */
export const SELFPLAY_RUN = 'selfplay'

export interface SelfPlayRunOptions {
  /** Rounds the run plays in all (a resumed run plays the rest). */
  rounds: number
  /** A named model config ('default', 'tiny'); also picks the warm-up's size. */
  config: string
  seed: number
  spyGamesPerRound: number
  qaGamesPerRound: number
  /** Sequences per policy step. */
  policyBatch: number
  lr: number
  threads: number
  /** Where the train steps run (the games generate on the CPU, see `createTrainingRuntimes`); absent: the CPU. */
  executionProvider?: 'auto' | ExecutionProvider
  /**
   * Round checkpoints kept: the newest two and every this-many-th round (a default-size checkpoint
   * with Adam moments is ~70 MB, one per round would fill a disk). The game-format one always stays.
   */
  keepCheckpointEvery: number
  /** The warm-up run when none finished yet. */
  warmup: Omit<WarmupOptions, 'config' | 'seed' | 'threads' | 'executionProvider'>
  /** The game-format phase before the first round (0 steps skips it). */
  format: Omit<FormatWarmupOptions, 'seed'>
  selfplay: SelfPlayConfig
  /**
   * Periodic evaluation: after every `every`-th round and the last one, the policy writes findings
   * for the first `studies` held-out studies, scored against their truth and stored (0: never).
   */
  evaluation: { every: number; studies: number }
  /**
   * The warm-up checkpoint to start from (relative to the data folder). Absent: the newest finished
   * warm-up of the model config, else a new warm-up.
   */
  startCheckpoint?: string
}

/** The games of the default-size decoder (96 text positions), whatever its encoder. */
const defaultGames = {
  seed: 1,
  spyGamesPerRound: 8,
  qaGamesPerRound: 8,
  policyBatch: 16,
  lr: 1e-5,
  keepCheckpointEvery: 10,
  evaluation: { every: 5, studies: 32 },
  format: { steps: 300, batch: 16, lr: 5e-4 },
  selfplay: { ...defaultSelfPlayConfig, spy: { ...defaultSelfPlayConfig.spy, maxClueTokens: 8 }, qa: { ...defaultSelfPlayConfig.qa, maxReportTokens: 64 } }
}

/**
 * Per model config: DESIGN §9's defaults where the model's text length allows them. The default
 * model reads 96 text positions, so clues are cut to 8 tokens (2 rounds × 4 players fit) and the
 * questioner reads 64 report tokens; the tiny test model (48 positions) plays one clue round.
 */
export const selfPlayPresets: Readonly<Record<string, Omit<SelfPlayRunOptions, 'rounds' | 'threads'>>> = {
  default: { config: 'default', ...defaultGames, warmup: { ...defaultWarmupOptions } },
  /**
   * The conv encoder, warmed up as #6 measured it — a vision phase, then the text — with the vision
   * phase also fitted to where the reports place nodules (two seeds: side + zone 2 → 7 and 6 → 11 of
   * 67 held-out nodule films, finding accuracy 57 → 61 and 51 → 56 of 125; training README). The conv model
   * writes from those heads' summary (`noduleSummary`, model README).
   */
  conv: { config: 'conv', ...defaultGames, warmup: { ...defaultWarmupOptions, steps: 700, visionSteps: 3500, visionPlaces: true } },
  tiny: {
    config: 'tiny',
    seed: 1,
    spyGamesPerRound: 2,
    qaGamesPerRound: 2,
    policyBatch: 8,
    lr: 1e-4,
    keepCheckpointEvery: 10,
    evaluation: { every: 2, studies: 4 },
    warmup: { ...defaultWarmupOptions, steps: 8, batch: 4, checkpointEvery: 100, heldOutFraction: 0.2 },
    format: { steps: 150, batch: 16, lr: 3e-3 },
    selfplay: {
      ...defaultSelfPlayConfig,
      spy: { ...defaultSelfPlayConfig.spy, clueRounds: 1, maxClueTokens: 4 },
      groupSize: 2,
      qa: { ...defaultSelfPlayConfig.qa, answersPerQuestion: 2, maxReportTokens: 12, maxQuestionTokens: 14, maxAnswerTokens: 4 }
    }
  }
}

/**
 * The longest prompt + continuation each game can build, against the model's text positions, so a
 * config that cannot be played fails before the first round rather than in the middle of one.
 */
export function gameLengthProblems(c: VlmConfig, s: SelfPlayConfig): string[] {
  const players = s.spy.civilians + s.spy.spies
  const turn = s.spy.maxClueTokens + 2
  const lengths: [string, number][] = [
    ['a clue', 5 + (players * s.spy.clueRounds - 1) * turn + 1 + s.spy.maxClueTokens],
    ['a vote', 5 + players * s.spy.clueRounds * turn + 1],
    ['a question', 3 + s.qa.maxReportTokens + 2 + s.qa.maxQuestionTokens],
    ['an answer', 4 + s.qa.maxQuestionTokens + 1 + s.qa.maxAnswerTokens]
  ]
  return lengths.filter(([, n]) => n > c.decoder.maxText).map(([what, n]) => `${what} may need ${n} text positions, the ${c.name} model has ${c.decoder.maxText}`)
}

/** How a run's options are stored in its row (threads and the provider are properties of the machine, not of the run). */
export function selfPlayRunConfigJson(options: SelfPlayRunOptions): string {
  return JSON.stringify({ ...options, threads: undefined, executionProvider: undefined })
}

/**
 * A new self-play run row (status 'running'): made by the run itself, or beforehand by the app so
 * the page can pause and stop the run its task plays while the warm-up still runs.
 */
export function createSelfPlayRun(db: Db, options: SelfPlayRunOptions, executionProvider = 'cpu'): number {
  return createRun(db, { name: SELFPLAY_RUN, configJson: selfPlayRunConfigJson(options), seed: options.seed, device: `${os.cpus().length} CPU cores`, executionProvider })
}

/** The run a task was asked to play on; its stored options must be the ones given. */
function namedRun(db: Db, runId: number, configJson: string): RunRow {
  const run = runById(db, runId)
  if (!run || run.name !== SELFPLAY_RUN) throw new Error(`No self-play run ${runId}`)
  if (run.status === 'done') throw new Error(`Self-play run ${runId} has already finished`)
  if (run.configJson !== configJson) throw new Error(`Self-play run ${runId} was started with other options`)
  return run
}

/** Asked from outside (the app sets the run's status): stop at the next round boundary, after its commit. */
function pauseRequested(db: Db, runId: number): boolean {
  return runById(db, runId)?.status === 'paused'
}

export interface SelfPlayProgress {
  round: number
  rounds: number
  metrics: RoundMetrics
}

export interface SelfPlayHooks {
  signal?: AbortSignal
  warmup?: WarmupHooks
  /** The game-format phase's start: the starting model writing its own report for each study. */
  onFormatReports?(done: number, total: number): Promise<void> | void
  onFormatStep?(step: number, steps: number, loss: number): Promise<void>
  /** Before the first round this process plays (after warm-up and format phase). */
  onRoundsStart?(committed: number, rounds: number): Promise<void> | void
  onRound?(p: SelfPlayProgress): Promise<void> | void
  /** Writing findings for every study with the final policy. */
  onFindings?(done: number, total: number): Promise<void>
  /** Between games and policy steps: lets a task child read cancel messages. */
  onTick?(): Promise<void>
  /** A periodic evaluation was stored (after round `round`, 1-based). */
  onEvaluation?(round: number, metrics: EvaluationMetrics): Promise<void> | void
}

export interface SelfPlayResult {
  runId: number
  /** The run stopped at a round boundary because it was paused; it resumes where it stopped. */
  paused: boolean
  resumedFromRound: number | null
  warmupRunId: number | null
  rounds: number
  checkpoint: string
  last: RoundMetrics | null
  /** Null when the run paused before its last round (findings come at the end). */
  findings: FindingsSummary | null
  minutes: number
  /** Seconds this process spent training: the game-format phase and the rounds (not evaluations or findings). */
  trainingSeconds: number
}

/** The run paused during its warm-up: nothing of self-play has started; playing it again resumes the warm-up. */
function pausedInWarmup(runId: number, warm: WarmupResult, rounds: number, started: number): SelfPlayResult {
  return { runId, paused: true, resumedFromRound: null, warmupRunId: warm.runId, rounds, checkpoint: warm.checkpoint, last: null, findings: null, minutes: (performance.now() - started) / 60000, trainingSeconds: 0 }
}

/** What a round's checkpoint row holds besides the file: the state the next round starts from. */
interface RoundCheckpointState {
  round: number
  reference: string
  state: SelfPlayState
}

/**
 * Plays the run `runId` when given (a run the app created or one to resume), else resumes the
 * newest unfinished run with the same options, else starts a new run.
 */
export async function runSelfPlay(db: Db, dataDir: string, options: SelfPlayRunOptions, hooks: SelfPlayHooks = {}, runId?: number): Promise<SelfPlayResult> {
  const o = options
  if (!namedConfigs[o.config]) throw new Error(`Unknown model config "${o.config}" (known: ${Object.keys(namedConfigs).join(', ')})`)
  const started = performance.now()
  const runOptions = selfPlayRunConfigJson(o)
  const previous = runId !== undefined ? namedRun(db, runId, runOptions) : unfinishedRun(db, SELFPLAY_RUN, runOptions)
  const resumeFrom = previous ? latestCheckpointOfRun(db, previous.id) : null
  let resumeState = resumeFrom?.metricsJson ? (JSON.parse(resumeFrom.metricsJson) as RoundCheckpointState) : null

  let warmupRunId: number | null = null
  let reference = resumeState?.reference ?? o.startCheckpoint ?? latestFinishedCheckpoint(db, WARMUP_RUN, o.config)?.path ?? null
  if (!reference) {
    // A pause asked for during the warm-up (on a run that exists already) stops it at the next step.
    const pauseWarmup = previous ? () => pauseRequested(db, previous.id) : undefined
    const warm = await runWarmup(db, dataDir, { ...o.warmup, config: o.config, seed: o.seed, threads: o.threads, executionProvider: o.executionProvider }, { ...hooks.warmup, signal: hooks.signal, pauseRequested: pauseWarmup })
    warmupRunId = warm.runId
    if (warm.paused) return pausedInWarmup(previous!.id, warm, o.rounds, started)
    reference = warm.checkpoint
  }
  const referenceCkpt = loadCheckpoint(path.join(dataDir, reference))
  const config = referenceCkpt.config
  const problems = gameLengthProblems(config, o.selfplay)
  if (problems.length) throw new Error(`The self-play config does not fit the model: ${problems.join('; ')}`)
  const films = loadPlayedFilms(db, dataDir, o.warmup, { unreported: o.selfplay.qa.majorityVoteWithoutReport })
  const evaluationSet = o.evaluation.every > 0 ? heldOutSet(db, o.warmup.heldOutFraction, { sample: o.evaluation.studies }) : null
  let trainingSeconds = 0

  const runtimes = await createTrainingRuntimes({ executionProvider: o.executionProvider ?? 'cpu', intraOpThreads: o.threads })
  const playedRunId = previous?.id ?? createSelfPlayRun(db, o, runtimes.train.provider)
  // The app sets the status of a run it names, so a pause asked for during the warm-up still holds
  // here and the run stops before its first round.
  if (previous && runId === undefined) setRunStatus(db, playedRunId, 'running')
  const resumedFromRound = resumeState ? resumeState.round + 1 : null
  const checkpointFile = (name: string) => {
    const relative = path.join('checkpoints', `run-${playedRunId}`, `${name}.safetensors`)
    fs.mkdirSync(path.join(dataDir, path.dirname(relative)), { recursive: true })
    return { relative, absolute: path.join(dataDir, relative) }
  }
  // Every progress report and tick is also where a cancel stops the run.
  const stopIfCancelled = () => {
    if (hooks.signal?.aborted) throw hooks.signal.reason
  }
  try {
    if (!resumeState && o.format.steps > 0) {
      const formatStarted = performance.now()
      // The game-format phase; its weights become both the policy's start and the KL reference.
      // Its checkpoint row (round −1) makes a resumed run start at round 0 from these weights.
      const tuned = await runFormatWarmup(runtimes, config, referenceCkpt.tokenizer, referenceCkpt.weights, films.reported, o.selfplay, { ...o.format, seed: o.seed }, {
        onOwnReports: async (done, total) => {
          stopIfCancelled()
          await hooks.onFormatReports?.(done, total)
        },
        onStep: async (step, loss) => {
          stopIfCancelled()
          await hooks.onFormatStep?.(step, o.format.steps, loss)
        }
      })
      const file = checkpointFile('game-format')
      const sha256 = saveCheckpoint(file.absolute, { config, tokenizer: referenceCkpt.tokenizer, weights: tuned.weights, optimizer: null })
      reference = file.relative
      referenceCkpt.weights = tuned.weights
      const saved: RoundCheckpointState = { round: -1, reference, state: { scheduler: initialSchedulerState, baselines: {} } }
      insertCheckpoint(db, { runId: playedRunId, roundIndex: -1, path: file.relative, sha256, metricsJson: JSON.stringify({ ...saved, format: { firstLoss: tuned.firstLoss, loss: tuned.loss } }) })
      resumeState = saved
      trainingSeconds += (performance.now() - formatStarted) / 1000
    }
    const start = resumeFrom ? loadCheckpoint(path.join(dataDir, resumeFrom.path)) : null
    const weights = start?.weights ?? referenceCkpt.weights
    const referenceModel = new VlmModel(config, referenceCkpt.tokenizer, runtimes.generate, referenceCkpt.weights)
    const policyModel = new VlmModel(config, referenceCkpt.tokenizer, runtimes.generate, weights)
    const updater = await PolicyUpdater.create(runtimes.train, policyModel, referenceModel, weights, { batch: o.policyBatch, lr: o.lr, loss: o.selfplay.policy }, start?.optimizer ?? undefined)
    const player = vlmPlayerPolicy(policyModel)
    let state: SelfPlayState = resumeState?.state ?? { scheduler: initialSchedulerState, baselines: {} }
    const firstRound = resumeState ? resumeState.round + 1 : 0
    let checkpoint = resumeFrom?.path ?? reference
    let checkpointId = resumeFrom?.id ?? null
    let last: RoundMetrics | null = null
    const tick = async () => {
      stopIfCancelled()
      await hooks.onTick?.()
    }
    await hooks.onRoundsStart?.(firstRound, o.rounds)
    let paused = false
    for (let round = firstRound; round < o.rounds; round++) {
      await tick()
      if ((paused = pauseRequested(db, playedRunId))) break
      const startedAt = new Date().toISOString()
      const roundStarted = performance.now()
      const outcome = await playRound(updater, player, films, state, o.selfplay, { roundIndex: round, seed: o.seed, spyGames: o.spyGamesPerRound, qaGames: o.qaGamesPerRound }, tick)
      const { relative, absolute } = checkpointFile(`round-${String(round).padStart(6, '0')}`)
      const sha256 = saveCheckpoint(absolute, { config, tokenizer: referenceCkpt.tokenizer, weights: await updater.readWeights(), optimizer: await updater.readOptimizerState() })
      const saved: RoundCheckpointState = { round, reference, state: outcome.state }
      const seconds = (performance.now() - roundStarted) / 1000
      trainingSeconds += seconds
      const committed = commitRound(db, {
        runId: playedRunId,
        roundIndex: round,
        stage: outcome.metrics.stage,
        metricsJson: JSON.stringify(outcome.metrics),
        startedAt,
        seconds,
        games: outcome.games,
        checkpoint: { path: relative, sha256, metricsJson: JSON.stringify(saved) },
        pruneRound: round >= 3 && (round - 2) % o.keepCheckpointEvery !== 0 ? round - 2 : undefined
      })
      // After the commit: a crash here leaves an unreferenced file, never a row without its file.
      if (committed.prunedPath) fs.rmSync(path.join(dataDir, committed.prunedPath), { force: true })
      checkpointId = committed.checkpointId
      state = outcome.state
      checkpoint = relative
      last = outcome.metrics
      await hooks.onRound?.({ round: round + 1, rounds: o.rounds, metrics: outcome.metrics })
      if (evaluationSet && evaluationSet.images.length > 0 && ((round + 1) % o.evaluation.every === 0 || round + 1 === o.rounds)) {
        const evaluationStarted = performance.now()
        const metrics = await evaluateModel(policyModel, dataDir, evaluationSet, tick)
        insertEvaluation(db, { runId: playedRunId, roundIndex: round, checkpointPath: relative, truthSource: evaluationSet.source, metrics, seconds: (performance.now() - evaluationStarted) / 1000 })
        await hooks.onEvaluation?.(round + 1, metrics)
      }
    }
    if (paused) return { runId: playedRunId, paused, resumedFromRound, warmupRunId, rounds: o.rounds, checkpoint, last, findings: null, minutes: (performance.now() - started) / 60000, trainingSeconds }
    if (checkpointId === null) throw new Error('A self-play run ended without a checkpoint')
    const findings = await writeStudyFindings(db, dataDir, policyModel, checkpointId, async (done, total) => {
      await tick()
      await hooks.onFindings?.(done, total)
    })
    setRunStatus(db, playedRunId, 'done')
    return { runId: playedRunId, paused, resumedFromRound, warmupRunId, rounds: o.rounds, checkpoint, last, findings, minutes: (performance.now() - started) / 60000, trainingSeconds }
  } catch (err) {
    markRunInterrupted(db, playedRunId, err, hooks.signal?.aborted === true)
    throw err
  } finally {
    await runtimes.release()
  }
}

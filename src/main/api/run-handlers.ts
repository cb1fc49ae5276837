import { ApiError, type RunSummary } from '../../shared/contract'
import type { Services } from '../app/services'
import { readSettings } from '../store/settings-repository'
import { gameById, gamesOfRound, roundOfRun, roundsOfRun, runsWithRoundCounts, type RunListRow } from '../store/selfplay-repository'
import { getTask } from '../store/task-repository'
import { changeRunStatus, runById, type RunStatus } from '../store/training-repository'
import { SELFPLAY_RUN, createSelfPlayRun, selfPlayPresets, type SelfPlayRunOptions } from '../training/selfplay-run'
import type { SelfPlayTaskParams } from '../training/selfplay-task'
import type { Handlers } from './dispatch'
import { gameView, meanRewardsByRound, spyGameImages } from './run-games'
import { roundPoint, runSettings } from './run-rounds'

type RunMethods = 'runs.list' | 'runs.rounds' | 'runs.start' | 'runs.pause' | 'runs.resume' | 'runs.stop' | 'runs.games' | 'runs.gameImages'

/** Statuses a self-play run can be played on from: everything but finished. */
const RESUMABLE: readonly RunStatus[] = ['created', 'running', 'paused', 'stopped', 'failed', 'interrupted']
/** Statuses of a run whose task is (or should be) playing it. */
const ACTIVE: readonly RunStatus[] = ['created', 'running', 'paused']

/**
 * The Training page's runs: listing and charting them, and starting, pausing, resuming and
 * stopping self-play. One self-play run trains at a time (it uses every core it is given). The
 * run row is made before its task starts, so the page can pause or stop it from the first second.
 * Pause: the run's status becomes 'paused' and its task stops after the round in flight commits.
 * Stop: the task is cancelled now; the round in flight is discarded (committed rounds stay), and
 * like a paused run a stopped one can be resumed.
 */
export function runHandlers(services: Services): Pick<Handlers, RunMethods> {
  const { db, tasks, config, events } = services
  /** Run id → the task playing it in this app. */
  const playing = new Map<number, number>()
  events.on('task.finished', (task) => {
    for (const [runId, taskId] of playing) {
      if (taskId !== task.id) continue
      playing.delete(runId)
      // A child that could not mark its run (killed after the cancel grace period, or failed
      // before its rounds began) leaves it 'running': the parent marks it.
      if (task.status !== 'done') changeRunStatus(db, runId, ACTIVE, task.status === 'cancelled' ? 'stopped' : 'failed', task.error)
    }
  })

  const taskOf = (runId: number): number | null => {
    const taskId = playing.get(runId)
    return taskId !== undefined && getTask(db, taskId)?.status === 'running' ? taskId : null
  }
  const selfPlayRun = (runId: number) => {
    const run = runById(db, runId)
    if (!run || run.name !== SELFPLAY_RUN) throw new ApiError('not_found', `No self-play run ${runId}`)
    return run
  }
  const refuseWhileTraining = () => {
    for (const runId of playing.keys()) if (taskOf(runId) !== null) throw new ApiError('conflict', `Run ${runId} is training: pause or stop it first`)
  }
  const play = (runId: number, options: SelfPlayRunOptions) => {
    const { intraOpThreads, executionProvider } = readSettings(db)
    const params: SelfPlayTaskParams = { ...options, threads: intraOpThreads, executionProvider, runId }
    const taskId = tasks.start('selfplay.run', params)
    playing.set(runId, taskId)
    return { taskId, runId }
  }
  const summary = ({ configJson, ...run }: RunListRow): RunSummary => {
    const options = parseOptions(configJson)
    return { ...run, plannedRounds: options?.rounds ?? null, modelConfig: options?.config ?? null, taskId: taskOf(run.id) }
  }

  return {
    'runs.list': () => runsWithRoundCounts(db).map(summary),
    'runs.rounds': ({ runId }) => {
      const run = runsWithRoundCounts(db).find((r) => r.id === runId)
      if (!run) throw new ApiError('not_found', `No run ${runId}`)
      const rewards = meanRewardsByRound(db, runId)
      return { ...runSettings(run), rounds: roundsOfRun(db, runId).map((r) => roundPoint(r, rewards.get(r.roundIndex))) }
    },
    'runs.start': ({ preset, rounds, ...overrides }) => {
      refuseWhileTraining()
      const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
      // Threads belong to the machine, not the run: `play` takes them from Settings.
      const options: SelfPlayRunOptions = { ...selfPlayPresets[preset], ...defined, rounds, threads: 0 }
      return play(createSelfPlayRun(db, options), options)
    },
    'runs.pause': ({ runId }) => {
      selfPlayRun(runId)
      if (taskOf(runId) === null || !changeRunStatus(db, runId, ['created', 'running'], 'paused')) throw new ApiError('conflict', `Run ${runId} is not training`)
      return { runId, status: 'paused' }
    },
    'runs.resume': ({ runId }) => {
      const run = selfPlayRun(runId)
      const taskId = taskOf(runId)
      if (taskId !== null) {
        // Resuming a run that is pausing takes the pause back.
        changeRunStatus(db, runId, ['paused'], 'running')
        return { taskId, runId }
      }
      if (!RESUMABLE.includes(run.status)) throw new ApiError('conflict', `Run ${runId} has finished`)
      refuseWhileTraining()
      const options = parseOptions(run.configJson)
      if (!options) throw new ApiError('failed', `Run ${runId} stores no options it could be resumed with`)
      changeRunStatus(db, runId, RESUMABLE, 'running')
      return play(runId, options)
    },
    'runs.stop': ({ runId }) => {
      selfPlayRun(runId)
      const taskId = taskOf(runId)
      if (taskId === null) return { runId, stopped: false }
      return { runId, stopped: tasks.cancel(taskId) }
    },
    'runs.games': ({ runId, roundIndex }) => {
      const round = roundOfRun(db, runId, roundIndex)
      if (!round) throw new ApiError('not_found', `Run ${runId} has no round ${roundIndex}`)
      return { roundIndex, stage: round.stage, games: gamesOfRound(db, round.id).map((g) => gameView(db, g)) }
    },
    'runs.gameImages': ({ gameId }) => {
      const game = gameById(db, gameId)
      if (!game || game.kind !== 'spy') throw new ApiError('not_found', `No spy game ${gameId}`)
      const images = spyGameImages(db, config.dataDir, game)
      if (!images) throw new ApiError('not_found', `Spy game ${gameId} was stored without its image recipe (played before schema 2)`)
      return images
    }
  }
}

/** A run's stored self-play options (null for runs that are not self-play, e.g. the warm-up). */
function parseOptions(configJson: string): SelfPlayRunOptions | null {
  try {
    const o = JSON.parse(configJson) as Partial<SelfPlayRunOptions>
    return typeof o.rounds === 'number' && typeof o.config === 'string' && o.selfplay ? (o as SelfPlayRunOptions) : null
  } catch {
    return null
  }
}

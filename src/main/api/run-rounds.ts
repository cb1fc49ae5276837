import type { RoundPoint, RunRounds } from '../../shared/contract'
import { changedSettings, defaultSelfPlayConfig, type SchedulerConfig } from '../selfplay/config'
import type { RoundRow, RunListRow } from '../store/selfplay-repository'
import type { RoundMetrics } from '../training/selfplay-round'

/** A stored round as the Training page charts it (the metrics JSON is the round runner's). */
export function roundPoint(row: RoundRow, meanRewards: Record<string, number> = {}): RoundPoint {
  const m = JSON.parse(row.metricsJson) as RoundMetrics
  return {
    roundIndex: row.roundIndex,
    stage: m.stage,
    accuracyEma: m.scheduler?.accuracy ?? null,
    naRateEma: m.scheduler?.naRate ?? null,
    voteAccuracy: m.voteAccuracy,
    voteNaRate: m.voteNaRate,
    answererAccuracy: m.answererAccuracy,
    loss: m.loss,
    kl: m.kl,
    tokensPerSecond: m.tokensPerSecond,
    switched: m.switched !== null,
    baselines: m.baselines,
    meanRewards
  }
}

/**
 * The switch thresholds the run was configured with (DESIGN's defaults for runs that stored none),
 * and every self-play setting it changed from those defaults.
 */
export function runSettings(run: RunListRow): Pick<RunRounds, 'thresholds' | 'changedSettings'> {
  let selfplay: { scheduler?: SchedulerConfig } | undefined
  try {
    selfplay = (JSON.parse(run.configJson) as { selfplay?: { scheduler?: SchedulerConfig } }).selfplay
  } catch {
    // A run written by another tool: keep the defaults.
  }
  const { accuracyToClue, naToClue, errorToDecision, naToDecision } = selfplay?.scheduler ?? defaultSelfPlayConfig.scheduler
  return { thresholds: { accuracyToClue, naToClue, errorToDecision, naToDecision }, changedSettings: selfplay ? changedSettings(selfplay) : [] }
}

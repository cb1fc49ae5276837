import type { SchedulerConfig } from './config'

/**
 * Iterative-SPO: alternates training the decision stage (votes, GRPO) and the clue stage (clues,
 * role advantages). It starts in the decision stage and follows EMAs of vote accuracy and n/a rate:
 * decision → clue when accuracy ≥ 0.9 and n/a ≤ 0.1; clue → decision when error ≥ 0.4 or
 * n/a ≥ 0.5; never before the stage has had its minimum number of updates.
 *
 * Error is the share of wrong votes, so accuracy + n/a + error = 1. With bias correction (the
 * default) an EMA is divided by 1 − ρ^t; the original zero-initialised EMA is kept as an option —
 * it needs ≥ 45 updates at ρ = 0.95 before it can read 0.9 at all.
 */
export type Stage = 'decision' | 'clue'

export interface SchedulerState {
  stage: Stage
  updatesInStage: number
  /** Raw (uncorrected) EMAs and how many observations they hold. */
  accuracyEma: number
  naEma: number
  observations: number
}

export interface VoteOutcome {
  accuracy: number
  naRate: number
}

export interface SchedulerStep {
  state: SchedulerState
  /** The EMAs as the switch rule reads them (bias-corrected unless configured otherwise). */
  accuracy: number
  naRate: number
  error: number
  switched: { from: Stage; to: Stage } | null
}

export const initialSchedulerState: SchedulerState = { stage: 'decision', updatesInStage: 0, accuracyEma: 0, naEma: 0, observations: 0 }

/** Records one update's vote outcome and decides the stage of the next update. */
export function advanceScheduler(state: SchedulerState, outcome: VoteOutcome, config: SchedulerConfig): SchedulerStep {
  const { rho } = config
  const observations = state.observations + 1
  const accuracyEma = rho * state.accuracyEma + (1 - rho) * outcome.accuracy
  const naEma = rho * state.naEma + (1 - rho) * outcome.naRate
  const correction = config.biasCorrected ? 1 - rho ** observations : 1
  const accuracy = accuracyEma / correction
  const naRate = naEma / correction
  const error = Math.max(0, 1 - accuracy - naRate)
  const updatesInStage = state.updatesInStage + 1
  let stage = state.stage
  if (updatesInStage >= config.minUpdatesPerStage) {
    if (stage === 'decision' && accuracy >= config.accuracyToClue && naRate <= config.naToClue) stage = 'clue'
    else if (stage === 'clue' && (error >= config.errorToDecision || naRate >= config.naToDecision)) stage = 'decision'
  }
  const switched = stage !== state.stage ? { from: state.stage, to: stage } : null
  return {
    state: { stage, updatesInStage: switched ? 0 : updatesInStage, accuracyEma, naEma, observations },
    accuracy,
    naRate,
    error,
    switched
  }
}

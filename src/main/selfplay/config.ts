/**
 * Every hyper-parameter of self-play, with DESIGN §9's defaults. A run stores its config, so a
 * resumed run keeps the numbers it started with.
 */
export interface SpyGameConfig {
  civilians: number
  spies: number
  clueRounds: number
  maxClueTokens: number
  /** The spy sees a blank image instead of an edited one. */
  blankSpyImage: boolean
  /** Clue reward weights: β on the spy/civilian vote gap, λ on a civilian's own votes. */
  beta: number
  lambda: number
}

export interface DecisionRewardConfig {
  correct: number
  abstain: number
  wrong: number
}

export interface PolicyLossConfig {
  /** PPO ratio clipping ε. */
  clip: number
  /** Coefficient of the k3 KL to the reference (warm-up) model. */
  klCoefficient: number
}

export interface SchedulerConfig {
  /** EMA decay ρ of vote accuracy and n/a rate. */
  rho: number
  /** decision → clue when accuracy ≥ this and n/a ≤ naToClue. */
  accuracyToClue: number
  naToClue: number
  /** clue → decision when error ≥ this or n/a ≥ naToDecision. */
  errorToDecision: number
  naToDecision: number
  minUpdatesPerStage: number
  /** Bias-corrected EMAs (default); false keeps the original zero-initialised EMAs for comparison. */
  biasCorrected: boolean
}

export interface SelfPlayConfig {
  spy: SpyGameConfig
  decisionReward: DecisionRewardConfig
  /** Votes sampled per decision for GRPO (G). */
  groupSize: number
  /** EMA decay α of the per-role reward baselines. */
  baselineAlpha: number
  policy: PolicyLossConfig
  scheduler: SchedulerConfig
  qa: QaGameConfig
}

export interface QaGameConfig {
  /** Answers sampled per question (G of the answerer's GRPO). */
  answersPerQuestion: number
  /** The report the questioner reads is cut to this many tokens. */
  maxReportTokens: number
  maxQuestionTokens: number
  maxAnswerTokens: number
  /** Studies without a report may use the answers' majority as the pseudo-answer. */
  majorityVoteWithoutReport: boolean
}

export const defaultSelfPlayConfig: SelfPlayConfig = {
  spy: { civilians: 3, spies: 1, clueRounds: 2, maxClueTokens: 24, blankSpyImage: false, beta: 0.1, lambda: 0.1 },
  decisionReward: { correct: 1, abstain: -0.5, wrong: -1 },
  groupSize: 8,
  baselineAlpha: 0.95,
  policy: { clip: 0.2, klCoefficient: 0.04 },
  scheduler: {
    rho: 0.95,
    accuracyToClue: 0.9,
    naToClue: 0.1,
    errorToDecision: 0.4,
    naToDecision: 0.5,
    minUpdatesPerStage: 5,
    biasCorrected: true
  },
  qa: { answersPerQuestion: 8, maxReportTokens: 96, maxQuestionTokens: 24, maxAnswerTokens: 8, majorityVoteWithoutReport: false }
}

/**
 * Every hyper-parameter of self-play, with DESIGN §9's defaults. A run stores its config, so a
 * resumed run keeps the numbers it started with.
 */
export interface SpyGameConfig {
  civilians: number
  spies: number
  clueRounds: number
  maxClueTokens: number
  /**
   * Temperature clues are sampled at (DESIGN is silent; 1 samples the model as it is). Lower makes
   * a film's clue name what the model sees more often; clue-stage updates score clues at the same
   * temperature.
   */
  clueTemperature: number
  /**
   * DESIGN's GRPO advantage of the votes, (r − mean)/(std + ε); false uses r − mean. The std division
   * weighs most the groups whose rewards differ least — those with no right vote, where n/a scores
   * best: over ten conv rounds n/a votes summed +13 of advantage with it and −44 without, and over
   * 40 rounds n/a went 0.17 → 0.85 with it, 0.14 → 0.05 without (README, status).
   */
  voteAdvantageByStd: boolean
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
  spy: { civilians: 3, spies: 1, clueRounds: 2, maxClueTokens: 24, clueTemperature: 1, voteAdvantageByStd: true, blankSpyImage: false, beta: 0.1, lambda: 0.1 },
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

/** Every setting of a config with its dotted path (`scheduler.accuracyToClue`, `spy.blankSpyImage`, …). */
function settingEntries(config: unknown): [string, unknown][] {
  const entries: [string, unknown][] = []
  const walk = (value: unknown, prefix: string): void => {
    if (isRecord(value)) for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key)
    else entries.push([prefix, value])
  }
  walk(config, '')
  return entries
}

/** Every setting's dotted path, as `--set` takes it. */
export function settingPaths(config: SelfPlayConfig): string[] {
  return settingEntries(config).map(([path]) => path)
}

/**
 * The settings a stored config holds that differ from DESIGN's defaults, as `PATH=VALUE` — what a
 * reader of a run's results must know to compare it with another run.
 */
export function changedSettings(stored: unknown): string[] {
  const defaults = new Map(settingEntries(defaultSelfPlayConfig))
  return settingEntries(stored)
    .filter(([path, value]) => defaults.has(path) && defaults.get(path) !== value)
    .map(([path, value]) => `${path}=${String(value)}`)
}

/**
 * The config with `PATH=VALUE` assignments applied (`scheduler.accuracyToClue=0.5`,
 * `spy.blankSpyImage=true`), for trying a setting from the command line without a code change.
 * Each path must name one of the config's numbers or booleans and the value must be of that kind,
 * so a misspelt setting fails before a run starts instead of being stored and ignored.
 */
export function withSettings(config: SelfPlayConfig, assignments: readonly string[]): SelfPlayConfig {
  const out = structuredClone(config)
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=')
    if (eq < 1) throw new Error(`--set expects PATH=VALUE (e.g. scheduler.accuracyToClue=0.5), got "${assignment}"`)
    const path = assignment.slice(0, eq).trim()
    const text = assignment.slice(eq + 1).trim()
    const keys = path.split('.')
    let holder: unknown = out
    for (const key of keys.slice(0, -1)) holder = isRecord(holder) && Object.hasOwn(holder, key) ? holder[key] : undefined
    const last = keys[keys.length - 1]
    const current = isRecord(holder) && Object.hasOwn(holder, last) ? holder[last] : undefined
    if (!isRecord(holder) || (typeof current !== 'number' && typeof current !== 'boolean')) {
      throw new Error(`--set: there is no self-play setting "${path}"; the settings are ${settingPaths(config).join(', ')}`)
    }
    holder[last] = typeof current === 'number' ? settingNumber(path, text) : settingBoolean(path, text)
  }
  return out
}

function settingNumber(path: string, text: string): number {
  const value = Number(text)
  if (text === '' || !Number.isFinite(value)) throw new Error(`--set: ${path} takes a number, got "${text}"`)
  return value
}

function settingBoolean(path: string, text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new Error(`--set: ${path} takes true or false, got "${text}"`)
  return text === 'true'
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

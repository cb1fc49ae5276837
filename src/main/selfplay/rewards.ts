import type { DecisionRewardConfig, SpyGameConfig } from './config'

/** A civilian's vote: the player it names as the spy (1-based), or abstention. `invalid` when the
 *  output held no parseable vote; it is scored as a wrong vote (a format penalty). */
export type Vote = { kind: 'player'; player: number } | { kind: 'abstain' } | { kind: 'invalid' }

/** Reads the first `<vote:k>` / `<vote:na>` in a generated decision. */
export function parseVote(text: string, players: number): Vote {
  const m = /<vote:(na|\d+)>/.exec(text)
  if (!m) return { kind: 'invalid' }
  if (m[1] === 'na') return { kind: 'abstain' }
  const player = Number(m[1])
  return player >= 1 && player <= players ? { kind: 'player', player } : { kind: 'invalid' }
}

/** Votes received by each player (index 0 = player 1). */
export function votesReceived(votes: readonly Vote[], players: number): number[] {
  const received = new Array<number>(players).fill(0)
  for (const v of votes) if (v.kind === 'player') received[v.player - 1]++
  return received
}

/**
 * Clue-stage rewards (zero-sum): with v_s the votes the spy received, v_cj those civilian j
 * received and v̄_c the civilians' mean,
 *   spy       r_s  = −β (v_s − v̄_c)
 *   civilian  r_cj = (β / n_c)(v_s − v̄_c) − λ (v_cj − v̄_c)
 * Returned per player (index 0 = player 1). One spy, as DESIGN §9 plays it.
 */
export function clueRewards(received: readonly number[], spyPlayer: number, config: Pick<SpyGameConfig, 'beta' | 'lambda'>): number[] {
  const civilians = received.map((_, i) => i).filter((i) => i !== spyPlayer - 1)
  const vs = received[spyPlayer - 1]
  const meanCivilian = civilians.reduce((sum, i) => sum + received[i], 0) / civilians.length
  const gap = vs - meanCivilian
  return received.map((v, i) =>
    i === spyPlayer - 1 ? -config.beta * gap : (config.beta / civilians.length) * gap - config.lambda * (v - meanCivilian)
  )
}

/** Decision reward of one vote: +1 when it names the spy, −0.5 for n/a, −1 otherwise. */
export function decisionReward(vote: Vote, spyPlayer: number, config: DecisionRewardConfig): number {
  if (vote.kind === 'abstain') return config.abstain
  return vote.kind === 'player' && vote.player === spyPlayer ? config.correct : config.wrong
}

/**
 * GRPO advantage over a group of sampled outputs for the same prompt: (r − mean)/(std + ε), with
 * the population std; or r − mean when `byStd` is false (as Dr. GRPO does: dividing by the std
 * weighs a group more the less its rewards differ, and in the spy game the groups whose rewards
 * differ least are those with no right vote, where n/a is the best reward). A group whose rewards
 * are all equal teaches nothing: all zeros.
 */
export function groupAdvantages(rewards: readonly number[], byStd = true, epsilon = 1e-6): number[] {
  const n = rewards.length
  if (n === 0) return []
  const mean = rewards.reduce((a, b) => a + b, 0) / n
  if (!byStd) return rewards.map((r) => r - mean)
  const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / n)
  return rewards.map((r) => (r - mean) / (std + epsilon))
}

/**
 * The questioner's learnability reward in the question-and-answer game: 1 − |2p − 1| with p the
 * answerer's accuracy — highest when the answerer is right half the time; −1 when the question
 * could not be parsed or the report does not answer it.
 */
export function learnabilityReward(answererAccuracy: number | null): number {
  if (answererAccuracy === null) return -1
  return 1 - Math.abs(2 * answererAccuracy - 1)
}

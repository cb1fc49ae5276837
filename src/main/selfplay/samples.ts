import type { TokenDistribution } from '../model/generation'
import type { RoleBaselines } from './baselines'
import { roleAdvantages } from './baselines'
import type { QaGameRecord, QaGameSetup } from './qa-game'
import type { Stage } from './scheduler'
import type { SpyGameRecord, SpyGameSetup } from './spy-game'

/**
 * What one policy update learns from: a continuation the policy sampled for a prompt and an
 * image, the log-probs it had when sampled (for the PPO ratio), and its advantage.
 */
export interface PolicySample {
  image: Float32Array
  prompt: number[]
  continuation: number[]
  oldLogProbs: number[]
  /** The distribution it was drawn from: its log-probs are taken under it, old and new alike. */
  distribution: TokenDistribution
  advantage: number
  /** Which player role produced it (for metrics and baselines). */
  role: string
}

/**
 * Samples of a round of spy games for the stage being trained: the decision stage learns from the
 * civilians' votes (GRPO advantages), the clue stage from every clue (role-advantage baselines,
 * updated and returned).
 */
export function spyGameSamples(
  stage: Stage,
  setups: readonly SpyGameSetup[],
  games: readonly SpyGameRecord[],
  baselines: RoleBaselines,
  alpha: number
): { samples: PolicySample[]; baselines: RoleBaselines } {
  if (stage === 'decision') {
    const samples = games.flatMap((game, g) =>
      game.votes.flat().map((v) => ({ image: setups[g].image, prompt: v.prompt, continuation: v.output.tokens, oldLogProbs: v.output.logProbs, distribution: v.output.distribution, advantage: v.advantage, role: 'voter' }))
    )
    return { samples: samples.filter((s) => s.continuation.length > 0), baselines }
  }
  const turns = games.flatMap((game, g) => game.clues.map((turn) => ({ turn, g, reward: game.clueRewards[turn.player - 1] })))
  const { advantages, baselines: next } = roleAdvantages(baselines, turns.map(({ turn, reward }) => ({ role: turn.role, reward })), alpha)
  const samples = turns.map(({ turn, g }, i) => ({
    image: turn.role === 'spy' ? setups[g].spyImage : setups[g].image,
    prompt: turn.prompt,
    continuation: turn.output.tokens,
    oldLogProbs: turn.output.logProbs,
    distribution: turn.output.distribution,
    advantage: advantages[i],
    role: turn.role
  }))
  return { samples: samples.filter((s) => s.continuation.length > 0), baselines: next }
}

/** Samples of a round of QA games: answers (GRPO) and questions (learnability, role baseline). */
export function qaGameSamples(
  setups: readonly QaGameSetup[],
  games: readonly QaGameRecord[],
  baselines: RoleBaselines,
  alpha: number
): { samples: PolicySample[]; baselines: RoleBaselines } {
  const { advantages, baselines: next } = roleAdvantages(baselines, games.map((g) => ({ role: 'questioner', reward: g.questionerReward })), alpha)
  const questions = games.map((game, g) => ({
    image: setups[g].image,
    prompt: game.question.prompt,
    continuation: game.question.output.tokens,
    oldLogProbs: game.question.output.logProbs,
    distribution: game.question.output.distribution,
    advantage: advantages[g],
    role: 'questioner'
  }))
  const answers = games.flatMap((game, g) =>
    game.answers.map((a) => ({ image: setups[g].image, prompt: a.prompt, continuation: a.output.tokens, oldLogProbs: a.output.logProbs, distribution: a.output.distribution, advantage: a.advantage, role: 'answerer' }))
  )
  return { samples: [...questions, ...answers].filter((s) => s.continuation.length > 0), baselines: next }
}

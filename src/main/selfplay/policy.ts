import type { TokenDistribution } from '../model/generation'
import type { Tokenizer } from '../model/tokenizer'

/**
 * What a game needs from the model: sample continuations of token prompts, each with its own
 * image, and report their per-token log-probs under the distribution they were drawn from. The
 * VLM provides it; the games do not care which model (or which size) plays.
 */
export interface PlayerPolicy {
  readonly tokenizer: Tokenizer
  generate(images: readonly Float32Array[], prompts: readonly (readonly number[])[], options: SamplingOptions): Promise<PlayerOutput[]>
}

export interface SamplingOptions {
  maxNewTokens: number
  temperature: number
  topP: number
  seed: number
  stopTokens?: readonly number[]
  /** Per prompt, the only tokens it may emit (a civilian's legal votes); absent: any token. */
  allowedTokens?: readonly (readonly number[])[]
}

export interface PlayerOutput {
  tokens: number[]
  /** Per token, under `distribution`: the "old" log-probs of the PPO ratio. */
  logProbs: number[]
  /** What the tokens were drawn from; a policy update scores them under the same. */
  distribution: TokenDistribution
}

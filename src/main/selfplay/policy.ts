import type { Tokenizer } from '../model/tokenizer'

/**
 * What a game needs from the model: sample continuations of token prompts, each with its own
 * image, and report their per-token log-probs. The VLM provides it; the games do not care which
 * model (or which size) plays.
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
}

export interface PlayerOutput {
  tokens: number[]
  logProbs: number[]
}

import { generate } from '../model/generation'
import type { VlmModel } from '../model/vlm'
import type { PlayerPolicy } from './policy'

/**
 * The VLM as a game player: each sequence is generated with its own image (civilians and the spy
 * of one game see different images in the same batch) and comes back with the log-probs the
 * policy update needs as its "old" log-probs. The model's current weights play, so a round after
 * an update plays with the updated policy.
 */
export function vlmPlayerPolicy(model: VlmModel): PlayerPolicy {
  return {
    tokenizer: model.tokenizer,
    async generate(images, prompts, options) {
      const generated = await generate(model, images, prompts, options)
      return generated.map((g) => ({ tokens: g.tokens, logProbs: g.logProbs, distribution: g.distribution }))
    }
  }
}

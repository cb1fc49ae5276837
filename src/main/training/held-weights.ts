import type { VlmConfig } from '../model/config'
import { isVisionSideWeight } from '../model/vlm-graph'
import type { ParamSpec } from '../tensor/graph'
import { ort, type Feeds } from '../tensor/runtime'

/**
 * The weights self-play does not train, in the game-format phase and the policy update alike: with
 * `noduleSummary` the vision side (encoder, heads and the summary's projection). The text reads
 * the heads, and the games moved them with nothing holding them to the reports: one conv seed went
 * 54 → 36 right in the format phase, and its warm-up's vision side put back scored 50 (training README).
 */
export function heldInSelfPlay(c: VlmConfig, name: string): boolean {
  return c.noduleSummary === true && isVisionSideWeight(name)
}

/** The held weights as `weights` gave them, and as the feeds every step and the playing model take. */
export interface HeldWeights {
  weights: ReadonlyMap<string, Float32Array>
  feeds: Feeds
}

/** A graph's parameters split into those self-play trains and those it holds. */
export function splitHeldParams(c: VlmConfig, params: readonly ParamSpec[], weights: ReadonlyMap<string, Float32Array>): { trained: ParamSpec[]; held: HeldWeights } {
  const held = params.filter((p) => heldInSelfPlay(c, p.value.name))
  return {
    trained: params.filter((p) => !held.includes(p)),
    held: {
      weights: new Map(held.map((p) => [p.value.name, weights.get(p.value.name)!])),
      feeds: Object.fromEntries(held.map((p) => [p.value.name, new ort.Tensor('float32', weights.get(p.value.name)!, [...p.shape])]))
    }
  }
}

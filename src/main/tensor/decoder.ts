import type { Graph, Value } from './graph'
import { MASKED, causalMask, crossEntropy, embedding, flattenTokens, layerNorm, transformerBlock, type CrossEntropy, type CrossEntropyOptions } from './layers'

/** A pre-LN causal decoder with tied input/output embeddings and learned positions. */
export interface DecoderConfig {
  vocab: number
  width: number
  layers: number
  heads: number
  /** Longest sequence (prefix + text), the size of the position table. */
  maxLength: number
  mlpRatio?: number
}

export interface DecoderOutput {
  /** Next-token logits [B, T, V] for the text positions. */
  logits: Value
  /** Each layer's keys and values [B,H,P+T,dh], to seed a KV cache. */
  cache: { k: Value; v: Value }[]
}

/**
 * Decoder forward over text ids [B,T] (int64), optionally after a prefix of ready-made embeddings
 * [B,P,width] (image tokens). Fixed B and T: one graph per shape.
 */
export function decoderForward(g: Graph, cfg: DecoderConfig, ids: Value, prefix: Value | null = null): DecoderOutput {
  const [, t] = ids.shape as number[]
  const p = prefix ? (prefix.shape[1] as number) : 0
  const tok = embedding(g, 'decoder.tokens', ids, cfg.vocab, cfg.width)
  const positions = g.param('decoder.positions.weight', [cfg.maxLength, cfg.width], { kind: 'normal', std: 0.02 })
  const text = g.add(tok.out, g.slice(positions, [0], [p], [p + t]))
  let x = prefix ? g.concat([g.add(prefix, g.slice(positions, [0], [0], [p])), text], 1) : text
  const mask = causalMask(g, p + t)
  const cache: { k: Value; v: Value }[] = []
  for (let l = 0; l < cfg.layers; l++) {
    const block = transformerBlock(g, `decoder.block${l}`, x, { heads: cfg.heads, mlpRatio: cfg.mlpRatio }, mask)
    x = block.out
    cache.push({ k: block.k, v: block.v })
  }
  const textHidden = prefix ? g.slice(x, [1], [p], [p + t]) : x
  const h = layerNorm(g, 'decoder.final_ln', textHidden)
  return { logits: g.matmul(h, g.transposeLast(tok.table)), cache }
}

/** Teacher-forced next-token loss: targets [B,T] int64 (ignore index -100), optional weights [B,T]. */
export function decoderLoss(g: Graph, logits: Value, targets: Value, weights: Value | null, opts: CrossEntropyOptions = {}): CrossEntropy {
  return crossEntropy(g, flattenTokens(g, logits), flattenTokens(g, targets), weights ? flattenTokens(g, weights) : null, opts)
}

export interface DecoderStepInputs {
  /** The newest token of each sequence [B,1] int64 and its position [B,1] int64. */
  ids: Value
  positions: Value
  /** Per layer, a fixed-size cache [B,H,S,dh] of past keys and values (S slots). */
  past: { k: Value; v: Value }[]
  /** Additive mask [B,1,1,S+1]: 0 for filled slots and the new token itself, MASKED for empty slots. */
  mask: Value
}

/**
 * One-token generation step with a fixed-size KV cache: the caller writes the returned new keys
 * and values into slot `position` of its cache, so no cache is ever copied out of the graph.
 */
export function decoderStep(g: Graph, cfg: DecoderConfig, inp: DecoderStepInputs): { logits: Value; k: Value[]; v: Value[] } {
  const tok = embedding(g, 'decoder.tokens', inp.ids, cfg.vocab, cfg.width)
  const positions = g.param('decoder.positions.weight', [cfg.maxLength, cfg.width], { kind: 'normal', std: 0.02 })
  let x = g.add(tok.out, g.gather(positions, inp.positions))
  const ks: Value[] = []
  const vs: Value[] = []
  for (let l = 0; l < cfg.layers; l++) {
    const block = transformerBlock(g, `decoder.block${l}`, x, { heads: cfg.heads, mlpRatio: cfg.mlpRatio }, inp.mask, inp.past[l])
    x = block.out
    ks.push(block.k)
    vs.push(block.v)
  }
  const h = layerNorm(g, 'decoder.final_ln', x)
  const [b] = inp.ids.shape
  return { logits: g.reshape(g.matmul(h, g.transposeLast(tok.table)), [b, cfg.vocab]), k: ks, v: vs }
}

/** The additive step mask for sequences with `filled[i]` cache slots in use out of `slots`. */
export function stepMask(filled: readonly number[], slots: number): Float32Array {
  const m = new Float32Array(filled.length * (slots + 1))
  filled.forEach((n, i) => m.fill(MASKED, i * (slots + 1) + n, i * (slots + 1) + slots))
  return m
}

import type { Graph, Value } from './graph'
import { formatShape } from './shape'

/**
 * Transformer building blocks on the graph builder. Each creates its parameters under `name`
 * (e.g. `block0.attn.qkv.weight`) and returns values only, so models compose them freely.
 */

/** An additive mask value: large enough to zero a softmax weight, small enough to stay finite. */
export const MASKED = -1e9

function lastDim(x: Value, what: string): number {
  const d = x.shape[x.rank - 1]
  if (typeof d !== 'number') throw new Error(`${what}: the feature dimension must be fixed, got ${formatShape(x.shape)}`)
  return d
}

export function linear(g: Graph, name: string, x: Value, out: number, opts: { bias?: boolean; std?: number } = {}): Value {
  const inF = lastDim(x, name)
  const w = g.param(`${name}.weight`, [inF, out], { kind: 'normal', std: opts.std ?? 0.02 })
  const y = g.matmul(x, w)
  return opts.bias === false ? y : g.add(y, g.param(`${name}.bias`, [out], { kind: 'zeros' }))
}

export function layerNorm(g: Graph, name: string, x: Value): Value {
  const d = lastDim(x, name)
  return g.layerNormalization(x, g.param(`${name}.scale`, [d], { kind: 'ones' }), g.param(`${name}.bias`, [d], { kind: 'zeros' }))
}

/** Two linear layers with exact GELU between them. */
export function mlp(g: Graph, name: string, x: Value, hidden: number): Value {
  const d = lastDim(x, name)
  return linear(g, `${name}.out`, g.gelu(linear(g, `${name}.in`, x, hidden)), d)
}

/**
 * A "same" k×k convolution (odd k, stride 1) on x [B,C,H,W] → [B,out,H,W], He-initialised for a
 * ReLU after it. No bias before a normalisation that subtracts the mean: it would cancel out.
 */
export function conv2d(g: Graph, name: string, x: Value, out: number, k = 3, opts: { bias?: boolean } = {}): Value {
  const c = x.shape[1]
  if (x.rank !== 4 || typeof c !== 'number') throw new Error(`${name}: conv2d needs [B,C,H,W] with fixed C, got ${formatShape(x.shape)}`)
  if (k % 2 !== 1) throw new Error(`${name}: conv2d needs an odd kernel, got ${k}`)
  const weight = g.param(`${name}.weight`, [out, c, k, k], { kind: 'normal', std: Math.sqrt(2 / (k * k * c)) })
  const y = g.conv(x, weight, (k - 1) / 2)
  return opts.bias === false ? y : g.add(y, g.param(`${name}.bias`, [out, 1, 1], { kind: 'zeros' }))
}

/**
 * Instance normalisation of x [B,C,H,W]: each image's channel to zero mean and unit variance over
 * its H×W positions, then a learned scale and shift per channel. Unlike batch normalisation it
 * needs no batch statistics, so a film's features do not depend on the films batched with it.
 */
export function instanceNorm(g: Graph, name: string, x: Value): Value {
  const c = x.shape[1]
  if (x.rank !== 4 || typeof c !== 'number') throw new Error(`${name}: instanceNorm needs [B,C,H,W] with fixed C, got ${formatShape(x.shape)}`)
  const centered = g.sub(x, g.reduceMean(x, [2, 3], true))
  const variance = g.reduceMean(g.mul(centered, centered), [2, 3], true)
  const normalized = g.div(centered, g.sqrt(g.add(variance, 1e-5)))
  return g.add(g.mul(normalized, g.param(`${name}.scale`, [c, 1, 1], { kind: 'ones' })), g.param(`${name}.bias`, [c, 1, 1], { kind: 'zeros' }))
}

/** Max over q×q blocks of x [B,C,H,W] → [B,C,H/q,W/q]. */
export function maxPool2d(g: Graph, x: Value, q: number): Value {
  const [b, c, h, w] = x.shape
  if (typeof h !== 'number' || typeof w !== 'number' || h % q !== 0 || w % q !== 0) throw new Error(`maxPool2d: ${formatShape(x.shape)} does not pool by ${q}`)
  return g.reduceMax(g.reshape(x, [b, c, h / q, q, w / q, q]), [3, 5])
}

/** Embedding lookup: int64 ids [...] → [..., d]. Returns the table too, for tied output heads. */
export function embedding(g: Graph, name: string, ids: Value, vocab: number, d: number): { table: Value; out: Value } {
  const table = g.param(`${name}.weight`, [vocab, d], { kind: 'normal', std: 0.02 })
  return { table, out: g.gather(table, ids) }
}

/** Additive causal mask [T, T]: 0 where a query may see a key, MASKED where the key is in its future. */
export function causalMask(g: Graph, t: number): Value {
  const rows = g.unsqueeze(g.range(0, t), [1])
  const cols = g.unsqueeze(g.range(0, t), [0])
  return g.where(g.greater(cols, rows), g.scalar(MASKED), g.scalar(0))
}

/**
 * Scaled dot-product attention over heads: q [B,H,Tq,dh], k and v [B,H,Tk,dh], mask additive and
 * broadcastable to [B,H,Tq,Tk] (causal, padding or a KV-cache validity mask) → [B,H,Tq,dh].
 */
export function attend(g: Graph, q: Value, k: Value, v: Value, mask: Value | null): Value {
  const dh = lastDim(q, 'attend')
  const scores = g.mul(g.matmul(q, g.transposeLast(k)), 1 / Math.sqrt(dh))
  return g.matmul(g.softmax(mask ? g.add(scores, mask) : scores, -1), v)
}

/** [B,T,D] → [B,H,T,dh] */
export function splitHeads(g: Graph, x: Value, heads: number): Value {
  const [b, t, d] = x.shape
  if (typeof d !== 'number' || d % heads !== 0) throw new Error(`splitHeads: width ${d} does not split into ${heads} heads`)
  return g.transpose(g.reshape(x, [b, t, heads, d / heads]), [0, 2, 1, 3])
}

/** [B,H,T,dh] → [B,T,H·dh] */
export function mergeHeads(g: Graph, x: Value): Value {
  const [b, h, t, dh] = x.shape
  return g.reshape(g.transpose(x, [0, 2, 1, 3]), [b, t, (h as number) * (dh as number)])
}

export interface AttentionResult {
  out: Value
  /** This call's keys and values [B,H,T,dh], for a KV cache. */
  k: Value
  v: Value
}

/**
 * Multi-head self-attention on x [B,T,D]. With `past`, the new keys and values are appended to
 * cached ones ([B,H,Tpast,dh]) and the mask must cover Tpast + T keys.
 */
export function selfAttention(g: Graph, name: string, x: Value, heads: number, mask: Value | null, past?: { k: Value; v: Value }): AttentionResult {
  const d = lastDim(x, name)
  const [q, k, v] = g.split(linear(g, `${name}.qkv`, x, 3 * d), [d, d, d], -1).map((t) => splitHeads(g, t, heads))
  const keys = past ? g.concat([past.k, k], 2) : k
  const values = past ? g.concat([past.v, v], 2) : v
  return { out: linear(g, `${name}.proj`, mergeHeads(g, attend(g, q, keys, values, mask)), d), k, v }
}

export interface BlockOptions {
  heads: number
  mlpRatio?: number
}

/** Pre-LN transformer block: x + attn(LN(x)), then + MLP(LN(x)). */
export function transformerBlock(g: Graph, name: string, x: Value, opts: BlockOptions, mask: Value | null, past?: { k: Value; v: Value }): AttentionResult {
  const d = lastDim(x, name)
  const attn = selfAttention(g, `${name}.attn`, layerNorm(g, `${name}.ln1`, x), opts.heads, mask, past)
  const h = g.add(x, attn.out)
  const out = g.add(h, mlp(g, `${name}.mlp`, layerNorm(g, `${name}.ln2`, h), d * (opts.mlpRatio ?? 4)))
  return { out, k: attn.k, v: attn.v }
}

export interface CrossEntropy {
  /** Σ weight·NLL over the tokens that count, divided as `normalizeBy` says. */
  loss: Value
  /** Log-probability of each target token [N] (0 for ignored tokens). */
  tokenLogProbs: Value
  /** Number of tokens that count (not ignored). */
  tokens: Value
  /** Weighted count of tokens whose arg-max prediction is the target. */
  correct: Value
}

export interface CrossEntropyOptions {
  ignoreIndex?: number
  /**
   * 'weight' (default): a weighted mean, Σ w·NLL / Σ w, for masks and positive weights.
   * 'tokens': Σ w·NLL / number of counted tokens, for signed weights such as advantages.
   */
  normalizeBy?: 'weight' | 'tokens'
}

/**
 * Cross-entropy of logits [N,V] against int64 targets [N]: targets equal to the ignore index
 * (-100) do not count; `weights` [N] scales each token (loss masks, policy-gradient advantages).
 */
export function crossEntropy(g: Graph, logits: Value, targets: Value, weights: Value | null, opts: CrossEntropyOptions = {}): CrossEntropy {
  const [rows, vocab] = logits.shape
  if (logits.rank !== 2 || typeof vocab !== 'number') throw new Error(`crossEntropy: logits must be [N, V] with fixed V, got ${formatShape(logits.shape)}`)
  if (targets.dtype !== 'int64' || targets.rank !== 1 || targets.shape[0] !== rows) {
    throw new Error(`crossEntropy: targets must be int64 [${rows}] to match logits ${formatShape(logits.shape)}, got ${targets.dtype} ${formatShape(targets.shape)}`)
  }
  const ignored = g.equal(targets, g.scalar(opts.ignoreIndex ?? -100, 'int64'))
  const counted = g.where(ignored, g.scalar(0), g.scalar(1))
  const w = weights ? g.mul(counted, weights) : counted
  // One-hot rows from a comparison (OneHot has no WebGPU kernel); ignored rows pick class 0 at weight 0.
  const safeTargets = g.where(ignored, g.scalar(0, 'int64'), targets)
  const onehot = g.cast(g.equal(g.unsqueeze(safeTargets, [1]), g.range(0, vocab)), logits.dtype)
  const logProbs = g.reduceSum(g.mul(g.logSoftmax(logits, 1), onehot), [1])
  const tokens = g.reduceSum(counted, [0])
  const divisor = opts.normalizeBy === 'tokens' ? tokens : g.reduceSum(w, [0])
  const loss = g.div(g.neg(g.reduceSum(g.mul(logProbs, w), [0])), g.where(g.greater(divisor, 0), divisor, g.scalar(1)))
  const best = g.reduceMax(logits, [1], true)
  const hitTarget = g.reduceMax(g.mul(onehot, g.cast(g.equal(logits, best), logits.dtype)), [1])
  return { loss, tokenLogProbs: g.mul(logProbs, counted), tokens, correct: g.reduceSum(g.mul(hitTarget, w), [0]) }
}

/** Flattens [B, T, ...] to [B·T, ...] for per-token losses. */
export function flattenTokens(g: Graph, x: Value): Value {
  const [, , ...rest] = x.shape
  return g.reshape(x, [-1, ...rest])
}

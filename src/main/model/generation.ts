import { decoderStep, stepMask } from '../tensor/decoder'
import { Graph, type Value } from '../tensor/graph'
import { Rng } from '../random'
import { ort } from '../tensor/runtime'
import { decoderConfig, prefixLength, type VlmConfig } from './config'
import { samplingInputs, vlmForward, vlmInputs, vlmTokenLogProbs } from './vlm-graph'
import type { VlmModel } from './vlm'

/**
 * Generation and log-probs on a `VlmModel`: a prefill graph over image + prompt, then a one-token
 * step graph with a fixed-size KV cache, batched over sequences; and the log-probs of given
 * continuations in one batched graph (the policy losses of self-play need them).
 */

export interface GenerateOptions {
  maxNewTokens: number
  /** 0 picks the most likely token (greedy). */
  temperature: number
  /** Nucleus sampling: sample among the most likely tokens whose probabilities sum to topP. */
  topP: number
  seed: number
  /** Tokens that end a sequence (kept in `tokens`, left out of `text`); default `<eos>`. */
  stopTokens?: readonly number[]
  /** false runs the full forward for every token (the reference the KV cache must equal). */
  useCache?: boolean
  /** Per prompt, the only tokens it may emit (a civilian's legal votes); absent: any token. */
  allowedTokens?: readonly (readonly number[])[]
}

/**
 * The distribution a sequence's tokens are drawn from and scored under: softmax(logits / T) over
 * the allowed tokens (every token when absent). A policy update must score a sample under the
 * distribution it was drawn from, or the PPO ratio is not 1 on the samples' own policy.
 */
export interface TokenDistribution {
  temperature: number
  allowed?: readonly number[]
}

/** Added to the logit of a token a row may not emit: exp of it is 0 in float32. */
const FORBIDDEN_LOGIT = -1e9

export interface Generation {
  tokens: number[]
  /** The generated text without special tokens. */
  text: string
  /** Log-probability of each generated token under `distribution` (top-p does not enter it). */
  logProbs: number[]
  finish: 'stop' | 'length'
  /** What the tokens were drawn from; temperature 1 for greedy picks, whose log-probs are at T = 1. */
  distribution: TokenDistribution
}

export const IGNORE_INDEX = -100

/** Text lengths are rounded up to a multiple of this so few graph shapes are compiled. */
const LENGTH_BUCKET = 8

export function bucketLength(n: number, max: number): number {
  return Math.min(max, Math.ceil(n / LENGTH_BUCKET) * LENGTH_BUCKET)
}

function i64(values: ArrayLike<number>, dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(Array.from(values), (v) => BigInt(v)), dims)
}

/** Images (each S×S, from `imageInput`) as one [B,S,S] tensor. */
export function imageBatch(c: VlmConfig, images: readonly Float32Array[]): ort.Tensor {
  const s = c.vision.imageSize
  const data = new Float32Array(images.length * s * s)
  images.forEach((img, i) => {
    if (img.length !== s * s) throw new Error(`Image ${i} has ${img.length} values, the model takes ${s}×${s}`)
    data.set(img, i * s * s)
  })
  return new ort.Tensor('float32', data, [images.length, s, s])
}

/**
 * Text ids [B,T] (prompt, then continuation, then padding) and targets [B,T] that score only the
 * continuation: targets[t] is ids[t+1] where that token belongs to the continuation, else -100.
 */
export function teacherForcedBatch(prompts: readonly (readonly number[])[], continuations: readonly (readonly number[])[], length: number, pad: number): { ids: ort.Tensor; targets: ort.Tensor } {
  const b = prompts.length
  const ids = new Array<number>(b * length).fill(pad)
  const targets = new Array<number>(b * length).fill(IGNORE_INDEX)
  prompts.forEach((prompt, i) => {
    const seq = [...prompt, ...continuations[i]]
    if (prompt.length === 0) throw new Error(`Sequence ${i} has an empty prompt`)
    if (seq.length > length) throw new Error(`Sequence ${i} has ${seq.length} tokens, more than ${length}`)
    seq.forEach((id, t) => (ids[i * length + t] = id))
    for (let t = prompt.length - 1; t + 1 < seq.length; t++) targets[i * length + t] = seq[t + 1]
  })
  return { ids: i64(ids, [b, length]), targets: i64(targets, [b, length]) }
}

/**
 * The per-row shaping of logits a `TokenDistribution` asks for, as the feeds of `samplingInputs`:
 * 1/T [B,1,1] and the forbidden-token mask [B,1,V]. Rows past the given distributions (padding)
 * are scored at temperature 1 over every token.
 */
export function samplingFeeds(c: VlmConfig, batch: number, distributions: readonly (TokenDistribution | undefined)[]): Record<string, ort.Tensor> {
  const inverse = new Float32Array(batch).fill(1)
  const mask = new Float32Array(batch * c.vocab)
  distributions.forEach((d, i) => {
    if (!d) return
    if (!(d.temperature > 0)) throw new Error(`A continuation scored at temperature ${d.temperature}: only sampled (T > 0) continuations have log-probs to train on`)
    inverse[i] = 1 / d.temperature
    if (!d.allowed) return
    mask.fill(FORBIDDEN_LOGIT, i * c.vocab, (i + 1) * c.vocab)
    for (const token of d.allowed) mask[i * c.vocab + token] = 0
  })
  return { inverse_temperature: new ort.Tensor('float32', inverse, [batch, 1, 1]), logit_mask: new ort.Tensor('float32', mask, [batch, 1, c.vocab]) }
}

/**
 * Log-probabilities of each continuation token given image and prompt, in one batched graph, under
 * each row's sampling distribution (temperature 1 over every token when not given).
 */
export async function sequenceLogProbs(
  model: VlmModel,
  images: readonly Float32Array[],
  prompts: readonly (readonly number[])[],
  continuations: readonly (readonly number[])[],
  distributions: readonly (TokenDistribution | undefined)[] = []
): Promise<number[][]> {
  const c = model.config
  const b = prompts.length
  const t = bucketLength(Math.max(...prompts.map((p, i) => p.length + continuations[i].length)), c.decoder.maxText)
  const compiled = await model.graph(`logprobs:${b}:${t}`, () => {
    const g = new Graph('vlm_logprobs')
    return g.toModel({ logprobs: vlmTokenLogProbs(g, c, vlmInputs(g, c, b, t), g.input('targets', 'int64', [b, t]), samplingInputs(g, c, b)) })
  })
  const batch = teacherForcedBatch(prompts, continuations, t, model.tokenizer.special('<pad>'))
  const out = await model.run(compiled, { images: imageBatch(c, images), ...batch, ...samplingFeeds(c, b, distributions) })
  const lp = out.logprobs.data as Float32Array
  return continuations.map((cont, i) => cont.map((_, j) => lp[i * t + prompts[i].length - 1 + j]))
}

/**
 * Picks a token from one row of logits among `allowed` (every token when absent); returns it with
 * its log-probability under softmax(logits / T) over the allowed tokens — T = 1 when greedy, and
 * top-p does not enter it.
 */
export function sampleToken(logits: Float32Array, offset: number, vocab: number, opts: Pick<GenerateOptions, 'temperature' | 'topP'>, rng: Rng, allowed?: readonly number[]): { token: number; logProb: number } {
  const candidates = allowed ?? Array.from({ length: vocab }, (_, v) => v)
  if (candidates.length === 0) throw new Error('sampleToken: no token is allowed')
  const temperature = opts.temperature > 0 ? opts.temperature : 1
  let max = -Infinity
  let best = candidates[0]
  for (const v of candidates)
    if (logits[offset + v] > max) {
      max = logits[offset + v]
      best = v
    }
  const weights = candidates.map((v) => ({ v, p: Math.exp((logits[offset + v] - max) / temperature) }))
  const total = weights.reduce((s, w) => s + w.p, 0)
  const logProbOf = (v: number) => (logits[offset + v] - max) / temperature - Math.log(total)
  if (opts.temperature <= 0) return { token: best, logProb: logProbOf(best) }
  weights.sort((a, b) => b.p - a.p || a.v - b.v)
  let kept = 0
  let mass = 0
  while (kept < weights.length && (kept === 0 || mass < opts.topP * total)) mass += weights[kept++].p
  let r = rng.next() * mass
  for (let k = 0; k < kept; k++) {
    r -= weights[k].p
    if (r <= 0 || k === kept - 1) return { token: weights[k].v, logProb: logProbOf(weights[k].v) }
  }
  throw new Error('unreachable')
}

/**
 * Generates a continuation for each (image, prompt), batched: the prompt runs through the prefill
 * graph, then each new token through the one-token step graph against the KV cache.
 */
export async function generate(model: VlmModel, images: readonly Float32Array[], prompts: readonly (readonly number[])[], opts: GenerateOptions): Promise<Generation[]> {
  const c = model.config
  const b = prompts.length
  if (images.length !== b) throw new Error(`generate: ${images.length} images for ${b} prompts`)
  const longest = Math.max(...prompts.map((p) => p.length))
  if (longest >= c.decoder.maxText) throw new Error(`generate: a prompt of ${longest} tokens leaves no room in ${c.decoder.maxText} text positions`)
  const stops = new Set(opts.stopTokens ?? [model.tokenizer.special('<eos>')])
  const vocab = c.vocab
  const rng = new Rng(opts.seed)
  const sequences = prompts.map((p) => [...p])
  if (opts.allowedTokens && opts.allowedTokens.length !== b) throw new Error(`generate: ${opts.allowedTokens.length} allowed-token lists for ${b} prompts`)
  opts.allowedTokens?.forEach((allowed, i) => {
    // Scoring masks each allowed token once; a repeat or an id past the vocabulary would sample from another distribution.
    if (new Set(allowed).size !== allowed.length || allowed.some((t) => !Number.isInteger(t) || t < 0 || t >= vocab)) throw new Error(`generate: prompt ${i}'s allowed tokens must be distinct ids below ${vocab}`)
  })
  const results = prompts.map((_, i): Generation => ({ tokens: [], text: '', logProbs: [], finish: 'length', distribution: { temperature: opts.temperature > 0 ? opts.temperature : 1, allowed: opts.allowedTokens?.[i] } }))
  const active = prompts.map(() => true)
  const next = opts.useCache === false ? await fullForwardLogits(model, images, sequences) : await cachedLogits(model, images, sequences, longest)

  let logits = await next()
  for (let produced = 0; produced < opts.maxNewTokens; produced++) {
    for (let i = 0; i < b; i++) {
      if (!active[i]) continue
      const { token, logProb } = sampleToken(logits.data, logits.row(i), vocab, opts, rng, opts.allowedTokens?.[i])
      results[i].tokens.push(token)
      results[i].logProbs.push(logProb)
      sequences[i].push(token)
      if (stops.has(token)) {
        results[i].finish = 'stop'
        active[i] = false
      } else if (sequences[i].length >= c.decoder.maxText) active[i] = false
    }
    if (!active.some(Boolean) || produced + 1 === opts.maxNewTokens) break
    logits = await next()
  }
  for (const r of results) r.text = model.tokenizer.decode(r.tokens.filter((t) => !stops.has(t)), { skipSpecial: true })
  return results
}

/** Next-token logits of every sequence: `data` with the row offset of sequence i. */
interface NextLogits {
  data: Float32Array
  row(i: number): number
}

/** The reference path: the whole sequence through the full forward for every new token. */
async function fullForwardLogits(model: VlmModel, images: readonly Float32Array[], sequences: number[][]): Promise<() => Promise<NextLogits>> {
  const c = model.config
  const b = sequences.length
  const t = c.decoder.maxText
  const compiled = await model.graph(`full:${b}:${t}`, () => {
    const g = new Graph('vlm_full')
    return g.toModel({ logits: vlmForward(g, c, vlmInputs(g, c, b, t)).logits })
  })
  const imageFeed = imageBatch(c, images)
  const pad = model.tokenizer.special('<pad>')
  return async () => {
    const ids = new Array<number>(b * t).fill(pad)
    sequences.forEach((s, i) => s.forEach((id, j) => (ids[i * t + j] = id)))
    const out = await model.run(compiled, { images: imageFeed, ids: i64(ids, [b, t]) })
    return { data: out.logits.data as Float32Array, row: (i) => (i * t + sequences[i].length - 1) * c.vocab }
  }
}

/**
 * Rows that repeat an earlier row's image and prompt (a voter's G samples): the prefill runs once
 * per distinct row and its cache is copied to the repeats. `source[i]` is the distinct row of row i.
 */
function distinctRows(images: readonly Float32Array[], sequences: readonly number[][]): { rows: number[]; source: number[] } {
  const imageIds = new Map<Float32Array, number>()
  const seen = new Map<string, number>()
  const rows: number[] = []
  const source = sequences.map((s, i) => {
    if (!imageIds.has(images[i])) imageIds.set(images[i], imageIds.size)
    const key = `${imageIds.get(images[i])}:${s.join(',')}`
    let row = seen.get(key)
    if (row === undefined) {
      seen.set(key, (row = rows.length))
      rows.push(i)
    }
    return row
  })
  return { rows, source }
}

/**
 * The KV-cache path. The cache has one slot per decoder position; slot p holds the keys and values
 * of position p. The prefill fills the prefix and prompt slots, each step writes one more. The
 * prefill runs on distinct (image, prompt) rows only: the votes' batch repeats each voter G times,
 * and encoding its images G times made that graph the largest in memory and time of a round.
 */
async function cachedLogits(model: VlmModel, images: readonly Float32Array[], sequences: number[][], longestPrompt: number): Promise<() => Promise<NextLogits>> {
  const c = model.config
  const dc = decoderConfig(c)
  const b = sequences.length
  const p = prefixLength(c)
  const slots = dc.maxLength
  const heads = dc.heads
  const dh = dc.width / heads
  const t = bucketLength(longestPrompt, c.decoder.maxText)
  const pad = model.tokenizer.special('<pad>')
  const distinct = distinctRows(images, sequences)
  const u = distinct.rows.length
  const prefill = await model.graph(`prefill:${u}:${t}`, () => {
    const g = new Graph('vlm_prefill')
    const { logits, cache } = vlmForward(g, c, vlmInputs(g, c, u, t))
    const outputs: Record<string, Value> = { logits }
    cache.forEach((kv, l) => Object.assign(outputs, { [`k${l}`]: kv.k, [`v${l}`]: kv.v }))
    return g.toModel(outputs)
  })
  const step = await model.graph(`step:${b}`, () => {
    const g = new Graph('vlm_step')
    const past = Array.from({ length: dc.layers }, (_, l) => ({ k: g.input(`past_k${l}`, 'float32', [b, heads, slots, dh]), v: g.input(`past_v${l}`, 'float32', [b, heads, slots, dh]) }))
    const out = decoderStep(g, dc, { ids: g.input('ids', 'int64', [b, 1]), positions: g.input('positions', 'int64', [b, 1]), past, mask: g.input('mask', 'float32', [b, 1, 1, slots + 1]) })
    const outputs: Record<string, Value> = { logits: out.logits }
    out.k.forEach((k, l) => Object.assign(outputs, { [`k${l}`]: k, [`v${l}`]: out.v[l] }))
    return g.toModel(outputs)
  })
  const cacheK = Array.from({ length: dc.layers }, () => new Float32Array(b * heads * slots * dh))
  const cacheV = Array.from({ length: dc.layers }, () => new Float32Array(b * heads * slots * dh))
  /** Copies `rows` positions of row `from(i)` of [N,H,rows,dh] into the cache from slot `at[i]` of sequence i. */
  const write = (cache: Float32Array, src: Float32Array, rows: number, at: readonly number[], from: (i: number) => number = (i) => i) => {
    for (let i = 0; i < b; i++)
      for (let h = 0; h < heads; h++) cache.set(src.subarray(((from(i) * heads + h) * rows) * dh, ((from(i) * heads + h) * rows + rows) * dh), ((i * heads + h) * slots + at[i]) * dh)
  }
  const filled = sequences.map(() => 0)
  let prefilled = false
  return async () => {
    if (!prefilled) {
      prefilled = true
      const ids = new Array<number>(u * t).fill(pad)
      distinct.rows.forEach((row, r) => sequences[row].forEach((id, j) => (ids[r * t + j] = id)))
      const out = await model.run(prefill, { images: imageBatch(c, distinct.rows.map((row) => images[row])), ids: i64(ids, [u, t]) })
      const from = (i: number) => distinct.source[i]
      for (let l = 0; l < dc.layers; l++) {
        write(cacheK[l], out[`k${l}`].data as Float32Array, p + t, filled, from)
        write(cacheV[l], out[`v${l}`].data as Float32Array, p + t, filled, from)
      }
      sequences.forEach((s, i) => (filled[i] = p + s.length))
      const lengths = sequences.map((s) => s.length)
      return { data: out.logits.data as Float32Array, row: (i) => (from(i) * t + lengths[i] - 1) * c.vocab }
    }
    // Each sequence's newest token sits at position filled[i] (sequences that stopped repeat theirs harmlessly).
    const positions = filled.map((f) => Math.min(f, slots - 1))
    const feeds: Record<string, ort.Tensor> = {
      ids: i64(sequences.map((s) => s[s.length - 1]), [b, 1]),
      positions: i64(positions, [b, 1]),
      mask: new ort.Tensor('float32', stepMask(positions, slots), [b, 1, 1, slots + 1])
    }
    for (let l = 0; l < dc.layers; l++) {
      feeds[`past_k${l}`] = new ort.Tensor('float32', cacheK[l], [b, heads, slots, dh])
      feeds[`past_v${l}`] = new ort.Tensor('float32', cacheV[l], [b, heads, slots, dh])
    }
    const out = await model.run(step, feeds)
    for (let l = 0; l < dc.layers; l++) {
      write(cacheK[l], out[`k${l}`].data as Float32Array, 1, positions)
      write(cacheV[l], out[`v${l}`].data as Float32Array, 1, positions)
    }
    for (let i = 0; i < b; i++) filled[i] = positions[i] + 1
    return { data: out.logits.data as Float32Array, row: (i) => i * c.vocab }
  }
}

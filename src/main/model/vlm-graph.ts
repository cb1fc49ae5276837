import { decoderForward, decoderLoss, type DecoderOutput } from '../tensor/decoder'
import type { Graph, Value } from '../tensor/graph'
import { conv2d, instanceNorm, layerNorm, linear, maxPool2d, transformerBlock, type CrossEntropy, type CrossEntropyOptions } from '../tensor/layers'
import { convFeatureSide, decoderConfig, imageTokenCount, type ConvVisionConfig, type VitVisionConfig, type VlmConfig } from './config'

/**
 * The VLM as graph building blocks (DESIGN §8), so training, generation, log-probs and the
 * self-play losses all build on one forward:
 *
 *   sequence = [start vector] [image tokens …] [text ids …]
 *
 * The vision encoder cuts the image into patches, adds learned positions, runs pre-LN blocks,
 * averages pool×pool neighbouring tokens and projects them to the decoder width. The decoder is
 * the tensor engine's pre-LN causal decoder with tied embeddings; its parameters keep the
 * engine's names so `decoderStep` (KV-cache generation) runs on the same weights.
 */

/** Graph inputs of a VLM batch: images [B,S,S] float32 (see `imageInput`) and text ids [B,T]. */
export interface VlmInputs {
  images: Value
  ids: Value
}

export function vlmInputs(g: Graph, c: VlmConfig, batch: number, textLength: number): VlmInputs {
  const s = c.vision.imageSize
  return { images: g.input('images', 'float32', [batch, s, s]), ids: g.input('ids', 'int64', [batch, textLength]) }
}

function fixedBatch(images: Value, what: string): number {
  const b = images.shape[0]
  if (typeof b !== 'number') throw new Error(`${what}: the batch size must be fixed`)
  return b
}

/** Images [B,S,S] → patches [B, n², p²] in row-major patch order, each patch's pixels row by row. */
export function imagePatches(g: Graph, v: VitVisionConfig, images: Value): Value {
  const b = fixedBatch(images, 'imagePatches')
  const n = v.imageSize / v.patch
  const p = v.patch
  // [B, n·p, n·p] → [B, n, p, n, p] → [B, n, n, p, p] → [B, n², p²]
  return g.reshape(g.transpose(g.reshape(images, [b, n, p, n, p]), [0, 1, 3, 2, 4]), [b, n * n, p * p])
}

/** ViT features: [B,S,S] → [B, N, width], pool×pool neighbouring patch tokens averaged. */
function vitFeatures(g: Graph, v: VitVisionConfig, images: Value): Value {
  const b = fixedBatch(images, 'imageFeatures')
  const n = v.imageSize / v.patch
  const positions = g.param('vision.positions.weight', [n * n, v.width], { kind: 'normal', std: 0.02 })
  let x = g.add(linear(g, 'vision.patch', imagePatches(g, v, images), v.width), positions)
  for (let l = 0; l < v.layers; l++) x = transformerBlock(g, `vision.block${l}`, x, { heads: v.heads, mlpRatio: v.mlpRatio }, null).out
  x = layerNorm(g, 'vision.final_ln', x)
  // Average pool×pool neighbours: [B, n·n, d] → [B, m, q, m, q, d] → [B, m, m, q, q, d] → mean.
  const q = v.pool
  const m = n / q
  const grouped = g.reshape(g.transpose(g.reshape(x, [b, m, q, m, q, v.width]), [0, 1, 3, 2, 4, 5]), [b, m * m, q * q, v.width])
  return g.reduceMean(grouped, [2])
}

/** CNN features: [B,S,S] → [B, tokensPerSide², last channels] (see ConvVisionConfig). */
function convFeatures(g: Graph, v: ConvVisionConfig, images: Value): Value {
  const b = fixedBatch(images, 'imageFeatures')
  const h = v.imageSize / 2
  // Fold each 2×2 pixel block into 4 channels: [B,S,S] → [B,h,2,h,2] → [B,2,2,h,h] → [B,4,h,h].
  let x = g.reshape(g.transpose(g.reshape(images, [b, h, 2, h, 2]), [0, 2, 4, 1, 3]), [b, 4, h, h])
  v.channels.forEach((c, i) => {
    if (i > 0) x = maxPool2d(g, x, 2)
    x = g.relu(instanceNorm(g, `vision.stage${i}.norm`, conv2d(g, `vision.stage${i}.conv`, x, c, 3, { bias: false })))
  })
  const last = v.channels[v.channels.length - 1]
  const t = v.tokensPerSide
  // [B,C,t,t] → [B,C,t²] → [B,t²,C]: one token per cell of the grid, row by row.
  const tokens = g.transpose(g.reshape(maxPool2d(g, x, convFeatureSide(v) / t), [b, last, t * t]), [0, 2, 1])
  return g.add(tokens, g.param('vision.positions.weight', [t * t, last], { kind: 'normal', std: 0.02 }))
}

/** Images [B,S,S] → the encoder's image features [B, N, encoder width], before the projector. */
export function imageFeatures(g: Graph, c: VlmConfig, images: Value): Value {
  return c.vision.kind === 'vit' ? vitFeatures(g, c.vision, images) : convFeatures(g, c.vision, images)
}

/**
 * A film-level "nodule anywhere" logit [B] from image features [B,N,D]: the max of each feature
 * over the tokens, then one linear score (the max before the score learns faster than a max of
 * per-token scores). The warm-up's vision phase fits it to the reports' presence; it generates only
 * through `noduleSummary`.
 */
export function presenceLogit(g: Graph, features: Value): Value {
  return g.squeeze(linear(g, 'vision.presence', g.reduceMax(features, [1]), 1), [1])
}

/** The six places a chest film's nodule is named by, side × zone, in the order of `placeLogits`. */
export const NODULE_PLACES = [
  ['right', 'upper'],
  ['right', 'middle'],
  ['right', 'lower'],
  ['left', 'upper'],
  ['left', 'middle'],
  ['left', 'lower']
] as const

/**
 * Per-place "a nodule here" logits [B·6] (NODULE_PLACES, place fastest) from image features [B,N,D]:
 * one linear score over every token at once, so where a token lies counts (the presence logit's max
 * over tokens forgets it). The warm-up's vision phase fits it to the reports' places; it generates
 * only through `noduleSummary`.
 */
export function placeLogits(g: Graph, features: Value): Value {
  const [b, n, d] = features.shape
  if (typeof n !== 'number' || typeof d !== 'number') throw new Error('placeLogits: the image features need a fixed token count and width')
  return g.reshape(linear(g, 'vision.places', g.reshape(features, [b, n * d]), NODULE_PLACES.length), [-1])
}

/** Image features → image tokens [B, N, decoder width]. */
export function projectImageFeatures(g: Graph, c: VlmConfig, features: Value): Value {
  return linear(g, 'projector.out', g.gelu(linear(g, 'projector.in', features, c.decoder.width)), c.decoder.width)
}

/** The vision heads' logits on one batch of image features: presence [B] and, when asked, places [B·6]. */
export interface NoduleLogits {
  presence: Value
  places: Value | null
}

/**
 * Whether a weight belongs to the model's vision side: the encoder, its heads and the summary's
 * projection of them (not the image-token projector, which is how the text reads the tokens).
 */
export function isVisionSideWeight(name: string): boolean {
  return name.startsWith('vision.') || name.startsWith('decoder.noduleSummary')
}

/** Each head built once per graph (its weights are graph inputs, named once), shared by the losses and the prefix. */
export function noduleLogits(g: Graph, features: Value, withPlaces: boolean): NoduleLogits {
  return { presence: presenceLogit(g, features), places: withPlaces ? placeLogits(g, features) : null }
}

/**
 * The decoder's start vector for each image [B,1,width]: learned, plus — with `noduleSummary` — a
 * projection of the presence and place logits. The place head finds where a nodule is on held-out
 * conv films (the top place right for ~2 in 3) while the text, reading the token grid, wrote the
 * right side and zone for about 1 in 8: one vector that says "here" is what the text can read.
 */
function startVector(g: Graph, c: VlmConfig, b: number, features: Value, nodules?: NoduleLogits): Value {
  const start = g.expand(g.param('decoder.start', [1, 1, c.decoder.width], { kind: 'normal', std: 0.02 }), [b, 1, c.decoder.width])
  if (!c.noduleSummary) return start
  const { presence, places } = nodules ?? noduleLogits(g, features, true)
  if (!places) throw new Error('imagePrefix: a config with noduleSummary needs the place logits')
  const logits = g.concat([g.reshape(presence, [b, 1]), g.reshape(places, [b, NODULE_PLACES.length])], 1)
  return g.add(start, g.reshape(linear(g, 'decoder.noduleSummary', logits, c.decoder.width, { std: 0.02 }), [b, 1, c.decoder.width]))
}

/** The decoder prefix [B, 1+N, width]: the start vector, then the image tokens. */
export function imagePrefix(g: Graph, c: VlmConfig, images: Value, features?: Value, nodules?: NoduleLogits): Value {
  const f = features ?? imageFeatures(g, c, images)
  const tokens = projectImageFeatures(g, c, f)
  const b = tokens.shape[0] as number
  if (imageTokenCount(c) !== tokens.shape[1]) throw new Error('imagePrefix: image token count does not match the config')
  return g.concat([startVector(g, c, b, f, nodules), tokens], 1)
}

/**
 * The full forward: next-token logits [B,T,V] at every text position (logits[:, t] predicts the
 * token after ids[:, t]) and each decoder layer's keys and values over prefix + text.
 */
export function vlmForward(g: Graph, c: VlmConfig, inputs: VlmInputs, features?: Value, nodules?: NoduleLogits): DecoderOutput {
  return decoderForward(g, decoderConfig(c), inputs.ids, imagePrefix(g, c, inputs.images, features, nodules))
}

/**
 * Teacher-forced loss over targets [B,T] (ignore index -100 for prompt and padding), with optional
 * per-token weights [B,T] (advantages, masks). Also gives the target tokens' log-probs [B·T].
 */
export function vlmLoss(g: Graph, logits: Value, targets: Value, weights: Value | null = null, opts: CrossEntropyOptions = {}): CrossEntropy {
  return decoderLoss(g, logits, targets, weights, opts)
}

/**
 * How each row's sampling distribution reshapes its logits: times 1/T [B,1,1], plus a mask [B,1,V]
 * that is 0 on the tokens the row may emit and −1e9 on the others (`samplingFeeds` fills both).
 */
export interface SamplingInputs {
  inverseTemperature: Value
  logitMask: Value
}

export function samplingInputs(g: Graph, c: VlmConfig, batch: number): SamplingInputs {
  return { inverseTemperature: g.input('inverse_temperature', 'float32', [batch, 1, 1]), logitMask: g.input('logit_mask', 'float32', [batch, 1, c.vocab]) }
}

/**
 * Log-probability of each target token [B,T] under each row's sampling distribution (0 where the
 * target is -100): the block a policy loss builds on (PPO ratio against the sampling log-probs, KL
 * to a reference), so both are taken under the distribution the samples were drawn from.
 */
export function vlmTokenLogProbs(g: Graph, c: VlmConfig, inputs: VlmInputs, targets: Value, sampling: SamplingInputs): Value {
  const [b, t] = inputs.ids.shape
  const logits = g.add(g.mul(vlmForward(g, c, inputs).logits, sampling.inverseTemperature), sampling.logitMask)
  return g.reshape(vlmLoss(g, logits, targets).tokenLogProbs, [b, t])
}

import type { VlmConfig } from '../model/config'
import { imageBatch, samplingFeeds, sequenceLogProbs, teacherForcedBatch } from '../model/generation'
import type { VlmModel } from '../model/vlm'
import { samplingInputs, vlmInputs, vlmTokenLogProbs, type SamplingInputs } from '../model/vlm-graph'
import type { PolicyLossConfig } from '../selfplay/config'
import type { PolicySample } from '../selfplay/samples'
import { Graph, type Value } from '../tensor/graph'
import { ort, type Runtime } from '../tensor/runtime'
import { buildTrainStep, type TrainStepModel } from '../tensor/train-step'
import { Trainer, type OptimizerState } from '../tensor/trainer'
import { heldInSelfPlay, splitHeldParams, type HeldWeights } from './held-weights'

/**
 * The self-play policy update (DESIGN §9) as one fused train step on onnxruntime: for each sampled
 * continuation, the token mean of
 *   −( min(ratio·A, clip(ratio, 1 ± ε)·A) − β·k3 ),   ratio = exp(logp − oldLogp),
 *   k3 = exp(refLogp − logp) − (refLogp − logp) − 1
 * then the mean over the batch's sequences (`sequencePolicyLoss` is the float64 reference). Every
 * log-prob is taken under the distribution the sample was drawn from (its temperature and allowed
 * tokens), for the policy and the reference alike. The graph has one fixed shape — `batch` rows of
 * the model's full text length — so one train step is compiled per run; short batches are padded
 * with rows of weight zero.
 */
export interface PolicyBatchInputs {
  images: Value
  ids: Value
  targets: Value
  oldLogProbs: Value
  refLogProbs: Value
  /** Per sequence [B,1]. */
  advantages: Value
  /** 1 / (tokens of the sequence · real sequences of the batch) on continuation tokens, else 0 [B,T]. */
  tokenWeights: Value
  sampling: SamplingInputs
}

/** The step trains every weight but those self-play holds (`heldInSelfPlay`), which it takes as inputs. */
export function policyTrainStep(c: VlmConfig, batch: number, loss: PolicyLossConfig): TrainStepModel {
  const g = new Graph('vlm_policy_update')
  const t = c.decoder.maxText
  const inputs = vlmInputs(g, c, batch, t)
  const x: PolicyBatchInputs = {
    images: inputs.images,
    ids: inputs.ids,
    targets: g.input('targets', 'int64', [batch, t]),
    oldLogProbs: g.input('old_logprobs', 'float32', [batch, t]),
    refLogProbs: g.input('ref_logprobs', 'float32', [batch, t]),
    advantages: g.input('advantages', 'float32', [batch, 1]),
    tokenWeights: g.input('token_weights', 'float32', [batch, t]),
    sampling: samplingInputs(g, c, batch)
  }
  const logp = vlmTokenLogProbs(g, c, inputs, x.targets, x.sampling)
  const ratio = g.exp(g.sub(logp, x.oldLogProbs))
  const hi = 1 + loss.clip
  const lo = 1 - loss.clip
  const bounded = g.where(g.greater(ratio, hi), g.scalar(hi), g.where(g.less(ratio, lo), g.scalar(lo), ratio))
  const unclippedTerm = g.mul(ratio, x.advantages)
  const clippedTerm = g.mul(bounded, x.advantages)
  const surrogate = g.where(g.less(unclippedTerm, clippedTerm), unclippedTerm, clippedTerm)
  const d = g.sub(x.refLogProbs, logp)
  const k3 = g.sub(g.sub(g.exp(d), d), 1)
  const perToken = g.neg(g.sub(surrogate, g.mul(k3, loss.klCoefficient)))
  const weighted = (v: Value) => g.reduceSum(g.mul(v, x.tokenWeights), [0, 1])
  return buildTrainStep(g, weighted(perToken), { kl: weighted(k3) }, {}, g.params.filter((p) => !heldInSelfPlay(c, p.value.name)))
}

export interface PolicyUpdateOptions {
  /** Sequences per optimizer step. */
  batch: number
  lr: number
  loss: PolicyLossConfig
}

export interface PolicyStepMetrics {
  loss: number
  kl: number
  gradNorm: number
  sequences: number
  tokens: number
}

/** The feeds of one policy step: samples laid out as `teacherForcedBatch` lays them, padded to `batch` rows. */
export function policyBatchFeeds(c: VlmConfig, pad: number, batch: number, samples: readonly PolicySample[], refLogProbs: readonly (readonly number[])[]): Record<string, ort.Tensor> {
  if (samples.length === 0 || samples.length > batch) throw new Error(`A policy step takes 1–${batch} samples, got ${samples.length}`)
  const t = c.decoder.maxText
  const blank = new Float32Array(c.vision.imageSize ** 2)
  const rows = Array.from({ length: batch }, (_, i) => samples[i] ?? null)
  const prompts = rows.map((s) => s?.prompt ?? [pad])
  const continuations = rows.map((s) => s?.continuation ?? [])
  const { ids, targets } = teacherForcedBatch(prompts, continuations, t, pad)
  const old = new Float32Array(batch * t)
  const ref = new Float32Array(batch * t)
  const weights = new Float32Array(batch * t)
  const advantages = new Float32Array(batch)
  samples.forEach((s, i) => {
    if (refLogProbs[i].length !== s.continuation.length || s.oldLogProbs.length !== s.continuation.length) throw new Error(`Sample ${i}: ${s.continuation.length} tokens but ${s.oldLogProbs.length} old and ${refLogProbs[i].length} reference log-probs`)
    advantages[i] = s.advantage
    s.continuation.forEach((_, j) => {
      const at = i * t + s.prompt.length - 1 + j
      old[at] = s.oldLogProbs[j]
      ref[at] = refLogProbs[i][j]
      weights[at] = 1 / (s.continuation.length * samples.length)
    })
  })
  return {
    images: imageBatch(c, rows.map((s) => s?.image ?? blank)),
    ids,
    targets,
    old_logprobs: new ort.Tensor('float32', old, [batch, t]),
    ref_logprobs: new ort.Tensor('float32', ref, [batch, t]),
    advantages: new ort.Tensor('float32', advantages, [batch, 1]),
    token_weights: new ort.Tensor('float32', weights, [batch, t]),
    ...samplingFeeds(c, batch, samples.map((s) => s.distribution))
  }
}

/**
 * Trains the policy model on self-play samples; after each step the policy model plays with the
 * new weights. The reference model stays frozen (the warm-up weights).
 */
export class PolicyUpdater {
  private constructor(
    private readonly trainer: Trainer,
    readonly policy: VlmModel,
    private readonly reference: VlmModel,
    private readonly options: PolicyUpdateOptions,
    /** The weights self-play holds, fed to every step and to the policy. */
    private readonly held: HeldWeights
  ) {}

  /** The train steps run on `runtime`; the policy plays on its own (the CPU, when they differ). */
  static async create(runtime: Runtime, policy: VlmModel, reference: VlmModel, weights: ReadonlyMap<string, Float32Array>, options: PolicyUpdateOptions, resume?: OptimizerState): Promise<PolicyUpdater> {
    const spec = policyTrainStep(policy.config, options.batch, options.loss)
    const trainer = await Trainer.create(runtime, spec, weights, resume)
    const updater = new PolicyUpdater(trainer, policy, reference, options, splitHeldParams(policy.config, policy.params, weights).held)
    await updater.handWeightsToPolicy()
    return updater
  }

  /** The policy plays with the trainer's current weights and the held ones. */
  private async handWeightsToPolicy(): Promise<void> {
    this.policy.setWeightFeeds({ ...this.held.feeds, ...(await this.trainer.weightFeedsFor(this.policy.runtime)) })
  }

  get stepCount(): number {
    return this.trainer.stepCount
  }

  /** One optimizer step on up to `batch` samples; returns the loss before the step. */
  async step(samples: readonly PolicySample[]): Promise<PolicyStepMetrics> {
    const ref = await sequenceLogProbs(
      this.reference,
      samples.map((s) => s.image),
      samples.map((s) => s.prompt),
      samples.map((s) => s.continuation),
      samples.map((s) => s.distribution)
    )
    const feeds = policyBatchFeeds(this.policy.config, this.policy.tokenizer.special('<pad>'), this.options.batch, samples, ref)
    const { metrics } = await this.trainer.step({ ...this.held.feeds, ...feeds }, this.options.lr)
    if (!Number.isFinite(metrics.loss)) throw new Error(`The policy loss is ${metrics.loss} at optimizer step ${this.trainer.stepCount}`)
    await this.handWeightsToPolicy()
    return { loss: metrics.loss, kl: metrics.kl, gradNorm: metrics.grad_norm, sequences: samples.length, tokens: samples.reduce((n, s) => n + s.continuation.length, 0) }
  }

  /** Steps over all samples in minibatches of `batch`, in the given order. */
  async update(samples: readonly PolicySample[], onStep?: () => Promise<void>): Promise<PolicyStepMetrics[]> {
    const steps: PolicyStepMetrics[] = []
    for (let at = 0; at < samples.length; at += this.options.batch) {
      steps.push(await this.step(samples.slice(at, at + this.options.batch)))
      await onStep?.()
    }
    return steps
  }

  /** Every weight of the policy: the trained ones and the held ones. */
  async readWeights(): Promise<Map<string, Float32Array>> {
    return new Map([...this.held.weights, ...(await this.trainer.readWeights())])
  }

  /** Adam moments of every weight, as a checkpoint holds them: the held weights' are zero (never updated). */
  async readOptimizerState(): Promise<OptimizerState> {
    const trained = await this.trainer.readOptimizerState()
    const zeros = [...this.held.weights].map(([name, w]): [string, Float32Array] => [name, new Float32Array(w.length)])
    return { step: trained.step, m: new Map([...zeros, ...trained.m]), v: new Map([...zeros, ...trained.v]) }
  }
}

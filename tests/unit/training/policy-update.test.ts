import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tinyConvVlmConfig, tinyVlmConfig as tinyDefault, type VlmConfig } from '../../../src/main/model/config'
import { decodeCheckpoint, encodeCheckpoint } from '../../../src/main/model/checkpoint'
import { sequenceLogProbs, type TokenDistribution } from '../../../src/main/model/generation'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { VlmModel, imageInput, initVlmWeights } from '../../../src/main/model/vlm'
import { isVisionSideWeight } from '../../../src/main/model/vlm-graph'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import { sequencePolicyLoss } from '../../../src/main/selfplay/policy-objective'
import type { PolicySample } from '../../../src/main/selfplay/samples'
import { vlmPlayerPolicy } from '../../../src/main/selfplay/vlm-policy'
import { Rng } from '../../../src/main/random'
import { Runtime } from '../../../src/main/tensor/runtime'
import { PolicyUpdater } from '../../../src/main/training/policy-update'

const tokenizer = Tokenizer.train(['No pulmonary nodule. Lungs are clear.', 'A 12 mm nodule in the right upper zone.', 'Which side is the nodule on?'], tinyDefault.vocab)
const config: VlmConfig = { ...tinyDefault, vocab: tokenizer.vocabSize }
const lossConfig = defaultSelfPlayConfig.policy

function randomImage(seed: number, side: number): Float32Array {
  const rng = new Rng(seed)
  return imageInput(Uint8Array.from({ length: 32 * 32 }, () => rng.below(256)), 32, 32, side)
}

function scaledWeights(seed: number, scale: number): Map<string, Float32Array> {
  const w = initVlmWeights(config, seed)
  for (const t of w.values()) for (let i = 0; i < t.length; i++) t[i] *= scale
  return w
}

describe('policy update', () => {
  let runtime: Runtime
  beforeAll(async () => {
    runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: 1 })
  })
  afterAll(() => runtime.release())

  /**
   * Samples the policy itself generated for a few prompts, as the games produce them: the first at
   * temperature 1 over every token, the others at temperature 0.7 and the last among a few allowed
   * tokens only (as a vote is drawn).
   */
  async function sampled(policy: VlmModel, n: number, seed: number): Promise<{ images: Float32Array[]; prompts: number[][]; tokens: number[][]; logProbs: number[][]; distributions: TokenDistribution[] }> {
    const tok = policy.tokenizer
    const images = Array.from({ length: n }, (_, i) => randomImage(seed + i, policy.config.vision.imageSize))
    const prompts = images.map((_, i) => [tok.special('<bos>'), tok.special('<image>'), tok.special(i % 2 ? '<role:spy>' : '<role:civilian>'), tok.special('<task:clue>')])
    const player = vlmPlayerPolicy(policy)
    const eos = tok.special('<eos>')
    const [first] = await player.generate(images.slice(0, 1), prompts.slice(0, 1), { maxNewTokens: 6, temperature: 1, topP: 1, seed, stopTokens: [eos] })
    const allowed = images.slice(1).map((_, i) => (i === n - 2 ? [5, 9, 17, eos] : Array.from({ length: config.vocab }, (_, v) => v)))
    const rest = await player.generate(images.slice(1), prompts.slice(1), { maxNewTokens: 6, temperature: 0.7, topP: 1, seed: seed + 1, stopTokens: [eos], allowedTokens: allowed })
    const out = [first, ...rest]
    return { images, prompts, tokens: out.map((o) => o.tokens), logProbs: out.map((o) => o.logProbs), distributions: out.map((o) => o.distribution) }
  }

  it('computes the loss of sequencePolicyLoss (float64) on the same log-probs, clipped and unclipped tokens alike, each under its sampling distribution', async () => {
    const policy = new VlmModel(config, tokenizer, runtime, scaledWeights(1, 6))
    const reference = new VlmModel(config, tokenizer, runtime, scaledWeights(2, 6))
    const batch = 4
    const updater = await PolicyUpdater.create(runtime, policy, reference, scaledWeights(1, 6), { batch, lr: 1e-3, loss: lossConfig })
    const s = await sampled(policy, 3, 11)
    // The generated log-probs equal the graph's; shift "old" ones so ratios fall inside and outside 1 ± ε.
    const rng = new Rng(5)
    const samples: PolicySample[] = s.tokens.map((tokens, i) => ({
      image: s.images[i],
      prompt: s.prompts[i],
      continuation: tokens,
      oldLogProbs: s.logProbs[i].map((lp) => lp + (rng.next() - 0.5) * 0.8),
      distribution: s.distributions[i],
      advantage: [1.5, -0.7, 0.3][i],
      role: 'civilian'
    }))
    const logp = await sequenceLogProbs(policy, s.images, s.prompts, s.tokens, s.distributions)
    const ref = await sequenceLogProbs(reference, s.images, s.prompts, s.tokens, s.distributions)
    // Scored at temperature 1 over every token instead, the restricted and tempered rows differ.
    const untempered = await sequenceLogProbs(policy, s.images, s.prompts, s.tokens)
    for (const i of [1, 2]) expect(Math.abs(untempered[i][0] - logp[i][0])).toBeGreaterThan(0.05)
    const expected = samples.map((x, i) => sequencePolicyLoss(logp[i], x.oldLogProbs, ref[i], x.advantage, lossConfig))
    expect(expected.some((e) => e.clippedFraction > 0 && e.clippedFraction < 1)).toBe(true)
    const mean = expected.reduce((a, e) => a + e.loss, 0) / expected.length
    const meanKl = expected.reduce((a, e) => a + e.meanKl, 0) / expected.length
    const got = await updater.step(samples)
    expect(Math.abs(got.loss - mean)).toBeLessThan(1e-4)
    expect(Math.abs(got.kl - meanKl)).toBeLessThan(1e-4)
    expect(got.sequences).toBe(3)
  })

  it('raises the log-prob of a sequence with positive advantage and lowers one with negative advantage', async () => {
    const weights = scaledWeights(3, 4)
    const policy = new VlmModel(config, tokenizer, runtime, weights)
    const reference = new VlmModel(config, tokenizer, runtime, weights)
    const updater = await PolicyUpdater.create(runtime, policy, reference, weights, { batch: 2, lr: 3e-3, loss: lossConfig })
    const s = await sampled(policy, 2, 21)
    const total = async () => (await sequenceLogProbs(policy, s.images, s.prompts, s.tokens)).map((lp) => lp.reduce((a, b) => a + b, 0))
    const before = await total()
    for (let k = 0; k < 4; k++) {
      // On-policy: the old log-probs are the current ones, as after a fresh round of games.
      const current = await sequenceLogProbs(policy, s.images, s.prompts, s.tokens)
      await updater.step(s.tokens.map((tokens, i) => ({ image: s.images[i], prompt: s.prompts[i], continuation: tokens, oldLogProbs: current[i], distribution: { temperature: 1 }, advantage: i === 0 ? 1 : -1, role: 'civilian' })))
    }
    const after = await total()
    expect(after[0]).toBeGreaterThan(before[0] + 0.05)
    expect(after[1]).toBeLessThan(before[1] - 0.05)
  })

  it('with noduleSummary trains the text side only: the policy plays the new decoder, the encoder, heads and summary projection stay as given', async () => {
    const c = { ...tinyConvVlmConfig, vocab: tokenizer.vocabSize }
    const weights = initVlmWeights(c, 5)
    const policy = new VlmModel(c, tokenizer, runtime, weights)
    const reference = new VlmModel(c, tokenizer, runtime, weights)
    const updater = await PolicyUpdater.create(runtime, policy, reference, weights, { batch: 2, lr: 3e-3, loss: lossConfig })
    const s = await sampled(policy, 2, 31)
    const first = async () => (await sequenceLogProbs(policy, s.images.slice(0, 1), s.prompts.slice(0, 1), s.tokens.slice(0, 1)))[0].reduce((a, b) => a + b, 0)
    const before = await first()
    for (let k = 0; k < 3; k++) {
      const current = await sequenceLogProbs(policy, s.images, s.prompts, s.tokens)
      await updater.step(s.tokens.map((tokens, i) => ({ image: s.images[i], prompt: s.prompts[i], continuation: tokens, oldLogProbs: current[i], distribution: { temperature: 1 }, advantage: i === 0 ? 1 : -1, role: 'civilian' })))
    }
    expect(await first()).toBeGreaterThan(before + 0.05)
    const after = await updater.readWeights()
    expect(after.size).toBe(weights.size)
    const visionSide = [...weights.keys()].filter(isVisionSideWeight)
    expect(visionSide).toEqual(expect.arrayContaining(['vision.stage0.conv.weight', 'vision.presence.weight', 'decoder.noduleSummary.weight']))
    for (const name of visionSide) expect(after.get(name), name).toEqual(weights.get(name))
    expect(after.get('decoder.tokens.weight')).not.toEqual(weights.get('decoder.tokens.weight'))
    // A round's checkpoint holds every weight with its Adam moments, and loads back as written.
    const saved = decodeCheckpoint(encodeCheckpoint({ config: c, tokenizer, weights: after, optimizer: await updater.readOptimizerState() }), 'round checkpoint')
    expect(saved.weights).toEqual(after)
    expect(saved.optimizer!.m.get('vision.stage0.conv.weight')!.every((x) => x === 0)).toBe(true)
    expect(saved.optimizer!.m.get('decoder.tokens.weight')!.some((x) => x !== 0)).toBe(true)
  })
})

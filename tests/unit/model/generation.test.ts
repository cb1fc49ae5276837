import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tinyVlmConfig as tinyDefault, type VlmConfig } from '../../../src/main/model/config'
import { generate, sequenceLogProbs } from '../../../src/main/model/generation'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { VlmModel, imageInput, initVlmWeights } from '../../../src/main/model/vlm'
import { Rng } from '../../../src/main/random'
import { Runtime } from '../../../src/main/tensor/runtime'

const texts = ['No pulmonary nodule. Lungs are clear.', 'A 12 mm nodule in the right upper zone.', '右肺上野见结节，约8毫米。']

const tokenizer = Tokenizer.train(texts, tinyDefault.vocab)
const tinyVlmConfig: VlmConfig = { ...tinyDefault, vocab: tokenizer.vocabSize }

function randomImage(seed: number, side: number): Float32Array {
  const rng = new Rng(seed)
  return imageInput(Uint8Array.from({ length: side * side }, () => rng.below(256)), side, side, tinyVlmConfig.vision.imageSize)
}

describe('VLM generation', () => {
  let runtime: Runtime
  let model: VlmModel
  beforeAll(async () => {
    runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: 1 })
    // Larger-than-default weights so the untrained model's distribution is far from uniform.
    const weights = initVlmWeights(tinyVlmConfig, 3)
    for (const w of weights.values()) for (let i = 0; i < w.length; i++) w[i] *= 8
    model = new VlmModel(tinyVlmConfig, tokenizer, runtime, weights)
  })
  afterAll(() => runtime.release())

  const prompts = () => {
    const t = model.tokenizer
    return [[t.special('<task:report>')], [t.special('<task:report>'), ...t.encode('A 12')], [t.special('<task:clue>'), t.special('<player:2>')]]
  }
  const images = () => [randomImage(1, 64), randomImage(2, 128), randomImage(3, 64)]

  it('generates the same tokens and log-probs with the KV cache as with full forwards', async () => {
    const opts = { maxNewTokens: 20, temperature: 1, topP: 0.9, seed: 11, stopTokens: [] }
    const cached = await generate(model, images(), prompts(), opts)
    const full = await generate(model, images(), prompts(), { ...opts, useCache: false })
    expect(cached.map((g) => g.tokens.length)).toEqual([20, 20, 20])
    for (let i = 0; i < cached.length; i++) {
      expect(cached[i].tokens).toEqual(full[i].tokens)
      cached[i].logProbs.forEach((lp, j) => expect(Math.abs(lp - full[i].logProbs[j])).toBeLessThan(1e-4))
    }
    // Sampling draws distinct sequences for distinct inputs.
    expect(new Set(cached.map((g) => g.tokens.join(','))).size).toBe(3)
  })

  it('samples each repeat of an (image, prompt) on its own when their prefill is shared', async () => {
    // A voter's G samples: the same image and prompt repeated; the prefill runs once for them.
    const image = randomImage(1, 64)
    const repeated = [image, image, image, randomImage(2, 128), image]
    const [a, b] = prompts()
    const repeatedPrompts = [a, a, a, b, b]
    const opts = { maxNewTokens: 12, temperature: 1, topP: 1, seed: 4, stopTokens: [] }
    const cached = await generate(model, repeated, repeatedPrompts, opts)
    const full = await generate(model, repeated, repeatedPrompts, { ...opts, useCache: false })
    for (let i = 0; i < cached.length; i++) {
      expect(cached[i].tokens).toEqual(full[i].tokens)
      cached[i].logProbs.forEach((lp, j) => expect(Math.abs(lp - full[i].logProbs[j])).toBeLessThan(1e-4))
    }
    expect(new Set(cached.slice(0, 3).map((g) => g.tokens.join(','))).size).toBe(3)
  })

  it('scores given continuations with the log-probs generation reported, under the temperature and allowed tokens they were drawn from', async () => {
    const vocab = tinyVlmConfig.vocab
    const allowedTokens = [Array.from({ length: vocab }, (_, v) => v), [3, 7, 11, 40], Array.from({ length: vocab }, (_, v) => v).filter((v) => v % 3 === 0)]
    const gen = await generate(model, images(), prompts(), { maxNewTokens: 12, temperature: 0.8, topP: 1, seed: 5, stopTokens: [], allowedTokens })
    gen.forEach((g, i) => {
      expect(g.distribution).toEqual({ temperature: 0.8, allowed: allowedTokens[i] })
      expect(g.tokens.every((t) => allowedTokens[i].includes(t))).toBe(true)
    })
    const scored = await sequenceLogProbs(model, images(), prompts(), gen.map((g) => g.tokens), gen.map((g) => g.distribution))
    gen.forEach((g, i) => g.logProbs.forEach((lp, j) => expect(scored[i][j]).toBeCloseTo(lp, 4)))
    // The row drawn among four tokens: its first-token distribution sums to 1 over those four.
    const four = allowedTokens[1].map((t) => [t])
    const scoredFour = await sequenceLogProbs(model, four.map(() => images()[1]), four.map(() => prompts()[1]), four, four.map(() => gen[1].distribution))
    expect(scoredFour.reduce((sum, [lp]) => sum + Math.exp(lp), 0)).toBeCloseTo(1, 4)
    // A list that names a token twice, or one past the vocabulary, is refused before any sampling.
    for (const bad of [[3, 3], [3, vocab]]) {
      await expect(generate(model, images(), prompts(), { maxNewTokens: 2, temperature: 1, topP: 1, seed: 5, allowedTokens: [allowedTokens[0], bad, allowedTokens[2]] })).rejects.toThrow(`prompt 1's allowed tokens must be distinct ids below ${vocab}`)
    }
  })

  it('is reproducible for a seed, stops at a stop token and decodes the text', async () => {
    const eos = model.tokenizer.special('<eos>')
    const a = await generate(model, images(), prompts(), { maxNewTokens: 16, temperature: 1.5, topP: 1, seed: 9 })
    const b = await generate(model, images(), prompts(), { maxNewTokens: 16, temperature: 1.5, topP: 1, seed: 9 })
    expect(a).toEqual(b)
    for (const g of a) {
      const stop = g.tokens.indexOf(eos)
      if (g.finish === 'stop') expect(stop).toBe(g.tokens.length - 1)
      else expect(stop).toBe(-1)
      expect(g.text).toBe(model.tokenizer.decode(g.tokens.filter((t) => t !== eos), { skipSpecial: true }))
    }
  })

  it('greedy decoding picks the most likely token', async () => {
    const [g] = await generate(model, [randomImage(1, 64)], [prompts()[0]], { maxNewTokens: 4, temperature: 0, topP: 1, seed: 0, stopTokens: [] })
    // The log-prob of a greedy choice is the row's maximum, so it is at least log(1/V).
    for (const lp of g.logProbs) expect(lp).toBeGreaterThanOrEqual(-Math.log(tinyVlmConfig.vocab) - 1e-6)
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from '../../../src/main/model/checkpoint'
import { tinyVlmConfig, type VlmConfig } from '../../../src/main/model/config'
import { decodeSafetensors, encodeSafetensors } from '../../../src/main/model/safetensors'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { initVlmWeights, vlmParams, weightMismatches } from '../../../src/main/model/vlm'

const tokenizer = Tokenizer.train(['No nodule seen. 右肺结节。'], 400)
const config: VlmConfig = { ...tinyVlmConfig, vocab: tokenizer.vocabSize }
let dir = ''
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }))

it('saves weights, optimizer state, config and tokenizer in one file and loads them back exactly', () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-ckpt-'))
  const weights = initVlmWeights(config, 1)
  const m = new Map([...weights].map(([n, w]) => [n, w.map((x) => x * 2)]))
  const v = new Map([...weights].map(([n, w]) => [n, w.map((x) => x * x)]))
  const file = path.join(dir, 'a.safetensors')
  const sha = saveCheckpoint(file, { config, tokenizer, weights, optimizer: { step: 17, m, v } })
  expect(sha).toMatch(/^[0-9a-f]{64}$/)
  expect(fs.readdirSync(dir)).toEqual(['a.safetensors'])
  const back = loadCheckpoint(file)
  expect(back.config).toEqual(config)
  expect(back.tokenizer.toJson()).toEqual(tokenizer.toJson())
  expect(back.optimizer?.step).toBe(17)
  for (const p of vlmParams(config)) {
    expect(back.weights.get(p.value.name)).toEqual(weights.get(p.value.name))
    expect(back.optimizer?.m.get(p.value.name)).toEqual(m.get(p.value.name))
  }
})

it('says which tensors do not fit the config', () => {
  const weights = initVlmWeights(config, 1)
  const bigger: VlmConfig = { ...config, decoder: { ...config.decoder, width: 64 } }
  // The same file with its config claiming a wider decoder: every decoder tensor is named.
  const { metadata, tensors } = decodeSafetensors(encodeCheckpoint({ config, tokenizer, weights, optimizer: null }))
  expect(() => decodeCheckpoint(encodeSafetensors(tensors, { ...metadata, config: JSON.stringify(bigger) }), 'user.safetensors')).toThrow(/user\.safetensors: the weights do not fit the tiny config: .*decoder\.tokens\.weight: shape \[\d+,32\] where the config needs \[\d+,64\]/)
  expect(() => decodeCheckpoint(encodeSafetensors({}, { format: 'other' }), 'f.safetensors')).toThrow('f.safetensors: not a VLM checkpoint')
})

it('names every missing and unexpected weight', () => {
  const weights = new Map([...initVlmWeights(config, 1)].map(([n, w]) => [n, { shape: [...vlmParams(config).find((p) => p.value.name === n)!.shape], w }]))
  weights.delete('projector.in.weight')
  weights.set('extra.bias', { shape: [3], w: new Float32Array(3) })
  expect(weightMismatches(config, weights)).toEqual(['missing projector.in.weight [32,32]', 'unexpected extra.bias'])
})

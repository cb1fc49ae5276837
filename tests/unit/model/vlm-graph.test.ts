import { afterAll, beforeAll, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import { convVlmConfig, defaultVlmConfig, imageTokenCount, parseVlmConfig, prefixLength, tinyConvVlmConfig, tinyVlmConfig, type VlmConfig } from '../../../src/main/model/config'
import { imageBatch } from '../../../src/main/model/generation'
import { imageInput, initVlmWeights, vlmParams } from '../../../src/main/model/vlm'
import { imagePatches, imagePrefix } from '../../../src/main/model/vlm-graph'
import { augmentImage } from '../../../src/main/model/warmup'
import { Graph } from '../../../src/main/tensor/graph'
import { Rng } from '../../../src/main/random'
import { Runtime } from '../../../src/main/tensor/runtime'

let runtime: Runtime
beforeAll(async () => (runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: 1 })))
afterAll(() => runtime.release())

it('cuts images into patches in row-major order, each patch row by row', async () => {
  const c = tinyVlmConfig
  if (c.vision.kind !== 'vit') throw new Error('the tiny config is a ViT')
  const s = c.vision.imageSize
  const p = c.vision.patch
  const n = s / p
  const images = [0, 1].map((b) => Float32Array.from({ length: s * s }, (_, i) => b * 1e5 + i))
  const g = new Graph('patches')
  const out = await (await runtime.compile(g.toModel({ patches: imagePatches(g, c.vision, g.input('images', 'float32', [2, s, s])) }))).run({ images: imageBatch(c, images) })
  const got = out.patches.data as Float32Array
  expect(out.patches.dims).toEqual([2, n * n, p * p])
  for (const [b, pr, pc, y, x] of [[0, 0, 0, 0, 0], [0, 1, 2, 3, 4], [1, 3, 3, 15, 15], [1, 2, 0, 7, 9]]) {
    const want = b * 1e5 + (pr * p + y) * s + pc * p + x
    expect(got[((b * n * n) + pr * n + pc) * p * p + y * p + x]).toBe(want)
  }
})

it('derives every size from the config', () => {
  expect(imageTokenCount(defaultVlmConfig)).toBe(64)
  expect(prefixLength(defaultVlmConfig)).toBe(65)
  const params = vlmParams(defaultVlmConfig)
  const count = params.reduce((a, q) => a + q.shape.reduce((x, y) => x * y, 1), 0)
  expect(count).toBeGreaterThan(4e6)
  expect(count).toBeLessThan(8e6)
  expect(params.find((q) => q.value.name === 'vision.positions.weight')?.shape).toEqual([256, 192])
  expect(params.find((q) => q.value.name === 'decoder.positions.weight')?.shape).toEqual([65 + defaultVlmConfig.decoder.maxText, 256])
  // A bigger model is only a different config.
  const big = parseVlmConfig({ ...defaultVlmConfig, name: 'big', vision: { ...defaultVlmConfig.vision, imageSize: 512, width: 256, heads: 4 } }, 'big.json')
  expect(imageTokenCount(big)).toBe(256)
  expect(vlmParams(big).find((q) => q.value.name === 'vision.patch.weight')?.shape).toEqual([256, 256])
})

it('reads configs written before the conv encoder as ViTs, and sizes the conv encoder from its config', () => {
  const { kind: _kind, ...oldVision } = defaultVlmConfig.vision as Extract<typeof defaultVlmConfig.vision, { kind: 'vit' }>
  expect(parseVlmConfig({ ...defaultVlmConfig, vision: oldVision }, 'old.json').vision).toEqual(defaultVlmConfig.vision)
  expect(imageTokenCount(convVlmConfig)).toBe(64)
  const params = vlmParams(convVlmConfig)
  expect(params.find((q) => q.value.name === 'vision.stage0.conv.weight')?.shape).toEqual([16, 4, 3, 3])
  expect(params.find((q) => q.value.name === 'vision.positions.weight')?.shape).toEqual([64, 32])
  expect(() => parseVlmConfig({ ...convVlmConfig, vision: { ...convVlmConfig.vision, tokensPerSide: 5 } }, 'c.json')).toThrow('image size 256, folded 2×2 and halved between 3 stages, gives a 32-pixel map that does not pool into 5 tokens per side')
})

/** The decoder's first prefix position (the start vector) for two different images, under fresh weights. */
async function startVectors(c: VlmConfig): Promise<[number[], number[]]> {
  const s = c.vision.imageSize
  const g = new Graph('prefix')
  const prefix = imagePrefix(g, c, g.input('images', 'float32', [2, s, s]))
  const images = [0, 1].map((b) => Float32Array.from({ length: s * s }, (_, i) => (b === 0 ? 0 : Math.sin(i / 7))))
  const feeds: Record<string, ort.Tensor> = { images: imageBatch(c, images) }
  const weights = initVlmWeights(c, 3)
  for (const p of g.params) feeds[p.value.name] = new ort.Tensor('float32', weights.get(p.value.name)!, [...p.shape])
  const out = (await (await runtime.compile(g.toModel({ prefix }))).run(feeds)).prefix
  const [, n, d] = out.dims as number[]
  const data = out.data as Float32Array
  return [0, 1].map((b) => Array.from(data.subarray(b * n * d, b * n * d + d))) as [number[], number[]]
}

it('with noduleSummary, the presence and place heads are part of the model and set each image\'s start vector', async () => {
  const names = (c: VlmConfig) => vlmParams(c).map((q) => q.value.name)
  expect(tinyConvVlmConfig.noduleSummary).toBe(true)
  expect(names(tinyConvVlmConfig)).toEqual(expect.arrayContaining(['vision.presence.weight', 'vision.places.weight', 'decoder.noduleSummary.weight']))
  expect(names(tinyVlmConfig).filter((n) => n.startsWith('vision.presence') || n.startsWith('vision.places') || n.startsWith('decoder.noduleSummary'))).toEqual([])
  const [a, b] = await startVectors(tinyConvVlmConfig)
  expect(a).not.toEqual(b)
  // Without it the start vector is one learned vector, whatever the image.
  const [c, d] = await startVectors({ ...tinyConvVlmConfig, noduleSummary: false })
  expect(c).toEqual(d)
})

it('rejects configs whose sizes do not fit together, saying why', () => {
  expect(() => parseVlmConfig({ ...tinyVlmConfig, vision: { ...tinyVlmConfig.vision, imageSize: 70 } }, 'my.json')).toThrow('my.json: not a valid model config: config: image size 70 is not a multiple of the patch 16')
  expect(() => parseVlmConfig({ ...tinyVlmConfig, decoder: { ...tinyVlmConfig.decoder, heads: 3 } }, 'my.json')).toThrow('decoder width 32 does not split into 3 heads')
})

it('scales 8-bit images of any size to the model side', () => {
  const img = imageInput(Uint8Array.from({ length: 128 * 128 }, (_, i) => (i % 128 < 64 ? 0 : 255)), 128, 128, 64)
  expect(img.length).toBe(64 * 64)
  // Half black, half white: standardised to -1 and +1.
  expect(img[0]).toBeCloseTo(-1, 5)
  expect(img[63]).toBeCloseTo(1, 5)
  expect(imageInput(Uint8Array.from({ length: 64 * 64 }, (_, i) => (i % 64 < 32 ? 100 : 110)), 64, 64, 64)[63]).toBeCloseTo(1, 5)
})

it('augments training images by a small shift and a contrast change, reproducibly', () => {
  const side = 64
  const image = Float32Array.from({ length: side * side }, (_, i) => (i % side) / side)
  const a = augmentImage(image, side, new Rng(4))
  expect(augmentImage(image, side, new Rng(4))).toEqual(a)
  expect(a).not.toEqual(image)
  // Each row is the same ramp: shifted, it keeps its slope up to the 0.9–1.1 contrast change.
  const slope = (a[side * 10 + 30] - a[side * 10 + 20]) / (10 / side)
  expect(slope).toBeGreaterThan(0.89)
  expect(slope).toBeLessThan(1.11)
})

import { afterAll, beforeAll, expect, it } from 'vitest'
import { Graph } from '../../../src/main/tensor/graph'
import { conv2d, maxPool2d } from '../../../src/main/tensor/layers'
import { Rng } from '../../../src/main/random'
import { Runtime, ort } from '../../../src/main/tensor/runtime'

/** conv2d and maxPool2d against the textbook loops, on onnxruntime ([B,C,H,W], zero padding). */
let runtime: Runtime

beforeAll(async () => {
  runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: 1 })
})

afterAll(async () => {
  await runtime.release()
})

const random = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.normal())

it('conv2d is a same-size k×k convolution with zero padding, bias added', async () => {
  const [b, h, w, c, out, k] = [2, 5, 4, 3, 2, 3]
  const rng = new Rng(5)
  const x = random(rng, b * h * w * c)
  const weight = random(rng, k * k * c * out)
  const bias = random(rng, out)
  const g = new Graph('conv')
  const y = conv2d(g, 'conv', g.input('x', 'float32', [b, c, h, w]), out, k)
  const got = (
    await (
      await runtime.compile(g.toModel({ y }))
    ).run({ x: new ort.Tensor('float32', x, [b, c, h, w]), 'conv.weight': new ort.Tensor('float32', weight, [out, c, k, k]), 'conv.bias': new ort.Tensor('float32', bias, [out, 1, 1]) })
  ).y.data as Float32Array
  expect(y.shape).toEqual([b, out, h, w])
  const r = (k - 1) / 2
  for (let n = 0; n < b; n++)
    for (let o = 0; o < out; o++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          let sum = bias[o]
          for (let ch = 0; ch < c; ch++)
            for (let dy = 0; dy < k; dy++)
              for (let dx = 0; dx < k; dx++) {
                const yy = i + dy - r
                const xx = j + dx - r
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) sum += x[((n * c + ch) * h + yy) * w + xx] * weight[((o * c + ch) * k + dy) * k + dx]
              }
          expect(got[((n * out + o) * h + i) * w + j]).toBeCloseTo(sum, 4)
        }
})

it('maxPool2d takes the largest value of each q×q block per channel', async () => {
  const [b, h, w, c, q] = [1, 4, 6, 2, 2]
  const x = random(new Rng(6), b * h * w * c)
  const g = new Graph('pool')
  const y = maxPool2d(g, g.input('x', 'float32', [b, c, h, w]), q)
  const got = (await (await runtime.compile(g.toModel({ y }))).run({ x: new ort.Tensor('float32', x, [b, c, h, w]) })).y.data as Float32Array
  expect(y.shape).toEqual([b, c, h / q, w / q])
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < h / q; i++)
      for (let j = 0; j < w / q; j++) {
        let best = -Infinity
        for (let di = 0; di < q; di++) for (let dj = 0; dj < q; dj++) best = Math.max(best, x[(ch * h + i * q + di) * w + j * q + dj])
        expect(got[(ch * (h / q) + i) * (w / q) + j]).toBe(best)
      }
  const g2 = new Graph('bad')
  expect(() => maxPool2d(g2, g2.input('x', 'float32', [1, 1, 5, 4]), 2)).toThrow(/does not pool by 2/)
})

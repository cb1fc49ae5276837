import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { grad } from '../../../src/main/tensor/autodiff'
import type { F64Tensor } from '../../../src/main/tensor/float64-interpreter'
import { Graph, type Value } from '../../../src/main/tensor/graph'
import { checkGradients, randomFeed } from '../../../src/main/tensor/gradient-check'
import { Rng } from '../../../src/main/random'
import { attend, causalMask, conv2d, crossEntropy, instanceNorm, maxPool2d, transformerBlock } from '../../../src/main/tensor/layers'
import { Runtime } from '../../../src/main/tensor/runtime'

/**
 * Every op's gradient (float32, onnxruntime) against central finite differences of the float64
 * interpreter, on fresh seeded random inputs. The tolerance is acceptance point 1 of the engine.
 */
const TOLERANCE = 1e-3

type FeedSpec = { shape: number[]; dtype?: 'float32' | 'int64' | 'bool'; positive?: boolean; below?: number; grad?: boolean }

interface Case {
  name: string
  inputs: Record<string, FeedSpec>
  build: (g: Graph, x: Record<string, Value>) => Value
  /** Coordinates checked per input (default: up to 64). */
  coordinates?: number
}

const f = (shape: number[], extra: Partial<FeedSpec> = {}): FeedSpec => ({ shape, grad: true, ...extra })

const cases: Case[] = [
  { name: 'MatMul (batched, broadcast)', inputs: { a: f([2, 1, 3, 4]), b: f([3, 4, 2]) }, build: (g, x) => g.matmul(x.a, x.b) },
  { name: 'MatMul (shared 2-D weight)', inputs: { a: f([2, 3, 4]), b: f([4, 5]) }, build: (g, x) => g.matmul(x.a, x.b) },
  { name: 'Gemm', inputs: { a: f([3, 4]), b: f([5, 4]), c: f([5]) }, build: (g, x) => g.gemm(x.a, x.b, x.c, { transB: true, alpha: 0.7, beta: 1.3 }) },
  { name: 'Gemm (transA)', inputs: { a: f([4, 3]), b: f([4, 5]) }, build: (g, x) => g.gemm(x.a, x.b, null, { transA: true }) },
  { name: 'Add (broadcast)', inputs: { a: f([2, 3, 4]), b: f([3, 1]) }, build: (g, x) => g.add(x.a, x.b) },
  { name: 'Sub (broadcast)', inputs: { a: f([3, 1]), b: f([2, 3, 4]) }, build: (g, x) => g.sub(x.a, x.b) },
  { name: 'Mul (broadcast)', inputs: { a: f([2, 3, 4]), b: f([4]) }, build: (g, x) => g.mul(x.a, x.b) },
  { name: 'Div (broadcast)', inputs: { a: f([2, 3]), b: f([2, 1], { positive: true }) }, build: (g, x) => g.div(x.a, x.b) },
  { name: 'Neg', inputs: { a: f([3, 4]) }, build: (g, x) => g.neg(x.a) },
  { name: 'Pow', inputs: { a: f([3, 4], { positive: true }), b: f([4]) }, build: (g, x) => g.pow(x.a, x.b) },
  { name: 'Sqrt', inputs: { a: f([3, 4], { positive: true }) }, build: (g, x) => g.sqrt(x.a) },
  { name: 'Exp', inputs: { a: f([3, 4]) }, build: (g, x) => g.exp(x.a) },
  { name: 'Log', inputs: { a: f([3, 4], { positive: true }) }, build: (g, x) => g.log(x.a) },
  { name: 'Tanh', inputs: { a: f([3, 4]) }, build: (g, x) => g.tanh(x.a) },
  { name: 'Sigmoid', inputs: { a: f([3, 4]) }, build: (g, x) => g.sigmoid(x.a) },
  { name: 'Relu', inputs: { a: f([3, 4]) }, build: (g, x) => g.relu(x.a) },
  { name: 'Erf', inputs: { a: f([3, 4]) }, build: (g, x) => g.erf(x.a) },
  { name: 'GELU', inputs: { a: f([3, 4]) }, build: (g, x) => g.gelu(x.a) },
  { name: 'Softmax', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.softmax(x.a, 1) },
  { name: 'LogSoftmax', inputs: { a: f([2, 5]) }, build: (g, x) => g.logSoftmax(x.a, -1) },
  { name: 'LayerNormalization', inputs: { a: f([2, 3, 6]), s: f([6]), b: f([6]) }, build: (g, x) => g.layerNormalization(x.a, x.s, x.b) },
  { name: 'ReduceSum', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.reduceSum(x.a, [0, 2]) },
  { name: 'ReduceMean (keepdims)', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.reduceMean(x.a, [1], true) },
  { name: 'ReduceMax', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.reduceMax(x.a, [2]) },
  { name: 'Reshape', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.mul(g.reshape(x.a, [6, 4]), g.reshape(x.a, [6, 4])) },
  { name: 'Transpose', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.transpose(x.a, [2, 0, 1]) },
  { name: 'Concat', inputs: { a: f([2, 3]), b: f([2, 2]) }, build: (g, x) => g.concat([x.a, x.b, x.a], 1) },
  { name: 'Slice', inputs: { a: f([4, 5]) }, build: (g, x) => g.slice(x.a, [0, 1], [1, -4], [3, 100]) },
  { name: 'Conv (3×3, padded)', inputs: { x: f([2, 3, 5, 4]), w: f([2, 3, 3, 3]) }, build: (g, x) => g.conv(x.x, x.w, 1) },
  { name: 'Conv (5×3 kernel, unpadded)', inputs: { x: f([1, 2, 6, 5]), w: f([3, 2, 5, 3]) }, build: (g, x) => g.conv(x.x, x.w, 0) },
  { name: 'Pad (zeros)', inputs: { a: f([2, 3, 4]) }, build: (g, x) => g.mul(g.pad(x.a, [0, 1, 2], [0, 2, 0]), g.pad(x.a, [0, 1, 2], [0, 2, 0])) },
  { name: 'Split (one part unused)', inputs: { a: f([2, 6]) }, build: (g, x) => g.split(x.a, [2, 3, 1], 1)[1] },
  { name: 'Split (fan-out)', inputs: { a: f([2, 6]) }, build: (g, x) => g.concat(g.split(x.a, [2, 4], 1).reverse(), 1) },
  { name: 'Squeeze/Unsqueeze', inputs: { a: f([2, 1, 3]) }, build: (g, x) => g.unsqueeze(g.exp(g.squeeze(x.a, [1])), [0, 3]) },
  { name: 'Expand', inputs: { a: f([3, 1]) }, build: (g, x) => g.expand(x.a, [2, 3, 4]) },
  { name: 'Gather (embedding, repeated ids)', inputs: { w: f([5, 3]), ids: { shape: [2, 4], dtype: 'int64', below: 5 } }, build: (g, x) => g.gather(x.w, x.ids) },
  { name: 'Where', inputs: { c: { shape: [3, 4], dtype: 'bool' }, a: f([3, 4]), b: f([4]) }, build: (g, x) => g.where(x.c, x.a, x.b) },
  { name: 'Cast (float64 round trip)', inputs: { a: f([3, 4]) }, build: (g, x) => g.cast(g.exp(g.cast(x.a, 'float64')), 'float32') },
  { name: 'Trilu', inputs: { a: f([2, 4, 4]) }, build: (g, x) => g.trilu(x.a, false, 0) },
  { name: 'Range/Less causal mask', inputs: { a: f([4, 4]) }, build: (g, x) => g.softmax(g.add(x.a, causalMask(g, 4)), -1) },
  {
    name: 'Attention (multi-head, causal + additive mask)',
    inputs: { q: f([2, 2, 4, 3]), k: f([2, 2, 4, 3]), v: f([2, 2, 4, 3]), pad: f([2, 1, 1, 4]) },
    build: (g, x) => attend(g, x.q, x.k, x.v, g.add(causalMask(g, 4), x.pad))
  },
  {
    name: 'Cross-entropy (ignore index, token weights)',
    inputs: { logits: f([6, 5]), t: { shape: [6], dtype: 'int64', below: 5 }, w: f([6], { positive: true }) },
    build: (g, x) => {
      // Token 2 is marked ignored; its row must get no gradient.
      const targets = g.where(g.equal(g.range(0, 6), g.scalar(2, 'int64')), g.scalar(-100, 'int64'), x.t)
      return crossEntropy(g, x.logits, targets, x.w).loss
    }
  },
  {
    name: 'Cross-entropy (signed advantages, per-token mean)',
    inputs: { logits: f([6, 5]), t: { shape: [6], dtype: 'int64', below: 5 }, adv: f([6]) },
    build: (g, x) => crossEntropy(g, x.logits, x.t, x.adv, { normalizeBy: 'tokens' }).loss
  },
  {
    name: 'Token log-probabilities (ignore index)',
    inputs: { logits: f([6, 5]), t: { shape: [6], dtype: 'int64', below: 5 } },
    build: (g, x) => crossEntropy(g, x.logits, g.where(g.less(g.range(0, 6), g.scalar(2, 'int64')), g.scalar(-100, 'int64'), x.t), null).tokenLogProbs
  }
]

let runtime: Runtime

beforeAll(async () => {
  runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: 1 })
})

afterAll(async () => {
  await runtime.release()
})

function feedsFor(rng: Rng, g: Graph, specs: Record<string, FeedSpec>): { values: Record<string, Value>; feeds: Record<string, F64Tensor>; wrt: Value[] } {
  const values: Record<string, Value> = {}
  const feeds: Record<string, F64Tensor> = {}
  const wrt: Value[] = []
  for (const [name, s] of Object.entries(specs)) {
    const dtype = s.dtype ?? 'float32'
    values[name] = g.input(name, dtype, s.shape)
    feeds[name] = randomFeed(rng, dtype, s.shape, s)
    if (s.grad) wrt.push(values[name])
  }
  return { values, feeds, wrt }
}

describe('gradient checks (float32 onnxruntime vs float64 central differences)', () => {
  cases.forEach((c, idx) => {
    it(c.name, async () => {
      const g = new Graph(`check${idx}`)
      const { values, feeds, wrt } = feedsFor(new Rng(1000 + idx), g, c.inputs)
      const out = c.build(g, values)
      const r = await checkGradients(runtime, g, out, wrt, feeds, { seed: idx, coordinates: c.coordinates })
      console.log(`gradcheck ${c.name.padEnd(48)} max_rel_err=${r.maxRelError.toExponential(2)} forward_rel_err=${r.forwardRelError.toExponential(2)}`)
      expect(r.forwardRelError).toBeLessThan(TOLERANCE)
      expect(r.maxRelError).toBeLessThan(TOLERANCE)
    })
  })

  it('a whole pre-LN transformer block (attention + MLP + LayerNorm), every parameter', async () => {
    const rng = new Rng(77)
    const g = new Graph('block')
    const x = g.input('x', 'float32', [2, 4, 8])
    const out = transformerBlock(g, 'blk', x, { heads: 2, mlpRatio: 2 }, causalMask(g, 4)).out
    const feeds: Record<string, F64Tensor> = { x: randomFeed(rng, 'float32', [2, 4, 8]) }
    for (const p of g.params) {
      const t = randomFeed(rng, 'float32', [...p.shape])
      // Weights at a realistic scale keep the block away from saturation.
      feeds[p.value.name] = { ...t, data: t.data.map((v) => Math.fround(v * (p.shape.length === 2 ? 0.3 : 1))) }
    }
    const wrt = [x, ...g.params.map((p) => p.value)]
    const r = await checkGradients(runtime, g, out, wrt, feeds, { coordinates: 24 })
    for (const [name, err] of Object.entries(r.perInput)) console.log(`gradcheck block ${name.padEnd(36)} max_rel_err=${err.toExponential(2)}`)
    expect(g.params.length).toBe(12)
    expect(r.forwardRelError).toBeLessThan(TOLERANCE)
    expect(r.maxRelError).toBeLessThan(TOLERANCE)
  })

  it('a convolution stage (conv2d + instanceNorm + ReLU + maxPool2d), every parameter', async () => {
    const rng = new Rng(78)
    const g = new Graph('conv')
    const x = g.input('x', 'float32', [2, 3, 4, 4])
    const out = maxPool2d(g, g.relu(instanceNorm(g, 'norm', conv2d(g, 'conv', x, 5, 3, { bias: false }))), 2)
    const feeds: Record<string, F64Tensor> = { x: randomFeed(rng, 'float32', [2, 3, 4, 4]) }
    for (const p of g.params) feeds[p.value.name] = randomFeed(rng, 'float32', [...p.shape])
    const r = await checkGradients(runtime, g, out, [x, ...g.params.map((p) => p.value)], feeds, { coordinates: 32 })
    for (const [name, err] of Object.entries(r.perInput)) console.log(`gradcheck conv ${name.padEnd(37)} max_rel_err=${err.toExponential(2)}`)
    expect(r.forwardRelError).toBeLessThan(TOLERANCE)
    expect(r.maxRelError).toBeLessThan(TOLERANCE)
  })

  it('reports bad shapes and a non-scalar loss with clear errors', () => {
    const g = new Graph()
    const a = g.input('a', 'float32', [3])
    expect(() => g.matmul(a, a)).toThrow(/matmul: operands need rank ≥ 2/)
    expect(() => g.add(a, g.input('b', 'float32', [4]))).toThrow(/Add: shapes \[3\] and \[4\] do not broadcast/)
    expect(() => grad(g.add(a, a), [a])).toThrow(/loss must be a float scalar/)
    expect(() => g.input('a', 'float32', [1])).toThrow(/Duplicate value name 'a'/)
  })
})

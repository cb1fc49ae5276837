import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decoderForward, decoderLoss, decoderStep, stepMask, type DecoderConfig } from '../../../src/main/tensor/decoder'
import { chosenExecutionProvider } from '../../../src/main/tensor/execution-providers'
import { Graph } from '../../../src/main/tensor/graph'
import { attend, causalMask, crossEntropy } from '../../../src/main/tensor/layers'
import { initParams } from '../../../src/main/tensor/init'
import { Rng } from '../../../src/main/random'
import { chooseExecutionProvider, createTrainingRuntimes, Runtime, ort } from '../../../src/main/tensor/runtime'
import { buildTrainStep } from '../../../src/main/tensor/train-step'
import { Trainer } from '../../../src/main/tensor/trainer'

let runtime: Runtime

beforeAll(async () => {
  runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: 1 })
})

afterAll(async () => {
  await runtime.release()
})

const f32 = (data: number[], dims: number[]) => new ort.Tensor('float32', Float32Array.from(data), dims)

describe('execution providers', () => {
  it('falls back from webgpu to cpu without a GPU, with a one-line reason', async () => {
    const lines: string[] = []
    const choice = await chooseExecutionProvider('webgpu', (l) => lines.push(l))
    expect(choice.chosen).toBe('cpu')
    expect(choice.attempts.map((a) => [a.provider, a.ok])).toEqual([
      ['webgpu', false],
      ['cpu', true]
    ])
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^execution provider webgpu unavailable: \S/)
    expect(lines[0]).not.toContain('\n')
    expect(choice.attempts[0].reason).toBe(lines[0].replace('execution provider webgpu unavailable: ', ''))
  })

  it('tries the whole auto order one provider at a time and ends on cpu', async () => {
    const lines: string[] = []
    const choice = await chooseExecutionProvider('auto', (l) => lines.push(l))
    expect(choice.chosen).toBe('cpu')
    expect(choice.attempts.map((a) => a.provider)).toEqual(['webgpu', 'dml', 'coreml', 'cpu'])
    // A provider this platform's onnxruntime-node lacks is recorded with why, but not logged under auto.
    expect(choice.attempts.find((a) => a.provider === 'dml')?.reason).toMatch(/not compiled into onnxruntime-node/)
    expect(lines.filter((l) => /provider (dml|coreml) /.test(l))).toEqual([])
    expect(lines.find((l) => l.startsWith('execution provider webgpu unavailable'))).toBeDefined()
  })

  it.skipIf(process.platform === 'win32')('says why a provider asked for by name cannot be used, even one this platform lacks', async () => {
    const lines: string[] = []
    const choice = await chooseExecutionProvider('dml', (l) => lines.push(l))
    expect(choice.chosen).toBe('cpu')
    expect(lines).toEqual([`execution provider dml unavailable: not compiled into onnxruntime-node for ${process.platform}-${process.arch}`])
  })

  it('reports the chosen provider for app.info, probing once per preference', async () => {
    const first = chosenExecutionProvider('webgpu')
    expect(chosenExecutionProvider('webgpu')).toBe(first)
    expect(await first).toBe('cpu')
    expect(await chosenExecutionProvider('cpu')).toBe('cpu')
  })
})

describe('runtime', () => {
  it('runs models with negative int64 constants and int64 inputs, and caches sessions by graph', async () => {
    const build = () => {
      const g = new Graph('rt')
      const x = g.input('x', 'float32', [2, 3])
      const ids = g.input('ids', 'int64', [2])
      const y = g.reshape(g.slice(x, [1], [-2], [100]), [-1])
      return g.toModel({ y, picked: g.gather(x, ids) })
    }
    const a = await runtime.compile(build())
    const b = await runtime.compile(build())
    expect(b).toBe(a)
    const out = await a.run({ x: f32([1, 2, 3, 4, 5, 6], [2, 3]), ids: new ort.Tensor('int64', BigInt64Array.of(1n, 0n), [2]) })
    expect(Array.from(out.y.data as Float32Array)).toEqual([2, 3, 5, 6])
    expect(Array.from(out.picked.data as Float32Array)).toEqual([4, 5, 6, 1, 2, 3])
    await expect(a.run({ x: f32([1, 2, 3, 4, 5, 6], [2, 3]) })).rejects.toThrow(/Missing input 'ids'/)
  })
})

/** One float64 AdamW step after global-norm clipping, as PyTorch's clip_grad_norm_ + AdamW do it. */
function referenceAdamW(s: { p: number[]; m: number[]; v: number[]; decays: boolean[] }, grads: number[], t: number, lr: number, wd: number, maxNorm: number): void {
  const norm = Math.sqrt(grads.reduce((acc, x) => acc + x * x, 0))
  const clip = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1
  for (let i = 0; i < s.p.length; i++) {
    const g = grads[i] * clip
    s.m[i] = 0.9 * s.m[i] + 0.1 * g
    s.v[i] = 0.999 * s.v[i] + 0.001 * g * g
    const mh = s.m[i] / (1 - 0.9 ** t)
    const vh = s.v[i] / (1 - 0.999 ** t)
    s.p[i] = s.p[i] * (1 - lr * (s.decays[i] ? wd : 0)) - (lr * mh) / (Math.sqrt(vh) + 1e-8)
  }
}

/** Least squares x·w + b ≈ y as a fused train step, with fixed data. */
function regression() {
  const g = new Graph('adam')
  const x = g.input('x', 'float32', [4, 3])
  const y = g.input('y', 'float32', [4, 2])
  const w = g.param('w', [3, 2], { kind: 'normal', std: 1 })
  const b = g.param('b', [2], { kind: 'zeros' })
  const err = g.sub(g.add(g.matmul(x, w), b), y)
  const spec = buildTrainStep(g, g.reduceSum(g.mul(err, err), [0, 1]), {}, { weightDecay: 0.1, maxGradNorm: 0.5 })
  const rng = new Rng(5)
  const xs = Array.from({ length: 12 }, () => Math.fround(rng.normal()))
  const ys = Array.from({ length: 8 }, () => Math.fround(rng.normal()))
  return { spec, init: initParams(g.params, 3), xs, ys, batch: { x: f32(xs, [4, 3]), y: f32(ys, [4, 2]) } }
}

describe('fused train step', () => {
  it('matches a float64 AdamW with clipping and decoupled weight decay over three steps', async () => {
    const { spec, init, xs, ys, batch } = regression()
    const trainer = await Trainer.create(runtime, spec, init)
    // Decay applies to w (normal init) and not to b (zeros init).
    const ref = { p: [...init.get('w')!, ...init.get('b')!], m: new Array<number>(8).fill(0), v: new Array<number>(8).fill(0), decays: [...new Array<boolean>(6).fill(true), false, false] }
    for (let t = 1; t <= 3; t++) {
      const lr = 0.05 * t
      const { metrics } = await trainer.step(batch, lr)
      // d loss/dw = 2 xᵀe, d loss/db = 2 Σ e
      const grads = new Array<number>(8).fill(0)
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 2; c++) {
          let pred = ref.p[6 + c]
          for (let k = 0; k < 3; k++) pred += xs[r * 3 + k] * ref.p[k * 2 + c]
          const e = pred - ys[r * 2 + c]
          for (let k = 0; k < 3; k++) grads[k * 2 + c] += 2 * e * xs[r * 3 + k]
          grads[6 + c] += 2 * e
        }
      expect(metrics.grad_norm).toBeCloseTo(Math.sqrt(grads.reduce((acc, q) => acc + q * q, 0)), 3)
      expect(metrics.grad_norm).toBeGreaterThan(0.5) // clipping is exercised
      referenceAdamW(ref, grads, t, lr, 0.1, 0.5)
    }
    const got = await trainer.readWeights()
    const ours = [...got.get('w')!, ...got.get('b')!]
    ours.forEach((v, i) => expect(v).toBeCloseTo(ref.p[i], 4))
    expect(trainer.stepCount).toBe(3)
  })

  it('resumes from saved weights and optimizer state exactly where it left off', async () => {
    const { spec, init, batch } = regression()
    const straight = await Trainer.create(runtime, spec, init)
    for (let t = 0; t < 3; t++) await straight.step(batch, 0.05)
    const first = await Trainer.create(runtime, spec, init)
    for (let t = 0; t < 2; t++) await first.step(batch, 0.05)
    const resumed = await Trainer.create(runtime, spec, await first.readWeights(), await first.readOptimizerState())
    expect(resumed.stepCount).toBe(2)
    await resumed.step(batch, 0.05)
    const a = await straight.readWeights()
    const b = await resumed.readWeights()
    expect(Array.from(b.get('w')!)).toEqual(Array.from(a.get('w')!))
    expect(Array.from(b.get('b')!)).toEqual(Array.from(a.get('b')!))
    await expect(Trainer.create(runtime, spec, new Map([['w', new Float32Array(5)]]))).rejects.toThrow(/weights for w must hold 6 values, got 5/)
  })

  // On a machine with a GPU provider the train steps run there and generation on the CPU; without
  // one both are the same CPU runtime. Either way a CPU model must read the trainer's current weights.
  it('trains on the preferred provider and hands its current weights to a model on the CPU', async () => {
    const runtimes = await createTrainingRuntimes({ executionProvider: 'auto', intraOpThreads: 1, log: () => {} })
    try {
      expect(runtimes.generate.provider).toBe('cpu')
      expect(runtimes.generate === runtimes.train).toBe(runtimes.train.provider === 'cpu')
      const { spec, init, batch } = regression()
      const trainer = await Trainer.create(runtimes.train, spec, init)
      await trainer.step(batch, 0.05)
      const feeds = await trainer.weightFeedsFor(runtimes.generate)
      const trained = await trainer.readWeights()
      expect(feeds.w.location).toBe('cpu')
      expect(Array.from(feeds.w.data as Float32Array)).toEqual(Array.from(trained.get('w')!))
      expect(Array.from(trained.get('w')!)).not.toEqual(Array.from(init.get('w')!))
    } finally {
      await runtimes.release()
    }
  })
})

describe('decoder generation step', () => {
  it('gives the same next-token logits from the fixed-size KV cache as the full forward pass', async () => {
    const cfg: DecoderConfig = { vocab: 11, width: 8, layers: 2, heads: 2, maxLength: 6 }
    const T = 5
    const full = new Graph('full')
    const ids = full.input('ids', 'int64', [1, T])
    const fwd = decoderForward(full, cfg, ids)
    const weights = initParams(full.params, 9)
    for (const [, w] of weights) for (let i = 0; i < w.length; i++) w[i] *= 20 // away from uniform logits
    const tokens = [3, 1, 4, 1, 5]
    const feeds: Record<string, ort.Tensor> = { ids: new ort.Tensor('int64', BigInt64Array.from(tokens.map(BigInt)), [1, T]) }
    for (const p of full.params) feeds[p.value.name] = new ort.Tensor('float32', weights.get(p.value.name)!, [...p.shape])
    const expected = (await (await runtime.compile(full.toModel({ logits: fwd.logits }))).run(feeds)).logits.data as Float32Array

    const S = cfg.maxLength
    const dh = cfg.width / cfg.heads
    const step = new Graph('step')
    const past = Array.from({ length: cfg.layers }, (_, l) => ({
      k: step.input(`past${l}.k`, 'float32', [1, cfg.heads, S, dh]),
      v: step.input(`past${l}.v`, 'float32', [1, cfg.heads, S, dh])
    }))
    const inp = {
      ids: step.input('ids', 'int64', [1, 1]),
      positions: step.input('pos', 'int64', [1, 1]),
      past,
      mask: step.input('mask', 'float32', [1, 1, 1, S + 1])
    }
    const out = decoderStep(step, cfg, inp)
    const outputs: Record<string, ReturnType<Graph['input']>> = { logits: out.logits }
    out.k.forEach((k, l) => ((outputs[`k${l}`] = k), (outputs[`v${l}`] = out.v[l])))
    const model = await runtime.compile(step.toModel(outputs))
    const cache = past.map(() => ({ k: new Float32Array(cfg.heads * S * dh), v: new Float32Array(cfg.heads * S * dh) }))
    for (let t = 0; t < T; t++) {
      const sf: Record<string, ort.Tensor> = {
        ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(tokens[t])), [1, 1]),
        pos: new ort.Tensor('int64', BigInt64Array.of(BigInt(t)), [1, 1]),
        mask: new ort.Tensor('float32', stepMask([t], S), [1, 1, 1, S + 1])
      }
      cache.forEach((c, l) => {
        sf[`past${l}.k`] = new ort.Tensor('float32', c.k, [1, cfg.heads, S, dh])
        sf[`past${l}.v`] = new ort.Tensor('float32', c.v, [1, cfg.heads, S, dh])
      })
      for (const p of step.params) sf[p.value.name] = new ort.Tensor('float32', weights.get(p.value.name)!, [...p.shape])
      const r = await model.run(sf)
      const logits = r.logits.data as Float32Array
      for (let i = 0; i < cfg.vocab; i++) expect(logits[i]).toBeCloseTo(expected[t * cfg.vocab + i], 3)
      // Write the new keys/values into slot t of each head.
      cache.forEach((c, l) => {
        const k = r[`k${l}`].data as Float32Array
        const v = r[`v${l}`].data as Float32Array
        for (let h = 0; h < cfg.heads; h++) {
          c.k.set(k.subarray(h * dh, (h + 1) * dh), (h * S + t) * dh)
          c.v.set(v.subarray(h * dh, (h + 1) * dh), (h * S + t) * dh)
        }
      })
    }
  })
})

describe('symbolic batch dimension', () => {
  it('trains one graph at several batch sizes and agrees with the fixed-shape graph', async () => {
    const cfg: DecoderConfig = { vocab: 7, width: 8, layers: 1, heads: 2, maxLength: 4 }
    const build = (batch: number | string) => {
      const g = new Graph('sym')
      const ids = g.input('ids', 'int64', [batch, 4])
      const targets = g.input('targets', 'int64', [batch, 4])
      const { loss } = decoderLoss(g, decoderForward(g, cfg, ids).logits, targets, null)
      return { g, spec: buildTrainStep(g, loss) }
    }
    const batchOf = (n: number) => {
      const ids = Array.from({ length: n * 4 }, (_, i) => (i * 5 + 1) % 7)
      return { ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [n, 4]), targets: new ort.Tensor('int64', BigInt64Array.from(ids.map((v) => BigInt((v + 1) % 7))), [n, 4]) }
    }
    const symbolic = build('B')
    const fixed = build(2)
    const weights = initParams(symbolic.g.params, 4)
    const a = await Trainer.create(runtime, symbolic.spec, weights)
    const b = await Trainer.create(runtime, fixed.spec, weights)
    const ra = await a.step(batchOf(2), 0.01)
    const rb = await b.step(batchOf(2), 0.01)
    expect(ra.metrics.loss).toBeCloseTo(rb.metrics.loss, 5)
    expect(ra.metrics.grad_norm).toBeCloseTo(rb.metrics.grad_norm, 4)
    const r3 = await a.step(batchOf(3), 0.01)
    expect(Number.isFinite(r3.metrics.loss)).toBe(true)
  })
})

describe('cross-entropy', () => {
  it('computes the weighted NLL of the targets, skipping the ignore index', async () => {
    const logits = [2, 0, -1, 0.5, 0.5, 0.5, -3, 4, 1, 1, 2, 3]
    const targets = [0, -100, 1, 2]
    const weights = [1, 5, 2, -0.5]
    const g = new Graph('ce')
    const l = g.input('logits', 'float32', [4, 3])
    const t = g.input('t', 'int64', [4])
    const w = g.input('w', 'float32', [4])
    const byWeight = crossEntropy(g, l, t, w)
    const byTokens = crossEntropy(g, l, t, w, { normalizeBy: 'tokens' })
    const m = await runtime.compile(g.toModel({ a: byWeight.loss, b: byTokens.loss, lp: byWeight.tokenLogProbs, n: byWeight.tokens, c: byWeight.correct }))
    const r = await m.run({ logits: f32(logits, [4, 3]), t: new ort.Tensor('int64', BigInt64Array.from(targets.map(BigInt)), [4]), w: f32(weights, [4]) })
    const logp = (row: number, k: number) => {
      const xs = logits.slice(row * 3, row * 3 + 3)
      return xs[k] - Math.log(xs.reduce((s, v) => s + Math.exp(v), 0))
    }
    const counted = [0, 2, 3]
    const weighted = counted.reduce((s, i) => s - weights[i] * logp(i, targets[i]), 0)
    expect(Number(r.a.data[0])).toBeCloseTo(weighted / (1 + 2 - 0.5), 5)
    expect(Number(r.b.data[0])).toBeCloseTo(weighted / 3, 5)
    expect(Array.from(r.lp.data as Float32Array).map((v) => Number(v.toFixed(5)))).toEqual([logp(0, 0), 0, logp(2, 1), logp(3, 2)].map((v) => Number(v.toFixed(5))))
    expect(Number(r.n.data[0])).toBe(3)
    // Every counted row's arg-max is its target, so "correct" is the sum of their weights.
    expect(Number(r.c.data[0])).toBeCloseTo(1 + 2 - 0.5, 5)
  })
})

describe('attention', () => {
  it('computes softmax(q·kᵀ/√d + causal mask)·v per head', async () => {
    const [H, T, D] = [2, 3, 4]
    const rng = new Rng(11)
    const data = () => Array.from({ length: H * T * D }, () => Math.fround(rng.normal()))
    const [q, k, v] = [data(), data(), data()]
    const g = new Graph('attn')
    const inputs = ['q', 'k', 'v'].map((n) => g.input(n, 'float32', [1, H, T, D]))
    const m = await runtime.compile(g.toModel({ y: attend(g, inputs[0], inputs[1], inputs[2], causalMask(g, T)) }))
    const r = await m.run({ q: f32(q, [1, H, T, D]), k: f32(k, [1, H, T, D]), v: f32(v, [1, H, T, D]) })
    const got = r.y.data as Float32Array
    for (let h = 0; h < H; h++)
      for (let i = 0; i < T; i++) {
        const at = (x: number[], t: number, d: number) => x[(h * T + t) * D + d]
        const scores = Array.from({ length: i + 1 }, (_, j) => Array.from({ length: D }, (_, d) => at(q, i, d) * at(k, j, d)).reduce((s, x) => s + x, 0) / Math.sqrt(D))
        const z = scores.map((s) => Math.exp(s - Math.max(...scores)))
        const p = z.map((e) => e / z.reduce((s, x) => s + x, 0))
        for (let d = 0; d < D; d++) expect(got[(h * T + i) * D + d]).toBeCloseTo(p.reduce((s, pj, j) => s + pj * at(v, j, d), 0), 5)
      }
  })
})

/**
 * Engine benchmark: the default VLM's text decoder (DESIGN §8: 4 pre-LN causal blocks, width 256,
 * vocab 2048, 64 image-prefix + 64 text tokens) — forward, fused train step and one-token
 * generation throughput on onnxruntime, the same model in PyTorch on the same machine and thread
 * count, and the train step's achieved GFLOP/s over onnxruntime's own MatMul GFLOP/s.
 *
 * The machine may be shared, so the two engines are timed in alternating rounds (ours, then
 * PyTorch's, for each measure) and each figure is the median over rounds. MFU divides the train
 * step's matmul GFLOP/s by the best onnxruntime MatMul 1024³ GFLOP/s seen in those rounds.
 *
 *   npm run bench:engine [-- --threads N --batch B --rounds R]
 */
import os from 'node:os'
import path from 'node:path'
import { printResultLine } from '../src/main/app/result-line'
import { decoderForward, decoderLoss, decoderStep, stepMask, type DecoderConfig } from '../src/main/tensor/decoder'
import { Graph, type Value } from '../src/main/tensor/graph'
import { initParams } from '../src/main/tensor/init'
import { Rng } from '../src/main/random'
import { Runtime, ort, type CompiledModel, type Feeds } from '../src/main/tensor/runtime'
import { buildTrainStep } from '../src/main/tensor/train-step'
import { Trainer } from '../src/main/tensor/trainer'
import { median, startTorchServer } from './torch-twin'

interface BenchConfig {
  model: DecoderConfig
  prefix: number
  text: number
  batch: number
  genBatch: number
  threads: number
  /** Timed rounds per measure (after one warm-up round). */
  rounds: number
  /** Train or forward steps per round. */
  steps: number
}

function parseArgs(): BenchConfig {
  const args = process.argv.slice(2)
  const num = (flag: string, fallback: number) => {
    const i = args.indexOf(flag)
    return i >= 0 ? Number(args[i + 1]) : fallback
  }
  const prefix = 64
  const text = 64
  return {
    model: { vocab: 2048, width: 256, layers: 4, heads: 4, maxLength: prefix + text },
    prefix,
    text,
    batch: num('--batch', 8),
    genBatch: num('--gen-batch', 8),
    threads: num('--threads', os.availableParallelism()),
    rounds: num('--rounds', 7),
    steps: num('--steps', 3)
  }
}

/** Multiply-add FLOPs of one forward pass over one sequence (matmuls only, as MFU counts them). */
function forwardFlopsPerSequence(c: BenchConfig): number {
  const d = c.model.width
  const t = c.prefix + c.text
  const perLayer = 2 * t * d * 3 * d + 2 * t * d * d + 2 * 2 * t * d * 4 * d + 2 * 2 * t * t * d
  return c.model.layers * perLayer + 2 * c.text * d * c.model.vocab
}

function f32(data: Float32Array, dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims)
}

function i64(values: ArrayLike<number>, dims: number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(Array.from(values), (v) => BigInt(v)), dims)
}

function randomBatch(rng: Rng, c: BenchConfig): Feeds {
  const b = c.batch
  const prefix = Float32Array.from({ length: b * c.prefix * c.model.width }, () => rng.normal())
  const ids = Array.from({ length: b * c.text }, () => rng.below(c.model.vocab))
  const targets = ids.map((_, i) => (i % c.text === c.text - 1 ? -100 : ids[i + 1]))
  return { prefix: f32(prefix, [b, c.prefix, c.model.width]), ids: i64(ids, [b, c.text]), targets: i64(targets, [b, c.text]) }
}

async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < runs; i++) await fn()
  return (performance.now() - t0) / 1000 / runs
}

/** Seconds per run of each measure, one call per round. */
interface Engine {
  fwd(steps: number): Promise<number>
  train(steps: number): Promise<number>
  /** Seconds per one-token step of genBatch sequences whose caches fill from 64 to 127. */
  gen(): Promise<number>
}

/** onnxruntime's own MatMul speed on this machine: a timer of one 1024³ product (GFLOP/s). */
async function matmulTimer(runtime: Runtime): Promise<() => Promise<number>> {
  const n = 1024
  const g = new Graph('matmul')
  const a = g.input('a', 'float32', [n, n])
  const b = g.input('b', 'float32', [n, n])
  const m = await runtime.compile(g.toModel({ c: g.matmul(a, b) }))
  const rng = new Rng(1)
  const data = Float32Array.from({ length: n * n }, () => rng.normal())
  const feeds = { a: f32(data, [n, n]), b: f32(data, [n, n]) }
  await m.run(feeds)
  return async () => (2 * n ** 3) / (await timeIt(10, () => m.run(feeds))) / 1e9
}

function trainGraph(c: BenchConfig): { g: Graph; loss: Value } {
  const g = new Graph('bench_train')
  const prefix = g.input('prefix', 'float32', [c.batch, c.prefix, c.model.width])
  const ids = g.input('ids', 'int64', [c.batch, c.text])
  const targets = g.input('targets', 'int64', [c.batch, c.text])
  const { logits } = decoderForward(g, c.model, ids, prefix)
  return { g, loss: decoderLoss(g, logits, targets, null).loss }
}

async function ourEngine(runtime: Runtime, c: BenchConfig, log: (s: string) => void): Promise<Engine & { params: number }> {
  const batch = randomBatch(new Rng(2), c)
  const fwd = trainGraph(c)
  const weights = initParams(fwd.g.params, 1)
  const t0 = performance.now()
  const fwdModel = await runtime.compile(fwd.g.toModel({ loss: fwd.loss }))
  log(`forward graph: ${fwd.g.nodes.length} nodes, session ${(performance.now() - t0).toFixed(0)} ms`)
  const weightFeeds: Feeds = {}
  for (const p of fwd.g.params) weightFeeds[p.value.name] = f32(weights.get(p.value.name)!, [...p.shape])

  const tr = trainGraph(c)
  const spec = buildTrainStep(tr.g, tr.loss)
  const t1 = performance.now()
  const trainer = await Trainer.create(runtime, spec, weights)
  log(`train-step graph: ${spec.model.nodes.length} nodes, ${spec.params.length} parameter tensors, session ${(performance.now() - t1).toFixed(0)} ms`)
  const generation = await generationStep(runtime, c, weights)
  return {
    params: fwd.g.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
    fwd: (steps) => timeIt(steps, () => fwdModel.run({ ...batch, ...weightFeeds })),
    train: (steps) => timeIt(steps, () => trainer.step(batch, 1e-3)),
    gen: generation
  }
}

/** The one-token step model with a fixed-size KV cache, and a timed generation of 64 tokens. */
async function generationStep(runtime: Runtime, c: BenchConfig, weights: Map<string, Float32Array>): Promise<() => Promise<number>> {
  const m = c.model
  const b = c.genBatch
  const slots = m.maxLength
  const dh = m.width / m.heads
  const g = new Graph('bench_step')
  const past = Array.from({ length: m.layers }, (_, l) => ({
    k: g.input(`past${l}.k`, 'float32', [b, m.heads, slots, dh]),
    v: g.input(`past${l}.v`, 'float32', [b, m.heads, slots, dh])
  }))
  const out = decoderStep(g, m, {
    ids: g.input('ids', 'int64', [b, 1]),
    positions: g.input('pos', 'int64', [b, 1]),
    past,
    mask: g.input('mask', 'float32', [b, 1, 1, slots + 1])
  })
  const outputs: Record<string, Value> = { logits: out.logits }
  out.k.forEach((k, l) => ((outputs[`k${l}`] = k), (outputs[`v${l}`] = out.v[l])))
  const model: CompiledModel = await runtime.compile(g.toModel(outputs))
  const rng = new Rng(3)
  const cacheFeeds: Feeds = {}
  for (const p of past) {
    cacheFeeds[p.k.name] = f32(Float32Array.from({ length: b * m.heads * slots * dh }, () => rng.normal()), [b, m.heads, slots, dh])
    cacheFeeds[p.v.name] = f32(Float32Array.from({ length: b * m.heads * slots * dh }, () => rng.normal()), [b, m.heads, slots, dh])
  }
  for (const p of g.params) cacheFeeds[p.value.name] = f32(weights.get(p.value.name)!, [...p.shape])
  return async () => {
    let ids = new Array<number>(b).fill(0)
    const t0 = performance.now()
    for (let s = 0; s < c.text; s++) {
      const pos = c.prefix + s
      const r = await model.run({
        ...cacheFeeds,
        ids: i64(ids, [b, 1]),
        pos: i64(new Array(b).fill(pos), [b, 1]),
        mask: f32(stepMask(new Array(b).fill(pos), slots), [b, 1, 1, slots + 1])
      })
      // Greedy pick and cache write, as generation does.
      ids = argmaxRows(r.logits.data as Float32Array, m.vocab)
      writeSlot(cacheFeeds, r, m.layers, b, m.heads, slots, dh, pos)
    }
    return (performance.now() - t0) / 1000 / c.text
  }
}

function argmaxRows(logits: Float32Array, vocab: number): number[] {
  const out: number[] = []
  for (let r = 0; r < logits.length / vocab; r++) {
    let best = 0
    for (let i = 1; i < vocab; i++) if (logits[r * vocab + i] > logits[r * vocab + best]) best = i
    out.push(best)
  }
  return out
}

function writeSlot(cache: Feeds, r: Record<string, ort.Tensor>, layers: number, b: number, heads: number, slots: number, dh: number, pos: number): void {
  for (let l = 0; l < layers; l++)
    for (const kind of ['k', 'v'] as const) {
      const dst = cache[`past${l}.${kind}`].data as Float32Array
      const src = r[`${kind}${l}`].data as Float32Array
      for (let s = 0; s < b * heads; s++) dst.set(src.subarray(s * dh, (s + 1) * dh), (s * slots + pos) * dh)
    }
}

/** The PyTorch twin (bench/engine_torch.py) as a server answering one timing request per line. */
async function torchEngine(c: BenchConfig, log: (s: string) => void): Promise<(Engine & { version: string; params: number; close(): void }) | null> {
  const server = await startTorchServer(path.join(__dirname, 'engine_torch.py'), ['--threads', String(c.threads), '--batch', String(c.batch), '--gen-batch', String(c.genBatch)], log)
  if (!server) return null
  return {
    version: server.version,
    params: server.params,
    fwd: (steps) => server.ask(`fwd ${steps}`),
    train: (steps) => server.ask(`train ${steps}`),
    gen: () => server.ask('gen'),
    close: () => server.close()
  }
}

type Measure = 'fwd' | 'train' | 'gen'

/** Alternating rounds: for each measure, ours then PyTorch's; the first round warms up. */
interface Timings {
  /** Median seconds per run of each measure, per engine. */
  seconds: Record<Measure, number>[]
  /** The fastest round of each measure, per engine: what each engine can do when least disturbed. */
  best: Record<Measure, number>[]
  matmulGflops: number
}

async function timeRounds(c: BenchConfig, engines: Engine[], matmul: () => Promise<number>): Promise<Timings> {
  const seconds = engines.map(() => ({ fwd: [] as number[], train: [] as number[], gen: [] as number[] }))
  const gflops: number[] = []
  for (let round = 0; round <= c.rounds; round++) {
    gflops.push(await matmul())
    for (const measure of ['fwd', 'train', 'gen'] as const) {
      for (const [i, e] of engines.entries()) {
        const s = measure === 'gen' ? await e.gen() : await e[measure](c.steps)
        if (round > 0) seconds[i][measure].push(s)
      }
    }
  }
  // The peak is the best MatMul speed seen; the engines' main figures are medians.
  return {
    seconds: seconds.map((s) => ({ fwd: median(s.fwd), train: median(s.train), gen: median(s.gen) })),
    best: seconds.map((s) => ({ fwd: Math.min(...s.fwd), train: Math.min(...s.train), gen: Math.min(...s.gen) })),
    matmulGflops: Math.max(...gflops)
  }
}

async function main(): Promise<void> {
  const c = parseArgs()
  const log = (s: string) => console.log(s)
  const runtime = await Runtime.create({ executionProvider: 'auto', intraOpThreads: c.threads })
  log(`onnxruntime ${ort.env.versions.common} on ${runtime.provider}, ${c.threads} threads; decoder ${c.model.layers}×${c.model.width}, vocab ${c.model.vocab}, ${c.prefix}+${c.text} tokens, batch ${c.batch}`)
  const ours = await ourEngine(runtime, c, log)
  const torch = await torchEngine(c, log)
  if (torch) log(`PyTorch ${torch.version} with the same model (${torch.params} parameters; ours ${ours.params})`)
  const timed = await timeRounds(c, torch ? [ours, torch] : [ours], await matmulTimer(runtime))
  torch?.close()
  const [mine, theirs] = timed.seconds
  const peak = timed.matmulGflops
  log(`onnxruntime MatMul 1024³: ${peak.toFixed(1)} GFLOP/s`)
  const tokens = c.batch * (c.prefix + c.text)
  const trainGflops = (3 * forwardFlopsPerSequence(c) * c.batch) / mine.train / 1e9
  const figures = (s: Record<Measure, number>) => ({ fwd: tokens / s.fwd, train: tokens / s.train, gen: c.genBatch / s.gen })
  const o = figures(mine)
  const t = theirs ? figures(theirs) : null
  log(`ours:    forward ${o.fwd.toFixed(0)} tok/s, train ${o.train.toFixed(0)} tok/s (${(mine.train * 1000).toFixed(0)} ms/step, ${trainGflops.toFixed(1)} GFLOP/s), generation ${o.gen.toFixed(0)} tok/s`)
  if (t && theirs) log(`PyTorch: forward ${t.fwd.toFixed(0)} tok/s, train ${t.train.toFixed(0)} tok/s (${(theirs.train * 1000).toFixed(0)} ms/step), generation ${t.gen.toFixed(0)} tok/s`)
  const [bestMine, bestTheirs] = timed.best.map(figures)
  log(`fastest rounds: ours train ${bestMine.train.toFixed(0)} tok/s, generation ${bestMine.gen.toFixed(0)} tok/s${bestTheirs ? `; PyTorch train ${bestTheirs.train.toFixed(0)} tok/s, generation ${bestTheirs.gen.toFixed(0)} tok/s` : ''}`)
  await runtime.release()
  printResultLine('engine', {
    train_tok_s: o.train,
    torch_train_tok_s: t?.train ?? null,
    train_ratio: t ? o.train / t.train : null,
    gen_tok_s: o.gen,
    torch_gen_tok_s: t?.gen ?? null,
    gen_ratio: t ? o.gen / t.gen : null,
    mfu: trainGflops / peak,
    fwd_tok_s: o.fwd,
    torch_fwd_tok_s: t?.fwd ?? null,
    train_gflops: trainGflops,
    matmul_gflops: peak,
    best_train_ratio: bestTheirs ? bestMine.train / bestTheirs.train : null,
    best_gen_ratio: bestTheirs ? bestMine.gen / bestTheirs.gen : null,
    ep: runtime.provider,
    threads: c.threads
  })
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})

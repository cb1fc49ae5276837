/**
 * VLM benchmark: the default VLM of DESIGN §8 (vision encoder 4×192 on 256×256 images, 64 image
 * tokens, decoder 4×256, vocab 2048) — train-step samples/s (teacher-forced, 64 text tokens) and
 * generation tokens/s (prefill + KV-cache steps, greedy, batched) through src/main/model, beside
 * the same model in PyTorch (bench/vlm_torch.py) on the same machine and thread count. Rounds
 * alternate between the engines because the machine may be shared; figures are medians.
 *
 *   npm run bench:vlm [-- --threads N --batch B --gen-batch G --rounds R]
 */
import os from 'node:os'
import path from 'node:path'
import { printResultLine } from '../src/main/app/result-line'
import { defaultVlmConfig } from '../src/main/model/config'
import { generate, imageBatch, teacherForcedBatch } from '../src/main/model/generation'
import { VlmModel } from '../src/main/model/vlm'
import { vlmForward, vlmInputs, vlmLoss } from '../src/main/model/vlm-graph'
import { Graph } from '../src/main/tensor/graph'
import { initParams } from '../src/main/tensor/init'
import { Rng } from '../src/main/random'
import { Runtime, ort } from '../src/main/tensor/runtime'
import { buildTrainStep } from '../src/main/tensor/train-step'
import { Trainer } from '../src/main/tensor/trainer'
import { benchTokenizer } from './tokenizer'
import { median, startTorchServer } from './torch-twin'

const TEXT = 64
const GEN_TOKENS = 64

function flag(name: string, fallback: number): number {
  const args = process.argv.slice(2)
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : fallback
}

interface Engine {
  /** Seconds per train step. */
  train(steps: number): Promise<number>
  /** Seconds to generate GEN_TOKENS tokens for each of genBatch sequences. */
  gen(): Promise<number>
}

async function ourEngine(runtime: Runtime, batch: number, genBatch: number, log: (s: string) => void): Promise<Engine & { params: number }> {
  const c = defaultVlmConfig
  const rng = new Rng(2)
  const side = c.vision.imageSize
  const images = Array.from({ length: Math.max(batch, genBatch) }, () => Float32Array.from({ length: side * side }, () => rng.normal()))
  const g = new Graph('bench_vlm_train')
  const inputs = vlmInputs(g, c, batch, TEXT)
  const targets = g.input('targets', 'int64', [batch, TEXT])
  const spec = buildTrainStep(g, vlmLoss(g, vlmForward(g, c, inputs).logits, targets).loss)
  const weights = initParams(g.params, 1)
  const t0 = performance.now()
  const trainer = await Trainer.create(runtime, spec, weights)
  log(`VLM train-step graph: ${spec.model.nodes.length} nodes, session ${(performance.now() - t0).toFixed(0)} ms`)
  const text = teacherForcedBatch(
    images.slice(0, batch).map(() => [5]),
    images.slice(0, batch).map(() => Array.from({ length: TEXT - 1 }, () => rng.below(c.vocab))),
    TEXT,
    0
  )
  const feeds = { images: imageBatch(c, images.slice(0, batch)), ids: text.ids, targets: text.targets }
  const model = new VlmModel(c, benchTokenizer(c.vocab), runtime, weights)
  const prompt = [model.tokenizer.special('<task:report>')]
  const genImages = images.slice(0, genBatch)
  return {
    params: g.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
    train: async (steps) => {
      const s = performance.now()
      for (let i = 0; i < steps; i++) await trainer.step(feeds, 1e-4)
      return (performance.now() - s) / 1000 / steps
    },
    gen: async () => {
      const s = performance.now()
      await generate(model, genImages, genImages.map(() => prompt), { maxNewTokens: GEN_TOKENS, temperature: 0, topP: 1, seed: 0, stopTokens: [] })
      return (performance.now() - s) / 1000
    }
  }
}

async function main(): Promise<void> {
  const threads = flag('--threads', os.availableParallelism())
  const batch = flag('--batch', 8)
  const genBatch = flag('--gen-batch', 8)
  const rounds = flag('--rounds', 3)
  const steps = flag('--steps', 2)
  const log = (s: string) => console.log(s)
  const runtime = await Runtime.create({ executionProvider: 'auto', intraOpThreads: threads })
  log(`onnxruntime ${ort.env.versions.common} on ${runtime.provider}, ${threads} threads; VLM ${defaultVlmConfig.name}: train batch ${batch} × ${TEXT} text tokens, generation ${genBatch} × ${GEN_TOKENS} tokens`)
  const ours = await ourEngine(runtime, batch, genBatch, log)
  const torch = await startTorchServer(
    path.join(__dirname, 'vlm_torch.py'),
    ['--config', JSON.stringify(defaultVlmConfig), '--threads', String(threads), '--batch', String(batch), '--text', String(TEXT), '--gen-batch', String(genBatch)],
    log
  )
  const engines: Engine[] = [ours]
  if (torch) {
    log(`PyTorch ${torch.version} with the same model (${torch.params} parameters; ours ${ours.params})`)
    engines.push({ train: (n) => torch.ask(`train ${n}`), gen: () => torch.ask(`gen ${GEN_TOKENS}`) })
  }
  const seconds = engines.map(() => ({ train: [] as number[], gen: [] as number[] }))
  for (let round = 0; round <= rounds; round++)
    for (const measure of ['train', 'gen'] as const)
      for (const [i, e] of engines.entries()) {
        const s = measure === 'train' ? await e.train(steps) : await e.gen()
        if (round > 0) seconds[i][measure].push(s)
      }
  torch?.close()
  await runtime.release()
  const figures = seconds.map((s) => ({ train: batch / median(s.train), gen: (genBatch * GEN_TOKENS) / median(s.gen) }))
  const [o, t] = figures
  log(`ours:    train ${o.train.toFixed(2)} samples/s (${(median(seconds[0].train) * 1000).toFixed(0)} ms/step), generation ${o.gen.toFixed(0)} tok/s`)
  if (t) log(`PyTorch: train ${t.train.toFixed(2)} samples/s (${(median(seconds[1].train) * 1000).toFixed(0)} ms/step), generation ${t.gen.toFixed(0)} tok/s`)
  printResultLine('vlm', {
    train_samples_s: o.train,
    gen_tok_s: o.gen,
    train_ratio: t ? o.train / t.train : null,
    gen_ratio: t ? o.gen / t.gen : null,
    torch_train_samples_s: t?.train ?? null,
    torch_gen_tok_s: t?.gen ?? null,
    params: ours.params,
    ep: runtime.provider,
    threads
  })
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})

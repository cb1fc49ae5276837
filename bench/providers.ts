/**
 * Provider benchmark: the conv VLM (DESIGN §8 decoder, conv encoder, nodule summary) trained and
 * run on the CPU and on the GPU provider that loads here (WebGPU, DirectML or CoreML), side by side
 * in one run, from the same weights and batches. It answers two questions a GPU user depends on:
 * does the GPU compute what the CPU computes (loss at every step, weights and Adam moments after
 * the steps, greedy tokens from the trained weights left on the device), and how much faster is it.
 * Rounds alternate between the providers; figures are medians. Without a GPU provider it says so
 * and prints the RESULT line with ep=cpu; `--ep cpu` runs the CPU against itself.
 *
 *   npm run bench:providers [-- --ep webgpu --batch 8 --steps 4 --rounds 3 --threads N]
 */
import os from 'node:os'
import { printResultLine } from '../src/main/app/result-line'
import type { ExecutionProvider } from '../src/shared/contract'
import { convVlmConfig } from '../src/main/model/config'
import { generate, imageBatch, teacherForcedBatch } from '../src/main/model/generation'
import { VlmModel } from '../src/main/model/vlm'
import { vlmForward, vlmInputs, vlmLoss } from '../src/main/model/vlm-graph'
import { Graph } from '../src/main/tensor/graph'
import { initParams } from '../src/main/tensor/init'
import { Rng } from '../src/main/random'
import { Runtime, ort, type Feeds } from '../src/main/tensor/runtime'
import { buildTrainStep, type TrainStepModel } from '../src/main/tensor/train-step'
import { Trainer } from '../src/main/tensor/trainer'
import { flag } from './flags'
import { benchTokenizer } from './tokenizer'
import { median } from './torch-twin'

const TEXT = 64
const GEN_TOKENS = 32
const LR = 1e-3

/** Largest |a − b| over the largest |a|, across every named array. */
function relativeDifference(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): number {
  let diff = 0
  let scale = 0
  for (const [name, x] of a) {
    const y = b.get(name)!
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]))
      scale = Math.max(scale, Math.abs(x[i]))
    }
  }
  return diff / scale
}

interface Side {
  runtime: Runtime
  trainer: Trainer
  losses: number[]
}

async function side(runtime: Runtime, spec: TrainStepModel, weights: ReadonlyMap<string, Float32Array>): Promise<Side> {
  return { runtime, trainer: await Trainer.create(runtime, spec, weights), losses: [] }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const s = performance.now()
  await run()
  return (performance.now() - s) / 1000
}

async function main(): Promise<void> {
  const batch = Number(flag('batch') ?? 8)
  const steps = Number(flag('steps') ?? 4)
  const rounds = Number(flag('rounds') ?? 3)
  const threads = Number(flag('threads') ?? os.availableParallelism())
  const preference = (flag('ep') ?? 'auto') as 'auto' | ExecutionProvider
  const c = convVlmConfig
  const log = (s: string) => console.log(s)

  const gpuRuntime = await Runtime.create({ executionProvider: preference, intraOpThreads: threads })
  // `--ep cpu` compares the CPU with itself: the bench's own check (every difference 0).
  if (gpuRuntime.provider === 'cpu' && preference !== 'cpu') {
    log(`no GPU provider loads here (${gpuRuntime.choice.attempts.map((a) => `${a.provider}: ${a.ok ? 'ok' : a.reason}`).join('; ')})`)
    printResultLine('providers', { ep: 'cpu', loss_rel_diff: null, weight_rel_diff: null, moment_rel_diff: null, tokens_same: null, train_speedup: null, gen_speedup: null })
    return
  }
  const cpuRuntime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: threads })
  log(`onnxruntime ${ort.env.versions.common}: cpu (${threads} threads) beside ${gpuRuntime.provider}; VLM ${c.name}, train batch ${batch} × ${TEXT} tokens, generation ${batch} × ${GEN_TOKENS} tokens`)

  const rng = new Rng(3)
  const pixels = c.vision.imageSize ** 2
  const images = Array.from({ length: batch }, () => Float32Array.from({ length: pixels }, () => rng.normal()))
  const text = teacherForcedBatch(
    images.map(() => [5]),
    images.map(() => Array.from({ length: TEXT - 1 }, () => rng.below(c.vocab))),
    TEXT,
    0
  )
  const feeds: Feeds = { images: imageBatch(c, images), ids: text.ids, targets: text.targets }
  const g = new Graph('bench_providers_train')
  const spec = buildTrainStep(g, vlmLoss(g, vlmForward(g, c, vlmInputs(g, c, batch, TEXT)).logits, g.input('targets', 'int64', [batch, TEXT])).loss)
  const weights = initParams(g.params, 1)
  const sides = [await side(cpuRuntime, spec, weights), await side(gpuRuntime, spec, weights)]
  const [cpu, gpu] = sides
  log(`train step on ${gpu.trainer.provider} (a provider that rejects the graph falls back to cpu)`)

  // Same weights, same batch, same learning rate: the loss at every step should agree.
  for (let s = 0; s < steps; s++) for (const sd of sides) sd.losses.push((await sd.trainer.step(feeds, LR)).metrics.loss)
  const lossDiff = Math.max(...cpu.losses.map((l, i) => Math.abs(l - gpu.losses[i]) / Math.abs(l)))
  log(`loss per step  cpu ${cpu.losses.map((l) => l.toFixed(5)).join(' ')}`)
  log(`               ${gpu.runtime.provider} ${gpu.losses.map((l) => l.toFixed(5)).join(' ')}`)
  const [cpuWeights, gpuWeights] = [await cpu.trainer.readWeights(), await gpu.trainer.readWeights()]
  const [cpuMoments, gpuMoments] = [(await cpu.trainer.readOptimizerState()).m, (await gpu.trainer.readOptimizerState()).m]
  const weightDiff = relativeDifference(cpuWeights, gpuWeights)
  const momentDiff = relativeDifference(cpuMoments, gpuMoments)
  log(`after ${steps} steps: weights differ by ${weightDiff.toExponential(2)} of their largest, Adam m by ${momentDiff.toExponential(2)}`)

  // The policy generates from the trainer's own weight tensors (left on the device on WebGPU).
  const tokenizer = benchTokenizer(c.vocab)
  const prompt = [tokenizer.special('<task:report>')]
  const models = [new VlmModel(c, tokenizer, cpuRuntime, cpuWeights), new VlmModel(c, tokenizer, gpuRuntime, gpuWeights)]
  models[1].setWeightFeeds(gpu.trainer.weightFeeds())
  const greedy = { maxNewTokens: GEN_TOKENS, temperature: 0, topP: 1, seed: 0, stopTokens: [] }
  const [cpuGen, gpuGen] = await Promise.all(models.map((m) => generate(m, images, images.map(() => prompt), greedy)))
  const pairs = cpuGen.flatMap((gen, i) => gen.tokens.map((t, j) => t === gpuGen[i].tokens[j]))
  const tokensSame = pairs.filter(Boolean).length / pairs.length
  log(`greedy tokens the same at ${(100 * tokensSame).toFixed(1)} % of ${pairs.length} positions`)

  const seconds = sides.map(() => ({ train: [] as number[], gen: [] as number[] }))
  for (let round = 0; round <= rounds; round++)
    for (const [i, sd] of sides.entries()) {
      const train = await timed(async () => {
        for (let s = 0; s < steps; s++) await sd.trainer.step(feeds, LR)
      })
      // A step frees the device weights the model was reading: it must take the new ones.
      models[i].setWeightFeeds(sd.trainer.weightFeeds())
      const gen = await timed(() => generate(models[i], images, images.map(() => prompt), greedy))
      if (round > 0) {
        seconds[i].train.push(train / steps)
        seconds[i].gen.push(gen)
      }
    }
  const [cpuTime, gpuTime] = seconds.map((s) => ({ train: median(s.train), gen: median(s.gen) }))
  log(`train step: cpu ${(cpuTime.train * 1000).toFixed(0)} ms, ${gpu.runtime.provider} ${(gpuTime.train * 1000).toFixed(0)} ms`)
  log(`generation: cpu ${((batch * GEN_TOKENS) / cpuTime.gen).toFixed(0)} tok/s, ${gpu.runtime.provider} ${((batch * GEN_TOKENS) / gpuTime.gen).toFixed(0)} tok/s`)
  await cpuRuntime.release()
  await gpuRuntime.release()
  printResultLine('providers', {
    ep: gpuRuntime.provider,
    train_step_ep: gpu.trainer.provider,
    loss_rel_diff: lossDiff,
    weight_rel_diff: weightDiff,
    moment_rel_diff: momentDiff,
    tokens_same: tokensSame,
    train_speedup: cpuTime.train / gpuTime.train,
    gen_speedup: cpuTime.gen / gpuTime.gen,
    cpu_train_ms: cpuTime.train * 1000,
    gpu_train_ms: gpuTime.train * 1000,
    batch,
    threads
  })
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})

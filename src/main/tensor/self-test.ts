import type { ExecutionProvider } from '../../shared/contract'
import { decoderForward, decoderLoss, type DecoderConfig } from './decoder'
import { Graph } from './graph'
import { initParams } from './init'
import { Rng } from '../random'
import { Runtime, ort } from './runtime'
import { buildTrainStep } from './train-step'
import { Trainer } from './trainer'

/**
 * The engine's end-to-end self-test: a small transformer language model learns a synthetic
 * sequence task with the fused train step. Sequences repeat a random pattern of `period` tokens;
 * once the first period has been seen every next token is determined, so a working engine drives
 * the loss on those positions towards 0. The first period's targets are ignored (ignore index).
 */
export interface SelfTestOptions {
  steps: number
  batch: number
  length: number
  period: number
  vocab: number
  width: number
  layers: number
  heads: number
  lr: number
  seed: number
  executionProvider: 'auto' | ExecutionProvider
  intraOpThreads: number
}

export const defaultSelfTest: SelfTestOptions = {
  steps: 250,
  batch: 32,
  length: 16,
  period: 5,
  vocab: 16,
  width: 32,
  layers: 2,
  heads: 2,
  lr: 1e-2,
  seed: 7,
  executionProvider: 'auto',
  intraOpThreads: 0
}

export interface SelfTestResult {
  provider: string
  steps: number
  parameters: number
  firstLoss: number
  finalLoss: number
  /** Share of counted next tokens predicted exactly in the last step. */
  finalAccuracy: number
  stepsPerSecond: number
}

function makeBatch(rng: Rng, o: SelfTestOptions): { ids: ort.Tensor; targets: ort.Tensor } {
  const ids = new BigInt64Array(o.batch * o.length)
  const targets = new BigInt64Array(o.batch * o.length)
  for (let b = 0; b < o.batch; b++) {
    const pattern = Array.from({ length: o.period }, () => rng.below(o.vocab))
    for (let t = 0; t < o.length; t++) {
      ids[b * o.length + t] = BigInt(pattern[t % o.period])
      // Position t predicts token t+1, known once a whole period has been seen.
      targets[b * o.length + t] = t + 1 >= o.period && t + 1 < o.length ? BigInt(pattern[(t + 1) % o.period]) : -100n
    }
  }
  return { ids: new ort.Tensor('int64', ids, [o.batch, o.length]), targets: new ort.Tensor('int64', targets, [o.batch, o.length]) }
}

export async function runSelfTest(options: Partial<SelfTestOptions> = {}, onStep?: (step: number, loss: number) => Promise<void> | void): Promise<SelfTestResult> {
  const o = { ...defaultSelfTest, ...options }
  const cfg: DecoderConfig = { vocab: o.vocab, width: o.width, layers: o.layers, heads: o.heads, maxLength: o.length }
  const g = new Graph('selftest')
  const ids = g.input('ids', 'int64', [o.batch, o.length])
  const targets = g.input('targets', 'int64', [o.batch, o.length])
  const { logits } = decoderForward(g, cfg, ids)
  const ce = decoderLoss(g, logits, targets, null)
  const spec = buildTrainStep(g, ce.loss, { correct: ce.correct, counted: ce.tokens }, { weightDecay: 0.01 })
  const runtime = await Runtime.create({ executionProvider: o.executionProvider, intraOpThreads: o.intraOpThreads })
  try {
    const trainer = await Trainer.create(runtime, spec, initParams(g.params, o.seed))
    const rng = new Rng(o.seed + 1)
    let first = NaN
    let last = { loss: NaN, correct: 0, counted: 1 }
    const started = performance.now()
    for (let s = 0; s < o.steps; s++) {
      // Linear warm-up over the first 10% of steps, then cosine decay to 10%.
      const warm = Math.max(1, Math.round(o.steps / 10))
      const lr = s < warm ? (o.lr * (s + 1)) / warm : o.lr * (0.1 + 0.45 * (1 + Math.cos((Math.PI * (s - warm)) / (o.steps - warm))))
      const { metrics } = await trainer.step(makeBatch(rng, o), lr)
      if (s === 0) first = metrics.loss
      last = { loss: metrics.loss, correct: metrics.correct, counted: metrics.counted }
      await onStep?.(s + 1, metrics.loss)
    }
    const seconds = (performance.now() - started) / 1000
    return {
      provider: trainer.provider,
      steps: o.steps,
      parameters: g.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
      firstLoss: first,
      finalLoss: last.loss,
      finalAccuracy: last.correct / last.counted,
      stepsPerSecond: o.steps / seconds
    }
  } finally {
    await runtime.release()
  }
}

import type { CompiledModel, Feeds, Runtime } from './runtime'
import { ort } from './runtime'
import { LR_INPUT, STEP_INPUT, paramSlots, type TrainStepModel } from './train-step'

export interface StepResult {
  /** 'loss', 'grad_norm' and the model's own metrics. */
  metrics: Record<string, number>
  step: number
}

function scalar(value: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.of(value), [])
}

function readScalar(t: ort.Tensor): number {
  return Number((t.data as Float32Array)[0])
}

/**
 * Runs a fused train step again and again. Weights and Adam moments are the step's own outputs fed
 * back as inputs; on WebGPU they stay as 'gpu-buffer' tensors and never travel to the CPU.
 */
export class Trainer {
  private state = new Map<string, ort.Tensor>()
  private steps = 0

  private constructor(
    private readonly runtime: Runtime,
    private readonly compiled: CompiledModel,
    private readonly spec: TrainStepModel
  ) {}

  static async create(runtime: Runtime, spec: TrainStepModel, weights: ReadonlyMap<string, Float32Array>): Promise<Trainer> {
    const compiled = await runtime.compile(spec.model, spec.stateOutputs)
    const trainer = new Trainer(runtime, compiled, spec)
    for (const p of spec.params) {
      const data = weights.get(p.value.name)
      const n = p.shape.reduce((a, b) => a * b, 1)
      if (!data || data.length !== n) throw new Error(`Trainer: weights for ${p.value.name} must hold ${n} values, got ${data?.length ?? 'none'}`)
      const s = paramSlots(p.value.name)
      const dims = [...p.shape]
      trainer.state.set(s.param, new ort.Tensor('float32', Float32Array.from(data), dims))
      trainer.state.set(s.m, new ort.Tensor('float32', new Float32Array(n), dims))
      trainer.state.set(s.v, new ort.Tensor('float32', new Float32Array(n), dims))
    }
    return trainer
  }

  get stepCount(): number {
    return this.steps
  }

  get provider(): string {
    return this.compiled.provider
  }

  /** One optimizer step on a batch (the model's data inputs, by name). */
  async step(batch: Feeds, lr: number): Promise<StepResult> {
    const feeds: Feeds = { ...batch, [STEP_INPUT]: scalar(this.steps + 1), [LR_INPUT]: scalar(lr) }
    for (const [name, t] of this.state) feeds[name] = t
    const out = await this.compiled.run(feeds)
    this.steps++
    const next = new Map<string, ort.Tensor>()
    for (const p of this.spec.params) {
      const s = paramSlots(p.value.name)
      next.set(s.param, out[s.nextParam])
      next.set(s.m, out[s.nextM])
      next.set(s.v, out[s.nextV])
    }
    // Device buffers of the previous state are no longer referenced by anyone.
    if (this.runtime.keepsStateOnDevice) for (const t of this.state.values()) if (t.location === 'gpu-buffer') t.dispose()
    this.state = next
    const metrics: Record<string, number> = {}
    for (const name of this.spec.metricNames) metrics[name] = readScalar(out[name])
    return { metrics, step: this.steps }
  }

  /** The current weights as tensors, to feed a forward model (they may live on the device). */
  weightFeeds(): Feeds {
    const feeds: Feeds = {}
    for (const p of this.spec.params) feeds[p.value.name] = this.state.get(p.value.name)!
    return feeds
  }

  /** The current weights copied to CPU memory, by name (for checkpoints). */
  async readWeights(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>()
    for (const p of this.spec.params) {
      const t = this.state.get(p.value.name)!
      // gpu-buffer tensors download asynchronously; cpu tensors return their data.
      const data = t.location === 'gpu-buffer' ? await t.getData() : t.data
      out.set(p.value.name, Float32Array.from(data as Float32Array))
    }
    return out
  }
}

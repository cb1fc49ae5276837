import { Graph, type Value } from './graph'
import type { CompiledModel, Feeds, Runtime } from './runtime'
import { ort } from './runtime'
import { LR_INPUT, STEP_INPUT, paramSlots, type TrainStepModel } from './train-step'

export interface OptimizerState {
  step: number
  /** First and second Adam moments by parameter name. */
  m: ReadonlyMap<string, Float32Array>
  v: ReadonlyMap<string, Float32Array>
}

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

  /** Starts from `weights` with fresh Adam moments, or resumes from a saved optimizer state. */
  static async create(runtime: Runtime, spec: TrainStepModel, weights: ReadonlyMap<string, Float32Array>, resume?: OptimizerState): Promise<Trainer> {
    const compiled = await runtime.compile(spec.model, spec.stateOutputs)
    const trainer = new Trainer(runtime, compiled, spec)
    const tensor = (what: string, name: string, dims: readonly number[], data: Float32Array | undefined) => {
      const n = dims.reduce((a, b) => a * b, 1)
      if (!data || data.length !== n) throw new Error(`Trainer: ${what} for ${name} must hold ${n} values, got ${data?.length ?? 'none'}`)
      return new ort.Tensor('float32', Float32Array.from(data), [...dims])
    }
    for (const p of spec.params) {
      const name = p.value.name
      const s = paramSlots(name)
      const zeros = new Float32Array(p.shape.reduce((a, b) => a * b, 1))
      trainer.state.set(s.param, tensor('weights', name, p.shape, weights.get(name)))
      trainer.state.set(s.m, tensor('Adam m', name, p.shape, resume ? resume.m.get(name) : zeros))
      trainer.state.set(s.v, tensor('Adam v', name, p.shape, resume ? resume.v.get(name) : zeros))
    }
    trainer.steps = resume?.step ?? 0
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

  /**
   * The current weights as tensors, to feed a forward model. On the device they are valid until
   * the next step, which frees them: a model that reads them must take the new ones after it.
   */
  weightFeeds(): Feeds {
    const feeds: Feeds = {}
    for (const p of this.spec.params) feeds[p.value.name] = this.state.get(p.value.name)!
    return feeds
  }

  /**
   * The current weights as feeds for a model on `reader`: the trainer's own tensors where it can
   * read them (the same device, or weights in CPU memory), else copies in CPU memory.
   */
  async weightFeedsFor(reader: Runtime): Promise<Feeds> {
    if (!this.runtime.keepsStateOnDevice || reader.provider === this.runtime.provider) return this.weightFeeds()
    const host = await this.readWeights()
    return Object.fromEntries(this.spec.params.map((p) => [p.value.name, new ort.Tensor('float32', host.get(p.value.name)!, [...p.shape])]))
  }

  /** The current weights copied to CPU memory, by name (for checkpoints). */
  readWeights(): Promise<Map<string, Float32Array>> {
    return this.download(this.spec.params.map((p) => p.value.name))
  }

  /** Adam moments by parameter name and the step count, to save with a checkpoint and resume. */
  async readOptimizerState(): Promise<OptimizerState> {
    const slots = this.spec.params.map((p) => paramSlots(p.value.name))
    const got = await this.download(slots.flatMap((s) => [s.m, s.v]))
    return {
      step: this.steps,
      m: new Map(slots.map((s) => [s.param, got.get(s.m)!])),
      v: new Map(slots.map((s) => [s.param, got.get(s.v)!]))
    }
  }

  /**
   * State tensors copied to CPU memory. onnxruntime-node cannot download a gpu-buffer tensor by
   * itself (getData is not implemented there), so device state comes back as the CPU outputs of
   * an identity model.
   */
  private async download(names: readonly string[]): Promise<Map<string, Float32Array>> {
    const tensors = names.map((n) => this.state.get(n)!)
    const out = new Map<string, Float32Array>()
    if (!tensors.some((t) => t.location === 'gpu-buffer')) {
      names.forEach((n, i) => out.set(n, Float32Array.from(tensors[i].data as Float32Array)))
      return out
    }
    const g = new Graph('download')
    const outputs: Record<string, Value> = {}
    names.forEach((n, i) => (outputs[`${n}.host`] = g.identity(g.input(n, 'float32', tensors[i].dims))))
    const host = await (await this.runtime.compile(g.toModel(outputs))).run(Object.fromEntries(names.map((n, i) => [n, tensors[i]])))
    for (const n of names) out.set(n, host[`${n}.host`].data as Float32Array)
    return out
  }
}

import { resampleArea } from '../dicom/resample'
import { Graph, type ParamSpec } from '../tensor/graph'
import { initParams } from '../tensor/init'
import type { OnnxModel } from '../tensor/onnx-writer'
import { ort, type CompiledModel, type Feeds, type Runtime } from '../tensor/runtime'
import type { VlmConfig } from './config'
import type { Tokenizer } from './tokenizer'
import { vlmForward, vlmInputs } from './vlm-graph'

/** Every parameter of a VLM of this config, with shapes and initialisation (from a 1×1 forward). */
export function vlmParams(c: VlmConfig): readonly ParamSpec[] {
  const g = new Graph('vlm_params')
  vlmForward(g, c, vlmInputs(g, c, 1, 1))
  return g.params
}

/** Fresh weights for a config, drawn from `seed`. */
export function initVlmWeights(c: VlmConfig, seed: number): Map<string, Float32Array> {
  return initParams(vlmParams(c), seed)
}

/**
 * Names every way `weights` does not fit the config: missing tensors, unexpected ones and shape
 * mismatches (one line each). Empty when they fit.
 */
export function weightMismatches(c: VlmConfig, weights: ReadonlyMap<string, { shape: readonly number[] }>): string[] {
  const problems: string[] = []
  const expected = vlmParams(c)
  const names = new Set(expected.map((p) => p.value.name))
  for (const p of expected) {
    const w = weights.get(p.value.name)
    if (!w) problems.push(`missing ${p.value.name} [${p.shape}]`)
    else if (w.shape.length !== p.shape.length || w.shape.some((d, i) => d !== p.shape[i])) problems.push(`${p.value.name}: shape [${w.shape}] where the config needs [${p.shape}]`)
  }
  for (const name of weights.keys()) if (!names.has(name)) problems.push(`unexpected ${name}`)
  return problems
}

/**
 * A grayscale image (any size) as model input: resampled by area to the model's side and
 * standardised to zero mean and unit variance, so exposure and detector differences do not shift
 * what the vision encoder sees.
 */
export function imageInput(pixels: ArrayLike<number>, width: number, height: number, size: number): Float32Array {
  const resized = resampleArea(Float32Array.from(pixels), width, height, size, size)
  let mean = 0
  for (const v of resized) mean += v
  mean /= resized.length
  let variance = 0
  for (const v of resized) variance += (v - mean) ** 2
  const scale = 1 / Math.sqrt(variance / resized.length + 1e-6)
  for (let i = 0; i < resized.length; i++) resized[i] = (resized[i] - mean) * scale
  return resized
}

/**
 * A VLM ready to run: config, tokenizer, weights (as onnxruntime tensors) and the compiled graphs
 * it has needed so far, one per kind and shape.
 */
export class VlmModel {
  private weightFeeds: Feeds = {}
  private readonly compiled = new Map<string, Promise<CompiledModel>>()
  readonly params: readonly ParamSpec[]

  constructor(
    readonly config: VlmConfig,
    readonly tokenizer: Tokenizer,
    readonly runtime: Runtime,
    weights: ReadonlyMap<string, Float32Array>
  ) {
    if (tokenizer.vocabSize !== config.vocab) throw new Error(`The tokenizer has ${tokenizer.vocabSize} tokens but the model config says ${config.vocab}`)
    this.params = vlmParams(config)
    this.setWeights(weights)
  }

  /** Replaces the weights (after training steps); shapes must match the config. */
  setWeights(weights: ReadonlyMap<string, Float32Array>): void {
    const feeds: Feeds = {}
    for (const p of this.params) {
      const w = weights.get(p.value.name)
      const n = p.shape.reduce((a, b) => a * b, 1)
      if (!w || w.length !== n) throw new Error(`Weights for ${p.value.name} must hold ${n} values, got ${w?.length ?? 'none'}`)
      feeds[p.value.name] = new ort.Tensor('float32', w, [...p.shape])
    }
    this.weightFeeds = feeds
  }

  /** Uses weights that are already tensors (e.g. a trainer's current state) without a copy. */
  setWeightFeeds(feeds: Feeds): void {
    this.weightFeeds = Object.fromEntries(this.params.map((p) => [p.value.name, feeds[p.value.name]]))
  }

  /** Compiles a graph once per key (kind and shape). */
  graph(key: string, build: () => OnnxModel): Promise<CompiledModel> {
    let entry = this.compiled.get(key)
    if (!entry) {
      entry = this.runtime.compile(build())
      this.compiled.set(key, entry)
      entry.catch(() => this.compiled.delete(key))
    }
    return entry
  }

  /** Runs a compiled graph with the weights and the given data feeds. */
  run(model: CompiledModel, feeds: Feeds): Promise<Record<string, ort.Tensor>> {
    return model.run({ ...this.weightFeeds, ...feeds })
  }
}

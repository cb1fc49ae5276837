import { grad } from './autodiff'
import type { Graph, ParamSpec, Value } from './graph'
import type { OnnxModel } from './onnx-writer'

export interface AdamWConfig {
  beta1: number
  beta2: number
  epsilon: number
  /** Decoupled weight decay (AdamW), applied only to parameters marked `decay`. */
  weightDecay: number
  /** Gradients are scaled down together when their global L2 norm exceeds this. */
  maxGradNorm: number
}

export const defaultAdamW: AdamWConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, maxGradNorm: 1 }

/** Names of the train step's inputs and outputs for one parameter. */
export interface ParamSlots {
  param: string
  m: string
  v: string
  nextParam: string
  nextM: string
  nextV: string
}

export function paramSlots(name: string): ParamSlots {
  return { param: name, m: `${name}.adam_m`, v: `${name}.adam_v`, nextParam: `${name}.next`, nextM: `${name}.adam_m.next`, nextV: `${name}.adam_v.next` }
}

export const STEP_INPUT = 'train.step'
export const LR_INPUT = 'train.lr'

export interface TrainStepModel {
  model: OnnxModel
  params: readonly ParamSpec[]
  /** Scalar outputs besides the state: 'loss', 'grad_norm' and the caller's metrics. */
  metricNames: readonly string[]
  /** Outputs that feed the next step's inputs (new weights and moments). */
  stateOutputs: readonly string[]
}

/**
 * One fused training step as a single ONNX model: (weights, Adam m and v, step, lr, batch) →
 * (loss, metrics, grad norm, new weights, new m and v). Gradients, global-norm clipping and the
 * AdamW update all run inside the graph, so only the new state is copied out.
 */
export function buildTrainStep(g: Graph, loss: Value, metrics: Readonly<Record<string, Value>> = {}, config: Partial<AdamWConfig> = {}, params: readonly ParamSpec[] = g.params): TrainStepModel {
  const c = { ...defaultAdamW, ...config }
  const grads = grad(
    loss,
    params.map((p) => p.value)
  )
  const step = g.input(STEP_INPUT, 'float32', [])
  const lr = g.input(LR_INPUT, 'float32', [])

  // g² serves both the global norm and the second moment.
  const squares = grads.map((gr) => g.mul(gr, gr))
  let sumSquares: Value | null = null
  for (const sq of squares) {
    const s = g.reduceSum(sq, allAxes(sq))
    sumSquares = sumSquares ? g.add(sumSquares, s) : s
  }
  const gradNorm = g.sqrt(sumSquares ?? g.scalar(0))
  const clip = g.where(g.greater(gradNorm, c.maxGradNorm), g.div(c.maxGradNorm, g.add(gradNorm, 1e-6)), g.scalar(1))

  // Scalars shared by every parameter; the clip factor is folded into the moment coefficients.
  const mScale = g.mul(clip, 1 - c.beta1)
  const vScale = g.mul(g.mul(clip, clip), 1 - c.beta2)
  const sqrtBc2 = g.sqrt(g.sub(1, g.pow(g.scalar(c.beta2), step)))
  const stepSize = g.div(g.mul(lr, sqrtBc2), g.sub(1, g.pow(g.scalar(c.beta1), step)))
  const epsHat = g.mul(sqrtBc2, c.epsilon)
  const decay = g.sub(1, g.mul(lr, c.weightDecay))

  const outputs: Record<string, Value> = { loss, grad_norm: gradNorm, ...metrics }
  params.forEach((p, i) => {
    const slots = paramSlots(p.value.name)
    const m = g.input(slots.m, 'float32', p.shape)
    const v = g.input(slots.v, 'float32', p.shape)
    const gr = grads[i]
    const m2 = g.add(g.mul(m, c.beta1), g.mul(gr, mScale))
    const v2 = g.add(g.mul(v, c.beta2), g.mul(squares[i], vScale))
    const update = g.mul(g.div(m2, g.add(g.sqrt(v2), epsHat)), stepSize)
    const base = p.decay && c.weightDecay > 0 ? g.mul(p.value, decay) : p.value
    outputs[slots.nextParam] = g.sub(base, update)
    outputs[slots.nextM] = m2
    outputs[slots.nextV] = v2
  })
  const metricNames = ['loss', 'grad_norm', ...Object.keys(metrics)]
  return {
    model: g.toModel(outputs),
    params,
    metricNames,
    stateOutputs: params.flatMap((p) => {
      const s = paramSlots(p.value.name)
      return [s.nextParam, s.nextM, s.nextV]
    })
  }
}

function allAxes(v: Value): number[] {
  return v.shape.map((_, i) => i)
}

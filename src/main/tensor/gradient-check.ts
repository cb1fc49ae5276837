import { grad } from './autodiff'
import { evaluateFloat64, type F64Tensor } from './float64-interpreter'
import type { Graph, Value } from './graph'
import { Rng } from '../random'
import { ort, type Runtime } from './runtime'
import { fixedSize } from './shape'

export interface GradientCheckResult {
  /** Largest relative error over the checked inputs (see `relativeError`). */
  maxRelError: number
  perInput: Record<string, number>
  /** Relative error of onnxruntime's float32 forward value against the float64 one. */
  forwardRelError: number
}

/** Feeds for a check: float inputs hold float32-exact values so both engines see the same numbers. */
export function randomFeed(rng: Rng, dtype: 'float32' | 'int64' | 'bool', shape: number[], opts: { positive?: boolean; below?: number } = {}): F64Tensor {
  const n = fixedSize(shape, 'randomFeed')
  const data = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (dtype === 'int64') data[i] = rng.below(opts.below ?? 2)
    else if (dtype === 'bool') data[i] = rng.next() < 0.5 ? 1 : 0
    else data[i] = Math.fround(opts.positive ? 0.5 + rng.next() * 1.5 : rng.normal())
  }
  return { dtype, shape, data }
}

export function toOrt(t: F64Tensor): ort.Tensor {
  switch (t.dtype) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(t.data), t.shape)
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(t.data), t.shape)
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(t.data, (v) => BigInt(v)), t.shape)
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(t.data), t.shape)
  }
}

/**
 * max_i |analytic_i − numeric_i| / max_i |numeric_i| over the checked coordinates: the error
 * relative to the gradient's scale, so tiny components do not dominate.
 */
export function relativeError(analytic: ArrayLike<number>, numeric: ArrayLike<number>): number {
  let diff = 0
  let scale = 0
  for (let i = 0; i < numeric.length; i++) {
    diff = Math.max(diff, Math.abs(analytic[i] - numeric[i]))
    scale = Math.max(scale, Math.abs(numeric[i]))
  }
  return diff / Math.max(scale, 1e-12)
}

/**
 * Checks d(Σ output·R)/d(wrt) computed by the graph's own backward nodes in float32 on
 * onnxruntime against central finite differences of the float64 interpreter, R a fixed random
 * projection. Checks up to `coordinates` entries of each input (all of a small one).
 */
export async function checkGradients(
  runtime: Runtime,
  g: Graph,
  output: Value,
  wrt: readonly Value[],
  feeds: Readonly<Record<string, F64Tensor>>,
  opts: { seed?: number; coordinates?: number; step?: number } = {}
): Promise<GradientCheckResult> {
  const rng = new Rng(opts.seed ?? 1)
  const h = opts.step ?? 1e-5
  const shape = output.shape.map((d) => (typeof d === 'number' ? d : fail(`checkGradients: output ${output.name} has a symbolic shape`)))
  const projection = g.input('gradcheck.projection', output.dtype, shape)
  const allFeeds: Record<string, F64Tensor> = { ...feeds, [projection.name]: randomFeed(rng, 'float32', shape) }
  const loss = g.reduceSum(g.mul(output, projection), shape.map((_, i) => i))
  const grads = grad(loss, wrt)
  const outputs: Record<string, Value> = { 'gradcheck.loss': loss }
  wrt.forEach((w, i) => (outputs[`gradcheck.d.${w.name}`] = grads[i]))
  const compiled = await runtime.compile(g.toModel(outputs))
  const ortFeeds: Record<string, ort.Tensor> = {}
  for (const [name, t] of Object.entries(allFeeds)) ortFeeds[name] = toOrt(t)
  const got = await compiled.run(ortFeeds)

  const lossModel = g.toModel({ 'gradcheck.loss': loss })
  const f = (fs: Record<string, F64Tensor>) => evaluateFloat64(lossModel, fs)['gradcheck.loss'].data[0]
  const reference = f(allFeeds)
  const forwardRelError = Math.abs(Number((got['gradcheck.loss'].data as Float32Array)[0]) - reference) / Math.max(Math.abs(reference), 1e-12)

  const perInput: Record<string, number> = {}
  for (const w of wrt) {
    const base = allFeeds[w.name]
    if (!base) throw new Error(`checkGradients: ${w.name} must be a fed input`)
    const analyticAll = got[`gradcheck.d.${w.name}`].data as Float32Array
    const n = base.data.length
    const count = Math.min(n, opts.coordinates ?? 64)
    const coords = count === n ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: count }, () => rng.below(n))
    const numeric = coords.map((i) => {
      const plus = base.data.slice()
      const minus = base.data.slice()
      plus[i] += h
      minus[i] -= h
      return (f({ ...allFeeds, [w.name]: { ...base, data: plus } }) - f({ ...allFeeds, [w.name]: { ...base, data: minus } })) / (2 * h)
    })
    perInput[w.name] = relativeError(
      coords.map((i) => analyticAll[i]),
      numeric
    )
  }
  return { maxRelError: Math.max(...Object.values(perInput)), perInput, forwardRelError }
}

function fail(message: string): never {
  throw new Error(message)
}

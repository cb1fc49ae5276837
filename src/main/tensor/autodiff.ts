import { isFloat, type Graph, type GraphNode, type NodeMeta, type Value } from './graph'
import { fixedSize, formatShape, sameDim, type Shape } from './shape'

/** What a gradient rule sees: the op's inputs and outputs, the gradients of its outputs, its facts. */
export interface GradContext {
  g: Graph
  inputs: readonly (Value | null)[]
  outputs: readonly Value[]
  /** Gradient of each output; null where the loss does not depend on that output. */
  gy: readonly (Value | null)[]
  meta: NodeMeta
  saved: Readonly<Record<string, Value>>
}

/** One lazily built gradient per input; null where the input is not differentiable. */
type InputGrad = (() => Value) | null
type GradRule = (c: GradContext) => InputGrad[]

/** Gradient of the first (only) output; rules of single-output ops call it. */
function gy0(c: GradContext): Value {
  const v = c.gy[0]
  if (!v) throw new Error('internal: gradient rule called without an output gradient')
  return v
}

function input(c: GradContext, i: number): Value {
  const v = c.inputs[i]
  if (!v) throw new Error(`internal: input ${i} missing`)
  return v
}

/**
 * Sums a gradient that was broadcast up to `grad`'s shape back down to `target`'s shape: over
 * the leading axes `target` lacks and over the axes where `target` has size 1. The one place
 * broadcasting is undone.
 */
export function unbroadcast(g: Graph, grad: Value, target: Value): Value {
  if (grad.rank === target.rank && grad.shape.every((d, i) => sameDim(d, target.shape[i]))) return grad
  const lead = grad.rank - target.rank
  if (lead < 0) throw new Error(`unbroadcast: gradient ${formatShape(grad.shape)} has lower rank than ${formatShape(target.shape)}`)
  const axes: number[] = []
  for (let i = 0; i < grad.rank; i++) if (i < lead || (target.shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i)
  let r = axes.length > 0 ? g.reduceSum(grad, axes, true) : grad
  if (lead > 0) r = g.squeeze(r, range(lead))
  return r
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** Elementwise rule: d out / d x = local(x, y), times the output gradient, shaped back to x. */
function elementwise(local: (c: GradContext, gy: Value) => Value): GradRule {
  return (c) => [() => local(c, gy0(c))]
}

/** Binary broadcast rule: each input's gradient before broadcasting is undone. */
function binary(da: (c: GradContext, gy: Value) => Value, db: (c: GradContext, gy: Value) => Value): GradRule {
  return (c) => [() => unbroadcast(c.g, da(c, gy0(c)), input(c, 0)), () => unbroadcast(c.g, db(c, gy0(c)), input(c, 1))]
}

const none: GradRule = (c) => c.inputs.map(() => null)

/** Broadcasts a reduced gradient back over the reduced axes of x. */
function expandReduced(c: GradContext, grad: Value): Value {
  const x = input(c, 0)
  const axes = c.meta.axes as number[]
  const kept = c.meta.keepdims ? grad : c.g.unsqueeze(grad, axes)
  return c.g.expandAs(kept, x)
}

function reducedCount(shape: Shape, axes: readonly number[]): number {
  return fixedSize(
    axes.map((a) => shape[a]),
    'reduceMean gradient'
  )
}

/**
 * The gradient table: for every op, how the loss gradient flows to each input, written with the
 * same standard ONNX ops (no com.microsoft *Grad kernels). Modelled on PyTorch's derivatives.yaml.
 */
export const gradientRules: Readonly<Record<string, GradRule>> = {
  Identity: (c) => [c.meta.stopGradient ? null : () => gy0(c)],
  Add: binary(
    (_, gy) => gy,
    (_, gy) => gy
  ),
  Sub: binary(
    (_, gy) => gy,
    (c, gy) => c.g.neg(gy)
  ),
  Mul: binary(
    (c, gy) => c.g.mul(gy, input(c, 1)),
    (c, gy) => c.g.mul(gy, input(c, 0))
  ),
  Div: binary(
    (c, gy) => c.g.div(gy, input(c, 1)),
    (c, gy) => c.g.neg(c.g.div(c.g.mul(gy, c.outputs[0]), input(c, 1)))
  ),
  Pow: binary(
    (c, gy) => c.g.mul(gy, c.g.mul(input(c, 1), c.g.pow(input(c, 0), c.g.sub(input(c, 1), 1)))),
    (c, gy) => c.g.mul(gy, c.g.mul(c.outputs[0], c.g.log(input(c, 0))))
  ),
  Neg: elementwise((c, gy) => c.g.neg(gy)),
  Sqrt: elementwise((c, gy) => c.g.div(c.g.mul(gy, 0.5), c.outputs[0])),
  Exp: elementwise((c, gy) => c.g.mul(gy, c.outputs[0])),
  Log: elementwise((c, gy) => c.g.div(gy, input(c, 0))),
  Tanh: elementwise((c, gy) => c.g.mul(gy, c.g.sub(1, c.g.mul(c.outputs[0], c.outputs[0])))),
  Sigmoid: elementwise((c, gy) => c.g.mul(gy, c.g.mul(c.outputs[0], c.g.sub(1, c.outputs[0])))),
  Relu: elementwise((c, gy) => c.g.where(c.g.greater(input(c, 0), 0), gy, 0)),
  Erf: elementwise((c, gy) => {
    const x = input(c, 0)
    return c.g.mul(gy, c.g.mul(c.g.exp(c.g.neg(c.g.mul(x, x))), 2 / Math.sqrt(Math.PI)))
  }),
  // d/dx x·Φ(x) = Φ(x) + x·φ(x)
  Gelu: elementwise((c, gy) => {
    const x = input(c, 0)
    const pdf = c.g.mul(c.g.exp(c.g.mul(c.g.mul(x, x), -0.5)), 1 / Math.sqrt(2 * Math.PI))
    return c.g.mul(gy, c.g.add(c.saved.cdf, c.g.mul(x, pdf)))
  }),
  Softmax: elementwise((c, gy) => {
    const y = c.outputs[0]
    const axis = c.meta.axis as number
    return c.g.mul(y, c.g.sub(gy, c.g.reduceSum(c.g.mul(gy, y), [axis], true)))
  }),
  // y = x − logΣexp(x): dx = gy − softmax(x)·Σgy, with softmax(x) = exp(y)
  LogSoftmax: elementwise((c, gy) => {
    const axis = c.meta.axis as number
    return c.g.sub(gy, c.g.mul(c.g.exp(c.outputs[0]), c.g.reduceSum(gy, [axis], true)))
  }),
  LayerNormalization: (c) => {
    const axis = c.meta.axis as number
    const x = input(c, 0)
    const normAxes = range(x.rank).slice(axis)
    const leadAxes = range(axis)
    const gy = gy0(c)
    const { g } = c
    // Recomputed once from the saved statistics rather than kept from the forward pass.
    let normalized: Value | null = null
    const xhat = () => (normalized ??= g.mul(g.sub(x, c.outputs[1]), c.outputs[2]))
    return [
      () => {
        const dxhat = g.mul(gy, input(c, 1))
        const xh = xhat()
        const meanD = g.reduceMean(dxhat, normAxes, true)
        const meanDX = g.reduceMean(g.mul(dxhat, xh), normAxes, true)
        return g.mul(c.outputs[2], g.sub(g.sub(dxhat, meanD), g.mul(xh, meanDX)))
      },
      () => unbroadcast(g, leadAxes.length ? g.reduceSum(g.mul(gy, xhat()), leadAxes, false) : g.mul(gy, xhat()), input(c, 1)),
      () => unbroadcast(g, leadAxes.length ? g.reduceSum(gy, leadAxes, false) : gy, input(c, 2))
    ]
  },
  MatMul: (c) => {
    const { g } = c
    const a = input(c, 0)
    const b = input(c, 1)
    const gy = gy0(c)
    return [
      () => unbroadcast(g, g.matmul(gy, g.transposeLast(b)), a),
      () => {
        // A shared 2-D weight under a batched input: one big GEMM over all rows.
        if (b.rank === 2 && a.rank > 2) {
          const rows = g.reshape(a, [-1, a.shape[a.rank - 1]])
          return g.gemm(rows, g.reshape(gy, [-1, gy.shape[gy.rank - 1]]), null, { transA: true })
        }
        return unbroadcast(g, g.matmul(g.transposeLast(a), gy), b)
      }
    ]
  },
  Gemm: (c) => {
    const { g } = c
    const a = input(c, 0)
    const b = input(c, 1)
    const gy = gy0(c)
    const transA = c.meta.transA as boolean
    const transB = c.meta.transB as boolean
    const alpha = c.meta.alpha as number
    const cIn = c.inputs[2] ?? null
    return [
      () => (transA ? g.gemm(b, gy, null, { transA: transB, transB: true, alpha }) : g.gemm(gy, b, null, { transB: !transB, alpha })),
      () => (transB ? g.gemm(gy, a, null, { transA: true, transB: transA, alpha }) : g.gemm(a, gy, null, { transA: !transA, alpha })),
      cIn ? () => unbroadcast(g, c.g.mul(gy, c.meta.beta as number), cIn) : null
    ]
  },
  Conv: (c) => {
    const { g } = c
    const pad = c.meta.pad as number
    const x = input(c, 0)
    const w = input(c, 1)
    return [
      // Input: the transposed convolution of the output gradient with the same weights.
      () => g.convTranspose(gy0(c), w, pad),
      // Weights: dW[o,c,u,v] = Σ_b,y,x gy[b,o,y,x]·xpad[b,c,y+u,x+v] — the kh·kw shifted views of
      // the padded input as columns [B, C·kh·kw, H'·W'], one batched matmul with gy, summed over B.
      // (A convolution with the output gradient as its kernel is the textbook form, but its
      // H'×W' kernels run several times slower in onnxruntime's CPU Conv.)
      () => {
        const [b, ch] = x.shape as number[]
        const [o, , kh, kw] = w.shape as number[]
        const [, , oh, ow] = c.outputs[0].shape as number[]
        const padded = pad > 0 ? g.pad(x, [0, 0, pad, pad], [0, 0, pad, pad]) : x
        const views: Value[] = []
        for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) views.push(g.unsqueeze(g.slice(padded, [2, 3], [u, v], [u + oh, v + ow]), [2]))
        const columns = g.reshape(g.concat(views, 2), [b, ch * kh * kw, oh * ow])
        const perImage = g.matmul(g.reshape(gy0(c), [b, o, oh * ow]), g.transposeLast(columns))
        return g.reshape(g.reduceSum(perImage, [0]), [o, ch, kh, kw])
      }
    ]
  },
  ReduceSum: (c) => [() => expandReduced(c, gy0(c)), null],
  ReduceMean: (c) => [() => expandReduced(c, c.g.div(gy0(c), reducedCount(input(c, 0).shape, c.meta.axes as number[])))],
  ReduceMax: (c) => [
    () => {
      const { g } = c
      const x = input(c, 0)
      const y = c.meta.keepdims ? c.outputs[0] : g.unsqueeze(c.outputs[0], c.meta.axes as number[])
      // Ties share the gradient equally, as in PyTorch's amax.
      const hit = g.cast(g.equal(x, y), x.dtype)
      const ties = g.reduceSum(hit, c.meta.axes as number[], true)
      return g.mul(g.expandAs(expandReduced(c, gy0(c)), x), g.div(hit, ties))
    }
  ],
  Reshape: (c) => [() => c.g.reshapeLike(gy0(c), input(c, 0)), null],
  Transpose: (c) => {
    const perm = c.meta.perm as number[]
    const inverse = perm.map((_, i) => perm.indexOf(i))
    return [() => c.g.transpose(gy0(c), inverse)]
  },
  Concat: (c) => {
    const axis = c.meta.axis as number
    const sizes = c.meta.sizes as number[]
    if (sizes.some((s) => s < 0)) throw new Error('Concat gradient needs fixed sizes along the concatenation axis')
    let offset = 0
    return sizes.map((s) => {
      const start = offset
      offset += s
      return () => c.g.slice(gy0(c), [axis], [start], [start + s])
    })
  },
  Slice: (c) => [
    () => {
      const x = input(c, 0)
      const before = x.shape.map(() => 0)
      const after = x.shape.map(() => 0)
      ;(c.meta.axes as number[]).forEach((a, i) => {
        const begin = (c.meta.begin as number[])[i]
        before[a] = begin
        after[a] = (x.shape[a] as number) - begin - (c.outputs[0].shape[a] as number)
      })
      return c.g.pad(gy0(c), before, after)
    },
    null,
    null,
    null
  ],
  Pad: (c) => [
    () => {
      // Zero padding: the gradient is the padded gradient with the border cut off.
      const x = input(c, 0)
      const { before } = c.meta as { before: number[] }
      const padded = x.shape.flatMap((_, a) => (c.outputs[0].shape[a] !== x.shape[a] ? [a] : []))
      if (padded.length === 0) return c.g.identity(gy0(c))
      return c.g.slice(gy0(c), padded, padded.map((a) => before[a]), padded.map((a) => before[a] + (x.shape[a] as number)))
    },
    null
  ],
  Split: (c) => [() => c.g.concat(c.outputs.map((o, i) => c.gy[i] ?? c.g.zerosLike(o)), c.meta.axis as number), null],
  Squeeze: (c) => [() => c.g.unsqueeze(gy0(c), c.meta.axes as number[]), null],
  Unsqueeze: (c) => [() => c.g.squeeze(gy0(c), c.meta.axes as number[]), null],
  Expand: (c) => [() => unbroadcast(c.g, gy0(c), input(c, 0)), null],
  Gather: (c) => {
    if (c.meta.axis !== 0) throw new Error('Gather gradient is implemented for axis 0 (embedding lookup)')
    const { g } = c
    const data = input(c, 0)
    return [() => g.scatterAddRows(g.zerosLike(data), g.unsqueeze(input(c, 1), [input(c, 1).rank]), gy0(c)), null]
  },
  Where: (c) => {
    const cond = input(c, 0)
    return [null, () => unbroadcast(c.g, c.g.where(cond, gy0(c), 0), input(c, 1)), () => unbroadcast(c.g, c.g.where(cond, 0, gy0(c)), input(c, 2))]
  },
  Cast: (c) => [isFloat(input(c, 0).dtype) ? () => c.g.cast(gy0(c), input(c, 0).dtype) : null],
  Trilu: (c) => [() => c.g.trilu(gy0(c), c.meta.upper as boolean, c.meta.k as number), null],
  Equal: none,
  Greater: none,
  Less: none,
  Shape: none,
  Range: none,
  ConstantOfShape: none
}

interface Unit {
  op: string
  inputs: readonly (Value | null)[]
  outputs: readonly Value[]
  meta: NodeMeta
  saved: Readonly<Record<string, Value>>
}

/** The graph's nodes in order, each composite standing as one unit at the place of its last node. */
function units(nodes: readonly GraphNode[]): Unit[] {
  const out: Unit[] = []
  for (const n of nodes) {
    const comp = n.composite
    if (!comp) out.push({ op: n.op, inputs: n.inputs, outputs: n.outputs, meta: n.meta, saved: {} })
    else if (comp.output.producer === n) out.push({ op: comp.op, inputs: comp.inputs, outputs: [comp.output], meta: comp.meta, saved: comp.saved })
  }
  return out
}

/**
 * Reverse-mode differentiation: adds to the graph the nodes computing d loss / d each of `wrt`
 * and returns those gradients. The loss must be a float scalar. Gradients reaching a value along
 * several paths are summed.
 */
export function grad(loss: Value, wrt: readonly Value[]): Value[] {
  if (loss.rank !== 0 || !isFloat(loss.dtype)) throw new Error(`grad: the loss must be a float scalar, got ${loss.dtype} ${formatShape(loss.shape)}`)
  const g = graphOf(loss, wrt)
  const all = units(g.nodes)
  // Values that depend on a differentiated input: only they need gradients.
  const active = new Set<Value>(wrt)
  for (const u of all) if (u.inputs.some((i) => i && active.has(i))) for (const o of u.outputs) if (isFloat(o.dtype)) active.add(o)
  const grads = new Map<Value, Value>([[loss, g.scalar(1, loss.dtype)]])
  for (let k = all.length - 1; k >= 0; k--) {
    const u = all[k]
    const gy = u.outputs.map((o) => grads.get(o) ?? null)
    if (gy.every((v) => v === null)) continue
    const needs = u.inputs.map((i) => i !== null && active.has(i) && isFloat(i.dtype))
    if (!needs.some(Boolean)) continue
    const rule = gradientRules[u.op]
    if (!rule) throw new Error(`grad: no gradient rule for op ${u.op}`)
    const thunks = rule({ g, inputs: u.inputs, outputs: u.outputs, gy, meta: u.meta, saved: u.saved })
    u.inputs.forEach((v, i) => {
      if (!v || !needs[i]) return
      const thunk = thunks[i]
      if (!thunk) throw new Error(`grad: op ${u.op} has no gradient for its input ${i} (${v.name})`)
      const d = thunk()
      const prev = grads.get(v)
      grads.set(v, prev ? g.add(prev, d) : d)
    })
  }
  return wrt.map((p) => grads.get(p) ?? g.zerosLike(p))
}

function graphOf(loss: Value, wrt: readonly Value[]): Graph {
  const g = loss.graph
  for (const p of wrt) if (p.graph !== g) throw new Error(`grad: ${p.name} belongs to another graph than the loss`)
  return g
}

import type { OnnxAttribute, OnnxDataType, OnnxModel, OnnxNode, OnnxTensor } from './onnx-writer'
import { broadcastShapes, fixedSize, formatShape, normalizeAxis, sameDim, type Dim, type Shape } from './shape'

export type DType = OnnxDataType

/** One tensor in a graph: an input, a constant or the output of a node. */
export class Value {
  constructor(
    readonly graph: Graph,
    readonly name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    readonly producer: GraphNode | null
  ) {}

  get rank(): number {
    return this.shape.length
  }
}

/** Build-time facts a gradient rule reads (axes, flags) without decoding ONNX attributes. */
export type NodeMeta = Record<string, number | readonly number[] | boolean | string>

export interface GraphNode {
  op: string
  inputs: readonly (Value | null)[]
  outputs: readonly Value[]
  attrs: Readonly<Record<string, OnnxAttribute>>
  meta: NodeMeta
  /** Set on the nodes that implement a composite op; autodiff uses the composite's own rule. */
  composite: Composite | null
}

/** An op made of several ONNX nodes whose gradient has one rule of its own (GELU, LogSoftmax). */
export interface Composite {
  op: string
  inputs: readonly Value[]
  output: Value
  meta: NodeMeta
  /** Intermediate values the gradient rule may reuse. */
  saved: Readonly<Record<string, Value>>
}

export type ParamInit = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' }

export interface ParamSpec {
  value: Value
  shape: readonly number[]
  init: ParamInit
  /** Whether AdamW's decoupled weight decay applies (not to norms and biases). */
  decay: boolean
}

type Operand = Value | number

const floatTypes: readonly DType[] = ['float32', 'float64']

export function isFloat(dtype: DType): boolean {
  return floatTypes.includes(dtype)
}

const typedArrayFor = {
  float32: (v: readonly number[]) => Float32Array.from(v),
  float64: (v: readonly number[]) => Float64Array.from(v),
  int64: (v: readonly number[]) => BigInt64Array.from(v.map((x) => BigInt(x))),
  bool: (v: readonly number[]) => Uint8Array.from(v.map((x) => (x ? 1 : 0)))
} as const

/**
 * A typed ONNX graph under construction. Every op infers its output shape at build time (symbolic
 * dimensions allowed) and throws a clear error when shapes or types do not fit.
 */
export class Graph {
  readonly nodes: GraphNode[] = []
  readonly inputs: Value[] = []
  readonly params: ParamSpec[] = []
  private readonly initializers: OnnxTensor[] = []
  private readonly names = new Set<string>()
  private readonly constantCache = new Map<string, Value>()
  private counter = 0

  constructor(readonly name = 'graph') {}

  // ---- inputs, parameters, constants -------------------------------------------------------

  input(name: string, dtype: DType, shape: Shape): Value {
    this.claim(name)
    const v = new Value(this, name, dtype, shape, null)
    this.inputs.push(v)
    return v
  }

  /** A trainable float32 weight, fed as a graph input so the train step can return its update. */
  param(name: string, shape: readonly number[], init: ParamInit, decay = init.kind === 'normal'): Value {
    const value = this.input(name, 'float32', shape)
    this.params.push({ value, shape, init, decay })
    return value
  }

  constant(dtype: DType, dims: readonly number[], values: readonly number[]): Value {
    if (fixedSize(dims, 'constant') !== values.length) throw new Error(`constant: ${values.length} values for shape ${formatShape(dims)}`)
    const key = `${dtype}|${dims.join(',')}|${values.join(',')}`
    const cached = values.length <= 64 ? this.constantCache.get(key) : undefined
    if (cached) return cached
    const name = this.fresh('const')
    this.initializers.push({ name, dtype, dims, data: typedArrayFor[dtype](values) })
    const v = new Value(this, name, dtype, dims, null)
    if (values.length <= 64) this.constantCache.set(key, v)
    return v
  }

  scalar(value: number, dtype: DType = 'float32'): Value {
    return this.constant(dtype, [], [value])
  }

  ints(values: readonly number[]): Value {
    return this.constant('int64', [values.length], values)
  }

  // ---- elementwise ---------------------------------------------------------------------------

  add(a: Operand, b: Operand): Value {
    return this.binary('Add', a, b)
  }
  sub(a: Operand, b: Operand): Value {
    return this.binary('Sub', a, b)
  }
  mul(a: Operand, b: Operand): Value {
    return this.binary('Mul', a, b)
  }
  div(a: Operand, b: Operand): Value {
    return this.binary('Div', a, b)
  }
  pow(a: Operand, b: Operand): Value {
    return this.binary('Pow', a, b)
  }
  neg(x: Value): Value {
    return this.unary('Neg', x)
  }
  sqrt(x: Value): Value {
    return this.unary('Sqrt', x)
  }
  exp(x: Value): Value {
    return this.unary('Exp', x)
  }
  log(x: Value): Value {
    return this.unary('Log', x)
  }
  tanh(x: Value): Value {
    return this.unary('Tanh', x)
  }
  sigmoid(x: Value): Value {
    return this.unary('Sigmoid', x)
  }
  relu(x: Value): Value {
    return this.unary('Relu', x)
  }
  erf(x: Value): Value {
    return this.unary('Erf', x)
  }
  identity(x: Value): Value {
    return this.unary('Identity', x)
  }

  /** The value itself, through which no gradient flows. */
  stopGradient(x: Value): Value {
    return this.emit('Identity', [x], [{ dtype: x.dtype, shape: x.shape }], {}, { stopGradient: true })[0]
  }

  equal(a: Operand, b: Operand): Value {
    return this.compare('Equal', a, b)
  }
  greater(a: Operand, b: Operand): Value {
    return this.compare('Greater', a, b)
  }
  less(a: Operand, b: Operand): Value {
    return this.compare('Less', a, b)
  }

  where(condition: Value, a: Operand, b: Operand): Value {
    if (condition.dtype !== 'bool') throw new Error(`where: condition must be bool, got ${condition.dtype}`)
    const [va, vb] = this.operands('where', a, b)
    const shape = broadcastShapes(broadcastShapes(condition.shape, va.shape, 'where'), vb.shape, 'where')
    return this.emit('Where', [condition, va, vb], [{ dtype: va.dtype, shape }])[0]
  }

  cast(x: Value, dtype: DType): Value {
    const to = { float32: 1, int64: 7, bool: 9, float64: 11 }[dtype]
    return this.emit('Cast', [x], [{ dtype, shape: x.shape }], { to: { type: 'int', value: to } })[0]
  }

  // ---- linear algebra ------------------------------------------------------------------------

  /** NumPy matmul of rank ≥ 2 operands with broadcast batch dimensions. */
  matmul(a: Value, b: Value): Value {
    this.sameType('matmul', a, b)
    if (a.rank < 2 || b.rank < 2) throw new Error(`matmul: operands need rank ≥ 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`)
    const k1 = a.shape[a.rank - 1]
    const k2 = b.shape[b.rank - 2]
    if (!sameDim(k1, k2)) throw new Error(`matmul: inner dimensions differ: ${formatShape(a.shape)} × ${formatShape(b.shape)}`)
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul')
    const shape = [...batch, a.shape[a.rank - 2], b.shape[b.rank - 1]]
    return this.emit('MatMul', [a, b], [{ dtype: a.dtype, shape }])[0]
  }

  /**
   * 2-D convolution, stride 1, zero padding `pad` on every side: x [B,C,H,W] ⊛ w [O,C,kh,kw] →
   * [B,O,H+2p−kh+1,W+2p−kw+1] (onnxruntime's own kernel; its gradient is declared in autodiff.ts).
   */
  conv(x: Value, w: Value, pad: number): Value {
    this.sameType('conv', x, w)
    const [b, c, h, wd] = x.shape
    const [o, c2, kh, kw] = w.shape
    if (x.rank !== 4 || w.rank !== 4 || !sameDim(c, c2)) throw new Error(`conv: needs x [B,C,H,W] and w [O,C,kh,kw], got ${formatShape(x.shape)} and ${formatShape(w.shape)}`)
    if (typeof h !== 'number' || typeof wd !== 'number' || typeof kh !== 'number' || typeof kw !== 'number') throw new Error('conv: spatial sizes must be fixed')
    const shape = [b, o, h + 2 * pad - kh + 1, wd + 2 * pad - kw + 1]
    return this.emit('Conv', [x, w], [{ dtype: x.dtype, shape }], { pads: { type: 'ints', value: [pad, pad, pad, pad] } }, { pad })[0]
  }

  /** The adjoint of `conv` with respect to its input: gy [B,O,H',W'] and w [O,C,kh,kw] → [B,C,H,W]. */
  convTranspose(gy: Value, w: Value, pad: number): Value {
    const [b, , h, wd] = gy.shape
    const [, c, kh, kw] = w.shape
    const shape = [b, c, (h as number) - 1 + (kh as number) - 2 * pad, (wd as number) - 1 + (kw as number) - 2 * pad]
    return this.emit('ConvTranspose', [gy, w], [{ dtype: gy.dtype, shape }], { pads: { type: 'ints', value: [pad, pad, pad, pad] } }, { pad })[0]
  }

  /** alpha·op(A)·op(B) + beta·C for 2-D A and B (C broadcast). */
  gemm(a: Value, b: Value, c: Value | null, opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): Value {
    const transA = opts.transA ?? false
    const transB = opts.transB ?? false
    const alpha = opts.alpha ?? 1
    const beta = opts.beta ?? 1
    if (a.rank !== 2 || b.rank !== 2) throw new Error(`gemm: operands must be 2-D, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`)
    const [m, k1] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]]
    const [k2, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]]
    if (!sameDim(k1, k2)) throw new Error(`gemm: inner dimensions differ: ${formatShape(a.shape)} × ${formatShape(b.shape)}`)
    if (c) broadcastShapes([m, n], c.shape, 'gemm bias')
    const attrs: Record<string, OnnxAttribute> = {
      transA: { type: 'int', value: transA ? 1 : 0 },
      transB: { type: 'int', value: transB ? 1 : 0 },
      alpha: { type: 'float', value: alpha },
      beta: { type: 'float', value: beta }
    }
    return this.emit('Gemm', c ? [a, b, c] : [a, b], [{ dtype: a.dtype, shape: [m, n] }], attrs, { transA, transB, alpha, beta })[0]
  }

  // ---- normalization and activations -----------------------------------------------------------

  softmax(x: Value, axis = -1): Value {
    const a = normalizeAxis(axis, x.rank, 'softmax')
    return this.emit('Softmax', [x], [{ dtype: x.dtype, shape: x.shape }], { axis: { type: 'int', value: a } }, { axis: a })[0]
  }

  /** x − max − log Σ exp(x − max), from ops every execution provider has (no LogSoftmax kernel on WebGPU). */
  logSoftmax(x: Value, axis = -1): Value {
    const a = normalizeAxis(axis, x.rank, 'logSoftmax')
    return this.composite('LogSoftmax', [x], { axis: a }, () => {
      const shifted = this.sub(x, this.stopGradient(this.reduceMax(x, [a], true)))
      const output = this.sub(shifted, this.log(this.reduceSum(this.exp(shifted), [a], true)))
      return { output, saved: {} }
    })
  }

  /** Exact GELU, x·Φ(x) = ½x(1 + erf(x/√2)); onnxruntime fuses the pattern into its Gelu kernel. */
  gelu(x: Value): Value {
    return this.composite('Gelu', [x], {}, () => {
      const cdf = this.mul(this.add(this.erf(this.mul(x, Math.SQRT1_2)), 1), 0.5)
      return { output: this.mul(x, cdf), saved: { cdf } }
    })
  }

  /** LayerNormalization over the axes from `axis` on; also yields mean and 1/σ for the gradient. */
  layerNormalization(x: Value, scale: Value, bias: Value, axis = -1, epsilon = 1e-5): Value {
    const a = normalizeAxis(axis, x.rank, 'layerNormalization')
    const statsShape = x.shape.map((d, i) => (i < a ? d : 1))
    const outs = this.emit(
      'LayerNormalization',
      [x, scale, bias],
      [
        { dtype: x.dtype, shape: x.shape },
        { dtype: x.dtype, shape: statsShape },
        { dtype: x.dtype, shape: statsShape }
      ],
      { axis: { type: 'int', value: a }, epsilon: { type: 'float', value: epsilon } },
      { axis: a }
    )
    return outs[0]
  }

  // ---- reductions ----------------------------------------------------------------------------

  reduceSum(x: Value, axes: readonly number[], keepdims = false): Value {
    const ax = this.axes(axes, x.rank, 'reduceSum')
    return this.emit('ReduceSum', [x, this.ints(ax)], [{ dtype: x.dtype, shape: reducedShape(x.shape, ax, keepdims) }], { keepdims: { type: 'int', value: keepdims ? 1 : 0 } }, { axes: ax, keepdims })[0]
  }

  reduceMean(x: Value, axes: readonly number[], keepdims = false): Value {
    return this.attrReduce('ReduceMean', x, axes, keepdims)
  }

  reduceMax(x: Value, axes: readonly number[], keepdims = false): Value {
    return this.attrReduce('ReduceMax', x, axes, keepdims)
  }

  // ---- shape ops -------------------------------------------------------------------------------

  /**
   * Reshape to `dims`. A symbolic dimension at the same position as in `x` is copied; one other
   * symbolic dimension (or a -1) is inferred by onnxruntime from the element count.
   */
  reshape(x: Value, dims: Shape): Value {
    const target: number[] = []
    const shape: Dim[] = []
    let inferred = -1
    dims.forEach((d, i) => {
      if (d === 0) throw new Error('reshape: a dimension of 0 is not allowed')
      if (typeof d === 'number' && d > 0) {
        target.push(d)
        shape.push(d)
      } else if (typeof d === 'string' && i < x.rank && x.shape[i] === d) {
        target.push(0)
        shape.push(d)
      } else {
        if (inferred >= 0) throw new Error(`reshape: ${formatShape(x.shape)} → ${formatShape(dims)} leaves more than one dimension to infer`)
        inferred = i
        target.push(-1)
        shape.push(d)
      }
    })
    if (inferred >= 0 && shape[inferred] === -1) shape[inferred] = inferredDim(x.shape, shape.filter((_, i) => i !== inferred), dims)
    if (x.shape.every((d) => typeof d === 'number') && shape.every((d) => typeof d === 'number')) {
      if (fixedSize(x.shape, 'reshape') !== fixedSize(shape, 'reshape')) throw new Error(`reshape: cannot reshape ${formatShape(x.shape)} to ${formatShape(dims)}`)
    }
    return this.emit('Reshape', [x, this.ints(target)], [{ dtype: x.dtype, shape }])[0]
  }

  /** Reshape to the run-time shape of another value (used by gradients). */
  reshapeLike(x: Value, like: Value): Value {
    return this.emit('Reshape', [x, this.shapeOf(like)], [{ dtype: x.dtype, shape: like.shape }])[0]
  }

  transpose(x: Value, perm: readonly number[]): Value {
    if (perm.length !== x.rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) throw new Error(`transpose: ${perm.join(',')} is not a permutation of rank ${x.rank}`)
    return this.emit('Transpose', [x], [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }], { perm: { type: 'ints', value: perm } }, { perm })[0]
  }

  /** Swaps the last two axes. */
  transposeLast(x: Value): Value {
    const perm = x.shape.map((_, i) => i)
    ;[perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]]
    return this.transpose(x, perm)
  }

  concat(xs: readonly Value[], axis: number): Value {
    if (xs.length === 0) throw new Error('concat: no inputs')
    const first = xs[0]
    const a = normalizeAxis(axis, first.rank, 'concat')
    let size: Dim | null = null
    for (const x of xs) {
      this.sameType('concat', first, x)
      if (x.rank !== first.rank || x.shape.some((d, i) => i !== a && !sameDim(d, first.shape[i]))) {
        throw new Error(`concat: shapes ${formatShape(first.shape)} and ${formatShape(x.shape)} differ off axis ${a}`)
      }
      const d = x.shape[a]
      size = size === null ? d : typeof size === 'number' && typeof d === 'number' ? size + d : `${size}+${d}`
    }
    const shape = first.shape.map((d, i) => (i === a ? (size as Dim) : d))
    const sizes = xs.map((x) => x.shape[a])
    return this.emit('Concat', xs, [{ dtype: first.dtype, shape }], { axis: { type: 'int', value: a } }, { axis: a, sizes: sizes.map((d) => (typeof d === 'number' ? d : -1)) })[0]
  }

  /** Slice with step 1; ends beyond the dimension are clamped as in ONNX. */
  slice(x: Value, axes: readonly number[], starts: readonly number[], ends: readonly number[]): Value {
    const ax = axes.map((a) => normalizeAxis(a, x.rank, 'slice'))
    const shape = [...x.shape]
    const begin: number[] = []
    ax.forEach((a, i) => {
      const d = x.shape[a]
      if (typeof d !== 'number') {
        if (starts[i] === 0 && ends[i] >= Number.MAX_SAFE_INTEGER) {
          begin.push(0)
          return
        }
        throw new Error(`slice: axis ${a} has symbolic size ${d}; only a full slice is allowed`)
      }
      const s = clamp(starts[i] < 0 ? starts[i] + d : starts[i], 0, d)
      const e = clamp(ends[i] < 0 ? ends[i] + d : ends[i], 0, d)
      if (e <= s) throw new Error(`slice: empty slice [${starts[i]}, ${ends[i]}) of axis ${a} (size ${d})`)
      shape[a] = e - s
      begin.push(s)
    })
    return this.emit('Slice', [x, this.ints(starts), this.ints(ends.map((e) => Math.min(e, Number.MAX_SAFE_INTEGER))), this.ints(ax)], [{ dtype: x.dtype, shape }], {}, { axes: ax, begin })[0]
  }

  split(x: Value, sizes: readonly number[], axis: number): Value[] {
    const a = normalizeAxis(axis, x.rank, 'split')
    const d = x.shape[a]
    if (typeof d === 'number' && sizes.reduce((s, v) => s + v, 0) !== d) throw new Error(`split: sizes ${sizes.join('+')} do not add up to ${d}`)
    const outs = sizes.map((s) => ({ dtype: x.dtype, shape: x.shape.map((v, i) => (i === a ? s : v)) }))
    return this.emit('Split', [x, this.ints(sizes)], outs, { axis: { type: 'int', value: a } }, { axis: a })
  }

  squeeze(x: Value, axes: readonly number[]): Value {
    const ax = this.axes(axes, x.rank, 'squeeze')
    for (const a of ax) if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of ${formatShape(x.shape)} is not 1`)
    return this.emit('Squeeze', [x, this.ints(ax)], [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !ax.includes(i)) }], {}, { axes: ax })[0]
  }

  unsqueeze(x: Value, axes: readonly number[]): Value {
    const rank = x.rank + axes.length
    const ax = this.axes(axes, rank, 'unsqueeze')
    const shape: Dim[] = []
    let j = 0
    for (let i = 0; i < rank; i++) shape.push(ax.includes(i) ? 1 : x.shape[j++])
    return this.emit('Unsqueeze', [x, this.ints(ax)], [{ dtype: x.dtype, shape }], {}, { axes: ax })[0]
  }

  expand(x: Value, dims: readonly number[]): Value {
    const shape = broadcastShapes(x.shape, dims, 'expand')
    return this.emit('Expand', [x, this.ints(dims)], [{ dtype: x.dtype, shape }])[0]
  }

  /** Broadcasts x to the run-time shape of `like`. */
  expandAs(x: Value, like: Value): Value {
    const shape = broadcastShapes(x.shape, like.shape, 'expandAs')
    return this.emit('Expand', [x, this.shapeOf(like)], [{ dtype: x.dtype, shape }])[0]
  }

  /** Rows of `data` picked by int64 `indices` (an embedding lookup when axis is 0). */
  gather(data: Value, indices: Value, axis = 0): Value {
    if (indices.dtype !== 'int64') throw new Error(`gather: indices must be int64, got ${indices.dtype}`)
    const a = normalizeAxis(axis, data.rank, 'gather')
    const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)]
    return this.emit('Gather', [data, indices], [{ dtype: data.dtype, shape }], { axis: { type: 'int', value: a } }, { axis: a })[0]
  }

  /** data with `updates` added at the rows named by indices [..., 1] (duplicates add up). */
  scatterAddRows(data: Value, indices: Value, updates: Value): Value {
    return this.emit('ScatterND', [data, indices, updates], [{ dtype: data.dtype, shape: data.shape }], { reduction: { type: 'string', value: 'add' } })[0]
  }

  pad(x: Value, before: readonly number[], after: readonly number[]): Value {
    const shape = x.shape.map((d, i) => (typeof d === 'number' ? d + before[i] + after[i] : before[i] + after[i] === 0 ? d : fail(`pad: cannot pad symbolic axis ${i}`)))
    return this.emit('Pad', [x, this.ints([...before, ...after])], [{ dtype: x.dtype, shape }], { mode: { type: 'string', value: 'constant' } }, { before: [...before] })[0]
  }

  shapeOf(x: Value): Value {
    return this.emit('Shape', [x], [{ dtype: 'int64', shape: [x.rank] }])[0]
  }

  zerosLike(x: Value): Value {
    const zero: OnnxTensor = { name: 'value', dtype: x.dtype, dims: [1], data: typedArrayFor[x.dtype]([0]) }
    return this.emit('ConstantOfShape', [this.shapeOf(x)], [{ dtype: x.dtype, shape: x.shape }], { value: { type: 'tensor', value: zero } })[0]
  }

  /** [start, start+delta, …) below limit, as int64. */
  range(start: number, limit: number, delta = 1): Value {
    const n = Math.max(Math.ceil((limit - start) / delta), 0)
    return this.emit('Range', [this.scalar(start, 'int64'), this.scalar(limit, 'int64'), this.scalar(delta, 'int64')], [{ dtype: 'int64', shape: [n] }])[0]
  }

  /** Upper (or lower) triangle of the last two axes, the rest zeroed; k shifts the diagonal. */
  trilu(x: Value, upper: boolean, k = 0): Value {
    return this.emit('Trilu', [x, this.scalar(k, 'int64')], [{ dtype: x.dtype, shape: x.shape }], { upper: { type: 'int', value: upper ? 1 : 0 } }, { upper, k })[0]
  }

  // ---- composites ------------------------------------------------------------------------------

  /** Records the nodes `build` makes as one op whose gradient comes from its own rule. */
  composite(op: string, inputs: readonly Value[], meta: NodeMeta, build: () => { output: Value; saved: Record<string, Value> }): Value {
    const start = this.nodes.length
    const { output, saved } = build()
    const record: Composite = { op, inputs, output, meta, saved }
    for (let i = start; i < this.nodes.length; i++) this.nodes[i].composite = record
    return output
  }

  // ---- export --------------------------------------------------------------------------------

  /**
   * The ONNX model computing `outputs` (by name). Nodes and inputs the outputs do not need are
   * left out, so a forward-only model can be cut from a training graph.
   */
  toModel(outputs: Readonly<Record<string, Value>>): OnnxModel {
    const needed = new Set<Value>()
    const stack = Object.values(outputs)
    while (stack.length > 0) {
      const v = stack.pop()!
      if (needed.has(v)) continue
      needed.add(v)
      if (v.producer) for (const i of v.producer.inputs) if (i) stack.push(i)
    }
    // A node's output is renamed to the output name (no copy); inputs, constants and values
    // exported twice go through an Identity.
    const rename = new Map<string, string>()
    const identities: OnnxNode[] = []
    const outputInfo = Object.entries(outputs).map(([name, v]) => {
      if (name !== v.name) {
        if (this.names.has(name)) throw new Error(`Output name '${name}' is already the name of another value`)
        if (v.producer && !rename.has(v.name)) rename.set(v.name, name)
        else identities.push({ opType: 'Identity', name: `out_${name}`, inputs: [rename.get(v.name) ?? v.name], outputs: [name], attributes: {} })
      }
      return { name, dtype: v.dtype, dims: v.shape }
    })
    const named = (v: Value | null) => (v ? (rename.get(v.name) ?? v.name) : '')
    const nodes: OnnxNode[] = []
    this.nodes.forEach((n, idx) => {
      if (!n.outputs.some((o) => needed.has(o))) return
      nodes.push({ opType: n.op, name: `n${idx}_${n.op}`, inputs: n.inputs.map(named), outputs: n.outputs.map(named), attributes: n.attrs })
    })
    nodes.push(...identities)
    const initNames = new Set([...needed].map((v) => v.name))
    return {
      graphName: this.name,
      nodes,
      initializers: this.initializers.filter((t) => initNames.has(t.name)),
      inputs: this.inputs.filter((v) => needed.has(v)).map((v) => ({ name: v.name, dtype: v.dtype, dims: v.shape })),
      outputs: outputInfo
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  private unary(op: string, x: Value): Value {
    if (op !== 'Identity' && !isFloat(x.dtype)) throw new Error(`${op}: needs a float tensor, got ${x.dtype}`)
    return this.emit(op, [x], [{ dtype: x.dtype, shape: x.shape }])[0]
  }

  private binary(op: string, a: Operand, b: Operand): Value {
    const [va, vb] = this.operands(op, a, b)
    return this.emit(op, [va, vb], [{ dtype: va.dtype, shape: broadcastShapes(va.shape, vb.shape, op) }])[0]
  }

  private compare(op: string, a: Operand, b: Operand): Value {
    const [va, vb] = this.operands(op, a, b)
    return this.emit(op, [va, vb], [{ dtype: 'bool', shape: broadcastShapes(va.shape, vb.shape, op) }])[0]
  }

  /** Lifts plain numbers to scalar constants of the other operand's type. */
  private operands(op: string, a: Operand, b: Operand): [Value, Value] {
    if (typeof a === 'number' && typeof b === 'number') throw new Error(`${op}: at least one operand must be a tensor`)
    const va = typeof a === 'number' ? this.scalar(a, (b as Value).dtype) : a
    const vb = typeof b === 'number' ? this.scalar(b, va.dtype) : b
    this.sameType(op, va, vb)
    return [va, vb]
  }

  private attrReduce(op: string, x: Value, axes: readonly number[], keepdims: boolean): Value {
    const ax = this.axes(axes, x.rank, op)
    const attrs: Record<string, OnnxAttribute> = { axes: { type: 'ints', value: ax }, keepdims: { type: 'int', value: keepdims ? 1 : 0 } }
    return this.emit(op, [x], [{ dtype: x.dtype, shape: reducedShape(x.shape, ax, keepdims) }], attrs, { axes: ax, keepdims })[0]
  }

  private axes(axes: readonly number[], rank: number, what: string): number[] {
    const ax = axes.map((a) => normalizeAxis(a, rank, what)).sort((p, q) => p - q)
    if (new Set(ax).size !== ax.length) throw new Error(`${what}: repeated axis in ${axes.join(',')}`)
    return ax
  }

  private sameType(op: string, a: Value, b: Value): void {
    if (a.dtype !== b.dtype) throw new Error(`${op}: operand types differ (${a.name}: ${a.dtype}, ${b.name}: ${b.dtype})`)
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`Duplicate value name '${name}' in graph ${this.name}`)
    this.names.add(name)
  }

  private fresh(prefix: string): string {
    let name: string
    do name = `${prefix}${this.counter++}`
    while (this.names.has(name))
    this.names.add(name)
    return name
  }

  private emit(op: string, inputs: readonly (Value | null)[], outs: readonly { dtype: DType; shape: Shape }[], attrs: Record<string, OnnxAttribute> = {}, meta: NodeMeta = {}): Value[] {
    const node: GraphNode = { op, inputs, outputs: [], attrs, meta, composite: null }
    const outputs = outs.map((o) => new Value(this, this.fresh(`${op.toLowerCase()}_`), o.dtype, o.shape, node))
    ;(node as { outputs: readonly Value[] }).outputs = outputs
    this.nodes.push(node)
    return outputs
  }
}

/**
 * The size a -1 stands for: element count of `from` over that of `known`. With symbolic sizes it
 * is a product name such as 'B*4', so two reshapes of the same tokens agree on it.
 */
function inferredDim(from: Shape, known: readonly Dim[], target: Shape): Dim {
  const symbols = from.filter((d): d is string => typeof d === 'string')
  let ratio = 1
  for (const d of from) if (typeof d === 'number') ratio *= d
  for (const d of known) {
    if (typeof d === 'number') ratio /= d
    else if (symbols.includes(d)) symbols.splice(symbols.indexOf(d), 1)
    else throw new Error(`reshape: cannot infer a size for ${formatShape(from)} → ${formatShape(target)}`)
  }
  if (!Number.isInteger(ratio) || ratio < 1) throw new Error(`reshape: cannot reshape ${formatShape(from)} to ${formatShape(target)}`)
  if (symbols.length === 0) return ratio
  return [...symbols, ...(ratio === 1 ? [] : [String(ratio)])].join('*')
}

function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): Dim[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i))
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi)
}

function fail(message: string): never {
  throw new Error(message)
}

import type { OnnxAttribute, OnnxDataType, OnnxModel, OnnxNode, OnnxTensor } from './onnx-writer'

/**
 * A slow, plain float64 evaluator of the ONNX models the engine writes: the independent reference
 * that gradient checks difference against. Every value is held as float64 (int64 and bool too).
 */
export interface F64Tensor {
  dtype: OnnxDataType
  shape: number[]
  data: Float64Array
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]
  }
  return s
}

function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length))
  const out: number[] = []
  for (let i = 0; i < rank; i++) {
    let d = 1
    for (const s of shapes) {
      const v = s[i - (rank - s.length)] ?? 1
      if (v !== 1) {
        if (d !== 1 && d !== v) throw new Error(`float64 interpreter: shapes ${shapes.map((x) => `[${x}]`).join(' ')} do not broadcast`)
        d = v
      }
    }
    out.push(d)
  }
  return out
}

/** For every element of the broadcast output, the flat offset into each input. */
function broadcastOffsets(inputs: readonly (readonly number[])[], out: readonly number[]): Int32Array[] {
  const n = size(out)
  return inputs.map((shape) => {
    const lead = out.length - shape.length
    const st = strides(shape)
    const offs = new Int32Array(n)
    const idx = new Array<number>(out.length).fill(0)
    for (let k = 0; k < n; k++) {
      let o = 0
      for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) o += idx[i + lead] * st[i]
      offs[k] = o
      for (let i = out.length - 1; i >= 0; i--) {
        if (++idx[i] < out[i]) break
        idx[i] = 0
      }
    }
    return offs
  })
}

function elementwise(dtype: OnnxDataType, inputs: readonly F64Tensor[], fn: (...v: number[]) => number): F64Tensor {
  const shape = broadcastShape(inputs.map((t) => t.shape))
  const offs = broadcastOffsets(
    inputs.map((t) => t.shape),
    shape
  )
  const data = new Float64Array(size(shape))
  const args = new Array<number>(inputs.length)
  for (let k = 0; k < data.length; k++) {
    for (let j = 0; j < inputs.length; j++) args[j] = inputs[j].data[offs[j][k]]
    data[k] = fn(...args)
  }
  return { dtype, shape, data }
}

/** erf to float64 precision: Maclaurin series near 0, continued fraction for erfc in the tails. */
export function erf(x: number): number {
  const ax = Math.abs(x)
  if (ax < 2.5) {
    let term = x
    let sum = x
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n
      const add = term / (2 * n + 1)
      sum += add
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break
    }
    return (2 / Math.sqrt(Math.PI)) * sum
  }
  // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))), evaluated bottom-up.
  let f = ax
  for (let n = 60; n >= 1; n--) f = ax + n / 2 / f
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f
  return Math.sign(x) * (1 - erfc)
}

function reduce(x: F64Tensor, axes: readonly number[], keepdims: boolean, init: number, step: (acc: number, v: number) => number, finish: (acc: number, count: number) => number): F64Tensor {
  const rank = x.shape.length
  const ax = axes.map((a) => (a < 0 ? a + rank : a))
  const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d))
  const outData = new Float64Array(size(kept)).fill(init)
  const st = strides(kept)
  const idx = new Array<number>(rank).fill(0)
  for (let k = 0; k < x.data.length; k++) {
    let o = 0
    for (let i = 0; i < rank; i++) if (!ax.includes(i)) o += idx[i] * st[i]
    outData[o] = step(outData[o], x.data[k])
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < x.shape[i]) break
      idx[i] = 0
    }
  }
  const count = size(ax.map((a) => x.shape[a]))
  for (let k = 0; k < outData.length; k++) outData[k] = finish(outData[k], count)
  return { dtype: x.dtype, shape: keepdims ? kept : x.shape.filter((_, i) => !ax.includes(i)), data: outData }
}

/** Rearranges x by a permutation of its axes. */
function transpose(x: F64Tensor, perm: readonly number[]): F64Tensor {
  const shape = perm.map((p) => x.shape[p])
  const inSt = strides(x.shape)
  const data = new Float64Array(x.data.length)
  const idx = new Array<number>(shape.length).fill(0)
  for (let k = 0; k < data.length; k++) {
    let o = 0
    for (let i = 0; i < shape.length; i++) o += idx[i] * inSt[perm[i]]
    data[k] = x.data[o]
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++idx[i] < shape[i]) break
      idx[i] = 0
    }
  }
  return { dtype: x.dtype, shape, data }
}

function matmul(a: F64Tensor, b: F64Tensor): F64Tensor {
  const [m, k] = a.shape.slice(-2)
  const n = b.shape[b.shape.length - 1]
  const batch = broadcastShape([a.shape.slice(0, -2), b.shape.slice(0, -2)])
  const [ao, bo] = broadcastOffsets([a.shape.slice(0, -2), b.shape.slice(0, -2)], batch)
  const nb = size(batch)
  const data = new Float64Array(nb * m * n)
  for (let t = 0; t < nb; t++) {
    const pa = ao[t] * m * k
    const pb = bo[t] * k * n
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let p = 0; p < k; p++) s += a.data[pa + i * k + p] * b.data[pb + p * n + j]
        data[t * m * n + i * n + j] = s
      }
  }
  return { dtype: a.dtype, shape: [...batch, m, n], data }
}

function ints(t: F64Tensor): number[] {
  return Array.from(t.data)
}

function attr(node: OnnxNode, name: string): OnnxAttribute | undefined {
  return node.attributes[name]
}

function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = attr(node, name)
  return a && (a.type === 'int' || a.type === 'float') ? a.value : fallback
}

function attrInts(node: OnnxNode, name: string): number[] {
  const a = attr(node, name)
  return a && a.type === 'ints' ? [...a.value] : []
}

function sliceAxis(x: F64Tensor, axis: number, start: number, end: number): F64Tensor {
  const shape = [...x.shape]
  shape[axis] = end - start
  const outer = size(x.shape.slice(0, axis))
  const inner = size(x.shape.slice(axis + 1))
  const data = new Float64Array(size(shape))
  let w = 0
  for (let o = 0; o < outer; o++)
    for (let i = start; i < end; i++) {
      const base = (o * x.shape[axis] + i) * inner
      for (let j = 0; j < inner; j++) data[w++] = x.data[base + j]
    }
  return { dtype: x.dtype, shape, data }
}

function concat(xs: readonly F64Tensor[], axis: number): F64Tensor {
  const shape = [...xs[0].shape]
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0)
  const outer = size(shape.slice(0, axis))
  const data = new Float64Array(size(shape))
  let w = 0
  for (let o = 0; o < outer; o++)
    for (const x of xs) {
      const chunk = size(x.shape.slice(axis))
      data.set(x.data.subarray(o * chunk, (o + 1) * chunk), w)
      w += chunk
    }
  return { dtype: xs[0].dtype, shape, data }
}

const codeToType: Record<number, OnnxDataType> = { 1: 'float32', 7: 'int64', 9: 'bool', 11: 'float64' }

type Kernel = (node: OnnxNode, inputs: (F64Tensor | null)[]) => F64Tensor[]

const unary = (fn: (v: number) => number): Kernel => (_, [x]) => [elementwise(x!.dtype, [x!], fn)]
const binary = (fn: (a: number, b: number) => number): Kernel => (_, [a, b]) => [elementwise(a!.dtype, [a!, b!], fn)]
const compare = (fn: (a: number, b: number) => boolean): Kernel => (_, [a, b]) => [elementwise('bool', [a!, b!], (p, q) => (fn(p, q) ? 1 : 0))]

const kernels: Record<string, Kernel> = {
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b) => a / b),
  Pow: binary((a, b) => Math.pow(a, b)),
  Neg: unary((v) => -v),
  Sqrt: unary(Math.sqrt),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Tanh: unary(Math.tanh),
  Sigmoid: unary((v) => 1 / (1 + Math.exp(-v))),
  Relu: unary((v) => Math.max(v, 0)),
  Erf: unary(erf),
  Identity: unary((v) => v),
  Equal: compare((a, b) => a === b),
  Greater: compare((a, b) => a > b),
  Less: compare((a, b) => a < b),
  Where: (_, [c, a, b]) => [elementwise(a!.dtype, [c!, a!, b!], (p, q, r) => (p ? q : r))],
  Cast: (node, [x]) => {
    const to = codeToType[attrInt(node, 'to', 1)]
    return [elementwise(to, [x!], to === 'int64' ? Math.trunc : to === 'bool' ? (v) => (v ? 1 : 0) : (v) => v)]
  },
  MatMul: (_, [a, b]) => [matmul(a!, b!)],
  Gemm: (node, [a, b, c]) => {
    const at = attrInt(node, 'transA', 0) ? transpose(a!, [1, 0]) : a!
    const bt = attrInt(node, 'transB', 0) ? transpose(b!, [1, 0]) : b!
    const alpha = attrInt(node, 'alpha', 1)
    const beta = attrInt(node, 'beta', 1)
    const y = elementwise(a!.dtype, [matmul(at, bt)], (v) => alpha * v)
    return [c ? elementwise(a!.dtype, [y, c], (p, q) => p + beta * q) : y]
  },
  Softmax: (node, [x]) => {
    const axis = attrInt(node, 'axis', -1)
    const max = reduce(x!, [axis], true, -Infinity, Math.max, (a) => a)
    const e = elementwise(x!.dtype, [x!, max], (v, m) => Math.exp(v - m))
    const s = reduce(e, [axis], true, 0, (a, v) => a + v, (a) => a)
    return [elementwise(x!.dtype, [e, s], (v, t) => v / t)]
  },
  LayerNormalization: (node, [x, scale, bias]) => {
    const rank = x!.shape.length
    const axis = attrInt(node, 'axis', -1)
    const axes = Array.from({ length: rank }, (_, i) => i).slice(axis < 0 ? axis + rank : axis)
    const eps = attrInt(node, 'epsilon', 1e-5)
    const mean = reduce(x!, axes, true, 0, (a, v) => a + v, (a, n) => a / n)
    const centered = elementwise(x!.dtype, [x!, mean], (v, m) => v - m)
    const variance = reduce(centered, axes, true, 0, (a, v) => a + v * v, (a, n) => a / n)
    const inv = elementwise(x!.dtype, [variance], (v) => 1 / Math.sqrt(v + eps))
    return [elementwise(x!.dtype, [centered, inv, scale!, bias!], (c, i, s, b) => c * i * s + b), mean, inv]
  },
  ReduceSum: (node, [x, axes]) => [reduce(x!, axes ? ints(axes) : [], attrInt(node, 'keepdims', 1) === 1, 0, (a, v) => a + v, (a) => a)],
  ReduceMean: (node, [x]) => [reduce(x!, attrInts(node, 'axes'), attrInt(node, 'keepdims', 1) === 1, 0, (a, v) => a + v, (a, n) => a / n)],
  ReduceMax: (node, [x]) => [reduce(x!, attrInts(node, 'axes'), attrInt(node, 'keepdims', 1) === 1, -Infinity, Math.max, (a) => a)],
  Reshape: (_, [x, shape]) => {
    const target = ints(shape!).map((d, i) => (d === 0 ? x!.shape[i] : d))
    const known = target.filter((d) => d !== -1)
    return [{ dtype: x!.dtype, shape: target.map((d) => (d === -1 ? x!.data.length / size(known) : d)), data: x!.data }]
  },
  Transpose: (node, [x]) => [transpose(x!, attrInts(node, 'perm'))],
  Concat: (node, xs) => {
    const rank = xs[0]!.shape.length
    const axis = attrInt(node, 'axis', 0)
    return [concat(xs as F64Tensor[], axis < 0 ? axis + rank : axis)]
  },
  Slice: (_, [x, starts, ends, axes]) => {
    let t = x!
    const ax = ints(axes!)
    ax.forEach((a, i) => {
      const d = t.shape[a]
      const clampTo = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d)
      t = sliceAxis(t, a, clampTo(ints(starts!)[i]), clampTo(ints(ends!)[i]))
    })
    return [t]
  },
  Conv: (node, [x, w]) => {
    const [b, c, h, wd] = x!.shape
    const [o, , kh, kw] = w!.shape
    const p = attrInts(node, 'pads')[0] ?? 0
    const oh = h + 2 * p - kh + 1
    const ow = wd + 2 * p - kw + 1
    const out = new Float64Array(b * o * oh * ow)
    for (let n = 0; n < b; n++)
      for (let k = 0; k < o; k++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            let sum = 0
            for (let ch = 0; ch < c; ch++)
              for (let u = 0; u < kh; u++) {
                const y = i + u - p
                if (y < 0 || y >= h) continue
                for (let v = 0; v < kw; v++) {
                  const xx = j + v - p
                  if (xx >= 0 && xx < wd) sum += x!.data[((n * c + ch) * h + y) * wd + xx] * w!.data[((k * c + ch) * kh + u) * kw + v]
                }
              }
            out[((n * o + k) * oh + i) * ow + j] = sum
          }
    return [{ dtype: x!.dtype, shape: [b, o, oh, ow], data: out }]
  },
  Pad: (_, [x, pads]) => {
    // Constant zero padding, one axis at a time: zeros before, the tensor, zeros after.
    const p = ints(pads!)
    const rank = x!.shape.length
    let t = x!
    for (let a = 0; a < rank; a++) {
      const zeros = (n: number): F64Tensor => {
        const shape = t.shape.map((d, i) => (i === a ? n : d))
        return { dtype: t.dtype, shape, data: new Float64Array(size(shape)) }
      }
      const parts = [...(p[a] > 0 ? [zeros(p[a])] : []), t, ...(p[a + rank] > 0 ? [zeros(p[a + rank])] : [])]
      t = concat(parts, a)
    }
    return [t]
  },
  Split: (node, [x, split]) => {
    const axis = attrInt(node, 'axis', 0)
    let at = 0
    return ints(split!).map((s) => sliceAxis(x!, axis, at, (at += s)))
  },
  Squeeze: (_, [x, axes]) => {
    const ax = ints(axes!)
    return [{ ...x!, shape: x!.shape.filter((_, i) => !ax.includes(i)) }]
  },
  Unsqueeze: (_, [x, axes]) => {
    const ax = ints(axes!)
    const shape: number[] = []
    let j = 0
    for (let i = 0; i < x!.shape.length + ax.length; i++) shape.push(ax.includes(i) ? 1 : x!.shape[j++])
    return [{ ...x!, shape }]
  },
  Expand: (_, [x, shape]) => {
    const target = broadcastShape([x!.shape, ints(shape!)])
    const zeros: F64Tensor = { dtype: x!.dtype, shape: target, data: new Float64Array(size(target)) }
    return [elementwise(x!.dtype, [x!, zeros], (v) => v)]
  },
  Gather: (node, [data, indices]) => {
    if (attrInt(node, 'axis', 0) !== 0) throw new Error('float64 interpreter: Gather supports axis 0')
    const row = size(data!.shape.slice(1))
    const out = new Float64Array(indices!.data.length * row)
    indices!.data.forEach((ix, k) => out.set(data!.data.subarray(ix * row, (ix + 1) * row), k * row))
    return [{ dtype: data!.dtype, shape: [...indices!.shape, ...data!.shape.slice(1)], data: out }]
  },
  Shape: (_, [x]) => [{ dtype: 'int64', shape: [x!.shape.length], data: Float64Array.from(x!.shape) }],
  ConstantOfShape: (node, [shape]) => {
    const a = attr(node, 'value')
    const fill = a && a.type === 'tensor' ? Number(a.value.data[0]) : 0
    const dims = ints(shape!)
    return [{ dtype: a && a.type === 'tensor' ? a.value.dtype : 'float32', shape: dims, data: new Float64Array(size(dims)).fill(fill) }]
  },
  Range: (_, [start, limit, delta]) => {
    const s = start!.data[0]
    const d = delta!.data[0]
    const n = Math.max(Math.ceil((limit!.data[0] - s) / d), 0)
    return [{ dtype: start!.dtype, shape: [n], data: Float64Array.from({ length: n }, (_, i) => s + i * d) }]
  },
  Trilu: (node, [x, k]) => {
    const upper = attrInt(node, 'upper', 1) === 1
    const diag = k ? k.data[0] : 0
    const [rows, cols] = x!.shape.slice(-2)
    const data = x!.data.map((v, idx) => {
      const j = idx % cols
      const i = Math.floor(idx / cols) % rows
      return (upper ? j - i >= diag : j - i <= diag) ? v : 0
    })
    return [{ ...x!, data }]
  }
}

function fromOnnx(t: OnnxTensor): F64Tensor {
  return { dtype: t.dtype, shape: [...t.dims], data: Float64Array.from(t.data as ArrayLike<number | bigint>, Number) }
}

/** Evaluates `model` on float64 inputs and returns every named output. */
export function evaluateFloat64(model: OnnxModel, feeds: Readonly<Record<string, F64Tensor>>): Record<string, F64Tensor> {
  const env = new Map<string, F64Tensor>()
  for (const t of model.initializers) env.set(t.name, fromOnnx(t))
  for (const i of model.inputs) {
    const v = feeds[i.name]
    if (!v) throw new Error(`float64 interpreter: no feed for input ${i.name}`)
    env.set(i.name, v)
  }
  for (const node of model.nodes) {
    const kernel = kernels[node.opType]
    if (!kernel) throw new Error(`float64 interpreter: no kernel for ${node.opType}`)
    const ins = node.inputs.map((n) => (n === '' ? null : (env.get(n) ?? fail(`float64 interpreter: ${n} is not computed before ${node.name}`))))
    kernel(node, ins).forEach((t, i) => {
      if (node.outputs[i]) env.set(node.outputs[i], t)
    })
  }
  return Object.fromEntries(model.outputs.map((o) => [o.name, env.get(o.name)!]))
}

function fail(message: string): never {
  throw new Error(message)
}

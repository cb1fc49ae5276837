/**
 * A dependency-free writer of ONNX `ModelProto` bytes (protobuf wire format), just the fields the
 * engine needs. Field numbers follow onnx/onnx.proto. Repeated scalars are written unpacked, which
 * every protobuf reader accepts.
 */

export type OnnxDataType = 'float32' | 'float64' | 'int64' | 'bool'

const dataTypeCode: Record<OnnxDataType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 }

export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'tensor'; value: OnnxTensor }

export interface OnnxTensor {
  name: string
  dtype: OnnxDataType
  dims: readonly number[]
  data: Float32Array | Float64Array | BigInt64Array | Uint8Array
}

export interface OnnxNode {
  opType: string
  name: string
  inputs: readonly string[]
  outputs: readonly string[]
  attributes: Readonly<Record<string, OnnxAttribute>>
}

export interface OnnxValueInfo {
  name: string
  dtype: OnnxDataType
  /** A number is a fixed size; a string names a symbolic dimension. */
  dims: readonly (number | string)[]
}

export interface OnnxModel {
  graphName: string
  nodes: readonly OnnxNode[]
  initializers: readonly OnnxTensor[]
  inputs: readonly OnnxValueInfo[]
  outputs: readonly OnnxValueInfo[]
}

export const OPSET = 17
/** IR version 8 goes with opset 17 (onnxruntime 1.30 reads up to 13). */
const IR_VERSION = 8

const attributeTypeCode = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const

class ProtoWriter {
  private parts: Uint8Array[] = []
  private length = 0

  varint(field: number, value: number | bigint): this {
    this.tag(field, 0)
    this.rawVarint(BigInt.asUintN(64, BigInt(value)))
    return this
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2)
    this.rawVarint(BigInt(value.length))
    this.push(value)
    return this
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter()
    build(inner)
    return this.bytes(field, inner.finish())
  }

  float(field: number, value: number): this {
    this.tag(field, 5)
    this.push(new Uint8Array(new Float32Array([value]).buffer))
    return this
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length)
    let at = 0
    for (const p of this.parts) {
      out.set(p, at)
      at += p.length
    }
    return out
  }

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes)
    this.length += bytes.length
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt((field << 3) | wireType))
  }

  /** Negative int64 values arrive here as their 64-bit two's complement, hence 10 bytes. */
  private rawVarint(value: bigint): void {
    const bytes: number[] = []
    let v = value
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    bytes.push(Number(v))
    this.push(Uint8Array.from(bytes))
  }
}

function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.varint(1, d)
  w.varint(2, dataTypeCode[t.dtype])
  w.string(8, t.name)
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))
}

function writeAttribute(w: ProtoWriter, name: string, a: OnnxAttribute): void {
  w.string(1, name)
  switch (a.type) {
    case 'float':
      w.float(2, a.value)
      break
    case 'int':
      w.varint(3, a.value)
      break
    case 'string':
      w.string(4, a.value)
      break
    case 'tensor':
      w.message(5, (t) => writeTensor(t, a.value))
      break
    case 'floats':
      for (const v of a.value) w.float(7, v)
      break
    case 'ints':
      for (const v of a.value) w.varint(8, v)
      break
  }
  w.varint(20, attributeTypeCode[a.type])
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name)
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, dataTypeCode[v.dtype])
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.varint(1, d) : dim.string(2, d)))
      })
    })
  )
}

/** Serializes a model to the bytes `InferenceSession.create` accepts. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter()
  w.varint(1, IR_VERSION)
  w.string(2, 'vision-zero-tensor')
  w.message(7, (g) => {
    for (const n of model.nodes) {
      g.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i)
        for (const o of n.outputs) node.string(2, o)
        node.string(3, n.name)
        node.string(4, n.opType)
        for (const [name, a] of Object.entries(n.attributes)) node.message(5, (attr) => writeAttribute(attr, name, a))
      })
    }
    g.string(2, model.graphName)
    for (const t of model.initializers) g.message(5, (tw) => writeTensor(tw, t))
    for (const v of model.inputs) g.message(11, (vw) => writeValueInfo(vw, v))
    for (const v of model.outputs) g.message(12, (vw) => writeValueInfo(vw, v))
  })
  w.message(8, (op) => op.string(1, '').varint(2, OPSET))
  return w.finish()
}

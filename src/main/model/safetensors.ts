
/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian
 * data), read and written without a dependency: no well-kept npm package exists for it. Files
 * may come from users (bring-your-own weights), so reading checks every offset and size.
 */
export type SafetensorsDtype = 'F32' | 'F16' | 'I64' | 'I32' | 'U8'

export interface NamedTensor {
  dtype: SafetensorsDtype
  shape: number[]
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Uint16Array
}

const bytesPerElement: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, I64: 8, I32: 4, U8: 1 }
const MAX_HEADER_BYTES = 100 << 20

export function encodeSafetensors(tensors: Record<string, NamedTensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata }
  let offset = 0
  const names = Object.keys(tensors).sort()
  for (const name of names) {
    const t = tensors[name]
    const expected = t.shape.reduce((a, b) => a * b, 1) * bytesPerElement[t.dtype]
    if (t.data.byteLength !== expected) throw new Error(`Tensor ${name}: ${t.data.byteLength} bytes for shape [${t.shape}] ${t.dtype} (expected ${expected})`)
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + expected] }
    offset += expected
  }
  // Pad the header with spaces to 8 bytes so the data is aligned, as the reference writer does.
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8)
  const headerBytes = Buffer.from(json, 'utf8')
  const out = Buffer.alloc(8 + headerBytes.length + offset)
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0)
  headerBytes.copy(out, 8)
  let at = 8 + headerBytes.length
  for (const name of names) {
    const d = tensors[name].data
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(out, at)
    at += d.byteLength
  }
  return out
}

export function decodeSafetensors(bytes: Buffer, source = 'safetensors data'): { tensors: Record<string, NamedTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`${source}: too short to be a safetensors file`)
  const headerLength = Number(bytes.readBigUInt64LE(0))
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.length) throw new Error(`${source}: header length ${headerLength} does not fit the file`)
  let header: Record<string, unknown>
  try {
    header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>
  } catch {
    throw new Error(`${source}: the header is not valid JSON`)
  }
  const dataStart = 8 + headerLength
  const dataLength = bytes.length - dataStart
  const tensors: Record<string, NamedTensor> = {}
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue
    tensors[name] = readTensor(bytes, dataStart, dataLength, name, entry, source)
  }
  return { tensors, metadata }
}

function readTensor(bytes: Buffer, dataStart: number, dataLength: number, name: string, entry: unknown, source: string): NamedTensor {
  const e = entry as { dtype?: string; shape?: unknown; data_offsets?: unknown }
  if (!e.dtype || !(e.dtype in bytesPerElement)) throw new Error(`${source}: tensor ${name} has unsupported dtype ${e.dtype}`)
  const dtype = e.dtype as SafetensorsDtype
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${source}: tensor ${name} has an invalid shape`)
  const shape = e.shape as number[]
  const [begin, end] = Array.isArray(e.data_offsets) ? (e.data_offsets as number[]) : []
  const expected = shape.reduce((a, b) => a * b, 1) * bytesPerElement[dtype]
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > dataLength || end - begin !== expected) {
    throw new Error(`${source}: tensor ${name} data offsets [${begin}, ${end}] do not match shape [${shape}] ${dtype} within the file`)
  }
  // Copy: the returned arrays must be aligned and must not alias the file buffer.
  const copy = new Uint8Array(expected)
  copy.set(bytes.subarray(dataStart + begin, dataStart + end))
  const buffer = copy.buffer
  const data =
    dtype === 'F32' ? new Float32Array(buffer)
    : dtype === 'I64' ? new BigInt64Array(buffer)
    : dtype === 'I32' ? new Int32Array(buffer)
    : dtype === 'F16' ? new Uint16Array(buffer)
    : copy
  return { dtype, shape, data }
}

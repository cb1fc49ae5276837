/**
 * A JPEG lossless encoder (ITU T.81 process 14, first-order prediction "SV1", Huffman coded),
 * DICOM transfer syntax 1.2.840.10008.1.2.4.70. dcmjs writes pixel data but cannot compress it,
 * and the app must not call an external binary, so the synthetic cohort encodes its own.
 *
 * The Huffman table is optimised per image (T.81 Annex K.2), which is what real modalities'
 * encoders do and keeps files small.
 */

export const JPEG_LOSSLESS_SV1_TRANSFER_SYNTAX = '1.2.840.10008.1.2.4.70'

const CATEGORY_COUNT = 17 // difference categories SSSS = 0..16

/** Encodes one grey-scale frame; `precision` is the bits stored (2–16). */
export function encodeJpegLossless(pixels: Uint16Array, rows: number, columns: number, precision: number): Uint8Array {
  if (pixels.length !== rows * columns) throw new Error(`encodeJpegLossless: ${pixels.length} pixels for ${rows}×${columns}`)
  if (!(precision >= 2 && precision <= 16)) throw new Error(`encodeJpegLossless: precision ${precision} is outside 2–16`)
  const differences = predictionDifferences(pixels, rows, columns, precision)
  const frequencies = new Array<number>(CATEGORY_COUNT).fill(0)
  for (let i = 0; i < differences.length; i++) frequencies[category(differences[i])]++
  const table = optimalHuffmanTable(frequencies)
  const header = headerSegments(rows, columns, precision, table)
  const scan = entropyCode(differences, table)
  const out = new Uint8Array(header.length + scan.length + 2)
  out.set(header, 0)
  out.set(scan, header.length)
  out[out.length - 2] = 0xff
  out[out.length - 1] = 0xd9 // EOI
  return out
}

/** Differences from predictor 1 (left), with the first row and column rules of T.81 H.1.2.1. */
function predictionDifferences(pixels: Uint16Array, rows: number, columns: number, precision: number): Int32Array {
  const out = new Int32Array(pixels.length)
  const initial = 1 << (precision - 1)
  for (let y = 0; y < rows; y++) {
    const row = y * columns
    for (let x = 0; x < columns; x++) {
      const i = row + x
      const prediction = x > 0 ? pixels[i - 1] : y > 0 ? pixels[i - columns] : initial
      let d = (pixels[i] - prediction) & 0xffff // modulo 2^16, read back in -32767..32768
      if (d > 32768) d -= 65536
      out[i] = d
    }
  }
  return out
}

function category(difference: number): number {
  return difference === 0 ? 0 : 32 - Math.clz32(Math.abs(difference))
}

interface HuffmanTable {
  /** BITS: number of codes of each length 1..16 (index 0 = length 1). */
  counts: number[]
  /** HUFFVAL: symbols in order of increasing code length. */
  symbols: number[]
  code: Int32Array
  length: Int32Array
}

/** Code lengths by T.81 Figures K.1–K.3 (with a reserved symbol so no code is all ones), then canonical codes. */
function optimalHuffmanTable(frequencies: number[]): HuffmanTable {
  const reserved = CATEGORY_COUNT
  const freq = [...frequencies, 1]
  const codeSize = new Array<number>(freq.length).fill(0)
  const others = new Array<number>(freq.length).fill(-1)
  for (;;) {
    let v1 = -1
    let v2 = -1
    for (let i = 0; i < freq.length; i++) {
      if (freq[i] === 0) continue
      if (v1 < 0 || freq[i] <= freq[v1]) {
        v2 = v1
        v1 = i
      } else if (v2 < 0 || freq[i] <= freq[v2]) v2 = i
    }
    if (v2 < 0) break
    freq[v1] += freq[v2]
    freq[v2] = 0
    for (let v = v1; ; v = others[v]) {
      codeSize[v]++
      if (others[v] < 0) {
        others[v] = v2
        break
      }
    }
    for (let v = v2; v >= 0; v = others[v]) codeSize[v]++
  }
  const bits = new Array<number>(33).fill(0)
  for (const size of codeSize) if (size > 0) bits[size]++
  for (let i = 32; i > 16; ) {
    if (bits[i] > 0) {
      let j = i - 2
      while (bits[j] === 0) j--
      bits[i] -= 2
      bits[i - 1] += 1
      bits[j + 1] += 2
      bits[j] -= 1
    } else i--
  }
  let longest = 16
  while (bits[longest] === 0) longest--
  bits[longest]-- // drop the reserved symbol's code
  const bySize = codeSize
    .map((size, symbol) => ({ size, symbol }))
    .filter((s) => s.size > 0 && s.symbol !== reserved)
    .sort((a, b) => a.size - b.size || a.symbol - b.symbol)
  const symbols = bySize.map((s) => s.symbol)
  const counts = bits.slice(1, 17)
  const code = new Int32Array(CATEGORY_COUNT)
  const length = new Int32Array(CATEGORY_COUNT)
  let next = 0
  let k = 0
  for (let size = 1; size <= 16; size++) {
    for (let n = 0; n < counts[size - 1]; n++) {
      code[symbols[k]] = next++
      length[symbols[k]] = size
      k++
    }
    next <<= 1
  }
  return { counts, symbols, code, length }
}

function headerSegments(rows: number, columns: number, precision: number, table: HuffmanTable): Uint8Array {
  const bytes: number[] = [0xff, 0xd8] // SOI
  // SOF3: lossless, Huffman; one component, sampling 1×1, no quantisation table.
  bytes.push(0xff, 0xc3, 0, 11, precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, 1, 1, 0x11, 0)
  // DHT: class 0 (DC/lossless), table 0.
  const dhtLength = 2 + 1 + 16 + table.symbols.length
  bytes.push(0xff, 0xc4, dhtLength >> 8, dhtLength & 0xff, 0x00, ...table.counts, ...table.symbols)
  // SOS: component 1 with table 0; Ss = predictor 1, Se = 0, Ah/Al = 0 (no point transform).
  bytes.push(0xff, 0xda, 0, 8, 1, 1, 0x00, 1, 0, 0)
  return Uint8Array.from(bytes)
}

function entropyCode(differences: Int32Array, table: HuffmanTable): Uint8Array {
  let out: Uint8Array<ArrayBuffer> = new Uint8Array(Math.max(1024, differences.length * 2))
  let n = 0
  let acc = 0
  let accBits = 0
  const put = (value: number, count: number) => {
    acc = (acc << count) | value
    accBits += count
    while (accBits >= 8) {
      accBits -= 8
      const byte = (acc >>> accBits) & 0xff
      if (n + 2 > out.length) out = grow(out)
      out[n++] = byte
      if (byte === 0xff) out[n++] = 0 // byte stuffing
    }
    acc &= (1 << accBits) - 1
  }
  const { code, length } = table
  for (let i = 0; i < differences.length; i++) {
    const d = differences[i]
    const ssss = d === 0 ? 0 : 32 - Math.clz32(d < 0 ? -d : d)
    put(code[ssss], length[ssss])
    if (ssss > 0 && ssss < 16) put(d < 0 ? d + (1 << ssss) - 1 : d, ssss)
  }
  if (accBits > 0) put((1 << (8 - accBits)) - 1, 8 - accBits) // pad with one-bits
  return out.slice(0, n)
}

function grow(buffer: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const bigger = new Uint8Array(buffer.length * 2)
  bigger.set(buffer)
  return bigger
}

/**
 * A GB18030 encoder for the text the synthetic cohort writes (Chinese report files and patient
 * names with SpecificCharacterSet GB18030). TextEncoder only writes UTF-8, but Node's TextDecoder
 * reads GB18030, so the two-byte table (which holds every character of GBK, i.e. all common
 * hanzi and CJK punctuation) is built once by decoding every two-byte code and inverting it.
 * Characters outside that table would need GB18030's four-byte form; the generator never uses
 * them, so they are refused with a clear error rather than written wrongly.
 */

let table: Map<number, number> | null = null

function twoByteTable(): Map<number, number> {
  if (table) return table
  // Every two-byte code (lead 0x81–0xFE, trail 0x40–0xFE except 0x7F) maps to one UTF-16 unit,
  // so all of them are decoded in one call and read back in order.
  const codes: number[] = []
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) codes.push((lead << 8) | trail)
  }
  const bytes = new Uint8Array(codes.length * 2)
  codes.forEach((code, i) => {
    bytes[2 * i] = code >> 8
    bytes[2 * i + 1] = code & 0xff
  })
  const text = new TextDecoder('gb18030').decode(bytes)
  if (text.length !== codes.length) throw new Error('encodeGb18030: this runtime decodes GB18030 differently than expected (no full ICU?)')
  const map = new Map<number, number>()
  for (let i = 0; i < codes.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit !== 0xfffd && !map.has(unit)) map.set(unit, codes[i])
  }
  table = map
  return map
}

export function encodeGb18030(text: string): Uint8Array {
  const map = twoByteTable()
  const out = new Uint8Array(text.length * 2)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) {
      out[n++] = code
      continue
    }
    const bytes = map.get(code)
    if (bytes === undefined) {
      throw new Error(`encodeGb18030: "${text[i]}" (U+${code.toString(16).toUpperCase()}) has no two-byte GB18030 code`)
    }
    out[n++] = bytes >> 8
    out[n++] = bytes & 0xff
  }
  return out.slice(0, n)
}

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
  const decoder = new TextDecoder('gb18030')
  const map = new Map<number, number>()
  const pair = new Uint8Array(2)
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      pair[0] = lead
      pair[1] = trail
      const text = decoder.decode(pair)
      if (text.length !== 1 || text === '\ufffd') continue
      const code = text.charCodeAt(0)
      if (!map.has(code)) map.set(code, (lead << 8) | trail)
    }
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

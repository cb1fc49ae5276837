/**
 * Text helpers shared by the report parser and the report importer: decoding report bytes
 * (UTF-8 or GB18030/GBK) and folding text for matching without moving any character offsets.
 */

export type ReportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252'

export interface DecodedText {
  text: string
  encoding: ReportEncoding
}

/**
 * Decodes report bytes: a BOM decides when present; else UTF-8 when the bytes are valid UTF-8,
 * else Windows-1252 when no two non-ASCII bytes stand together (an English export from a Windows
 * RIS: "5 × 4 mm", smart quotes, en dashes — every Chinese character in GBK is two such bytes),
 * else GB18030 (a superset of GBK and GB2312, the usual encodings of Chinese report exports).
 * The result is NFC-normalised with full-width digits made ASCII. Throws a plain-language error
 * when the bytes are none of these (binary files, other legacy encodings).
 */
export function decodeReportBytes(bytes: Uint8Array): DecodedText {
  if (bytes.includes(0) && !hasUtf16Bom(bytes)) {
    throw new Error('it contains NUL bytes, so it is not a text file')
  }
  let encoding: ReportEncoding
  let text: string
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le'
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be'
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2))
  } else {
    try {
      // ignoreBOM keeps a UTF-8 BOM in the output so that it is stripped below in one place.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
      encoding = 'utf-8'
    } catch {
      if (nonAsciiBytesStandAlone(bytes)) {
        // Read as GB18030 instead, "patient’s" (0x92 0x73) would become one Chinese character.
        text = new TextDecoder('windows-1252').decode(bytes)
        encoding = 'windows-1252'
      } else {
        try {
          text = new TextDecoder('gb18030', { fatal: true }).decode(bytes)
          encoding = 'gb18030'
        } catch {
          throw new Error('it is neither valid UTF-8 nor GB18030/GBK text (nor Windows-1252 English text)')
        }
      }
    }
  }
  return { text: normaliseReportText(text), encoding }
}

function nonAsciiBytesStandAlone(bytes: Uint8Array): boolean {
  return bytes.every((b, i) => b < 0x80 || i + 1 === bytes.length || bytes[i + 1] < 0x80)
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
}

/**
 * Strips a BOM, NFC-normalises, makes full-width digits and letters ASCII (８ｍｍ → 8mm; full-width
 * punctuation stays, since ，separates Chinese clauses), spells out the unit signs ㎜ ㎝, and makes
 * line ends `\n`.
 */
export function normaliseReportText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u339C/g, 'mm')
    .replace(/\u339D/g, 'cm')
    .replace(/\r\n?/g, '\n')
}

/**
 * The text as the parser's patterns see it, with the same length as the input so that every
 * match offset is an offset into the original: lower case (where that keeps one UTF-16 unit),
 * full-width ASCII forms (digits, letters, ：；（）～ …) made half-width, ideographic space a space.
 * The full-width comma stays, since it separates Chinese clauses and English text never has it.
 */
export function foldForMatching(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    let folded = ch
    if (code >= 0xff01 && code <= 0xff5e && code !== 0xff0c) folded = String.fromCharCode(code - 0xfee0)
    else if (code === 0x3000) folded = ' '
    const lower = folded.toLowerCase()
    out += lower.length === folded.length ? lower : folded
  }
  return out
}

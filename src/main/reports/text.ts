/**
 * Text helpers shared by the report parser and the report importer: decoding report bytes
 * (UTF-8, GB18030/GBK, Big5, Windows-1252, UTF-16) and folding text for matching without moving any
 * character offsets.
 */
import { otherReportLanguage } from './language'
import { htmlToText, looksLikeHtml, looksLikeRtf, rtfToText } from './markup'

export type ReportEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'windows-1252'

export interface DecodedText {
  text: string
  encoding: ReportEncoding
}

/**
 * Decodes report bytes: a BOM decides when present; else UTF-8 when the bytes are valid UTF-8,
 * else Windows-1252 when no two non-ASCII bytes stand together (an English export from a Windows
 * RIS: "5 × 4 mm", smart quotes, en dashes — every Chinese character in GBK is two such bytes),
 * else GB18030 (a superset of GBK and GB2312, the usual encodings of Chinese report exports) or
 * Big5 (Hong Kong, Taiwan), whichever reads as more report words — both accept most byte pairs —
 * unless neither reads as any and under a tenth of the bytes are non-ASCII (English text whose
 * specials stand together: "—“"), which is Windows-1252 again. The result is NFC-normalised with full-width digits made ASCII. Throws a plain-language error
 * when the bytes are none of these (binary files, other legacy encodings).
 */
export function decodeReportBytes(bytes: Uint8Array): DecodedText {
  const { text, encoding } = decodeReportBytesAsWritten(bytes)
  return { text: normaliseReportText(text), encoding }
}

/** The decoding of decodeReportBytes, its text as written: markup kept, not normalised. */
export function decodeReportBytesAsWritten(bytes: Uint8Array): DecodedText {
  if (bytes.includes(0) && !hasUtf16Bom(bytes)) {
    const utf16 = bomlessUtf16(bytes)
    if (utf16) return utf16
    throw new Error('it contains NUL bytes and does not read as UTF-16 text, so it is not a text file')
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
        const read = chineseLegacyText(bytes)
        // English with a few specials side by side ("—“", "’”"): not Chinese, or Chinese of no report word.
        if ((read === null || read.score === 0) && bytes.filter((b) => b >= 0x80).length * 10 < bytes.length) {
          text = new TextDecoder('windows-1252').decode(bytes)
          encoding = 'windows-1252'
        } else if (read) {
          text = read.text
          encoding = read.encoding
        } else {
          throw new Error('it is neither valid UTF-8 nor GB18030/GBK or Big5 text (nor Windows-1252 English text)')
        }
      }
    }
  }
  return { text, encoding }
}

/**
 * UTF-16 written without a BOM (SQL Server's `bcp -w`, some Java exports): the NUL bytes are the high
 * bytes of ASCII characters. A byte order is a candidate when nine in ten of its characters are text
 * (a binary file is neither); of two, the one that reads as more ASCII and report characters (the
 * other order makes ASCII into CJK ideographs), little-endian on a tie. Null when neither is.
 */
function bomlessUtf16(bytes: Uint8Array): DecodedText | null {
  if (bytes.length % 2 !== 0) return null
  const reads = (['utf-16le', 'utf-16be'] as const).flatMap((encoding) => {
    try {
      const characters = [...new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes)]
      const textual = characters.filter((c) => /[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(c)).length
      const score = characters.filter((c) => /[\t\n\r\x20-\x7e]/.test(c) || reportCharacters.has(simplifiedOf.get(c) ?? c)).length
      return textual >= 0.9 * characters.length ? [{ text: characters.join(''), encoding, score }] : []
    } catch {
      return []
    }
  })
  const best = mostReportLike(reads)
  return best && { text: best.text, encoding: best.encoding }
}

/** Of several readings of the same bytes, the one with the highest score (report words read); the first on a tie. */
function mostReportLike<T extends { score: number }>(reads: T[]): T | null {
  return reads.reduce<T | null>((best, r) => (best === null || r.score > best.score ? r : best), null)
}

// Characters every Chinese chest report uses (simplified; traditional ones count through simplifiedOf).
const reportCharacters = new Set('肺结节影见右左上下叶野约未无为两双侧大小径毫米厘胸膜心膈清晰纹理增多考虑建议复查诊断意见检查所')

/**
 * GB18030 or Big5, whichever decodes (fatal) into more report characters (its `score`); GB18030 on
 * a tie; null when neither decodes.
 */
function chineseLegacyText(bytes: Uint8Array): (DecodedText & { score: number }) | null {
  const score = (text: string): number => [...text].filter((c) => reportCharacters.has(simplifiedOf.get(c) ?? c)).length
  const reads = (['gb18030', 'big5'] as const).flatMap((encoding) => {
    if (encoding === 'big5' && !isBig5(bytes)) return []
    try {
      const text = new TextDecoder(encoding, { fatal: true }).decode(bytes)
      return [{ text, encoding, score: score(text) }]
    } catch {
      return []
    }
  })
  return mostReportLike(reads)
}

/**
 * Whether every non-ASCII byte is in a Big5 pair (lead 0x81–0xFE, trail 0x40–0x7E or 0xA1–0xFE):
 * the platform's Big5 decoder drops stray bytes even when asked to fail on them.
 */
function isBig5(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) continue
    const trail = bytes[i + 1] ?? 0
    if (bytes[i] < 0x81 || bytes[i] > 0xfe || !((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe))) return false
    i++
  }
  return true
}

function nonAsciiBytesStandAlone(bytes: Uint8Array): boolean {
  return bytes.every((b, i) => b < 0x80 || i + 1 === bytes.length || bytes[i + 1] < 0x80)
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
}

/**
 * Reads HTML and RTF as their text (markup.ts), strips a BOM, NFC-normalises, makes full-width digits and letters ASCII (８ｍｍ → 8mm; full-width
 * punctuation stays, since ，separates Chinese clauses), spells out the unit signs ㎜ ㎝, and makes
 * line ends `\n`.
 */
export function normaliseReportText(text: string): string {
  const unmarked = looksLikeRtf(text) ? rtfToText(text) : looksLikeHtml(text) ? htmlToText(text) : text
  return unmarked
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u339C/g, 'mm')
    .replace(/\u339D/g, 'cm')
    .replace(/\r\n?/g, '\n')
}

// Traditional characters of report wording, each with its simplified form (Hong Kong and Taiwan
// reports: 右肺上葉見一結節 is 右肺上叶见一结节); one character for one, so offsets keep.
const TRADITIONAL = '兩個臨為亞偽側傾別變疊號後團圓塊處頭學實對島異彌懷報顯術雜構檢樣斷無現確類純縱紋線組織結編縮慮節腎腫見認議記論診詳質資軟較進鈣錯項頸顆葉釐發髮幹乾幾於與內單佔雙膚狀門區邊緣規則隨訪復複應該觀測徑長約穩點條網牽積氣銳腸礎張將盡壓勢竈從來紀錄醫師歲癒癥瘺擴縫繼續鬆帶劃漸徵嚴豐強廣纖維絲總數據並隻麼這裡裏說問題經過還沒會衛護韌彎稱擬週衝輕陰陽種戶臟鏡層'
const SIMPLIFIED = '两个临为亚伪侧倾别变叠号后团圆块处头学实对岛异弥怀报显术杂构检样断无现确类纯纵纹线组织结编缩虑节肾肿见认议记论诊详质资软较进钙错项颈颗叶厘发发干干几于与内单占双肤状门区边缘规则随访复复应该观测径长约稳点条网牵积气锐肠础张将尽压势灶从来纪录医师岁愈症瘘扩缝继续松带划渐征严丰强广纤维丝总数据并只么这里里说问题经过还没会卫护韧弯称拟周冲轻阴阳种户脏镜层'
const simplifiedOf = new Map([...TRADITIONAL].map((c, i) => [c, SIMPLIFIED[i]]))

/** Traditional characters of report wording written simplified; same length as the input. */
export function simplifiedChinese(text: string): string {
  return text.replace(/\p{Script=Han}/gu, (c) => simplifiedOf.get(c) ?? c)
}

/**
 * The text as the parser's patterns see it, with the same length as the input so that every
 * match offset is an offset into the original: lower case (where that keeps one UTF-16 unit),
 * full-width ASCII forms (digits, letters, ：；（）～ …) made half-width, ideographic space a space,
 * traditional Chinese characters simplified. The full-width comma stays, since it separates
 * Chinese clauses and English text never has it.
 */
export function foldForMatching(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    let folded = simplifiedOf.get(ch) ?? ch
    if (code >= 0xff01 && code <= 0xff5e && code !== 0xff0c) folded = String.fromCharCode(code - 0xfee0)
    else if (code === 0x3000) folded = ' '
    const lower = folded.toLowerCase()
    out += lower.length === folded.length ? lower : folded
  }
  return out
}

/**
 * The longest report text read: a radiology report is a few thousand characters, and the parser's
 * work grows faster than its text (a 64 MB "report" of repeated findings would not end).
 */
export const MAX_REPORT_CHARS = 100_000

/** "is 149,999 characters long, more than a report holds …" for a text longer than any report, else null. */
export function overlongReport(text: string): string | null {
  return text.length > MAX_REPORT_CHARS
    ? `is ${text.length.toLocaleString('en')} characters long, more than a report holds (limit ${MAX_REPORT_CHARS.toLocaleString('en')}), so it was not read`
    : null
}

/**
 * Why a report's text is not stored, or null: longer than any report, or written in a language the
 * parser does not read — a Spanish or German report would be read as English and say "no nodule",
 * and the film it describes would stand as a clear one.
 */
export function unreadableReport(text: string): string | null {
  const language = otherReportLanguage(text)
  return (
    overlongReport(text) ??
    (language && `reads as ${language}, which the report parser does not read (it reads English and Chinese): taken as English it would say no nodule, so it was not read`)
  )
}

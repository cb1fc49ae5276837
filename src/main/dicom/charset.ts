/**
 * Decoding of DICOM text values by Specific Character Set (0008,0005), PS3.3 C.12.1.1.2 and
 * PS3.5 §6.1. Single-byte and multi-byte sets map onto WHATWG TextDecoder labels (Node ships full
 * ICU, so gb18030/gbk/euc-kr/iso-2022-jp exist); ISO 2022 code extensions are split at their escape
 * sequences and each run is decoded with the set it switches to.
 */

const ESC = 0x1b

/** Defined terms without code extensions → decoder label. */
const singleSetLabels: Record<string, string> = {
  '': 'latin1',
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk'
}

/** Escape sequences of the ISO 2022 defined terms → decoder label for the bytes that follow. */
const escapeLabels: [number[], string][] = [
  [[0x28, 0x42], 'latin1'], // ESC ( B  ASCII
  [[0x28, 0x4a], 'latin1'], // ESC ( J  JIS X 0201 Romaji
  [[0x29, 0x49], 'shift_jis'], // ESC ) I  JIS X 0201 Katakana (G1, same bytes as in Shift_JIS)
  [[0x24, 0x42], 'iso-2022-jp'], // ESC $ B  JIS X 0208 (decoded with its escape kept)
  [[0x24, 0x29, 0x41], 'gbk'], // ESC $ ) A  GB 2312 in G1: the EUC-CN bytes GBK also covers
  [[0x24, 0x29, 0x43], 'euc-kr'], // ESC $ ) C  KS X 1001 in G1
  [[0x2d, 0x41], 'latin1'],
  [[0x2d, 0x42], 'iso-8859-2'],
  [[0x2d, 0x43], 'iso-8859-3'],
  [[0x2d, 0x44], 'iso-8859-4'],
  [[0x2d, 0x4c], 'iso-8859-5'],
  [[0x2d, 0x47], 'iso-8859-6'],
  [[0x2d, 0x46], 'iso-8859-7'],
  [[0x2d, 0x48], 'iso-8859-8'],
  [[0x2d, 0x4d], 'iso-8859-9'],
  [[0x2d, 0x54], 'windows-874']
]

const iso2022Labels: Record<string, string> = {
  'ISO 2022 IR 6': 'latin1',
  'ISO 2022 IR 100': 'latin1',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO 2022 IR 148': 'iso-8859-9',
  'ISO 2022 IR 203': 'iso-8859-15',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 166': 'windows-874',
  'ISO 2022 IR 87': 'iso-2022-jp',
  'ISO 2022 IR 58': 'gbk',
  'ISO 2022 IR 149': 'euc-kr'
}

/**
 * Names devices give their sets outside the standard's defined terms (fo-dicom and pydicom read them
 * too): Chinese units write GB2312 for GB 2312, some write UTF-8, or IR 58 without ISO 2022.
 */
const termAliases: Record<string, string> = {
  GB2312: 'GBK',
  'GB 2312': 'GBK',
  'EUC-CN': 'GBK',
  'ISO_IR 58': 'GBK',
  'UTF-8': 'ISO_IR 192',
  UTF8: 'ISO_IR 192'
}

/**
 * A term as the standard spells it: any case; ISO-IR 100, ISO IR 100, ISO_IR100 → ISO_IR 100;
 * ISO2022 IR 58, ISO 2022 IR58 → ISO 2022 IR 58; the aliases above.
 */
function definedTerm(term: string): string {
  const upper = term.trim().toUpperCase().replace(/\s+/g, ' ')
  const spelt = /^ISO[\s_-]?(2022)?[\s_-]?IR[\s_-]?(\d+)$/.exec(upper)
  const standard = spelt ? (spelt[1] ? `ISO 2022 IR ${spelt[2]}` : `ISO_IR ${spelt[2]}`) : upper
  return termAliases[standard] ?? standard
}

const isKnownTerm = (term: string): boolean => term in singleSetLabels || term in iso2022Labels

const decoders = new Map<string, TextDecoder>()

function decodeWith(label: string, bytes: Uint8Array): string {
  // TextDecoder's "latin1" is windows-1252; DICOM means ISO 8859-1 exactly.
  if (label === 'latin1') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  let decoder = decoders.get(label)
  if (!decoder) {
    decoder = new TextDecoder(label)
    decoders.set(label, decoder)
  }
  return decoder.decode(bytes)
}

/** Splits the (0008,0005) value into its terms; an absent value means the default repertoire. */
export function characterSetTerms(value: string | undefined): string[] {
  if (!value) return ['']
  return value.split('\\').map((t) => t.trim())
}

/** The terms this decoder does not know, however spelt (values under them are read as undeclared text is). */
export function unknownCharacterSetTerms(terms: string[]): string[] {
  return terms.filter((t) => !isKnownTerm(definedTerm(t)))
}

/** Decodes the raw bytes of a text value (SH, LO, ST, LT, UT, PN, UC) by the file's character set. */
export function decodeDicomText(bytes: Uint8Array, terms: string[]): string {
  const first = definedTerm(terms[0] ?? '')
  const usesCodeExtensions = terms.length > 1 || first.startsWith('ISO 2022')
  if (!usesCodeExtensions) return decodeWith(singleSetLabel(first, bytes), bytes)
  return decodeIso2022(bytes, iso2022Labels[first] ?? singleSetLabels[first] ?? 'latin1')
}

/**
 * The set a value is decoded with: the declared one, except where a file declares ASCII or
 * ISO 8859-1 and its bytes are another set's — devices that write UTF-8 or GB 2312 (many older
 * Chinese CR/DR units and PACS) and declare nothing or Latin-1: 胸部正位 read as "ÐØ²¿Õýλ", so the
 * projection and body part were unseen. A declared Latin-1 value is read as GB 2312 only with two
 * characters at least: one pair of high bytes could be two accented letters.
 */
function singleSetLabel(term: string, bytes: Uint8Array): string {
  // a term no one knows says nothing of the bytes: they are read as where none is declared
  if (declaresAsciiOnly(term) || !isKnownTerm(term)) return sniffedLabel(bytes, 1)
  if (term === 'ISO_IR 100') return sniffedLabel(bytes, 2)
  return singleSetLabels[term]
}

/** No Specific Character Set, or ISO_IR 6: the value may hold ASCII only. */
function declaresAsciiOnly(term: string): boolean {
  return term === '' || term === 'ISO_IR 6'
}

/**
 * UTF-8 when the bytes are valid UTF-8 beyond ASCII; GB 2312 when they read as at least `minGbChars`
 * of its characters (see readsAsGb2312); else ISO 8859-1.
 */
function sniffedLabel(bytes: Uint8Array, minGbChars: number): string {
  if (bytes.every((b) => b < 0x80)) return 'latin1'
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return 'utf-8'
  } catch {
    return readsAsGb2312(bytes) && bytes.filter((b) => b >= 0x80).length >= 2 * minGbChars ? 'gbk' : 'latin1'
  }
}

const isAsciiLetter = (b: number | undefined): boolean => b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))

/**
 * Every high byte is in a pair of GB 2312's double-byte range (lead 0xA1–0xF7, trail 0xA1–0xFE): a
 * Latin-1 letter stands alone or beside ASCII ("MÜLLER"). One pair inside a word ("Lööf", "Müßig":
 * two accented letters between ASCII letters) is Latin-1 too.
 */
function readsAsGb2312(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) continue
    const run = i
    while (i < bytes.length && bytes[i] >= 0x80) i++
    if ((i - run) % 2 !== 0) return false
    for (let k = run; k < i; k += 2) if (!(bytes[k] >= 0xa1 && bytes[k] <= 0xf7 && bytes[k + 1] >= 0xa1 && bytes[k + 1] <= 0xfe)) return false
    if (i - run === 2 && isAsciiLetter(bytes[run - 1]) && isAsciiLetter(bytes[i])) return false
  }
  return true
}

/** Decodes runs between escape sequences; ESC $ B runs keep their escape for the iso-2022-jp decoder. */
function decodeIso2022(bytes: Uint8Array, initialLabel: string): string {
  let out = ''
  let label = initialLabel
  let runStart = 0
  let i = 0
  while (i < bytes.length) {
    if (bytes[i] !== ESC) {
      i++
      continue
    }
    const match = escapeLabels.find(([seq]) => seq.every((b, k) => bytes[i + 1 + k] === b))
    if (!match) {
      i++
      continue
    }
    out += decodeRun(bytes.subarray(runStart, i), label)
    label = match[1]
    const keepEscape = label === 'iso-2022-jp'
    runStart = keepEscape ? i : i + 1 + match[0].length
    i += 1 + match[0].length
  }
  return out + decodeRun(bytes.subarray(runStart), label)
}

function decodeRun(run: Uint8Array, label: string): string {
  return run.length ? decodeWith(label, run) : ''
}

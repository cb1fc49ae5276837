/**
 * The text of a Word 97–2003 document (.doc, and WPS's .wps, which keeps the same WordDocument stream:
 * MS-DOC in an OLE compound file): many hospital report archives hold a .doc a report. Read as
 * office.ts reads a .docx — a line per paragraph (a table's cells are paragraphs too), tabs kept,
 * field codes left out (a PAGE field gives its number) — from the piece table, so a document Word
 * saved quickly, its text in pieces out of order, reads in order. A new page is a form feed (\f): a
 * page or section break in the text (Word), or a paragraph set to begin a page (LibreOffice, read from
 * the paragraphs' properties), so that a document of several reports splits. The main document only: headers,
 * footnotes and text boxes are other stories. Text a tracked change deleted is still in the pieces and
 * is read (its mark is a character property, not read here). Every offset and count is checked
 * against the streams' sizes, so a damaged or hostile file is refused in words.
 */
import { CompoundFile } from './compound-file'

const WORD_97_IDENT = 0xa5ec
/** The nFib of Word 97; Word 6.0 and 95 wrote 101–105, and their text is not kept in pieces. */
const WORD_97_NFIB = 0xc1
const F_ENCRYPTED = 0x0100
const F_WHICH_TABLE_STREAM = 0x0200
/** FibRgFcLcb97 pair 33: where the piece table (Clx) lies in the table stream. */
const CLX_PAIR = 33
/** FibRgFcLcb97 pair 13: where the paragraphs' property pages (PlcBtePapx) are listed. */
const PAPX_PAIR = 13
const FKP_BYTES = 512
/** A paragraph property: the paragraph begins a new page (MS-DOC 2.6.2). */
const SPRM_PAGE_BREAK_BEFORE = 0x2407
/** Properties whose operand gives its size in two bytes (a table's definition), or whose size may need reading it (tab changes). */
const SPRM_TABLE_DEFINITION = 0xd608
const SPRM_TAB_CHANGES = 0xc615

export interface LegacyDocumentText {
  text: string
  /** How its pieces were stored: UTF-16 (any Chinese text), else Windows-1252 (the 8-bit "compressed" pieces). */
  encoding: 'utf-16le' | 'windows-1252'
}

export function legacyDocumentText(bytes: Uint8Array): LegacyDocumentText {
  const file = new CompoundFile(bytes, 'a Word 97–2003 document')
  const word = file.stream(['WordDocument'])?.bytes
  if (!word) throw new Error('it is not a Word document: its compound file holds no WordDocument stream')
  const fib = readFib(word)
  const table = file.stream([fib.tableStream])?.bytes
  if (!table) throw new Error(`it is damaged: its ${fib.tableStream} stream, which holds where its text lies, is missing`)
  if (fib.clx.offset + fib.clx.length > table.length) throw new Error('it is damaged: its piece table lies beyond its table stream')
  const pieces = readPieces(table.subarray(fib.clx.offset, fib.clx.offset + fib.clx.length))
  return documentText(word, pieces, fib.mainTextLength, pageBreaksBefore(word, table, fib.papx, pieces))
}

interface Fib {
  tableStream: '0Table' | '1Table'
  mainTextLength: number
  clx: { offset: number; length: number }
  papx: { offset: number; length: number }
}

/** The File Information Block at the start of the WordDocument stream (MS-DOC 2.5). */
function readFib(word: Uint8Array): Fib {
  if (word.length < 34) throw new Error('it is damaged: its WordDocument stream is too short to hold a file information block')
  const view = new DataView(word.buffer, word.byteOffset, word.byteLength)
  const nFib = view.getUint16(2, true)
  if (view.getUint16(0, true) !== WORD_97_IDENT || nFib < WORD_97_NFIB)
    throw new Error('it is a Word 6.0/95 (or older) document, which is not read: save it as .docx, PDF or text')
  const flags = view.getUint16(0x0a, true)
  if (flags & F_ENCRYPTED) throw new Error('it is protected by a password, so its text cannot be read')
  // The FIB's parts are counted arrays: csw 16-bit words, cslw 32-bit longs, then cbRgFcLcb offset/length pairs.
  const rgLw = 34 + 2 * view.getUint16(32, true) + 2
  if (rgLw + 4 * 4 > word.length || view.getUint16(rgLw - 2, true) < 4) throw new Error('it is damaged: its file information block is cut short')
  const cbRgFcLcb = rgLw + 4 * view.getUint16(rgLw - 2, true)
  const pairs = cbRgFcLcb + 2
  if (cbRgFcLcb + 2 > word.length || view.getUint16(cbRgFcLcb, true) <= CLX_PAIR || pairs + 8 * (CLX_PAIR + 1) > word.length)
    throw new Error('it is damaged: its file information block is cut short')
  return {
    tableStream: flags & F_WHICH_TABLE_STREAM ? '1Table' : '0Table',
    mainTextLength: view.getUint32(rgLw + 4 * 3, true),
    clx: { offset: view.getUint32(pairs + 8 * CLX_PAIR, true), length: view.getUint32(pairs + 8 * CLX_PAIR + 4, true) },
    papx: { offset: view.getUint32(pairs + 8 * PAPX_PAIR, true), length: view.getUint32(pairs + 8 * PAPX_PAIR + 4, true) }
  }
}

interface Piece {
  /** Character positions [start, end) in the document's text. */
  start: number
  end: number
  /** Byte offset of its text in the WordDocument stream. */
  offset: number
  /** 8-bit Windows-1252 ("compressed") or UTF-16LE. */
  compressed: boolean
}

/** The Clx: property runs (Prc, skipped), then the piece table (Pcdt): n + 1 character positions and n piece descriptors. */
function readPieces(clx: Uint8Array): Piece[] {
  const view = new DataView(clx.buffer, clx.byteOffset, clx.byteLength)
  let at = 0
  while (at < clx.length && clx[at] === 0x01) {
    if (at + 3 > clx.length) break
    at += 3 + view.getUint16(at + 1, true)
  }
  if (at + 5 > clx.length || clx[at] !== 0x02) throw new Error('it is damaged: its piece table is missing')
  const size = view.getUint32(at + 1, true)
  const plc = at + 5
  if (plc + size > clx.length || size < 4 || (size - 4) % 12 !== 0) throw new Error('it is damaged: its piece table does not fit where it lies')
  const count = (size - 4) / 12
  const cp = (i: number): number => view.getUint32(plc + 4 * i, true)
  return Array.from({ length: count }, (_, i) => {
    const fc = view.getUint32(plc + 4 * (count + 1) + 8 * i + 2, true)
    const compressed = (fc & 0x40000000) !== 0
    const raw = fc & 0x3fffffff
    return { start: cp(i), end: cp(i + 1), offset: compressed ? raw / 2 : raw, compressed }
  })
}

const windows1252 = new TextDecoder('windows-1252')
const utf16 = new TextDecoder('utf-16le')

/**
 * The character positions of the paragraphs that begin a new page by their own properties
 * (sprmPFPageBreakBefore): the PlcBtePapx lists 512-byte pages (PapxFkp) of paragraph ends, each with
 * its paragraph's properties. Properties that cannot be read are taken as no break: the text is still read.
 */
function pageBreaksBefore(word: Uint8Array, table: Uint8Array, plc: { offset: number; length: number }, pieces: Piece[]): number[] {
  if (plc.length < 12 || plc.offset + plc.length > table.length || (plc.length - 4) % 8 !== 0) return []
  const view = new DataView(table.buffer, table.byteOffset + plc.offset, plc.length)
  const count = (plc.length - 4) / 8
  const breaks: number[] = []
  for (let i = 0; i < count; i++) {
    const fkp = (view.getUint32(4 * (count + 1) + 4 * i, true) & 0x3fffff) * FKP_BYTES
    if (fkp + FKP_BYTES > word.length) continue
    for (const start of breakingParagraphStarts(word.subarray(fkp, fkp + FKP_BYTES))) {
      const cp = characterPositionOf(start, pieces)
      if (cp !== null) breaks.push(cp)
    }
  }
  return breaks
}

/** The stream offsets where the paragraphs of one PapxFkp that begin a new page start. */
function breakingParagraphStarts(fkp: Uint8Array): number[] {
  const view = new DataView(fkp.buffer, fkp.byteOffset, fkp.byteLength)
  const runs = fkp[FKP_BYTES - 1]
  if (4 * (runs + 1) + 13 * runs > FKP_BYTES - 1) return []
  const starts: number[] = []
  for (let i = 0; i < runs; i++) {
    // BxPap: the offset of the paragraph's PapxInFkp, in 16-bit words; 0 for none
    const at = 2 * fkp[4 * (runs + 1) + 13 * i]
    if (at === 0 || at >= FKP_BYTES - 1) continue
    // PapxInFkp: cb, and 2cb − 1 bytes of properties; cb = 0 says the next byte holds 2cb
    const size = fkp[at] !== 0 ? 2 * fkp[at] - 1 : 2 * (fkp[at + 1] ?? 0)
    const from = at + (fkp[at] !== 0 ? 1 : 2)
    // the properties follow the paragraph's style index (2 bytes)
    if (from + size <= FKP_BYTES - 1 && size > 2 && beginsPage(fkp.subarray(from + 2, from + size))) starts.push(view.getUint32(4 * i, true))
  }
  return starts
}

/** Whether a paragraph's property list (grpprl) sets page break before. */
function beginsPage(grpprl: Uint8Array): boolean {
  let at = 0
  while (at + 2 <= grpprl.length) {
    const sprm = grpprl[at] | (grpprl[at + 1] << 8)
    const operand = at + 2
    if (sprm === SPRM_PAGE_BREAK_BEFORE) return grpprl[operand] === 1
    const size = operandSize(sprm, grpprl, operand)
    if (size === null) return false
    at = operand + size
  }
  return false
}

/** A property's operand size from its spra (the sprm's top 3 bits, MS-DOC 2.2.5.1); null where it cannot be told. */
function operandSize(sprm: number, grpprl: Uint8Array, operand: number): number | null {
  const fixed = [1, 1, 2, 4, 2, 2, -1, 3][sprm >> 13]
  if (fixed >= 0) return fixed
  if (operand + 1 >= grpprl.length) return null
  if (sprm === SPRM_TABLE_DEFINITION) return 1 + (grpprl[operand] | (grpprl[operand + 1] << 8))
  if (sprm === SPRM_TAB_CHANGES && grpprl[operand] === 255) return null
  return 1 + grpprl[operand]
}

/** The character position of a stream offset, through the piece that holds it. */
function characterPositionOf(offset: number, pieces: Piece[]): number | null {
  for (const piece of pieces) {
    const width = piece.compressed ? 1 : 2
    if (offset >= piece.offset && offset < piece.offset + (piece.end - piece.start) * width) return piece.start + (offset - piece.offset) / width
  }
  return null
}

/** The main document's characters [0, length) from the pieces, as text; a form feed before each paragraph that begins a page. */
function documentText(word: Uint8Array, pieces: Piece[], length: number, pageBreaks: number[]): LegacyDocumentText {
  let raw = ''
  let anyUtf16 = false
  let read = 0
  for (const piece of pieces) {
    if (piece.end < piece.start) throw new Error('it is damaged: its piece table runs backwards')
    const chars = Math.min(piece.end, length) - piece.start
    if (chars <= 0) continue
    const width = piece.compressed ? 1 : 2
    // A piece's text lies in the stream, and all of it together no more than once over.
    read += chars * width
    if (piece.offset + chars * width > word.length || read > word.length) throw new Error('it is damaged: a piece of its text lies beyond its WordDocument stream')
    const bytes = word.subarray(piece.offset, piece.offset + chars * width)
    raw += piece.compressed ? windows1252.decode(bytes) : utf16.decode(bytes)
    anyUtf16 ||= !piece.compressed
  }
  return { text: visibleText(withPageBreaks(raw, pageBreaks)), encoding: anyUtf16 ? 'utf-16le' : 'windows-1252' }
}

/** The text with a form feed at each position (a character position is an index into it); the first paragraph begins the first page. */
function withPageBreaks(raw: string, positions: number[]): string {
  let out = ''
  let from = 0
  for (const cp of [...new Set(positions)].filter((cp) => cp > 0 && cp < raw.length).sort((a, b) => a - b)) {
    out += `${raw.slice(from, cp)}\f`
    from = cp
  }
  return out + raw.slice(from)
}

/**
 * Word's special characters as text: paragraph, cell and row ends and line breaks as line ends, a
 * page or section break as a form feed; a field's code (between its begin 0x13 and separator 0x14) left out and its result kept;
 * anchors of pictures, drawn objects and notes, and optional hyphens, left out.
 */
function visibleText(raw: string): string {
  let out = ''
  // One entry per open field: whether its code (true) or its result is being read.
  const fields: boolean[] = []
  for (const ch of raw) {
    const code = ch.charCodeAt(0)
    if (code === 0x13) fields.push(true)
    else if (code === 0x14 && fields.length > 0) fields[fields.length - 1] = false
    else if (code === 0x15) fields.pop()
    else if (fields.includes(true)) continue
    else if (code === 0x0d || code === 0x07 || code === 0x0b) out += '\n'
    else if (code === 0x0c) out += '\f'
    else if (code === 0x1e) out += '-'
    else if (code >= 0x20 || code === 0x09) out += ch
  }
  return out
}

/**
 * The text of a Word 97–2003 document (.doc, and WPS's .wps, which keeps the same WordDocument stream:
 * MS-DOC in an OLE compound file): many hospital report archives hold a .doc a report. Read as
 * office.ts reads a .docx — a line per paragraph (a table's cells are paragraphs too), tabs kept,
 * field codes left out (a PAGE field gives its number) — from the piece table, so a document Word
 * saved quickly, its text in pieces out of order, reads in order. A new page is a form feed (\f): a
 * page or section break in the text (Word), or a paragraph set to begin a page (LibreOffice, read from
 * the paragraphs' properties), so that a document of several reports splits. The main document and its
 * text boxes (each read after the paragraph that anchors it, as office.ts reads a .docx's); headers and
 * footnotes are other stories, not read. Text a tracked change deleted is still in the pieces
 * and is left out by its mark, a character property. Every offset and count is checked
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
/** FibRgFcLcb97 pairs 12 and 13: where the characters' and the paragraphs' property pages (PlcBteChpx, PlcBtePapx) are listed. */
const CHPX_PAIR = 12
const PAPX_PAIR = 13
/** FibRgFcLcb97 pairs 40 and 56: the main document's shape anchors (PlcfSpa) and its text boxes' stories (PlcftxbxTxt). */
const SHAPE_ANCHORS_PAIR = 40
const TEXT_BOXES_PAIR = 56
/** FibRgLw97: the character counts of the main document and of the stories after it, up to the text boxes' (ccpText … ccpTxbx). */
const STORY_LENGTHS = { first: 3, textBoxes: 9 }
const FKP_BYTES = 512
/** A paragraph property: the paragraph begins a new page (MS-DOC 2.6.2). */
const SPRM_PAGE_BREAK_BEFORE = 0x2407
/** A character property: a tracked change deleted the text (MS-DOC 2.6.1). */
const SPRM_DELETED = 0x0800
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
  return documentText(word, pieces, textMarks(word, table, fib, pieces), fib.mainTextLength, textBoxes(table, fib))
}

interface Fib {
  tableStream: '0Table' | '1Table'
  mainTextLength: number
  clx: { offset: number; length: number }
  chpx: PlcLocation
  papx: PlcLocation
  /** Where the text boxes' story begins and how long it is (length 0: the file says of none), and where their anchors and stories are listed. */
  textBoxStory: { start: number; length: number; anchors: PlcLocation; stories: PlcLocation }
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
  const pair = (i: number): PlcLocation => ({ offset: view.getUint32(pairs + 8 * i, true), length: view.getUint32(pairs + 8 * i + 4, true) })
  const hasTextBoxes = view.getUint16(rgLw - 2, true) > STORY_LENGTHS.textBoxes && view.getUint16(cbRgFcLcb, true) > TEXT_BOXES_PAIR && pairs + 8 * (TEXT_BOXES_PAIR + 1) <= word.length
  const storyLength = (i: number) => view.getUint32(rgLw + 4 * i, true)
  let start = 0
  for (let i = STORY_LENGTHS.first; hasTextBoxes && i < STORY_LENGTHS.textBoxes; i++) start += storyLength(i)
  return {
    tableStream: flags & F_WHICH_TABLE_STREAM ? '1Table' : '0Table',
    mainTextLength: storyLength(STORY_LENGTHS.first),
    clx: pair(CLX_PAIR),
    chpx: pair(CHPX_PAIR),
    papx: pair(PAPX_PAIR),
    textBoxStory: hasTextBoxes
      ? { start, length: storyLength(STORY_LENGTHS.textBoxes), anchors: pair(SHAPE_ANCHORS_PAIR), stories: pair(TEXT_BOXES_PAIR) }
      : { start: 0, length: 0, anchors: { offset: 0, length: 0 }, stories: { offset: 0, length: 0 } }
  }
}

/** A text box: the main document's character its shape is anchored at, and its text's characters [start, end). */
interface TextBox {
  anchor: number
  start: number
  end: number
}

/**
 * The main document's text boxes in the order of their stories (MS-DOC 2.3.6): the PlcftxbxTxt gives each
 * story's characters and its shape's id (FTXBXS: 22 bytes, fReusable at 8, lid at 14; the last entry and
 * the reusable ones hold no box), the PlcfSpa each shape's anchor (SPA: 26 bytes, lid first). What does
 * not fit where it lies is passed over: the main text is still read, without its boxes.
 */
function textBoxes(table: Uint8Array, fib: Fib): TextBox[] {
  const { start, length, anchors, stories } = fib.textBoxStory
  const storyPlc = plc(table, stories, 22)
  const anchorPlc = plc(table, anchors, 26)
  if (length === 0 || !storyPlc || !anchorPlc) return []
  const anchorOf = new Map<number, number>()
  for (let i = 0; i < anchorPlc.count; i++) anchorOf.set(anchorPlc.view.getUint32(anchorPlc.data(i), true), anchorPlc.cp(i))
  const found: TextBox[] = []
  for (let i = 0; i < storyPlc.count - 1; i++) {
    const anchor = anchorOf.get(storyPlc.view.getUint32(storyPlc.data(i) + 14, true))
    const [from, to] = [storyPlc.cp(i), storyPlc.cp(i + 1)]
    if (storyPlc.view.getUint16(storyPlc.data(i) + 8, true) !== 0 || anchor === undefined || anchor >= fib.mainTextLength || from >= to || to > length) continue
    found.push({ anchor, start: start + from, end: start + to })
  }
  return found
}

/** A PLC (MS-DOC 2.2.2) of `dataBytes`-byte entries where it lies in the table stream: n + 1 character positions, then n entries; null where it does not fit. */
function plc(table: Uint8Array, at: PlcLocation, dataBytes: number): { count: number; view: DataView; cp: (i: number) => number; data: (i: number) => number } | null {
  if (at.length < 4 || at.offset + at.length > table.length || (at.length - 4) % (4 + dataBytes) !== 0) return null
  const view = new DataView(table.buffer, table.byteOffset + at.offset, at.length)
  const count = (at.length - 4) / (4 + dataBytes)
  return { count, view, cp: (i) => view.getUint32(4 * i, true), data: (i) => 4 * (count + 1) + dataBytes * i }
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

/** Where a PlcBte (the list of a kind of property pages) lies in the table stream. */
interface PlcLocation {
  offset: number
  length: number
}

/** A run of text with one property list: the stream offsets [from, to) it covers, and the list (grpprl). */
interface PropertyRun {
  from: number
  to: number
  grpprl: Uint8Array
}

/**
 * A kind of property page (FKP): after its runs' stream offsets, an entry per run whose first byte
 * points at the run's properties, in 16-bit words (0: none); and how a property list is stored there.
 */
interface PropertyPageKind {
  entryBytes: number
  /** The property list (grpprl) stored at `at`, or null when it does not fit the page. */
  grpprlAt: (fkp: Uint8Array, at: number) => Uint8Array | null
}

/** PapxFkp (MS-DOC 2.9.175): 13-byte BxPap entries; a PapxInFkp is cb, then 2cb − 1 bytes (cb = 0: the next byte holds 2cb), a style index first. */
const paragraphPages: PropertyPageKind = {
  entryBytes: 13,
  grpprlAt: (fkp, at) => {
    const size = fkp[at] !== 0 ? 2 * fkp[at] - 1 : 2 * (fkp[at + 1] ?? 0)
    const from = at + (fkp[at] !== 0 ? 1 : 2)
    return from + size <= FKP_BYTES - 1 && size > 2 ? fkp.subarray(from + 2, from + size) : null
  }
}

/** ChpxFkp (MS-DOC 2.9.35): a byte per run; a Chpx is cb, then cb bytes. */
const characterPages: PropertyPageKind = {
  entryBytes: 1,
  grpprlAt: (fkp, at) => (at + 1 + fkp[at] <= FKP_BYTES - 1 ? fkp.subarray(at + 1, at + 1 + fkp[at]) : null)
}

/**
 * The runs of a kind of property pages: the PlcBte lists 512-byte pages (FKPs) in the WordDocument
 * stream, each with its runs' stream offsets and property lists. What cannot be read is passed over:
 * the text is still read, without those properties.
 */
function propertyRuns(word: Uint8Array, table: Uint8Array, plc: PlcLocation, kind: PropertyPageKind): PropertyRun[] {
  if (plc.length < 12 || plc.offset + plc.length > table.length || (plc.length - 4) % 8 !== 0) return []
  const pageList = new DataView(table.buffer, table.byteOffset + plc.offset, plc.length)
  const pages = (plc.length - 4) / 8
  const found: PropertyRun[] = []
  for (let p = 0; p < pages; p++) {
    const offset = (pageList.getUint32(4 * (pages + 1) + 4 * p, true) & 0x3fffff) * FKP_BYTES
    if (offset + FKP_BYTES > word.length) continue
    const fkp = word.subarray(offset, offset + FKP_BYTES)
    const view = new DataView(fkp.buffer, fkp.byteOffset, fkp.byteLength)
    const runs = fkp[FKP_BYTES - 1]
    if (4 * (runs + 1) + kind.entryBytes * runs > FKP_BYTES - 1) continue
    for (let i = 0; i < runs; i++) {
      const at = 2 * fkp[4 * (runs + 1) + kind.entryBytes * i]
      const properties = at === 0 || at >= FKP_BYTES - 1 ? null : kind.grpprlAt(fkp, at)
      if (properties) found.push({ from: view.getUint32(4 * i, true), to: view.getUint32(4 * (i + 1), true), grpprl: properties })
    }
  }
  return found
}

/** The operand of a property in a property list, or null when the list does not set it (or cannot be read as far). */
function operandOf(grpprl: Uint8Array, wanted: number): number | null {
  let at = 0
  while (at + 2 <= grpprl.length) {
    const sprm = grpprl[at] | (grpprl[at + 1] << 8)
    const operand = at + 2
    if (sprm === wanted) return grpprl[operand] ?? null
    const size = operandSize(sprm, grpprl, operand)
    if (size === null) return null
    at = operand + size
  }
  return null
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

/** The character positions [start, end) that stream offsets [from, to) hold, piece by piece. */
function characterRanges(from: number, to: number, pieces: Piece[]): [number, number][] {
  return pieces.flatMap((piece): [number, number][] => {
    const width = piece.compressed ? 1 : 2
    const start = Math.max(from, piece.offset)
    const end = Math.min(to, piece.offset + (piece.end - piece.start) * width)
    return start < end ? [[piece.start + Math.floor((start - piece.offset) / width), piece.start + Math.ceil((end - piece.offset) / width)]] : []
  })
}

/** What the properties change in the text: where paragraphs begin a new page, and which characters a tracked change deleted. */
interface TextMarks {
  pageBreaks: number[]
  deleted: [number, number][]
}

/**
 * The paragraphs set to begin a new page (sprmPFPageBreakBefore, as LibreOffice writes a page break)
 * and the text a tracked change deleted (sprmCFRMarkDel: Word keeps it in the text until the change is accepted).
 */
function textMarks(word: Uint8Array, table: Uint8Array, fib: Fib, pieces: Piece[]): TextMarks {
  const paragraphs = propertyRuns(word, table, fib.papx, paragraphPages)
  const characters = propertyRuns(word, table, fib.chpx, characterPages)
  return {
    pageBreaks: paragraphs.filter((run) => operandOf(run.grpprl, SPRM_PAGE_BREAK_BEFORE) === 1).flatMap((run) => characterRanges(run.from, run.to, pieces).slice(0, 1).map(([cp]) => cp)),
    // 1 sets the mark; 0x81 sets the opposite of the style's, which marks no deletion
    deleted: characters.filter((run) => [1, 0x81].includes(operandOf(run.grpprl, SPRM_DELETED) ?? 0)).flatMap((run) => characterRanges(run.from, run.to, pieces))
  }
}

/**
 * The main document's characters [0, mainLength) from the pieces, as text: each text box's after the
 * paragraph its anchor is in, a form feed before each paragraph that begins a page, deleted text left out.
 */
function documentText(word: Uint8Array, pieces: Piece[], marks: TextMarks, mainLength: number, boxes: TextBox[]): LegacyDocumentText {
  // the boxes' story lies after the main document's: read as far as the last box
  const length = boxes.reduce((end, box) => Math.max(end, box.end), mainLength)
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
  const marked = markedRuns(raw, marks)
  let text = ''
  let from = 0
  // a box floats on the page: its place in its paragraph says nothing of where it is read
  const paragraphEnd = /[\r\x07]/g
  for (const box of [...boxes].sort((a, b) => a.anchor - b.anchor)) {
    paragraphEnd.lastIndex = box.anchor
    // a second box in the same paragraph follows the first
    const after = box.anchor < from ? from : Math.min(mainLength, (paragraphEnd.exec(raw)?.index ?? mainLength) + 1)
    text += marked(from, after) + marked(box.start, box.end)
    from = after
  }
  text += marked(from, mainLength)
  return { text: visibleText(text), encoding: anyUtf16 ? 'utf-16le' : 'windows-1252' }
}

/**
 * The characters [from, to) of raw (a character position is an index into it) with a form feed at each
 * page break and without the deleted ranges. The marks are sorted once, so that each run costs its own
 * marks and a search: a hostile file of many boxes and many marks stays linear.
 */
function markedRuns(raw: string, { pageBreaks, deleted }: TextMarks): (from: number, to: number) => string {
  const edits = [
    // the first paragraph begins the first page
    ...[...new Set(pageBreaks)].filter((cp) => cp > 0).map((cp) => ({ start: cp, end: cp })),
    ...deleted.filter(([start, end]) => start < end).map(([start, end]) => ({ start, end }))
  ].sort((a, b) => a.start - b.start || a.end - b.end)
  // reachBefore[i]: the furthest the edits before the i-th reach (a deletion begun before a run may run into it)
  const reachBefore = [0]
  for (const edit of edits) reachBefore.push(Math.max(reachBefore[reachBefore.length - 1], edit.end))
  return (from, to) => {
    to = Math.min(to, raw.length)
    let lo = 0
    for (let hi = edits.length; lo < hi; ) {
      const mid = (lo + hi) >> 1
      if (edits[mid].start < from) lo = mid + 1
      else hi = mid
    }
    let out = ''
    let kept = Math.max(from, reachBefore[lo])
    for (let i = lo; i < edits.length && edits[i].start < to; i++) {
      const edit = edits[i]
      if (edit.start > kept) out += raw.slice(kept, edit.start)
      if (edit.start === edit.end) out += '\f'
      kept = Math.max(kept, edit.end)
    }
    return kept < to ? out + raw.slice(kept, to) : out
  }
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

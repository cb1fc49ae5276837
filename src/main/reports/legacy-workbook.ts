/**
 * The worksheets of an Excel 97–2003 workbook (.xls: a BIFF8 "Workbook" stream in an OLE compound
 * file, MS-CFB and MS-XLS) as rows of cell text, as office.ts reads an .xlsx: many hospital
 * information systems still export their reports so. Written here: the one registry package that
 * reads .xls (SheetJS's, last published there in 2022) has a known flaw on crafted files.
 * Every count and pointer a file gives is checked against its size, so a hostile file is refused
 * in words, never followed into a loop or an allocation it names.
 */
import { CompoundFile } from './compound-file'
import { isDateFormatCode, isBuiltinDateFormat, serialDate, type Worksheet } from './office'

/** MS-XLS records: type, then the data of the record and of the CONTINUE records after it. */
interface BiffRecord {
  type: number
  /** The record's data, then each CONTINUE's: a string may run on into them. */
  parts: Uint8Array[]
  offset: number
}

const CONTINUE = 0x003c

function* records(stream: Uint8Array, from: number): Generator<BiffRecord> {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength)
  let at = from
  while (at + 4 <= stream.length) {
    const record: BiffRecord = { type: view.getUint16(at, true), parts: [], offset: at }
    do {
      const length = view.getUint16(at + 2, true)
      if (at + 4 + length > stream.length) throw new Error('the workbook stream is truncated inside a record')
      record.parts.push(stream.subarray(at + 4, at + 4 + length))
      at += 4 + length
    } while (at + 4 <= stream.length && view.getUint16(at, true) === CONTINUE)
    yield record
  }
}

/** Reads a record's data across its CONTINUE parts; a string's characters that run on restart with an options byte. */
class RecordReader {
  private part = 0
  private at = 0

  constructor(private readonly parts: Uint8Array[]) {}

  private room(): number {
    while (this.part < this.parts.length && this.at >= this.parts[this.part].length) {
      this.part++
      this.at = 0
    }
    if (this.part >= this.parts.length) throw new Error('a record of the workbook ends inside its data')
    return this.parts[this.part].length - this.at
  }

  u8(): number {
    this.room()
    return this.parts[this.part][this.at++]
  }

  u16(): number {
    return this.u8() | (this.u8() << 8)
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0
  }

  skip(count: number): void {
    for (let left = count; left > 0; ) {
      const step = Math.min(left, this.room())
      this.at += step
      left -= step
    }
  }

  /** XLUnicodeRichExtendedString's characters: one byte each (Latin-1) or two (UTF-16LE), the width set again in each part. */
  characters(count: number, wide: boolean): string {
    let text = ''
    for (let left = count; left > 0; ) {
      if (this.at >= this.parts[this.part]?.length) {
        this.room()
        wide = (this.u8() & 1) === 1
      }
      const width = wide ? 2 : 1
      const take = Math.min(left, Math.floor(this.room() / width))
      if (take === 0) throw new Error('a string of the workbook is cut inside a character')
      const bytes = this.parts[this.part].subarray(this.at, this.at + take * width)
      text += Buffer.from(bytes).toString(wide ? 'utf16le' : 'latin1')
      this.at += take * width
      left -= take
    }
    return text
  }

  /** A string with its 16-bit (or, in a sheet name, 8-bit) length, options, and rich-text or phonetic data after it. */
  unicodeString(lengthBytes: 1 | 2 = 2): string {
    const count = lengthBytes === 1 ? this.u8() : this.u16()
    const options = this.u8()
    const runs = options & 0x08 ? this.u16() : 0
    const phonetic = options & 0x04 ? this.u32() : 0
    const text = this.characters(count, (options & 1) === 1)
    this.skip(4 * runs + phonetic)
    return text
  }
}

const BOF = 0x0809
const EOF = 0x000a
const FILEPASS = 0x002f
const DATEMODE = 0x0022
const FORMAT = 0x041e
const XF = 0x00e0
const BOUNDSHEET = 0x0085
const SST = 0x00fc
const LABELSST = 0x00fd
const LABEL = 0x0204
const NUMBER = 0x0203
const RK = 0x027e
const MULRK = 0x00bd
const FORMULA = 0x0006
const STRING = 0x0207
const BOOLERR = 0x0205
const FORMULA_PARTS = new Set([0x04bc, 0x0221, 0x0236]) // SHRFMLA, ARRAY, TABLE

interface Globals {
  sharedStrings: string[]
  /** For each cell format (XF), whether it shows its number as a date. */
  dateFormats: boolean[]
  epoch: number
  /** The worksheets in the order the workbook lists them: their names and where their records begin. */
  worksheets: { name: string; offset: number }[]
}

function readGlobals(stream: Uint8Array): Globals {
  const customFormats = new Map<number, boolean>()
  const xfFormats: number[] = []
  const sheets: { offset: number; kind: number; name: string }[] = []
  const globals: Globals = { sharedStrings: [], dateFormats: [], epoch: Date.UTC(1899, 11, 30), worksheets: [] }
  for (const record of records(stream, 0)) {
    const data = new RecordReader(record.parts)
    if (record.offset === 0) {
      if (record.type !== BOF) throw new Error('its workbook stream does not begin with a BOF record')
      const version = data.u16()
      if (version !== 0x0600) throw new Error(`it is an Excel ${version === 0x0500 ? '5.0/95' : 'pre-97'} workbook, which is not read: save it as .xlsx or CSV`)
    } else if (record.type === FILEPASS) throw new Error('the workbook is password-protected (encrypted): save it without a password, as .xlsx or CSV')
    else if (record.type === DATEMODE) globals.epoch = data.u16() === 1 ? Date.UTC(1904, 0, 1) : globals.epoch
    else if (record.type === FORMAT) customFormats.set(data.u16(), isDateFormatCode(data.unicodeString()))
    else if (record.type === XF) {
      data.u16()
      xfFormats.push(data.u16())
    } else if (record.type === BOUNDSHEET) {
      const offset = data.u32()
      data.u8() // visibility: a hidden sheet's reports are the site's too
      const kind = data.u8()
      sheets.push({ offset, kind, name: data.unicodeString(1) })
    }
    else if (record.type === SST) globals.sharedStrings = sharedStrings(data)
    else if (record.type === EOF) break
  }
  globals.dateFormats = xfFormats.map((id) => customFormats.get(id) ?? isBuiltinDateFormat(id))
  globals.worksheets = sheets.filter((s) => s.kind === 0)
  if (globals.worksheets.length === 0) throw new Error('the workbook holds no worksheet')
  if (globals.worksheets.some((s) => s.offset >= stream.length)) throw new Error('the workbook points to a worksheet beyond its end (it is truncated)')
  return globals
}

function sharedStrings(data: RecordReader): string[] {
  data.u32()
  const unique = data.u32()
  const strings: string[] = []
  // The count is the file's word, not a size to allocate: strings are read while the record holds them
  // (a cell whose string is missing reads as empty).
  for (let i = 0; i < unique; i++) {
    try {
      strings.push(data.unicodeString())
    } catch {
      break
    }
  }
  return strings
}

/** An RK number: a 30-bit integer or the top of a double, either perhaps ×100. */
function rkValue(rk: number): number {
  let value: number
  if (rk & 2) value = rk >> 2
  else {
    const bytes = new DataView(new ArrayBuffer(8))
    bytes.setUint32(4, rk & 0xfffffffc, true)
    value = bytes.getFloat64(0, true)
  }
  return rk & 1 ? value / 100 : value
}

// BIFF8's own limits (65,536 rows of 256 columns): a cell beyond them is no sheet Excel wrote.
const MAX_ROWS = 65_536
const MAX_COLUMNS = 256

/**
 * The worksheets, in the order the workbook lists them, as rows of cell text: rows at their place (row 6
 * is rows[5]), dates as dates. Each sheet's records end before the next sheet's begin, so that a file
 * whose sheets all point into one run of records is read once over, not once a sheet.
 */
export function legacyWorkbookSheets(bytes: Uint8Array): Worksheet[] {
  const stream = new CompoundFile(bytes, 'an Excel 97–2003 workbook').stream(['Workbook', 'Book'])
  if (!stream) throw new Error('it is not an Excel workbook: its compound file holds no Workbook stream')
  if (stream.name === 'Book') throw new Error('it is an Excel 5.0/95 workbook, which is not read: save it as .xlsx or CSV')
  const globals = readGlobals(stream.bytes)
  // a sheet listed twice is one sheet: its first listing
  const seen = new Set<number>()
  const listed = globals.worksheets.filter(({ offset }) => !seen.has(offset) && seen.add(offset))
  const starts = listed.map((s) => s.offset).sort((a, b) => a - b)
  const nextStart = new Map(starts.map((offset, i) => [offset, starts[i + 1] ?? stream.bytes.length]))
  return listed.map(({ name, offset }) => ({ name, rows: worksheetRows(stream.bytes, globals, offset, nextStart.get(offset) ?? stream.bytes.length) }))
}

/** The rows of the worksheet whose records begin at `from`, read until its EOF record (and not past `to`, where the next sheet's begin). */
function worksheetRows(stream: Uint8Array, globals: Globals, from: number, to: number): string[][] {
  const rows: string[][] = []
  const put = (row: number, column: number, text: string): void => {
    if (row >= MAX_ROWS || column >= MAX_COLUMNS) throw new Error(`a cell lies at row ${row + 1}, column ${column + 1}, beyond Excel 97's sheet`)
    while (rows.length <= row) rows.push([])
    while (rows[row].length < column) rows[row].push('')
    rows[row][column] = text
  }
  const number = (value: number, xf: number): string => (globals.dateFormats[xf] ? serialDate(value, globals.epoch) : String(value))
  let pendingFormula: { row: number; column: number } | null = null
  for (const record of records(stream, from)) {
    const data = new RecordReader(record.parts)
    if (record.offset === from) {
      if (record.type !== BOF) throw new Error('a worksheet of the workbook does not begin with a BOF record')
      continue
    }
    if (record.type === EOF || record.offset >= to) break
    if (record.type === STRING && pendingFormula) put(pendingFormula.row, pendingFormula.column, data.unicodeString())
    // a formula's STRING may follow its shared-formula, array or table record
    if (!FORMULA_PARTS.has(record.type)) pendingFormula = null
    if (record.type === LABELSST) {
      const { row, column } = cellOf(data)
      put(row, column, globals.sharedStrings[data.u32()] ?? '')
    } else if (record.type === LABEL) {
      const { row, column } = cellOf(data)
      put(row, column, data.unicodeString())
    } else if (record.type === NUMBER || record.type === RK) {
      const { row, column, xf } = cellOf(data)
      put(row, column, number(record.type === RK ? rkValue(data.u32()) : floatOf(data), xf))
    } else if (record.type === MULRK) {
      const row = data.u16()
      const first = data.u16()
      const count = (record.parts[0].length - 6) / 6
      for (let i = 0; i < count; i++) {
        const xf = data.u16()
        put(row, first + i, number(rkValue(data.u32()), xf))
      }
    } else if (record.type === FORMULA) {
      const { row, column, xf } = cellOf(data)
      const result = record.parts[0].subarray(6, 14)
      if (result.length < 8) continue
      if (result[6] === 0xff && result[7] === 0xff) {
        // a string result is in the STRING record that follows; 1 is a boolean, 2 an error, 3 empty
        if (result[0] === 0) pendingFormula = { row, column }
        else if (result[0] === 1) put(row, column, result[2] ? 'TRUE' : 'FALSE')
      } else put(row, column, number(new DataView(result.buffer, result.byteOffset, 8).getFloat64(0, true), xf))
    } else if (record.type === BOOLERR) {
      const { row, column } = cellOf(data)
      const value = data.u8()
      if (data.u8() === 0) put(row, column, value ? 'TRUE' : 'FALSE')
    }
  }
  return rows
}

/** A cell record's row, column and format (XF) index. */
function cellOf(data: RecordReader): { row: number; column: number; xf: number } {
  return { row: data.u16(), column: data.u16(), xf: data.u16() }
}

function floatOf(data: RecordReader): number {
  const bytes = new DataView(new ArrayBuffer(8))
  for (let i = 0; i < 8; i++) bytes.setUint8(i, data.u8())
  return bytes.getFloat64(0, true)
}

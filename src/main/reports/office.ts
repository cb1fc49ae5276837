/**
 * Office Open XML files a RIS or a secretary writes reports into: an Excel workbook (.xlsx), read as
 * rows of cell text from its sheets — a RIS exports its reports to a spreadsheet as often as to
 * CSV — and a Word document (.docx), read as its paragraphs; and the OpenDocument text (.odt) and
 * spreadsheet (.ods) that LibreOffice saves by default, read the same ways. fflate unzips synchronously — the report
 * import stores a file's reports in one synchronous transaction, and the registry's readers
 * (read-excel-file, mammoth) are asynchronous — and the parts read here are few.
 */
import { decodeXML } from 'entities'
import { strFromU8, unzipSync } from 'fflate'
import { withoutBlocks } from './markup'

/**
 * What the parts read may unpack to: a sheet of a hundred thousand reports is a few hundred MB of XML,
 * and a part becomes one string (V8's longest is about 512 M characters).
 */
const MAX_UNPACKED_BYTES = 1 << 29

/** What a package holds, for messages: its extension and what it is ("workbook", "document"). */
interface PackageKind {
  extension: string
  kind: string
}

/** The parts under `folder` ("xl/", "word/", "content.xml") as text. */
function officeParts(bytes: Uint8Array, folder: string, { extension, kind }: PackageKind): (name: string) => string | null {
  let parts: Record<string, Uint8Array>
  try {
    // The sizes the archive declares first, so that a zip bomb is refused before it is unpacked.
    let declared = 0
    unzipSync(bytes, { filter: (f) => ((declared += f.name.startsWith(folder) ? f.originalSize : 0), false) })
    if (declared > MAX_UNPACKED_BYTES) throw new Error(`its parts unpack to ${Math.round(declared / (1 << 20))} MB, more than a ${kind} of reports holds`)
    parts = unzipSync(bytes, { filter: (f) => f.name.startsWith(folder) })
  } catch (err) {
    throw new Error(`it is not a readable .${extension} ${kind} (${err instanceof Error ? err.message : String(err)})`)
  }
  return (name) => (parts[name] ? strFromU8(parts[name]) : null)
}

/** An Office Open XML file (.xlsx, .docx) is a ZIP package: it begins with a local file header, "PK". */
export function isZipPackage(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b
}

/** A worksheet of a workbook: its name and its rows of cell text, at their place (row 6 is rows[5]). */
export interface Worksheet {
  name: string
  rows: string[][]
}

/** The worksheets of an .xlsx workbook, in the order the workbook lists them (a chart sheet holds no rows). */
export function workbookSheets(bytes: Uint8Array): Worksheet[] {
  const part = officeParts(bytes, 'xl/', { extension: 'xlsx', kind: 'workbook' })
  const workbook = part('xl/workbook.xml')
  const listed = workbook ? sheetsListed(workbook, part('xl/_rels/workbook.xml.rels')) : []
  const cells: CellReading = {
    shared: sharedStrings(part('xl/sharedStrings.xml')),
    dateStyles: dateStyles(part('xl/styles.xml')),
    epoch: workbook && /\bdate1904="(?:1|true)"/.test(workbook) ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30)
  }
  const sheets = listed.flatMap(({ name, path }) => {
    const sheet = part(path)
    return sheet === null ? [] : [{ name, rows: sheetRows(sheet, cells) }]
  })
  if (sheets.length === 0) throw new Error('it is not an .xlsx workbook: it holds no worksheet')
  return sheets
}

/**
 * A Word document's text as Word shows it: a line per paragraph (table cells are paragraphs too),
 * tabs and line breaks kept; text a tracked change deleted and field codes left out. A new page is a
 * form feed (\f): a page break, a paragraph set to begin a page, a section that ends on its page.
 */
export function documentText(bytes: Uint8Array): string {
  const body = officeParts(bytes, 'word/', { extension: 'docx', kind: 'document' })('word/document.xml')
  if (!body) throw new Error('it is not a .docx document: it holds no word/document.xml')
  // a text box is stored twice, for Word 2010 (mc:Choice) and for older readers (mc:Fallback): read once
  const visible = textBoxesAfterTheirParagraphs(withoutElements(body, 'w:delText', 'w:instrText', 'mc:Fallback'), 'w:txbxContent', 'w:p')
  return elements(visible, 'w:p')
    .map((paragraph) => {
      const properties = elements(paragraph.content, 'w:pPr')[0]?.content ?? ''
      let line = beginsPage(properties) ? '\f' : ''
      // XML text holds no "<": [^<]* is the whole run, and the scan stays linear
      for (const m of paragraph.content.matchAll(/<w:t(?=[\s>])[^<>]*>([^<]*)<\/w:t>|<w:(tab|br|cr)(?=[\s/])([^<>]*)\/>/g)) {
        line += m[2] === undefined ? decodeXML(m[1]) : m[2] === 'tab' ? '\t' : attribute(m[3], 'w:type') === 'page' ? '\f' : '\n'
      }
      return endsSectionOnItsPage(properties) ? `${line}\f` : line
    })
    .join('\n')
}

/** <w:pageBreakBefore/>, unless turned off (w:val="0", "false"). */
function beginsPage(paragraphProperties: string): boolean {
  const setting = /<w:pageBreakBefore(?=[\s/>])([^<>]*)\/?>/.exec(paragraphProperties)
  return setting !== null && !/^(?:0|false|off)$/.test(attribute(setting[1], 'w:val') ?? 'true')
}

/** A section ends with this paragraph and the next begins a new page (any section type but "continuous"). */
function endsSectionOnItsPage(paragraphProperties: string): boolean {
  const section = elements(paragraphProperties, 'w:sectPr')[0]
  return section !== undefined && !/<w:type\s+w:val="continuous"/.test(section.content)
}

/**
 * An OpenDocument text: its package begins with the "mimetype" entry, stored uncompressed, naming
 * the text type (ODF 1.2 part 3, 3.3) — a .odt, or one a system saved under .doc.
 */
export function isOpenDocumentText(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(30, 90)).toString('latin1')
  return isZipPackage(bytes) && head.startsWith('mimetype') && head.includes('application/vnd.oasis.opendocument.text')
}

/**
 * An OpenDocument text as Writer shows it: a line per paragraph and heading (table cells and list
 * items are paragraphs too), tabs, line breaks and runs of spaces (<text:s text:c="n"/>) kept; comments,
 * footnotes and text a tracked change deleted left out. A paragraph whose style begins a new page
 * follows a form feed (\f).
 */
export function openDocumentText(bytes: Uint8Array): string {
  const content = officeParts(bytes, 'content.xml', { extension: 'odt', kind: 'document' })('content.xml')
  if (!content) throw new Error('it is not an OpenDocument text: it holds no content.xml')
  const body = elements(content, 'office:text')[0]?.content ?? ''
  const visible = textBoxesAfterTheirParagraphs(withoutElements(body, 'office:annotation', 'text:note', 'text:tracked-changes'), 'draw:text-box', 'text:[ph]')
  const pageStyles = pageBreakingStyles(elements(content, 'office:automatic-styles')[0]?.content ?? '')
  // a new page is a form feed, before a paragraph whose style begins a page (Writer's "Insert > Page Break")
  return paragraphsText(visible.replace(/<text:[ph](?=[\s/>])[^<>]*>/g, (tag) => (pageStyles.has(attribute(tag.slice(7), 'text:style-name') ?? '') ? `\f${tag}` : tag)))
}

/** OpenDocument paragraphs as text: a line each, tabs, line breaks and runs of spaces (<text:s text:c="n"/>) kept, other markup dropped. */
function paragraphsText(xml: string): string {
  return decodeXML(
    xml
      // XML text holds no "<": [^<>]* is one tag, and each replace is one linear pass
      .replace(/<\/text:[ph]>|<text:line-break(?:\s[^<>]*)?\/>/g, '\n')
      .replace(/<text:tab(?:\s[^<>]*)?\/>/g, '\t')
      .replace(/<text:s(?:\s[^<>]*)?\/>/g, (tag) => ' '.repeat(Math.min(1000, Number(attribute(tag.slice(7), 'text:c') ?? 1) || 1)))
      .replace(/<[^<>]*>/g, '')
  )
}

/**
 * The sheets of an OpenDocument spreadsheet (.ods, LibreOffice Calc's own format) as rows of cell
 * text, at their place as the sheet shows them, as workbookSheets reads an .xlsx: a number as its
 * value, a date as 2026-01-05, a boolean as TRUE or FALSE, text with its paragraphs as lines;
 * comments left out. A run of repeated rows or cells (table:number-rows-repeated) is as many; the
 * empty ones Calc writes to the sheet's end are not made.
 */
export function openDocumentSpreadsheetSheets(bytes: Uint8Array): Worksheet[] {
  const content = officeParts(bytes, 'content.xml', { extension: 'ods', kind: 'spreadsheet' })('content.xml')
  const tables = content ? elements(elements(content, 'office:spreadsheet')[0]?.content ?? '', 'table:table') : []
  if (tables.length === 0) throw new Error('it is not an OpenDocument spreadsheet: it holds no sheet')
  const made = { cells: 0 }
  return tables.map((table) => ({ name: decodeXML(attribute(table.attributes, 'table:name') ?? ''), rows: spreadsheetRows(table.content, made) }))
}

/** A sheet's rows; `made` counts the cells made across the sheets, which repeat counts multiply. */
function spreadsheetRows(sheet: string, made: { cells: number }): string[][] {
  const rows: string[][] = []
  let index = 0
  for (const row of elements(sheet, 'table:table-row')) {
    const values = spreadsheetRowCells(row.content)
    const repeated = repeatCount(row.attributes, 'table:number-rows-repeated')
    if (values.some((v) => v !== '')) {
      if (index + repeated > MAX_ROWS) throw new Error(`it holds more than ${MAX_ROWS} rows, more than a sheet holds`)
      // repeat counts multiply: a few bytes could ask for billions of cells
      made.cells += values.length * repeated
      if (made.cells > MAX_SPREADSHEET_CELLS) throw new Error(`its repeated rows and cells make more than ${MAX_SPREADSHEET_CELLS} cells, more than a sheet of reports holds`)
      while (rows.length < index) rows.push([])
      for (let k = 0; k < repeated; k++) rows.push([...values])
    }
    index += repeated
  }
  return rows
}

/** A row's cells (covered ones, under a merged cell, hold their place), a repeated empty cell only where a value follows. */
function spreadsheetRowCells(row: string): string[] {
  const values: string[] = []
  let column = 0
  const open = /<table:(covered-table-cell|table-cell)(?=[\s/>])([^<>]*?)(\/?)>/g
  for (let m = open.exec(row); m; m = open.exec(row)) {
    let content = ''
    if (m[3] !== '/') {
      const end = row.indexOf(`</table:${m[1]}>`, open.lastIndex)
      if (end < 0) break
      content = row.slice(open.lastIndex, end)
      open.lastIndex = end
    }
    const text = spreadsheetCellText(m[2], content)
    const repeated = repeatCount(m[2], 'table:number-columns-repeated')
    if (text !== '') {
      if (column + repeated > MAX_COLUMNS) throw new Error(`a row holds more than ${MAX_COLUMNS} cells, more than a sheet holds`)
      while (values.length < column) values.push('')
      for (let k = 0; k < repeated; k++) values.push(text)
    }
    column += repeated
  }
  return values
}

/** A cell's value as text: what its value type says it holds (ODF 1.2 part 1, 19.385), else its paragraphs. */
function spreadsheetCellText(attributes: string, content: string): string {
  const type = attribute(attributes, 'office:value-type')
  const value = (name: string) => decodeXML(attribute(attributes, name) ?? '')
  if (type === 'float' || type === 'percentage' || type === 'currency') return value('office:value')
  if (type === 'date') return value('office:date-value').slice(0, 10)
  if (type === 'boolean') return /^(?:true|1)$/i.test(value('office:boolean-value')) ? 'TRUE' : 'FALSE'
  return paragraphsText(withoutElements(content, 'office:annotation')).replace(/\n$/, '')
}

/** A repeat count attribute (1 when absent or not a count). */
function repeatCount(attributes: string, name: string): number {
  const n = Number(attribute(attributes, name) ?? 1)
  return Number.isInteger(n) && n >= 1 ? n : 1
}

/** The names of the automatic paragraph styles that begin a new page (fo:break-before="page"). */
function pageBreakingStyles(automaticStyles: string): Set<string> {
  return new Set(
    elements(automaticStyles, 'style:style').flatMap((style) =>
      /\bfo:break-before="page"/.test(style.content) ? [attribute(style.attributes, 'style:name') ?? ''] : []
    )
  )
}

interface XmlElement {
  attributes: string
  content: string
}

/**
 * The elements `name` in document order, found with indexOf so that a hostile part of many
 * openings and no close costs one pass; an element left open ends the scan. (A nested element of
 * the same name — a paragraph in a text box — ends at the inner close.)
 */
function elements(xml: string, name: string): XmlElement[] {
  const found: XmlElement[] = []
  const open = new RegExp(`<${name}(?=[\\s/>])([^<>]*?)(\\/?)>`, 'g')
  const close = `</${name}>`
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    // a part of empty elements (a few hundred kilobytes of zip unpack to 85 million <row/>) is refused as it is read, not when memory runs out
    if (found.length === MAX_ELEMENTS_A_PART) throw new Error(`it holds more than ${MAX_ELEMENTS_A_PART.toLocaleString('en')} <${name}> elements in one part, more than a file of reports holds`)
    if (m[2] === '/') {
      found.push({ attributes: m[1], content: '' })
      continue
    }
    const end = xml.indexOf(close, open.lastIndex)
    if (end < 0) break
    found.push({ attributes: m[1], content: xml.slice(open.lastIndex, end) })
    open.lastIndex = end + close.length
  }
  return found
}

/**
 * The xml without the elements named and what they hold (markup.ts's one-pass block removal); an
 * empty element (<w:delText/>) holds nothing and may stay.
 */
function withoutElements(xml: string, ...names: string[]): string {
  return withoutBlocks(xml, new RegExp(`<(${names.join('|')})(?=[\\s>])[^<>]*(?<!\\/)>`, 'g'), (name) => new RegExp(`<\\/${name}>`, 'gi'))
}

/**
 * The xml with each text box's content (element `box`) moved to just after the close of the paragraph
 * that anchors it, so that paragraphs no longer nest and the box reads as lines of its own: a box
 * floats on the page, and where its anchor sits in its paragraph ("Findings: [box] a nodule …") says
 * nothing of where it is read. One pass to set the boxes apart, one to put them back; a box in a box
 * ends at the inner close, as `elements` reads it.
 */
function textBoxesAfterTheirParagraphs(xml: string, box: string, paragraph: string): string {
  const boxes: string[] = []
  let apart = ''
  let kept = 0
  const open = new RegExp(`<${box}(?=[\\s>])[^<>]*(?<!\\/)>`, 'g')
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const end = xml.indexOf(`</${box}>`, open.lastIndex)
    if (end < 0) break
    // a mark no text can hold: XML text has no "<"
    apart += `${xml.slice(kept, m.index)}<box-apart n="${boxes.length}"/>`
    boxes.push(xml.slice(open.lastIndex, end))
    kept = open.lastIndex = end + box.length + 3
  }
  if (boxes.length === 0) return xml
  apart += xml.slice(kept)
  let anchored: string[] = []
  let inParagraph = false
  return apart.replace(new RegExp(`<box-apart n="(\\d+)"\\/>|<(\\/?)(?:${paragraph})(?=[\\s/>])[^<>]*?(\\/?)>`, 'g'), (tag, n?: string, closing?: string, empty?: string) => {
    if (n !== undefined) {
      if (!inParagraph) return boxes[Number(n)]
      anchored.push(boxes[Number(n)])
      return ''
    }
    if (empty) return tag
    inParagraph = !closing
    if (inParagraph) return tag
    const after = anchored.join('')
    anchored = []
    return tag + after
  })
}

function attribute(attributes: string, name: string): string | null {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes)?.[1] ?? null
}

/** The sheets the workbook lists, in its order, each with its part through its relationship; sheet1.xml when they do not say. */
function sheetsListed(workbook: string, rels: string | null): { name: string; path: string }[] {
  const targets = new Map((rels ? elements(rels, 'Relationship') : []).map((r) => [attribute(r.attributes, 'Id'), attribute(r.attributes, 'Target')]))
  // a part listed twice is one sheet: read once, not once a listing
  const seen = new Set<string>()
  const listed = elements(workbook, 'sheet').flatMap((sheet) => {
    const target = targets.get(attribute(sheet.attributes, 'r:id'))
    const path = target && (target.startsWith('/') ? target.slice(1) : `xl/${target}`)
    if (!path || seen.has(path)) return []
    seen.add(path)
    return [{ name: decodeXML(attribute(sheet.attributes, 'name') ?? ''), path }]
  })
  return listed.length > 0 ? listed : [{ name: 'Sheet1', path: 'xl/worksheets/sheet1.xml' }]
}

/** The text of <t> runs, without phonetic guides (<rPh>: furigana over Japanese). */
function runsText(xml: string): string {
  return decodeXML(
    elements(withoutElements(xml, 'rPh'), 't')
      .map((t) => t.content)
      .join('')
  )
}

function sharedStrings(xml: string | null): string[] {
  return xml ? elements(xml, 'si').map((si) => runsText(si.content)) : []
}

// Number formats Excel builds in that show a date (14–22, the CJK ones 27–36 and 50–58, 45–47 times).
const builtinDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58])

export function isBuiltinDateFormat(id: number): boolean {
  return builtinDateFormats.has(id)
}

/** A number format code that shows a date: a year or day outside quoted text and [colour] brackets. */
export function isDateFormatCode(code: string): boolean {
  return /[yd]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]/g, ''))
}

/** For each cell style (a cell's s="N"), whether it shows its number as a date. */
function dateStyles(xml: string | null): boolean[] {
  if (!xml) return []
  const custom = new Map<number, boolean>()
  for (const format of elements(xml, 'numFmt')) {
    custom.set(Number(attribute(format.attributes, 'numFmtId')), isDateFormatCode(decodeXML(attribute(format.attributes, 'formatCode') ?? '')))
  }
  const cellXfs = elements(xml, 'cellXfs')[0]?.content ?? ''
  return elements(cellXfs, 'xf').map((xf) => {
    const id = Number(attribute(xf.attributes, 'numFmtId') ?? 0)
    return custom.get(id) ?? isBuiltinDateFormat(id)
  })
}

interface CellReading {
  shared: string[]
  dateStyles: boolean[]
  /** Day 0 of the workbook's date serials (1899-12-30, or 1904-01-01 for a Mac workbook). */
  epoch: number
}

/** As many elements of one name as a sheet of reports has cells. */
const MAX_ELEMENTS_A_PART = 20_000_000

// Excel's own limits: a cell reference beyond them is not a sheet Excel wrote.
const MAX_ROWS = 1_048_576
/** A sheet of a hundred thousand reports of twenty columns is two million cells. */
const MAX_SPREADSHEET_CELLS = 20_000_000
const MAX_COLUMNS = 16_384

/** Rows at their place in the sheet (row 6 is rows[5], the rows a sheet leaves out empty), so that a message's row number is the one the sheet shows. */
function sheetRows(sheet: string, cells: CellReading): string[][] {
  const rows: string[][] = []
  let cellCount = 0
  for (const row of elements(sheet, 'row')) {
    const values: string[] = []
    for (const cell of elements(row.content, 'c')) {
      const column = columnIndex(/^([A-Z]+)\d+$/.exec(attribute(cell.attributes, 'r') ?? '')?.[1]) ?? values.length
      if (column >= MAX_COLUMNS) throw new Error(`a cell lies in column ${column + 1}, beyond Excel's ${MAX_COLUMNS}`)
      while (values.length < column) values.push('')
      values[column] = cellText(cell.attributes, cell.content, cells)
      if (++cellCount > MAX_SPREADSHEET_CELLS) throw new Error(`it holds more than ${MAX_SPREADSHEET_CELLS.toLocaleString('en')} cells, more than a sheet of reports holds`)
    }
    const index = Number(attribute(row.attributes, 'r') ?? rows.length + 1) - 1
    if (!(index >= 0 && index < MAX_ROWS)) throw new Error(`a row is numbered ${index + 1}, beyond Excel's ${MAX_ROWS} rows`)
    while (rows.length < index) rows.push([])
    rows[index] = values
  }
  return rows
}

/** "A" → 0, "AB" → 27. */
function columnIndex(letters: string | undefined): number | null {
  if (!letters) return null
  let index = 0
  for (const c of letters) index = index * 26 + (c.charCodeAt(0) - 64)
  return index - 1
}

function cellText(attributes: string, content: string, cells: CellReading): string {
  const type = attribute(attributes, 't') ?? 'n'
  if (type === 'inlineStr') return runsText(content)
  const value = decodeXML(elements(content, 'v')[0]?.content ?? '')
  if (type === 's') return cells.shared[Number(value)] ?? ''
  if (type === 'b') return value === '1' ? 'TRUE' : 'FALSE'
  const style = Number(attribute(attributes, 's') ?? 0)
  if (type === 'n' && value !== '' && cells.dateStyles[style]) return serialDate(Number(value), cells.epoch)
  return value
}

/** The serial of 9999-12-31, Excel's last date. */
const LAST_DATE_SERIAL = 2_958_465

/** A date serial as 2026-01-05 (its time of day dropped); a number no date can be stays a number. */
export function serialDate(serial: number, epoch: number): string {
  if (!(serial >= 0 && serial <= LAST_DATE_SERIAL)) return String(serial)
  return new Date(epoch + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10)
}

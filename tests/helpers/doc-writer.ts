/**
 * Word 97–2003 documents (.doc) for tests, written by LibreOffice (Debian's libreoffice-writer-nogui)
 * from flat OpenDocument text, with the .docx and the packaged OpenDocument text (.odt) of the same
 * document beside them: a reader tested only against a writer of ours would share its misreadings of the format.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const sofficeAvailable = spawnSync('soffice', ['--version']).status === 0
export const sofficeMissingReason = 'LibreOffice is not installed (apt-get install libreoffice-writer-nogui); CI installs it'
/** LibreOffice Calc, which spreadsheets are converted with: its library beside the soffice program. */
export const sofficeCalcAvailable =
  sofficeAvailable && fs.existsSync(path.join(path.dirname(fs.realpathSync(spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim())), 'libsclo.so'))
export const sofficeCalcMissingReason = 'LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui); CI installs it'

const namespaces = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"'
].join(' ')

/** A paragraph style that begins a new page: what Writer's "Insert > Page Break" gives the paragraph after it. */
const pageBreakStyle =
  '<office:automatic-styles><style:style style:name="NewPage" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style></office:automatic-styles>'

/** A flat OpenDocument text of the body (ODF elements: text:p, table:table …) and a page header line. */
export function flatOdt(body: string, header = ''): string {
  const masterPage = header ? `<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>${header}</text:p></style:header></style:master-page></office:master-styles>` : ''
  return `<?xml version="1.0" encoding="UTF-8"?><office:document ${namespaces} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">${pageBreakStyle}${masterPage}<office:body><office:text>${body}</office:text></office:body></office:document>`
}

/** A text box (Word: Insert > Text Box) of these paragraphs, anchored in the paragraph it is put in. */
export function textBoxOdt(paragraphs: string[]): string {
  return (
    '<draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" text:anchor-type="paragraph" svg:width="6cm" svg:height="2cm">' +
    `<draw:text-box>${paragraphs.map((p) => `<text:p>${escape(p)}</text:p>`).join('')}</draw:text-box></draw:frame>`
  )
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Paragraphs as flat OpenDocument text, each line a paragraph. */
export function paragraphsOdt(text: string): string {
  return pagesOdt([text])
}

/** Pages of paragraphs as flat OpenDocument text: each page's first paragraph begins a new page. */
export function pagesOdt(pages: string[]): string {
  const paragraphs = (page: string, first: boolean) =>
    page.split('\n').map((line, i) => `<text:p${i === 0 && !first ? ' text:style-name="NewPage"' : ''}>${escape(line)}</text:p>`)
  return flatOdt(pages.flatMap((page, i) => paragraphs(page, i === 0)).join(''))
}

/** Converts each named flat OpenDocument text to .doc (MS Word 97), .docx and .odt, a LibreOffice run for each. */
export function writeWordDocuments(documents: Record<string, string>): Record<string, { doc: Buffer; docx: Buffer; odt: Buffer }> {
  if (!sofficeAvailable) throw new Error(sofficeMissingReason)
  const written = convertWithLibreOffice(documents, 'fodt', ['doc:MS Word 97', 'docx', 'odt'])
  return Object.fromEntries(Object.keys(documents).map((name) => [name, { doc: written(name, 'doc'), docx: written(name, 'docx'), odt: written(name, 'odt') }]))
}

/** A cell of a flat OpenDocument spreadsheet: text, a number, or a date (YYYY-MM-DD) shown as the locale shows dates. */
export type SpreadsheetCell = string | number | { date: string }

/** A flat OpenDocument spreadsheet of named sheets, each rows of cells (an empty string is an empty cell). */
export function flatOds(sheets: { name: string; rows: SpreadsheetCell[][] }[]): string {
  const cell = (value: SpreadsheetCell): string => {
    if (value === '') return '<table:table-cell/>'
    if (typeof value === 'number') return `<table:table-cell office:value-type="float" office:value="${value}"><text:p>${value}</text:p></table:table-cell>`
    if (typeof value === 'object') return `<table:table-cell table:style-name="DateCell" office:value-type="date" office:date-value="${value.date}"><text:p>${value.date}</text:p></table:table-cell>`
    return `<table:table-cell office:value-type="string">${value.split('\n').map((line) => `<text:p>${escape(line)}</text:p>`).join('')}</table:table-cell>`
  }
  const tables = sheets.map(
    ({ name, rows }) => `<table:table table:name="${escape(name)}">${rows.map((row) => `<table:table-row>${row.map(cell).join('') || '<table:table-cell/>'}</table:table-row>`).join('')}</table:table>`
  )
  // a date cell keeps its type only with a date format (else Calc saves its day number)
  const dateStyle =
    '<office:automatic-styles><number:date-style xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" style:name="Date"><number:year number:style="long"/><number:text>-</number:text>' +
    '<number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>' +
    '<style:style style:name="DateCell" style:family="table-cell" style:data-style-name="Date"/></office:automatic-styles>'
  return `<?xml version="1.0" encoding="UTF-8"?><office:document ${namespaces} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">${dateStyle}<office:body><office:spreadsheet>${tables.join('')}</office:spreadsheet></office:body></office:document>`
}

/** Converts a flat OpenDocument spreadsheet to the .ods LibreOffice Calc saves. */
export function writeOpenDocumentSpreadsheet(fods: string): Buffer {
  if (!sofficeCalcAvailable) throw new Error(sofficeCalcMissingReason)
  return convertWithLibreOffice({ sheet: fods }, 'fods', ['ods'])('sheet', 'ods')
}

/** Converts each named flat OpenDocument file (of the extension given) with each filter, a LibreOffice run each; then reads a converted file. */
function convertWithLibreOffice(documents: Record<string, string>, extension: string, filters: string[]): (name: string, extension: string) => Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-doc-'))
  try {
    const sources = Object.entries(documents).map(([name, flat]) => {
      const file = path.join(dir, `${name}.${extension}`)
      fs.writeFileSync(file, flat)
      return file
    })
    // A profile of its own: LibreOffice refuses a second instance on a profile in use (test files run in parallel).
    const profile = `-env:UserInstallation=file://${path.join(dir, 'profile')}`
    for (const filter of filters) {
      const run = spawnSync('soffice', [profile, '--headless', '--convert-to', filter, '--outdir', dir, ...sources], { encoding: 'utf8', timeout: 120_000 })
      if (run.status !== 0) throw new Error(`LibreOffice failed: ${run.stderr}`)
    }
    // read before the folder goes: "doc:MS Word 97" writes name.doc
    const converted = new Map(
      Object.keys(documents).flatMap((name) => filters.map((filter) => `${name}.${filter.split(':')[0]}`)).map((file) => [file, fs.readFileSync(path.join(dir, file))])
    )
    return (name, ext) => {
      const bytes = converted.get(`${name}.${ext}`)
      if (!bytes) throw new Error(`no ${name}.${ext} was converted`)
      return bytes
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Reading report files into records: one record per report with its text and the keys that match
 * it to a study. A text, RTF, Word (.docx) or PDF file is one report; JSON holds one object, an array of
 * objects, or an object with such an array; a CSV or a spreadsheet (.xlsx) is a table whose header
 * row names an accession (or study UID) column — or a patient ID and a study date column, as RIS
 * exports without accession numbers have — and a text column.
 * Key names are matched liberally (case, spaces and punctuation ignored; common Chinese names).
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { yearFirstDate } from '../dicom/dates'
import { projectionInWords } from '../dicom/projection'
import { detectLanguage, parseReport } from './nodule-parser'
import { otherReportLanguage } from './language'
import { chestReportWords } from './vocabulary'
import { parseCsv, TooManyRows } from './csv'
import { decodeReportBytesAsWritten, normaliseReportText, simplifiedChinese, unreadableReport, type ReportEncoding } from './text'
import { hasReportHeading, NO_REPORT_HEADING, sectionOfName } from './sections'
import { isCompoundFile } from './compound-file'
import { cdaReportText, cdaStudyKeys } from './cda'
import { legacyDocumentText } from './legacy-document'
import { legacyWorkbookSheets } from './legacy-workbook'
import { htmlTableRows, looksLikeHtml } from './markup'
import { webArchiveText, isWebArchive } from './web-archive'
import { xmlElements, xmlRootName, type XmlElement } from './xml'
import { documentText, isOpenDocumentText, isZipPackage, openDocumentSpreadsheetSheets, openDocumentText, workbookSheets, type Worksheet } from './office'
import { pdfPages, pdfReportProblem, pdfReportText } from './pdf'
import { hl7Reports, isHl7Message } from './hl7'
import { fhirReports } from './fhir'

export type ReportFileKind = 'txt' | 'rtf' | 'doc' | 'docx' | 'odt' | 'mht' | 'html' | 'pdf' | 'json' | 'csv' | 'xlsx' | 'xls' | 'ods' | 'hl7' | 'xml'

export interface ReportRecord {
  text: string
  accession: string | null
  studyUid: string | null
  patientId: string | null
  /** The study date as DICOM writes it (YYYYMMDD), read from a year-first date. */
  studyDate: string | null
  /**
   * The image files the record names, as written: a dataset's table names one ("train/patient1/study1/view1_frontal.dcm");
   * an Open-i report each view of its study. Never a line break in one (filePathIn).
   */
  imagePaths: string[]
  /** A dataset's case the record is about, named in a table of its films too (FilmIndexEntry: IU X-ray's "uid"). */
  caseId: string | null
  /** Where the record is in its file, for messages: "row 4", "record 2". */
  where: string
}

/**
 * A row of a dataset's table of films — no report text, an image file with its view or its case
 * (IU X-ray's indiana_projections.csv: uid, filename, projection; NIH's Data_Entry: Image Index,
 * View Position; CheXpert's Path, Frontal/Lateral; MIMIC-CXR-JPG's dicom_id, ViewPosition).
 */
export interface FilmIndexEntry {
  image: string
  /** The view as written ("Frontal", "PA", "LL"), read by the importer's projection words. */
  view: string | null
  caseId: string | null
  /** The patient the film is of (NIH's Patient ID, MIMIC's subject_id): a picture's header names none. */
  patientId: string | null
  /** Its study's date as DICOM writes it (MIMIC's StudyDate), read year first. */
  studyDate: string | null
  /** Its pixel spacing, for the film of the size given (NIH's OriginalImagePixelSpacing[x,y] at OriginalImage[Width,Height]). */
  spacing: FilmSpacing | null
}

/**
 * A table's pixel spacing of a film and the size of the film it is of: a dataset's pictures are often
 * the films shrunk (NIH's to 1024 × 1024), so the picture's own spacing is this one scaled by the sizes.
 */
export interface FilmSpacing {
  rowMm: number
  colMm: number
  rows: number
  columns: number
}

export interface ReportFileContent {
  kind: ReportFileKind
  encoding: ReportEncoding
  records: ReportRecord[]
  /** Records that could not be read (no text …), each with a reason; the others are still imported. */
  problems: string[]
  /** A table of films (perhaps of their reports too): what it says of each film (empty for a file of reports alone). */
  films?: FilmIndexEntry[]
}

const reportExtensions: Record<string, ReportFileKind> = {
  '.txt': 'txt',
  '.rtf': 'rtf',
  '.doc': 'doc',
  '.wps': 'doc',
  '.docx': 'docx',
  '.docm': 'docx',
  '.odt': 'odt',
  '.mht': 'mht',
  '.mhtml': 'mht',
  '.htm': 'html',
  '.html': 'html',
  '.pdf': 'pdf',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
  '.csv': 'csv',
  // delimited text either way: the delimiter is read from the header row
  '.tsv': 'csv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.xls': 'xls',
  // WPS Spreadsheets' own format is an Excel 97–2003 workbook
  '.et': 'xls',
  '.ods': 'ods',
  '.hl7': 'hl7',
  '.xml': 'xml'
}

/** A report file's kind by its extension, also under a gzip's (MIMIC-CXR-JPG's mimic-cxr-2.0.0-metadata.csv.gz). */
export function reportFileKind(file: string): ReportFileKind | null {
  return reportExtensions[path.extname(withoutGzipExtension(file)).toLowerCase()] ?? null
}

const isGzipped = (file: string): boolean => /\.gz$/i.test(file)
const withoutGzipExtension = (file: string): string => (isGzipped(file) ? file.slice(0, -3) : file)

/** Field names, normalised by `normaliseKey`, for each thing a record carries. */
const fieldNames = {
  accession: ['accession', 'accessionnumber', 'accessionno', 'accno', 'accnum', 'accnumber', 'acc', 'accessionid', '检查号', '登记号', '影像号', '检查编号', '影像编号', 'x线号', '放射号', '片号'],
  studyUid: ['studyinstanceuid', 'studyuid', 'studyiuid', 'suid', '0020000d', '检查uid'],
  patientId: ['patientid', 'subjectid', 'pid', 'mrn', 'medicalrecordnumber', 'patientnumber', 'patientno', 'hospitalnumber', '00100020', '病人id', '患者id', '病人编号', '患者编号', '病历号', '病案号', 'id号', '住院号', '门诊号'],
  studyDate: ['studydate', 'examdate', 'examinationdate', 'proceduredate', 'studydatetime', 'date', '00080020', '检查日期', '检查时间', '摄片日期', '拍片日期', '日期'],
  text: ['text', 'report', 'reporttext', 'reportbody', 'body', 'content', 'fulltext', 'narrative', 'reportcontent', '报告', '报告内容', '报告文本', '文本', '内容'],
  imagePath: ['pathtodcm', 'pathtodicom', 'dicompath', 'dcmpath', 'dicomfile', 'dcmfile', 'pathtoimage', 'imagepath', 'imagefile', 'filepath', 'path', 'filename', 'imageindex', 'imagename', 'imageid', 'imgid', 'image', 'img', 'file', 'imagefilename', 'dicomid', '文件路径', '图像路径', '影像路径'],
  caseId: ['uid', 'caseid', 'caseuid'],
  view: ['viewposition', 'projection', 'view', 'frontallateral', '体位', '投照体位']
} as const
/** The fields of a record: its keys, its whole text, or its findings and impression (named as section headers are). */
type Field = keyof typeof fieldNames | 'findings' | 'impression'

function normaliseKey(key: string): string {
  return simplifiedChinese(key.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''))
}

function fieldOf(key: string): Field | null {
  const k = normaliseKey(key)
  for (const [field, names] of Object.entries(fieldNames) as [keyof typeof fieldNames, readonly string[]][]) {
    if (names.includes(k)) return field
  }
  // a dataset's report split into section columns: "section_findings", "section_impression" (CheXpert Plus)
  const section = sectionOfName(k) ?? (k.startsWith('section') && k.length > 7 ? fieldOf(k.slice(7)) : null)
  // a column copied from the films' DICOM, named for it: PadChest's "StudyDate_DICOM"
  return section ?? (/[_ ]dicom$/i.test(key) ? fieldOf(key.slice(0, -6)) : null)
}

/**
 * The largest report files read, so that a log or dump that happens to end in .txt does not fill
 * memory: one report is a few kilobytes, a .txt table of reports (a spreadsheet's text export)
 * some megabytes; a .json or .csv of a whole archive may be large.
 */
const MAX_REPORT_FILE_BYTES = { txt: 64 << 20, rtf: 64 << 20, doc: 64 << 20, docx: 64 << 20, odt: 64 << 20, mht: 64 << 20, html: 256 << 20, pdf: 64 << 20, json: 256 << 20, csv: 256 << 20, xlsx: 256 << 20, xls: 256 << 20, ods: 256 << 20, hl7: 256 << 20, xml: 256 << 20 } as const

function megabytes(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(bytes < 10 << 20 ? 1 : 0)} MB`
}

export async function readReportFile(file: string): Promise<ReportFileContent> {
  const kind = reportFileKind(file)
  if (!kind) throw new Error('it is not a report file (expected .txt, .rtf, .doc, .docx, .odt, .mht, .htm, .pdf, .json, .csv, .tsv, .xlsx, .xls, .ods, .hl7 or .xml, or one of them gzipped)')
  let bytes: Buffer
  const limit = MAX_REPORT_FILE_BYTES[kind]
  try {
    const size = fs.statSync(file).size
    if (size > limit) throw new Error(`it is ${megabytes(size)}, more than a .${kind} report file holds (limit ${megabytes(limit)}), so it was not read`)
    bytes = fs.readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (!code) throw err
    throw new Error(code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission to read it was denied' : `it cannot be read (${code ?? String(err)})`)
  }
  if (isGzipped(file)) bytes = gunzipped(bytes, kind, limit)
  if (bytes.length === 0) throw new Error('the file is empty')
  return withProblemsSummed(withoutRepeatedPatientKeys(withoutUnreadableReports({ kind, ...(await recordsOf(kind, bytes)) })))
}

/**
 * The most records — reports or films — one file is read for: twice MIMIC-CXR's 377,110 films, five times its
 * 227,835 reports. A file of more (millions of tiny rows) would fill the importing process's memory.
 */
const MAX_RECORDS_A_FILE = 2_000_000
/**
 * The most JSON objects and XML tags a file's text may hold before it is parsed: ten objects a record at the
 * most records (a FHIR DiagnosticReport has about fifteen, and is a kilobyte or two), fifteen tags. Counted
 * first, since parsing a file of tens of millions of empty ones takes minutes and gigabytes.
 */
const MAX_JSON_OBJECTS = 10 * MAX_RECORDS_A_FILE
const MAX_XML_TAGS = 15 * MAX_RECORDS_A_FILE
/**
 * The most JSON values (counted by their commas) and lines of an NDJSON or HL7 file (an HL7 report may give
 * each line of its text a segment). Past some 130 million, an array V8 grows ends the whole process, not
 * just the reader thread: a file of nothing but commas or line breaks must be refused before it is split.
 */
const MAX_JSON_VALUES = 20 * MAX_RECORDS_A_FILE
const MAX_TEXT_LINES = 20 * MAX_RECORDS_A_FILE

/** A table's header is among its first rows: a title or a note may stand above it. */
const HEADER_ROWS_READ = 5

function refuseMoreThanAFileHolds(count: number, limit: number, what: string): void {
  if (count > limit) throw new Error(`it holds ${count.toLocaleString('en')} ${what}, more than one file is read for (${limit.toLocaleString('en')}), so it was not read: split it`)
}

function refuseMoreRecordsThanAFileHolds(count: number): void {
  refuseMoreThanAFileHolds(count, MAX_RECORDS_A_FILE, 'records')
}

/** How many times `mark` occurs in `text`. */
function occurrences(text: string, mark: string | RegExp): number {
  let count = 0
  if (typeof mark !== 'string') {
    for (mark.lastIndex = 0; mark.exec(text); ) count++
    return count
  }
  for (let at = text.indexOf(mark); at >= 0; at = text.indexOf(mark, at + mark.length)) count++
  return count
}

/** How many lines a text may have: its line breaks, a CR LF counted twice (an upper bound is enough). */
function lineBreaks(text: string): number {
  return occurrences(text, '\n') + occurrences(text, '\r')
}

/** How many records' problems are named one by one; the rest of a file's are counted in one more. */
const MAX_PROBLEMS_NAMED = 100

function withProblemsSummed(content: ReportFileContent): ReportFileContent {
  const more = content.problems.length - MAX_PROBLEMS_NAMED
  if (more <= 0) return content
  return { ...content, problems: [...content.problems.slice(0, MAX_PROBLEMS_NAMED), `${more.toLocaleString('en')} more records could not be read either (the first ${MAX_PROBLEMS_NAMED} are named)`] }
}

/** A gzipped file's content, unpacked no further than a file of its kind is read (a few bytes of gzip may unpack to gigabytes). */
function gunzipped(bytes: Buffer, kind: ReportFileKind, limit: number): Buffer {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: limit })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`it unpacks to more than a .${kind} report file holds (limit ${megabytes(limit)}), so it was not read`)
    throw new Error(`it cannot be unpacked: it is not whole gzip (${err instanceof Error ? err.message : String(err)})`)
  }
}

async function recordsOf(kind: ReportFileKind, bytes: Buffer): Promise<Omit<ReportFileContent, 'kind'>> {
  if (kind === 'pdf') return { encoding: 'utf-8', ...pdfRecords(await pdfPages(bytes)) }
  if (kind === 'xlsx') return { encoding: 'utf-8', ...workbookRecords(workbookSheets(bytes)) }
  if (kind === 'xls') return xlsRecords(bytes)
  if (kind === 'ods') return { encoding: 'utf-8', ...workbookRecords(openDocumentSpreadsheetSheets(bytes)) }
  // Many report systems save RTF, HTML, a web archive or a .docx under .doc (or WPS's .wps) so that Word opens it; those are read as such.
  if (kind === 'mht' || (kind === 'doc' && isWebArchive(bytes))) return { encoding: 'utf-8', ...wordRecords(pagesOf(await webArchiveText(bytes))) }
  const word = kind === 'docx' || kind === 'odt' || (kind === 'doc' && isOfficeDocument(bytes)) ? wordDocumentPages(bytes) : null
  if (word) return { encoding: word.encoding, ...wordRecords(word.pages) }
  const written = decodeReportBytesAsWritten(bytes)
  const encoding = written.encoding
  if (written.text.trim() === '') throw new Error('the file holds only white space')
  // A message or an export is read as written, each report's text read as HTML or RTF on its own (recordFrom):
  // read first as HTML, the whole file would break at its markup (an HL7 segment, a JSON string, XML's &lt;).
  // HL7 messages an interface engine wrote, named .hl7 or .txt
  if (kind === 'hl7' || (kind === 'txt' && isHl7Message(written.text))) return { encoding, ...(await hl7Records(written.text)) }
  if (kind === 'json') return { encoding, ...(await jsonRecords(written.text)) }
  if (kind === 'xml') return { encoding, ...xmlRecords(written.text) }
  if (kind === 'html') return { encoding, ...webPageRecords(written.text) }
  const text = normaliseReportText(written.text)
  if (kind === 'txt' && !isTabTable(text)) return { encoding, ...printedTextRecords(text) }
  if (kind === 'rtf' || kind === 'doc') return { encoding, ...wordRecords(pagesOf(text)) }
  return { encoding, ...csvRecords(text) }
}

/** An OLE compound file or a zip package: what Word documents, binary or .docx, are kept in. */
export function isOfficeDocument(bytes: Uint8Array): boolean {
  return isCompoundFile(bytes) || isZipPackage(bytes)
}

/**
 * A word processor's document's text, whatever the file is named: a binary Word 97–2003 (or WPS)
 * document, an OpenDocument text (LibreOffice's own), else a .docx (a zip package that is not one is
 * refused naming what it lacks).
 */
export function wordDocumentText(bytes: Uint8Array): { text: string; encoding: ReportEncoding } {
  const { pages, encoding } = wordDocumentPages(bytes)
  return { text: pages.join('\n'), encoding }
}

/** A word processor's document as its pages' texts (see wordDocumentText): its page breaks, not where a printer would turn the page. */
function wordDocumentPages(bytes: Uint8Array): { pages: string[]; encoding: ReportEncoding } {
  const packaged = (): string => (isOpenDocumentText(bytes) ? openDocumentText(bytes) : documentText(bytes))
  const { text, encoding } = isCompoundFile(bytes) ? legacyDocumentText(bytes) : { text: packaged(), encoding: 'utf-8' as const }
  const pages = text.split('\f').map((page) => normaliseReportText(page).trim()).filter((page) => page !== '')
  if (pages.length === 0) throw new Error('the document holds no text')
  return { pages, encoding }
}

/**
 * A document's reports: one, unless its pages begin other studies' reports (a day's reports typed into
 * one document, a page each) — then read as a PDF's pages are, each page that reads as no report named.
 */
function wordRecords(pages: string[]): { records: ReportRecord[]; problems: string[] } {
  return pagedRecords(pages, (text) => [oneReportRecord(text)], (text) => (hasReportHeading(text) ? null : `it reads as no report: ${NO_REPORT_HEADING}`))
}

/**
 * A text file's reports: its pages, parted by form feeds, read as a document's are (a RIS's "print to
 * file" writes a report a page). A text that reads as no report (a patient CD's README naming the
 * patient and the study) is passed over: matched, it would stand as the study's report.
 */
function printedTextRecords(text: string): { records: ReportRecord[]; problems: string[] } {
  return pagedRecords(
    pagesOf(text),
    (one) => (readsAsReport(one) ? [oneReportRecord(one)] : []),
    (one) => (readsAsReport(one) ? null : 'it reads as no report: it has no heading, no word of a chest report and says nothing of nodules')
  )
}

/** A text's pages, parted by form feeds (a text with none is one page). */
function pagesOf(text: string): string[] {
  const pages = text.split('\f').map((page) => page.trim()).filter((page) => page !== '')
  return pages.length > 0 ? pages : [text]
}

/** One report of the pages (`readAsOne`), unless they begin other studies' reports: then each run of pages a report, one that `problemOf` says is none named. */
function pagedRecords(pages: string[], readAsOne: (text: string) => ReportRecord[], problemOf: (text: string) => string | null): { records: ReportRecord[]; problems: string[] } {
  const runs = pageRuns(pages)
  if (runs.length === 1) return { records: readAsOne(runs[0].text), problems: [] }
  return runRecords(runs, problemOf)
}

/** An HL7 file's reports, a record each; a message with no report text (an ADT, an order) is passed over. */
async function hl7Records(text: string): Promise<{ records: ReportRecord[]; problems: string[] }> {
  if (!isHl7Message(text)) throw new Error("it is not HL7 v2: it does not begin with an MSH segment (or a batch's FHS or BHS)")
  refuseMoreThanAFileHolds(lineBreaks(text), MAX_TEXT_LINES, 'lines')
  const reports = hl7Reports(text)
  if (reports.length === 0) throw new Error('it holds no HL7 result with report text (ORU^R01 or MDM messages with text OBX segments)')
  return recordsFrom(await withPdfTexts(reports))
}

/**
 * Reports a message or a resource holds as a PDF (an HL7 encapsulated-data observation, a FHIR
 * presentedForm), each read as a .pdf report is, its text in place of whatever else the report holds
 * (a FHIR narrative a server generated); one whose PDF reads as no report, with nothing else to read, is named.
 */
async function withPdfTexts(reports: { fields: RecordFields & { pdf?: Uint8Array }; where: string }[]): Promise<({ fields: RecordFields; where: string } | string)[]> {
  const read: ({ fields: RecordFields; where: string } | string)[] = []
  for (const { fields: { pdf, ...fields }, where } of reports) {
    if (!pdf) read.push({ fields, where })
    else
      try {
        read.push({ fields: { ...fields, text: await pdfReportText(pdf), impression: undefined }, where })
      } catch (err) {
        read.push(fields.text || fields.impression ? { fields, where } : `${where}: ${err instanceof Error ? err.message : String(err)}`)
      }
  }
  return read
}

/**
 * What a file named .xls holds: an Excel 97–2003 workbook — or, as many web-based RIS export
 * "Excel", an .xlsx, an HTML table or tab-separated text under that name.
 */
function xlsRecords(bytes: Buffer): Omit<ReportFileContent, 'kind'> {
  if (isCompoundFile(bytes)) return { encoding: 'utf-8', ...workbookRecords(legacyWorkbookSheets(bytes)) }
  if (isZipPackage(bytes)) return { encoding: 'utf-8', ...workbookRecords(workbookSheets(bytes)) }
  const { text, encoding } = decodeReportBytesAsWritten(bytes)
  return { encoding, ...(looksLikeHtml(text) ? tableRecords(pageTableRows(text)) : csvRecords(normaliseReportText(text))) }
}

/** A web page's table rows (markup.ts), counted first: a page of tens of millions of empty rows is refused before they are built. */
function pageTableRows(html: string): string[][] {
  refuseMoreThanAFileHolds(occurrences(html, /<tr\b/gi), MAX_RECORDS_A_FILE + HEADER_ROWS_READ, 'table rows')
  return htmlTableRows(html)
}

/**
 * A web page a browser or a web RIS saved: a table of reports when a row of one of its tables names
 * the report fields (a worklist saved as a page), else one report — a report page laid out in a
 * table (patient, accession) is its text, cells and all. A page that reads as no report is passed
 * over, no error: a patient CD's viewer and its index pages lie beside the films, and name the
 * patient and the study too — matched, such a page would stand as the study's newest report.
 */
function webPageRecords(html: string): { records: ReportRecord[]; problems: string[] } {
  const rows = pageTableRows(html)
  if (headerRowOf(rows) >= 0) return tableRecords(rows)
  return printedTextRecords(normaliseReportText(html))
}

/**
 * Text a radiologist wrote: a findings or impression header, words about what a chest film shows
 * (the lungs, the heart …), or something said of nodules ("No nodule.", "Right upper zone nodule, 8 mm.").
 */
function readsAsReport(text: string): boolean {
  if (hasReportHeading(text) || chestReportWords.test(text)) return true
  const parsed = parseReport(text)
  return parsed.nodules.presence !== 'absent' || parsed.negativeEvidence.length > 0
}

/**
 * A file's records keyed by their patient alone (no date, no other key: a teaching set's table) whose
 * patient has several such records: those are several studies' reports, and each would match the
 * patient's one study in the library, so none keeps the patient as its key.
 */
function withoutRepeatedPatientKeys(content: ReportFileContent): ReportFileContent {
  const seen = new Map<string, number>()
  for (const r of content.records) if (isKeyedByPatientAlone(r)) seen.set(r.patientId!, (seen.get(r.patientId!) ?? 0) + 1)
  if (![...seen.values()].some((n) => n > 1)) return content
  return { ...content, records: content.records.map((r) => (isKeyedByPatientAlone(r) && seen.get(r.patientId!)! > 1 ? { ...r, patientId: null } : r)) }
}

/** A record whose only key is its patient: no date, accession, study UID, image or case (a teaching set's table row). */
export function isKeyedByPatientAlone(r: ReportRecord): boolean {
  return r.patientId !== null && !r.studyDate && !r.accession && !r.studyUid && r.imagePaths.length === 0 && !r.caseId
}

/**
 * Records that cannot stand as reports, refused, naming where each is; the others are kept: one longer
 * than any report (a dump or a hostile file), or one written in a language the parser does not read.
 */
function withoutUnreadableReports(content: ReportFileContent): ReportFileContent {
  const unreadable = content.records.flatMap((r) => {
    const why = unreadableReport(r.text)
    return why ? [{ record: r, reason: `${r.where === 'the file' ? 'its text' : r.where} ${why}` }] : []
  })
  if (unreadable.length === 0) return content
  // a whole export in another language is one reason, not one a row (a Spanish RIS's hundred thousand)
  const language = otherReportLanguage(content.records.map((r) => r.text).join('\n'))
  const refusal =
    content.records.length === 1
      ? unreadable[0].reason
      : language && unreadable.length === content.records.length
        ? `its ${content.records.length.toLocaleString('en')} reports read as ${language}, which the report parser does not read (it reads English and Chinese), so they were not read`
        : null
  // what a table of films says of them stands without its reports (PadChest's views, patients and dates)
  if (refusal && content.films?.length) return { ...content, records: [], problems: [...content.problems, `${refusal}; what it says of its films was read`] }
  if (refusal) throw new Error(refusal)
  const refused = new Set(unreadable.map((u) => u.record))
  return {
    ...content,
    records: content.records.filter((r) => !refused.has(r)),
    problems: [...content.problems, ...unreadable.map((u) => u.reason)]
  }
}

/**
 * A .txt that is a table of reports: a spreadsheet's "Unicode text" export (UTF-16, tab-separated)
 * whose first line names a key column and a text column, as a .csv header would.
 */
function isTabTable(text: string): boolean {
  const lineEnd = text.indexOf('\n')
  const header = (lineEnd === -1 ? text : text.slice(0, lineEnd)).split('\t').map(fieldOf)
  return header.length > 1 && namesKeyColumns(header) && namesTextColumn(header)
}

function isBlankRow(row: string[]): boolean {
  return row.every((field) => field.trim() === '')
}

function namesTextColumn(columns: (Field | null)[]): boolean {
  return columns.includes('text') || columns.includes('findings') || columns.includes('impression')
}

/** A table's columns can match its rows to studies: an accession number, a study UID or an image file, or a patient ID and a study date. */
function namesKeyColumns(columns: (Field | null)[]): boolean {
  return (
    columns.includes('accession') ||
    columns.includes('studyUid') ||
    columns.includes('imagePath') ||
    columns.includes('caseId') ||
    (columns.includes('patientId') && columns.includes('studyDate'))
  )
}

/** A table's header can key its rows: as namesKeyColumns, or by a patient ID alone (a teaching set of one study a patient). */
function namesTableKeyColumns(columns: (Field | null)[]): boolean {
  return namesKeyColumns(columns) || columns.includes('patientId')
}

/**
 * Plain text: the whole file is the report; header lines give keys — "Accession Number: …", "Study
 * Instance UID: …", and "Patient ID: …" with "Exam Date: …" (病历号：… 检查日期：…), which a header
 * line may hold side by side.
 */
/** The study a record names by its keys, for telling one report of a file from the next; null when it names none. */
function studyKeyOf(record: ReportRecord): string | null {
  if (record.accession) return `accession:${record.accession}`
  if (record.studyUid) return `study-uid:${record.studyUid}`
  return record.patientId && record.studyDate ? `patient-date:${record.studyDate}:${record.patientId}` : null
}

/**
 * A PDF's reports: one, unless its pages name different studies — an export of a day's reports,
 * each page headed by its own accession number or patient and date — when each run of pages that
 * names one study (and the pages after it that name none) is a report of its own. A report's pages
 * repeat its header or have none, so they stay together.
 */
function pdfRecords(pages: string[]): { records: ReportRecord[]; problems: string[] } {
  return runRecords(pageRuns(pages), pdfReportProblem)
}

/** Pages read together as one report: those from `first` to `last`, and the study they name. */
interface PageRun {
  first: number
  last: number
  key: string | null
  text: string
}

/** A document's pages in runs, one a study: a page that names another study's key begins a run, a page that names none goes with the run before. */
function pageRuns(pages: string[]): PageRun[] {
  const runs: Omit<PageRun, 'text'>[] = []
  pages.forEach((page, i) => {
    const key = studyKeyOf(textRecord(page))
    const run = runs[runs.length - 1]
    if (run && (key === null || run.key === null || key === run.key)) {
      run.last = i
      run.key ??= key
    } else runs.push({ first: i, last: i, key })
  })
  return runs.map((run) => ({ ...run, text: pages.slice(run.first, run.last + 1).filter((p) => p !== '').join('\n') }))
}

/** Each run a report; one that `problemOf` says is none is refused whole when it is the only one, else named among the problems. */
function runRecords(runs: PageRun[], problemOf: (text: string) => string | null): { records: ReportRecord[]; problems: string[] } {
  const records: ReportRecord[] = []
  const problems: string[] = []
  for (const run of runs) {
    const problem = problemOf(run.text)
    if (problem && runs.length === 1) throw new Error(problem)
    const where = runs.length === 1 ? 'the file' : run.first === run.last ? `page ${run.first + 1}` : `pages ${run.first + 1}–${run.last + 1}`
    if (problem) problems.push(`${where}: ${problem}`)
    else records.push({ ...textRecord(run.text), where })
  }
  return { records, problems }
}

/** What a value on its label's line may be: anything up to white space. */
const anyValue = '[^\\s\\u3000]+'
/** An accession number or patient ID alone on a line: a word with a digit and no colon. */
const identifier = '[^\\s\\u3000:：]*\\d[^\\s\\u3000:：]*'

/**
 * A label, a colon and a value: on the label's line, or alone on the next line when the label stands
 * alone on its own (a form's boxes, a PDF that sets each value below its label). There the value must
 * look like one (`alone`) — a label left empty is followed by the next label or heading, not by its value.
 */
function headerField(label: string, value: string, alone = value): RegExp {
  return new RegExp(`${label}[ \\t]*[:：][ \\t]*(?:(${value})|\\r?\\n[ \\t]*(${alone})[ \\t]*(?=\\r?\\n|$))`, 'gim')
}

/**
 * Header fields of a text report that name its study. They may stand side by side on one line
 * (姓名：张三　性别：男　检查号：CT12345), as a PDF's header row does.
 */
const headerFields = {
  accession: headerField('(?:^|[ \\t\\u3000])(?:accession(?:[ \\t]*(?:number|no\\.?|#))?|acc(?:ession)?[ \\t]*#|检查号|检查编号|登记号|影像号|影像编号|x线号|放射号|片号)', anyValue, identifier),
  studyUid: headerField('^[ \\t]*study[ \\t]*(?:instance[ \\t]*)?uid', '[0-9.]+'),
  patientId: headerField('(?:^|[ \\t\\u3000])(?:patient[ \\t]*id|mrn|病历号|病案号|患者id|病人id|住院号|门诊号)', anyValue, identifier),
  studyDate: headerField('(?:^|[ \\t\\u3000])(?:study[ \\t]*date|exam(?:ination)?[ \\t]*date|检查日期|检查时间|摄片日期|拍片日期)', '\\d{4}[^\\s\\u3000]*')
} as const

/** Every value a header field has in the text, in order. */
function fieldValues(text: string, field: keyof typeof headerFields): string[] {
  return [...text.matchAll(headerFields[field])].map((m) => m[1] ?? m[2])
}

function textRecord(text: string): ReportRecord {
  const date = fieldValues(text, 'studyDate')[0]
  return {
    text: text.trim(),
    accession: fieldValues(text, 'accession')[0] ?? null,
    studyUid: fieldValues(text, 'studyUid')[0] ?? null,
    patientId: fieldValues(text, 'patientId')[0] ?? null,
    studyDate: date ? yearFirstDate(date) : null,
    imagePaths: [],
    caseId: null,
    where: 'the file'
  }
}

/**
 * A file of one report whose header fields name several studies is a batch of reports pasted
 * together: stored whole, every report's text would go to the first study named. Refused, naming them.
 */
function oneReportRecord(text: string): ReportRecord {
  // Not patient IDs: a header may give two kinds (病历号 and 住院号) of one patient.
  for (const [field, what] of [['accession', 'accession numbers'], ['studyUid', 'study UIDs']] as const) {
    const named = [...new Set(fieldValues(text, field))]
    if (named.length > 1)
      throw new Error(`it holds the reports of several studies (${what} ${named.slice(0, 3).join(', ')}${named.length > 3 ? ' …' : ''}): a text, RTF or Word file is read as one report — export one report a file, or a table of them (CSV, .xlsx)`)
  }
  return textRecord(text)
}

async function jsonRecords(text: string): Promise<{ records: ReportRecord[]; problems: string[] }> {
  const data = parseJsonOrLines(text)
  const fhir = fhirReports(Array.isArray(data) ? data : [data])
  if (fhir) {
    if (fhir.length === 0) throw new Error('its FHIR resources hold no DiagnosticReport')
    return recordsFrom(await withPdfTexts(fhir))
  }
  const list = recordList(data)
  if (!list) {
    throw new Error('the JSON holds neither a report object nor an array of report objects (with fields such as accessionNumber and text)')
  }
  const entries = list.map((entry, i) => {
    const where = list.length === 1 && !Array.isArray(data) ? 'the report object' : `record ${i + 1}`
    if (!isPlainObject(entry)) return `${where} is not an object`
    return { fields: fieldsNamed(namedValues(entry)), where }
  })
  // A list of studies none of which names report text (a CD's index, a cohort's truth.json) is no report
  // export: one reason for the file, not one for each of its thousands of records.
  if (list.length > 1 && !entries.some((e) => typeof e !== 'string' && namesTextColumn(Object.keys(e.fields) as Field[]))) {
    throw new Error(`none of its ${list.length} records holds report text (a field such as text, report, findings or 检查所见): it is no report export`)
  }
  return recordsFrom(entries)
}

/** JSON, or JSON Lines (NDJSON: an object a line, as bulk exports and FHIR's write them), as an array of the lines' values. */
function parseJsonOrLines(text: string): unknown {
  refuseMoreThanAFileHolds(occurrences(text, '{'), MAX_JSON_OBJECTS, 'objects')
  refuseMoreThanAFileHolds(occurrences(text, ','), MAX_JSON_VALUES, 'values')
  try {
    return JSON.parse(text)
  } catch (err) {
    refuseMoreThanAFileHolds(lineBreaks(text), MAX_TEXT_LINES, 'lines')
    const lines = text.split('\n').map((line, i) => ({ line, number: i + 1 })).filter(({ line }) => line.trim() !== '')
    if (lines.length < 2 || !lines.every(({ line }) => /^\s*\{/.test(line))) throw new Error(`it is not valid JSON (${err instanceof Error ? err.message : String(err)})`)
    return lines.map(({ line, number }) => {
      try {
        return JSON.parse(line) as unknown
      } catch (lineError) {
        throw new Error(`it is not valid JSON Lines: line ${number} (${lineError instanceof Error ? lineError.message : String(lineError)})`)
      }
    })
  }
}

/**
 * A JSON record's values with the names that may say what they are: its own first, then those of the
 * objects it nests (a REST API's "patient": {"id": …}, "study": {"accessionNumber": …}, "report":
 * {"findings": …}), each named by its key after its parent's ("patient id": patientId) and then by its key
 * alone ("findings") — fieldsNamed keeps the first name that means a field. Two levels deep; an object
 * naming an earlier study is not read.
 */
function namedValues(record: Record<string, unknown>, depth = 0): [string, string][] {
  const own = Object.entries(record).flatMap(([key, value]): [string, string][] => (typeof value === 'string' || typeof value === 'number' ? [[key, String(value)]] : []))
  if (depth >= 2) return own
  const nested = Object.entries(record).flatMap(([key, value]) =>
    isPlainObject(value) && !namesEarlierStudy(key) ? namedValues(value, depth + 1).map(([name, v]) => ({ parent: key, name, value: v })) : []
  )
  return [...own, ...nested.map(({ parent, name, value }): [string, string] => [`${parent} ${name}`, value]), ...nested.map(({ name, value }): [string, string] => [name, value])]
}

// A part of a record that describes the study this one is compared with ("priorStudy", <PreviousExam>,
// 既往检查): its accession or date is another study's, whichever comes first.
const earlierStudyWords = /prior|previous|comparison|compared|histor|earlier|前次|既往|上次|对比|比较|历史/

function namesEarlierStudy(name: string): boolean {
  return earlierStudyWords.test(normaliseKey(name))
}

/** The record fields among named values: the first value of each field's name. */
function fieldsNamed(values: readonly (readonly [string, string])[]): RecordFields {
  const fields: RecordFields = {}
  for (const [name, value] of values) {
    const field = fieldOf(name)
    if (field && fields[field] === undefined) fields[field] = value
  }
  return fields
}

/**
 * An XML file of reports: a CDA document is one report (its narrative); any other XML export's records
 * are its elements that hold a report text value (<ReportText>, <Findings>, <检查所见> …) — the values,
 * child elements or attributes, named as a JSON record's keys are. An XML file that names no report
 * field at all (a CD viewer's settings beside the films) is no report file: passed over, no error.
 */
function xmlRecords(text: string): { records: ReportRecord[]; problems: string[] } {
  if (xmlRootName(text) === 'ClinicalDocument') {
    const record = oneReportRecord(normaliseReportText(cdaReportText(text)))
    const header = cdaStudyKeys(text)
    return { records: [{ ...record, accession: header.accession ?? record.accession, studyUid: header.studyUid ?? record.studyUid }], problems: [] }
  }
  refuseMoreThanAFileHolds(occurrences(text, '<'), MAX_XML_TAGS, 'tags')
  const elements = xmlElements(text)
  const reports = xmlReports(elements)
  const figures = openIFigures(elements)
  if (reports.length === 0) {
    // A date, a file or a view alone names no report: a CD viewer's settings carry those too.
    if (!elements.some((e) => e.values.some(([name]) => ![null, 'studyDate', 'imagePath', 'view', 'caseId'].includes(fieldOf(name))))) return { records: [], problems: [] }
    throw new Error('the XML holds no report: no element has a report text value (such as <ReportText>, <Findings> or <Impression>)')
  }
  const read = recordsFrom(
    reports.map((e, i) => {
      const fields = fieldsNamed(valuesWithParts(e))
      return { fields, where: reports.length > 1 ? `record ${i + 1} (<${e.name}>)` : `the <${e.name}> element` }
    })
  )
  return figures.length === 0 ? read : { ...read, records: read.records.map((r) => ({ ...r, imagePaths: [...r.imagePaths, ...figures] })) }
}

/**
 * The films an Open-i report is about (Indiana University's chest X-ray collection): each
 * <parentImage id="CXR1_1_IM-0001-3001">, the name of a picture beside the reports without its
 * extension (see imageOfFile in report-import.ts). It names its study's views in no order that
 * tells which is which (the first is sometimes the lateral) and says nothing of their views: the
 * report goes to the one that looks frontal (report-import.ts).
 */
function openIFigures(elements: XmlElement[]): string[] {
  return elements
    .filter((e) => e.name === 'parentImage')
    .map((e) => filePathIn(e.values.find(([name]) => name === 'id')?.[1]?.trim() || null))
    .filter((id): id is string => id !== null)
}

const namesOf = (values: [string, string][]): (Field | null)[] => values.map(([name]) => fieldOf(name))
const holdsReportText = (e: XmlElement): boolean => namesTextColumn(namesOf(e.values))

/**
 * An element's values, then its parts' (the elements a record groups its fields in: <ExamInfo>
 * <AccessionNo>…), named by the part and the field ("ExamInfo AccessionNo"), then by the field alone;
 * a part naming an earlier study (<PreviousExam>) is not read.
 */
function valuesWithParts(e: XmlElement): [string, string][] {
  const parts = e.parts.filter((p) => !namesEarlierStudy(p.name))
  return [...e.values, ...parts.flatMap((p) => p.values.map(([name, value]): [string, string] => [`${p.name} ${name}`, value])), ...parts.flatMap((p) => p.values)]
}

/**
 * The records of an XML export: each element that holds report text, or — when it names no key and is
 * its parent's one part with report text — the parent that groups it with the parts that name the keys
 * (<Report><PatientInfo>…</PatientInfo><ExamInfo>…</ExamInfo><ReportInfo><Findings>…</ReportInfo></Report>).
 * Parents and their parts with text are counted once, so a list of many reports is read in one pass.
 */
function xmlReports(elements: XmlElement[]): XmlElement[] {
  const parentOf = new Map<XmlElement, XmlElement>()
  for (const e of elements) for (const part of e.parts) parentOf.set(part, e)
  const texts = elements.filter(holdsReportText)
  const partsWithText = new Map<XmlElement, number>()
  for (const text of texts) {
    const parent = parentOf.get(text)
    if (parent) partsWithText.set(parent, (partsWithText.get(parent) ?? 0) + 1)
  }
  const recordOf = (text: XmlElement): XmlElement => {
    const parent = parentOf.get(text)
    if (namesKeyColumns(namesOf(text.values)) || !parent || partsWithText.get(parent) !== 1 || !namesKeyColumns(namesOf(valuesWithParts(parent)))) return text
    return parent
  }
  return [...new Set(texts.map(recordOf))]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * An array of records, one record object (its text perhaps in a part of it), or an object wrapping an
 * array ({"reports": [...]}) — perhaps in an object of its own, as an API answers a page of them
 * ({"code": 200, "data": {"records": [...]}}).
 */
function recordList(data: unknown, depth = 0): unknown[] | null {
  if (Array.isArray(data)) return data
  if (!isPlainObject(data)) return null
  const keys = Object.keys(data).map(fieldOf)
  if (keys.includes('text') || keys.includes('findings') || keys.includes('impression')) return [data]
  const wrapped = Object.values(data).find((v) => Array.isArray(v) && v.length > 0 && v.every(isPlainObject))
  if (wrapped) return wrapped as unknown[]
  if (depth > 0) return null
  for (const value of Object.values(data)) {
    const inner = isPlainObject(value) ? recordList(value, depth + 1) : null
    // an object whose part holds the text ({"accessionNumber": …, "result": {"findings": …}}) is one record, read with its parts
    if (inner) return inner.length === 1 && inner[0] === value ? [data] : inner
  }
  return null
}

function csvRecords(text: string): { records: ReportRecord[]; problems: string[]; films?: FilmIndexEntry[] } {
  let rows: string[][]
  try {
    rows = parseCsv(text, undefined, MAX_RECORDS_A_FILE + HEADER_ROWS_READ)
  } catch (err) {
    if (err instanceof TooManyRows) throw new Error(`it holds ${err.message}, more than one file is read for, so it was not read: split it`)
    throw new Error(`it is not valid CSV: ${err instanceof Error ? err.message : String(err)}`)
  }
  const films = filmIndexEntries(rows)
  if (!films) return tableRecords(rows)
  // a table of films may hold their reports too (PadChest's "Report"): both are read
  return { ...(headerRowOf(rows) >= 0 ? tableRecords(rows) : { records: [], problems: [] }), films }
}

/**
 * The films a dataset's table of films lists (FilmIndexEntry), or null when the table is not one: its
 * header, among the first five rows, names an image file column and a view or case column, and no
 * report text.
 */
function filmIndexEntries(rows: string[][]): FilmIndexEntry[] | null {
  const headerIndex = rows.slice(0, HEADER_ROWS_READ).findIndex((row) => {
    const columns = row.map(fieldOf)
    // a case column beside report text is the reports' own (IU X-ray's indiana_reports.csv, whose "image" describes the films)
    return columns.includes('imagePath') && (columns.includes('view') || (columns.includes('caseId') && !namesTextColumn(columns)))
  })
  if (headerIndex < 0) return null
  const columns = rows[headerIndex].map(fieldOf)
  const value = (row: string[], field: Field): string | null => row[columns.indexOf(field)]?.trim() || null
  const spacingOf = filmSpacingColumns(rows[headerIndex])
  const viewColumns = columns.flatMap((field, c) => (field === 'view' ? [c] : []))
  // A film's study, where no case column names it, is its case: PadChest's StudyID, MIMIC-CXR-JPG's study_id. Not a report
  // table's key: there a "Study ID" is a RIS's own number, and the reports' study is found by the keys it matches.
  const studyColumn = rows[headerIndex].findIndex((name) => normaliseKey(name) === 'studyid')
  const caseOf = (row: string[]): string | null => value(row, 'caseId') ?? (row[studyColumn]?.trim() || null)
  refuseMoreRecordsThanAFileHolds(rows.length - headerIndex - 1)
  return rows.slice(headerIndex + 1).flatMap((row) => {
    const image = value(row, 'imagePath')
    const date = value(row, 'studyDate')
    return image
      ? [{ image, view: viewOf(viewColumns.map((c) => row[c]?.trim() ?? '')), caseId: caseOf(row), patientId: value(row, 'patientId'), studyDate: date && yearFirstDate(date), spacing: spacingOf(row) }]
      : []
  })
}

/**
 * A film's view among a table's view columns: the first that names one (PadChest's DICOM copy says "None"
 * where its curated "Projection" says "PA"), else the first written. In a view column a bare "L" is lateral
 * (PadChest's), not a side.
 */
function viewOf(cells: string[]): string | null {
  const views = cells.filter((cell) => cell !== '').map((cell) => (/^l$/i.test(cell) ? 'lateral' : cell))
  return views.find((view) => projectionInWords(view) !== null) ?? views[0] ?? null
}

/**
 * How a table of films gives each film's pixel spacing and the size of the film it is of, or a reader
 * of none: a spacing without the size it was measured at cannot be scaled to a picture that may have
 * been shrunk, so it is not read. NIH's header splits each pair over two columns
 * ("OriginalImage[Width", "Height]", "OriginalImagePixelSpacing[x", "y]"); a DICOM attribute dump
 * names "PixelSpacing" (row\column) or "ImagerPixelSpacing" with "Rows" and "Columns".
 */
function filmSpacingColumns(header: string[]): (row: string[]) => FilmSpacing | null {
  const keys = header.map(normaliseKey)
  const at = (...names: string[]): number => keys.findIndex((k) => names.includes(k))
  const [nihSpacing, nihSize] = [at('originalimagepixelspacingx'), at('originalimagewidth')]
  const [dicomSpacing, rows, columns] = [at('pixelspacing', 'imagerpixelspacing'), at('rows'), at('columns')]
  const number = (cell: string | undefined): number => Number((cell ?? '').trim() || NaN)
  const spacingOf = (rowMm: number, colMm: number, rowCount: number, columnCount: number): FilmSpacing | null =>
    [rowMm, colMm, rowCount, columnCount].every((n) => Number.isFinite(n) && n > 0) && isFilmExtent(rowMm * rowCount) && isFilmExtent(colMm * columnCount)
      ? { rowMm, colMm, rows: rowCount, columns: columnCount }
      : null
  if (nihSpacing >= 0 && nihSize >= 0) return (row) => spacingOf(number(row[nihSpacing + 1]), number(row[nihSpacing]), number(row[nihSize + 1]), number(row[nihSize]))
  if (dicomSpacing >= 0 && rows >= 0 && columns >= 0)
    return (row) => {
      const [rowMm, colMm = rowMm] = (row[dicomSpacing] ?? '').split(/[^\d.eE+-]+/).filter(Boolean).map(Number)
      return spacingOf(rowMm, colMm, number(row[rows]), number(row[columns]))
    }
  return () => null
}

/**
 * Whether a film's side could be this many mm: a table's spacing in another unit (cm, µm) or for another
 * size than the one it gives would make every length measured on the film wrong, so it is not read.
 */
const isFilmExtent = (mm: number): boolean => mm >= 100 && mm <= 1000

/** The row, among a table's first five (a title may stand above), that names a key column (a patient's alone will do) and a text column; -1 when none does. */
function headerRowOf(rows: string[][]): number {
  return rows.slice(0, HEADER_ROWS_READ).findIndex((row) => {
    const columns = row.map(fieldOf)
    return namesTableKeyColumns(columns) && namesTextColumn(columns)
  })
}

/**
 * A workbook's reports: those of every sheet whose header row names a key and a text column (a log
 * kept a sheet a month; a cover or notes sheet is passed over), a row named with its sheet's name
 * where several sheets hold reports. When no sheet does, the first sheet's reason is the file's.
 */
function workbookRecords(sheets: Worksheet[]): { records: ReportRecord[]; problems: string[] } {
  const read = sheets.map((sheet) => {
    try {
      return { sheet, table: reportTable(sheet.rows) }
    } catch (err) {
      return { sheet, problem: err }
    }
  })
  const tables = read.flatMap(({ sheet, table }) => (table ? [{ sheet, table }] : []))
  if (tables.length === 0) throw read[0].problem
  const sheetsRead = tables.map(({ sheet, table }) => tableRows(table, sheet.rows, (row) => (tables.length > 1 ? `sheet "${sheet.name}", row ${row}` : `row ${row}`)))
  return { records: sheetsRead.flatMap((t) => t.records), problems: sheetsRead.flatMap((t) => t.problems) }
}

/** A table's reports, a record a row under its header row (see reportTable). */
function tableRecords(rows: string[][]): { records: ReportRecord[]; problems: string[] } {
  return tableRows(reportTable(rows), rows, (row) => `row ${row}`)
}

/**
 * Where a table's header row is (CSV, a spreadsheet's sheet) and the field each column holds; throws why
 * it holds no reports (no key or no text column). A title or a note may stand above the header in a
 * spreadsheet export ("放射科报告导出 2026-01"): the header is the first of the first five rows that names
 * a key and a text column.
 */
function reportTable(rows: string[][]): { headerIndex: number; columns: (Field | null)[] } {
  if (!rows.some((row) => !isBlankRow(row))) throw new Error('its table holds no row with text')
  const headerIndex = Math.max(0, headerRowOf(rows))
  const header = rows[headerIndex]
  const columns = header.map(fieldOf)
  const listed = header.map((h) => `"${h.trim()}"`).join(', ')
  if (!namesTableKeyColumns(columns)) {
    throw new Error(
      `its header row has no accession number or study UID column (columns: ${listed}); ` +
        'name one "AccessionNumber" or "StudyInstanceUID" (or an image file column, "DicomPath"), or give a "PatientID" column (with a "StudyDate" one where a patient has several studies)'
    )
  }
  if (!namesTextColumn(columns)) {
    throw new Error(`its header row has no report text column (columns: ${listed}); name one "Report" or "Text", or "Findings" and "Impression"`)
  }
  return { headerIndex, columns }
}

/** The records of the rows under a table's header, each named by `rowName` (its row's number as the sheet or file shows it). */
function tableRows(
  { headerIndex, columns }: { headerIndex: number; columns: (Field | null)[] },
  rows: string[][],
  rowName: (row: number) => string
): { records: ReportRecord[]; problems: string[] } {
  return recordsFrom(
    rows.slice(headerIndex + 1).flatMap((row, i) => {
      if (isBlankRow(row)) return []
      const fields: RecordFields = {}
      columns.forEach((field, c) => {
        if (field && fields[field] === undefined && row[c] !== undefined) fields[field] = row[c]
      })
      return [{ fields, where: rowName(headerIndex + i + 2) }]
    })
  )
}

type RecordFields = Partial<Record<Field, string>>

/** Records from each entry's fields; an entry that cannot be one, or is a problem already, is a problem. */
function recordsFrom(entries: ({ fields: RecordFields; where: string } | string)[]): { records: ReportRecord[]; problems: string[] } {
  refuseMoreRecordsThanAFileHolds(entries.length)
  const records: ReportRecord[] = []
  const problems: string[] = []
  for (const entry of entries) {
    const record = typeof entry === 'string' ? entry : recordFrom(entry.fields, entry.where)
    if (typeof record === 'string') problems.push(record)
    else records.push(record)
  }
  return { records, problems }
}

/** An image field's value that can name a file: an export's "image" holding the picture itself (a data URI, base64) names none. */
function filePathIn(value: string | null): string | null {
  return value && value.length <= 1024 && !/^data:/i.test(value) && !/[\n\0]/.test(value) ? value : null
}

/** A record from its fields, or the reason it cannot be one. Separate findings and impression get section headers. */
function recordFrom(fields: RecordFields, where: string): ReportRecord | string {
  const clean = (value: string | undefined): string | null => {
    // a page break (RTF's \page in a cell) is a line end within one record
    const v = value === undefined ? '' : normaliseReportText(value).replace(/\f/g, '\n').trim()
    return v === '' ? null : v
  }
  let text = clean(fields.text)
  const findings = clean(fields.findings)
  const impression = clean(fields.impression)
  if (!text && (findings || impression)) {
    const zh = detectLanguage(`${findings ?? ''}${impression ?? ''}`) === 'zh'
    text = [
      findings && `${zh ? '检查所见：' : 'Findings: '}${findings}`,
      impression && `${zh ? '诊断意见：' : 'Impression: '}${impression}`
    ]
      .filter(Boolean)
      .join('\n')
  }
  if (!text) return `${where} has no report text`
  const accession = clean(fields.accession)
  const studyUid = clean(fields.studyUid)
  const writtenDate = clean(fields.studyDate)
  const studyDate = writtenDate && yearFirstDate(writtenDate)
  if (writtenDate && !studyDate && !accession && !studyUid) {
    return `${where}: its study date "${writtenDate}" is not written year first (2026-01-05 or 20260105), and it has no accession number or study UID to match it by`
  }
  return { text, accession, studyUid, patientId: clean(fields.patientId), studyDate: studyDate || null, imagePaths: [filePathIn(clean(fields.imagePath))].filter((p) => p !== null), caseId: clean(fields.caseId), where }
}

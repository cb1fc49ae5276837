/**
 * A PDF's text, read by pdf.js (the PDF engine of Firefox; its legacy build is the one made for
 * Node). Runs in the PDF reader's worker thread (pdf-worker.ts), never in the importing process:
 * pdf.js leaves some errors of a malformed file unhandled, which end the thread they run in.
 * Chinese report systems often write in a font they do not embed (STSong-Light with the
 * UniGB-UCS2-H encoding): its characters are found through the character maps pdf.js ships, read
 * from disk here — nothing is fetched.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import zlib from 'node:zlib'
import type { PDFDocumentLoadingTask, PDFPageProxy, TextContent, TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api'
import { splitSections } from './sections'
import { MAX_REPORT_CHARS, normaliseReportText } from './text'

/** A PDF refused by a limit of this reader, in words already. */
class PdfRefusal extends Error {}

/**
 * The most pages read: a report is one to three, an export of a day's reports (a page or two each,
 * split by study where read) some dozens; a PDF of more is a book or a manual.
 */
export const MAX_PDF_PAGES = 100

/** The most text read from one PDF, ten reports at their longest: a flood of text stops here. */
const MAX_PDF_CHARS = 10 * MAX_REPORT_CHARS

/** pdf.js's own files: its character maps and the metrics of the 14 standard fonts. */
function pdfjsFolder(): string {
  return path.dirname(createRequire(__filename).resolve('pdfjs-dist/package.json'))
}

/** A line of a page, with where its text begins and ends. */
interface PdfLine {
  text: string
  left: number
  right: number
  /** Runs stand two font sizes or more apart in it: a row of a table (a header's fields), no paragraph's line. */
  tabular: boolean
}

/** A run of text and where the page shows it: x, y of its start (y upward, as PDF counts), its width and font size. */
interface PlacedText {
  text: string
  x: number
  y: number
  width: number
  size: number
  /** Drawn at a slant or on its side (a "COPY" watermark, a margin's label): in no line of the page's text. */
  turned: boolean
}

function placed(items: (TextItem | TextMarkedContent)[]): PlacedText[] {
  return items.flatMap((item) => {
    if (!('str' in item) || item.str.trim() === '') return []
    const [a, b, c, d, x, y] = item.transform
    // turned where its baseline is (b: the x axis leaves the horizontal); a shear alone (c) is faked italics
    const turned = Math.abs(b) > 0.01 * Math.abs(a)
    return [{ text: item.str, x, y, width: item.width, size: Math.hypot(c, d) || item.height || 1, turned }]
  })
}

/**
 * The page's lines in the order the page shows them, top to bottom and left to right. A content
 * stream's order is the writer's: report templates often draw a header table's labels, then its
 * values ("Accession No:" … "A123456" a column later), which in stream order stood lines apart. Runs
 * whose baselines lie within half a font size are one line; a gap wider than a tenth of the font
 * size between two runs is a space (Chinese drawn a character at a time has none). Turned text
 * follows the page's lines, each run a line of its own.
 */
function pageLines(runs: PlacedText[]): PdfLine[] {
  const rows: PlacedText[][] = []
  for (const run of runs.filter((r) => !r.turned).sort((p, q) => q.y - p.y)) {
    const row = rows[rows.length - 1]
    if (row && Math.abs(row[0].y - run.y) <= 0.5 * Math.min(row[0].size, run.size)) row.push(run)
    else rows.push([run])
  }
  return [...rows, ...runs.filter((r) => r.turned).map((r) => [r])].map(lineOf)
}

/**
 * A run printed again over itself, a fraction of a character to the side: printing drivers fake bold
 * so where the font has no bold face, and the heading read "FINDINGS:FINDINGS:".
 */
function withoutOverprints(runs: PlacedText[]): PlacedText[] {
  return runs.filter((run, i) => !runs.slice(0, i).some((r) => r.text === run.text && Math.abs(r.x - run.x) < 0.2 * run.size))
}

function lineOf(row: PlacedText[]): PdfLine {
  const runs = withoutOverprints([...row].sort((p, q) => p.x - q.x))
  let text = ''
  let tabular = false
  runs.forEach((run, i) => {
    const before = runs[i - 1]
    const gap = before ? run.x - (before.x + before.width) : 0
    if (before && gap > run.size / 10 && !/\s$/.test(text) && !/^\s/.test(run.text)) text += ' '
    tabular ||= gap >= 2 * run.size
    text += run.text
  })
  return { text: withoutLetterSpacing(text), left: runs[0].x, right: Math.max(...runs.map((r) => r.x + r.width)), tabular }
}

/** A Chinese character or full-width sign (，。：), not the ideographic space. */
const chineseCharacter = /[\p{Script=Han}\u3001-\u303f\uff00-\uffef]/u
const chinesePair = new RegExp(`(?<=${chineseCharacter.source})(\\s?)(?=${chineseCharacter.source})`, 'gu')
const chineseSpaced = new RegExp(`(?<=${chineseCharacter.source})\\s(?=${chineseCharacter.source})`, 'gu')

/**
 * Chinese set justified, a character at a time, stands its characters apart, and pdf.js reads a space
 * into each gap: "右 肺 上 叶" (no place the parser knows). Where most pairs of Chinese characters in a
 * line stand so, the spaces between them go; a line where few do keeps them (姓名：张三 检查日期：…
 * needs the space before its second field).
 */
function withoutLetterSpacing(line: string): string {
  const pairs = [...line.matchAll(chinesePair)]
  const spaced = pairs.filter((m) => m[1] !== '').length
  return spaced > pairs.length / 2 ? line.replace(chineseSpaced, '') : line
}

const sentenceEnd = /[。！？!?；;：:.]\s*$/
const listItem = /^\s*(?:\d{1,2}\s*[.、)）]|[（(]\d{1,2}[)）]|[•·▪-])/

/** A line that begins with a section heading (检查所见：, IMPRESSION) starts its own line whatever the one before it. */
function startsWithHeading(line: string): boolean {
  return (splitSections(line.trim())[0]?.start ?? 0) > 0
}

/** How wide the line's first word and a space are: a Chinese line's first word is its first character. */
function firstWordWidth(line: PdfLine): number {
  const text = line.text.trim()
  const word = chineseCharacter.test(text.slice(0, 1)) ? 1 : (/^\S+/.exec(text)?.[0].length ?? 0)
  return ((line.right - line.left) / Math.max(1, text.length)) * (word + 1)
}

/**
 * The page's text, lines joined where the page wrapped a paragraph: a line whose end is nearer the
 * margin the page's text keeps (past 60 % of its width, so that no page of short statements has
 * one) than the next line's first word is wide — that word did not fit — and that ends in no
 * sentence's end goes on in the next line, unless that one is a heading or a list item (or either is a
 * table's row, which also keeps no margin). A Chinese
 * sentence wrapped mid-clause ("大小约" / "12mm。") read as two sentences and lost its size; text
 * files are not joined so (their Chinese lines are often one statement each, without 。), but a
 * PDF shows where its lines end.
 */
function joinWrappedLines(lines: PdfLine[], pageLeft: number, pageWidth: number): string {
  const margin = Math.max(...lines.filter((l) => !l.tabular).map((l) => l.right))
  const hasMargin = margin >= pageLeft + 0.6 * pageWidth
  let text = ''
  lines.forEach((line, i) => {
    text += line.text
    const next = lines[i + 1]
    if (!next) return
    const wrapped =
      hasMargin &&
      !line.tabular &&
      !next.tabular &&
      next.text.trim() !== '' &&
      margin - line.right < firstWordWidth(next) &&
      !sentenceEnd.test(line.text) &&
      !startsWithHeading(next.text) &&
      !listItem.test(next.text)
    // Chinese is written without spaces and wraps anywhere, even inside "12mm".
    const chinese = chineseCharacter.test(line.text) || chineseCharacter.test(next.text)
    text += !wrapped ? '\n' : chinese ? '' : ' '
  })
  return text
}

/**
 * The most bytes a PDF's compressed streams may unpack to. A report's fonts and logo unpack to a few
 * megabytes; pdf.js holds a stream whole once unpacked, and a few hundred kilobytes of deflated
 * zeros unpack to gigabytes (measured: 512 MB took 1.7 GB of memory).
 */
export const MAX_PDF_INFLATED_BYTES = 256 << 20

/**
 * Unpacks each deflated stream (with a limit on its output) before pdf.js does, so that a PDF bomb is
 * refused in words instead of ending the process. Streams of other kinds fail the zlib header and
 * are not counted; pdf.js reads them lazily and images are not decoded for text.
 */
function checkInflatedSize(bytes: Uint8Array): void {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const text = raw.toString('latin1')
  const streamKeyword = /(?<=>>\s*)stream\r?\n/g
  let total = 0
  for (let m = streamKeyword.exec(text); m; m = streamKeyword.exec(text)) {
    const start = m.index + m[0].length
    const end = text.indexOf('endstream', start)
    if (end < 0) return
    streamKeyword.lastIndex = end + 'endstream'.length
    try {
      total += zlib.inflateSync(raw.subarray(start, end), { maxOutputLength: MAX_PDF_INFLATED_BYTES - total + 1, finishFlush: zlib.constants.Z_SYNC_FLUSH }).length
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') total = MAX_PDF_INFLATED_BYTES + 1
    }
    if (total > MAX_PDF_INFLATED_BYTES)
      throw new PdfRefusal(`its compressed streams unpack to more than ${MAX_PDF_INFLATED_BYTES >> 20} MB, more than any report (a PDF bomb?), so it was not read`)
  }
}

const tooLong = `its text is longer than a PDF of reports holds (limit ${MAX_PDF_CHARS.toLocaleString('en')} characters), so it was not read`

/**
 * A page's text, read as pdf.js finds it, in parts: reading stops once the document's text passes
 * its limit (`room` is what is left of it), so a page of millions of tiny text runs is refused
 * before it fills memory.
 */
async function pageText(page: PDFPageProxy, room: number, task: PDFDocumentLoadingTask): Promise<string> {
  const reader = (page.streamTextContent() as ReadableStream<TextContent>).getReader()
  const runs: PlacedText[] = []
  let length = 0
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    runs.push(...placed(part.value.items))
    length += part.value.items.reduce((sum, item) => sum + ('str' in item ? item.str.length + (item.hasEOL ? 1 : 0) : 0), 0)
    if (length > room) {
      // pdf.js's worker waits for its text task before it ends, and the task waits to be read:
      // end the document, then read on until the task sees it (reader.cancel() never settles).
      const destroyed = task.destroy()
      await drain(reader)
      await destroyed
      throw new PdfRefusal(tooLong)
    }
  }
  const [left, , right] = page.view
  return joinWrappedLines(pageLines(runs), left, right - left) + '\n'
}

async function drain(reader: ReadableStreamDefaultReader<TextContent>): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // the stream ends in an AbortException once the document is destroyed
  }
}

/** What went wrong, in words for the import's error list (pdf.js names its exceptions). */
function pdfProblem(err: unknown): Error {
  if (err instanceof PdfRefusal) return err
  const name = err instanceof Error ? err.name : ''
  const message = err instanceof Error ? err.message : String(err)
  if (name === 'PasswordException') return new Error('the PDF is password-protected, so its text cannot be read')
  if (name === 'InvalidPDFException') return new Error(`it is not a readable PDF (${message})`)
  return new Error(`its PDF could not be read (${message})`)
}

/** The text of each of a PDF's pages, a line for each line pdf.js finds; throws in words naming the problem. */
export async function readPdfPages(bytes: Uint8Array): Promise<string[]> {
  checkInflatedSize(bytes)
  const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const folder = pdfjsFolder()
  const task = getDocument({
    // pdf.js takes the buffer over (it may detach it): a copy leaves the caller's bytes whole.
    data: new Uint8Array(bytes),
    cMapUrl: path.join(folder, 'cmaps') + path.sep,
    cMapPacked: true,
    standardFontDataUrl: path.join(folder, 'standard_fonts') + path.sep,
    // No forms, no font loading, no system fonts: only the text is wanted.
    enableXfa: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS
  })
  try {
    const document = await task.promise.catch((err: unknown) => {
      throw pdfProblem(err)
    })
    if (document.numPages > MAX_PDF_PAGES)
      throw new PdfRefusal(`it has ${document.numPages} pages, more than a PDF of reports (limit ${MAX_PDF_PAGES}), so it was not read`)
    const pages: string[] = []
    let length = 0
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number).catch((err: unknown) => {
        throw pdfProblem(err)
      })
      const text = await pageText(page, MAX_PDF_CHARS - length, task).catch((err: unknown) => {
        throw pdfProblem(err)
      })
      length += text.length
      if (length > MAX_PDF_CHARS) throw new PdfRefusal(tooLong)
      pages.push(normaliseReportText(text).trim())
    }
    return pages
  } finally {
    await task.destroy()
  }
}

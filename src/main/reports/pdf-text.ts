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
import { MAX_REPORT_CHARS, normaliseReportText } from './text'

/** A PDF refused by a limit of this reader, in words already. */
class PdfRefusal extends Error {}

/**
 * The most pages read: a report is one to three; a PDF of hundreds is a batch of reports (not
 * separable without knowing the RIS's layout) or a manual.
 */
export const MAX_REPORT_PDF_PAGES = 20

/** pdf.js's own files: its character maps and the metrics of the 14 standard fonts. */
function pdfjsFolder(): string {
  return path.dirname(createRequire(__filename).resolve('pdfjs-dist/package.json'))
}

/** A line break after each item pdf.js marks as ending its line. */
function textOfItems(items: (TextItem | TextMarkedContent)[]): string {
  let text = ''
  for (const item of items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '')
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

const tooLong = `its text is longer than a report holds (limit ${MAX_REPORT_CHARS.toLocaleString('en')} characters), so it was not read`

/**
 * A page's text, read as pdf.js finds it, in parts: reading stops once the text is longer than any
 * report, so a page of millions of tiny text runs is refused before it fills memory.
 */
async function pageText(page: PDFPageProxy, room: number, task: PDFDocumentLoadingTask): Promise<string> {
  const reader = (page.streamTextContent() as ReadableStream<TextContent>).getReader()
  let text = ''
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    text += textOfItems(part.value.items)
    if (text.length > room) {
      // pdf.js's worker waits for its text task before it ends, and the task waits to be read:
      // end the document, then read on until the task sees it (reader.cancel() never settles).
      const destroyed = task.destroy()
      await drain(reader)
      await destroyed
      throw new PdfRefusal(tooLong)
    }
  }
  return text.endsWith('\n') ? text : text + '\n'
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

/** The text of a PDF's pages, a line for each line pdf.js finds; throws in words naming the problem. */
export async function readPdfText(bytes: Uint8Array): Promise<string> {
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
    if (document.numPages > MAX_REPORT_PDF_PAGES)
      throw new PdfRefusal(`it has ${document.numPages} pages, more than a report (limit ${MAX_REPORT_PDF_PAGES}): a PDF of many reports is not read — export them as CSV`)
    let text = ''
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number).catch((err: unknown) => {
        throw pdfProblem(err)
      })
      text += await pageText(page, MAX_REPORT_CHARS - text.length, task).catch((err: unknown) => {
        throw pdfProblem(err)
      })
      if (text.length > MAX_REPORT_CHARS) throw new PdfRefusal(tooLong)
    }
    return normaliseReportText(text).trim()
  } finally {
    await task.destroy()
  }
}

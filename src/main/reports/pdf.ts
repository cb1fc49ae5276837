/**
 * PDF reports: many RIS export each report as a PDF, and PACS keep it in the study as an
 * Encapsulated PDF. The text is read in a worker thread (pdf-worker.ts), one PDF at a time: a
 * malformed file can end that thread, or keep it busy, and the import goes on — the file is
 * named with the problem, the next PDF gets a new thread.
 */
import path from 'node:path'
import { readerThread } from '../tasks/reader-thread'
import type { PdfRequest } from './pdf-worker'
import { hasReportHeading, NO_REPORT_HEADING } from './sections'

/** Longer than pdf.js takes for any report (tenths of a second); a file that keeps it busy longer is hostile. */
const PDF_READ_TIMEOUT_MS = 60_000

const readPdf = readerThread<PdfRequest, string[]>({
  name: 'the PDF reader',
  entry: 'pdf-worker',
  // Bundled, this module may sit in out/main/chunks/ while the worker entry is in out/main/.
  dirs: [__dirname, path.join(__dirname, '..')],
  timeoutMs: PDF_READ_TIMEOUT_MS,
  tooLong: `reading its text took longer than ${PDF_READ_TIMEOUT_MS / 1000} s, more than any report takes, so it was not read`,
  ended: (why) => `its PDF could not be read (${why})`,
  // pdf.js may still fail on a file after it answered: the next file gets a thread of its own.
  restartAfterError: true
})

/** A PDF begins with its header (PDF 32000-1 §7.5.2), whatever the file is named. */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(5, bytes.byteLength)).toString('latin1') === '%PDF-'
}

/** The text of each of a PDF's pages, a line for each line pdf.js finds; rejects in words naming the problem. */
export function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // A copy of just these bytes, handed over: a view (an Encapsulated PDF inside its DICOM file) would send its whole buffer.
  const copy = new Uint8Array(bytes)
  return readPdf({ bytes: copy }, [copy.buffer])
}

/** A PDF's text, its pages one after the other. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPages(bytes)).filter((page) => page !== '').join('\n')
}

/**
 * Why a PDF's text is no report, or null: a scanned page has none, and a PDF among a study's
 * documents may as well be a request form or a consent — a report has a Findings or Impression
 * heading (检查所见, 诊断意见 …).
 */
export function pdfReportProblem(text: string): string | null {
  if (text === '') return 'the PDF holds no text (a scanned page? its words are pictures, which are not read)'
  if (!hasReportHeading(text))
    return `the PDF reads as no report: ${NO_REPORT_HEADING}`
  return null
}

/** A PDF's text when it reads as a report (pdfReportProblem); else throws the reason. */
export async function pdfReportText(bytes: Uint8Array): Promise<string> {
  const text = await pdfText(bytes)
  const problem = pdfReportProblem(text)
  if (problem) throw new Error(problem)
  return text
}

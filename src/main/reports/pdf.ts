/**
 * A PDF report's text, read by pdf.js (the PDF engine of Firefox; its legacy build is the one made
 * for Node). Many RIS export each report as a PDF, and PACS keep it in the study as an Encapsulated
 * PDF. Chinese report systems often write it in a font they do not embed (STSong-Light with the
 * UniGB-UCS2-H encoding): its characters are found through the character maps pdf.js ships, read
 * from disk here — nothing is fetched.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api'
import { splitSections } from './sections'
import { normaliseReportText } from './text'

/**
 * The most pages read: a report is one to three; a PDF of hundreds is a batch of reports (not
 * separable without knowing the RIS's layout) or a manual.
 */
export const MAX_REPORT_PDF_PAGES = 20

/** pdf.js's own files: its character maps and the metrics of the 14 standard fonts. */
function pdfjsFolder(): string {
  return path.dirname(createRequire(__filename).resolve('pdfjs-dist/package.json'))
}

/** A line break after each item pdf.js marks as ending its line; pages end in one too. */
function textOfItems(items: (TextItem | TextMarkedContent)[]): string {
  let text = ''
  for (const item of items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '')
  return text.endsWith('\n') ? text : text + '\n'
}

/** What went wrong, in words for the import's error list (pdf.js names its exceptions). */
function pdfProblem(err: unknown): Error {
  const name = err instanceof Error ? err.name : ''
  const message = err instanceof Error ? err.message : String(err)
  if (name === 'PasswordException') return new Error('the PDF is password-protected, so its text cannot be read')
  if (name === 'InvalidPDFException') return new Error(`it is not a readable PDF (${message})`)
  return new Error(`its PDF could not be read (${message})`)
}

/** The text of a PDF's pages, a line for each line pdf.js finds; throws in words naming the problem. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
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
      throw new Error(`it has ${document.numPages} pages, more than a report (limit ${MAX_REPORT_PDF_PAGES}): a PDF of many reports is not read — export them as CSV`)
    let text = ''
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number).catch((err: unknown) => {
        throw pdfProblem(err)
      })
      text += textOfItems((await page.getTextContent()).items)
    }
    return normaliseReportText(text).trim()
  } finally {
    await task.destroy()
  }
}

/**
 * A PDF's text when it reads as a report: with a Findings or Impression heading (检查所见, 诊断意见 …).
 * A PDF among a study's documents may as well be a request form, a consent or a scanned page.
 */
export async function pdfReportText(bytes: Uint8Array): Promise<string> {
  const text = await pdfText(bytes)
  if (text === '') throw new Error('the PDF holds no text (a scanned page? its words are pictures, which are not read)')
  // A header's section starts after it; only the text before any header starts at 0.
  if (!splitSections(text).some((s) => s.kind !== 'other' && s.start > 0))
    throw new Error('the PDF reads as no report: it has no Findings or Impression heading (检查所见, 诊断意见 …)')
  return text
}

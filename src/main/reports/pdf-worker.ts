/**
 * Worker-thread entry of the PDF reader: reads each PDF it is sent (pdf-text.ts) and answers with the
 * text of its pages or the problem in words. A malformed file that makes pdf.js fail outside any promise the
 * reader awaits ends this thread, never the import; pdf.ts starts another.
 */
import { answerRequests } from '../tasks/reader-thread'
import { readPdfPages } from './pdf-text'

export interface PdfRequest {
  bytes: Uint8Array
}

// What pdf.js leaves unhandled ends the thread with pdf.js's words (Node's own would wrap them).
process.on('unhandledRejection', (reason) => {
  throw new Error(reason instanceof Error || (typeof reason === 'object' && reason !== null && 'message' in reason) ? String(reason.message) : String(reason))
})
answerRequests((request: PdfRequest) => readPdfPages(request.bytes))

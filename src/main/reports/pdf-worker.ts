/**
 * Worker-thread entry of the PDF reader: reads each PDF it is sent (pdf-text.ts) and answers with the
 * text of its pages or the problem in words. A malformed file that makes pdf.js fail outside any promise the
 * reader awaits ends this thread, never the import; pdf.ts starts another.
 */
import { parentPort } from 'node:worker_threads'
import { readPdfPages } from './pdf-text'

export interface PdfRequest {
  id: number
  bytes: Uint8Array
}
export type PdfReply = { id: number; pages: string[] } | { id: number; error: string }

const port = parentPort
if (!port) throw new Error('pdf-worker must run in a worker thread')
// What pdf.js leaves unhandled ends the thread with pdf.js's words (Node's own would wrap them).
process.on('unhandledRejection', (reason) => {
  throw new Error(reason instanceof Error || (typeof reason === 'object' && reason !== null && 'message' in reason) ? String(reason.message) : String(reason))
})
port.on('message', (request: PdfRequest) => {
  readPdfPages(request.bytes).then(
    (pages) => port.postMessage({ id: request.id, pages } satisfies PdfReply),
    (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies PdfReply)
  )
})

/**
 * Worker-thread entry of the film decoder: decodes each film it is sent into its stored products, or
 * reads each picture as DICOM, and answers with them or with the problem in words. See
 * film-decoder.ts for the pool that feeds it.
 */
import { parentPort } from 'node:worker_threads'
import { DicomFileError } from '../dicom/parse'
import { runDecodeTask, type DecodeReply, type DecodeRequest } from './film-decoder'

const port = parentPort
if (!port) throw new Error('film-worker must run in a worker thread')
port.on('message', (request: DecodeRequest) => {
  // The bytes arrive as a plain byte array; the DICOM reader's inflation (deflated syntax) wants a Buffer.
  const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength)
  runDecodeTask({ ...request, bytes }).then(
    (result) => port.postMessage({ id: request.id, result } satisfies DecodeReply),
    (err: unknown) =>
      port.postMessage({
        id: request.id,
        error: err instanceof DicomFileError ? err.reason : err instanceof Error ? err.message : String(err),
        fileProblem: err instanceof DicomFileError
      } satisfies DecodeReply)
  )
})

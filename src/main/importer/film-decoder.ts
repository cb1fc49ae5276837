/**
 * Decoding films — the pixel codec, the display and model images, and a PNG or JPEG film's reading as
 * DICOM — is most of an import's time, and it needs nothing but the file's bytes: it runs in worker
 * threads (film-worker.ts), one film at a time each, so an import uses every core. A film that ends
 * its thread (a codec's abort, memory) or keeps it busy past any real film's time fails alone, in
 * words, and the next film gets a new thread.
 */
import os from 'node:os'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Reorientation } from '../../shared/orientation'
import { buildImageProducts, type ImageProducts } from '../dicom/image-products'
import { DicomFileError, parseDicomFile } from '../dicom/parse'
import { pictureAsDicom, type PictureFormat, type PictureIdentity, type PictureReading } from '../dicom/picture'
import { moduleEntry } from '../tasks/module-entry'

/** The model image asked for (turned upright as the film's projection says), or null when the film is not one the model reads. */
export type ModelImageRequest = { reorientation: Reorientation } | null

export interface FilmDecoder {
  /** Takes the bytes: a whole buffer is handed to the decoding thread, and reads as empty here after. */
  decode(bytes: Uint8Array, transferSyntax: string, model: ModelImageRequest): Promise<ImageProducts>
  /** A PNG or JPEG film read as the DICOM file it becomes (picture.ts); takes the bytes as decode does. */
  readPicture(bytes: Uint8Array, format: PictureFormat, identity: PictureIdentity): Promise<PictureReading>
  /** Films decoded at once (0: in this thread, one after the other). */
  readonly threads: number
}

/** What a decoding thread is asked: a DICOM film's products, or a picture as DICOM. */
export type DecodeTask =
  | { kind: 'film'; bytes: Uint8Array; transferSyntax: string; model: ModelImageRequest }
  | { kind: 'picture'; bytes: Uint8Array; format: PictureFormat; identity: PictureIdentity }
export type DecodeRequest = DecodeTask & { id: number }
export type DecodeResult = ImageProducts | PictureReading
export type DecodeReply = { id: number; result: DecodeResult } | { id: number; error: string; fileProblem: boolean }

/** A 4k × 4k JPEG 2000 film decodes in seconds on one core; a file that keeps a thread busy this long is hostile. */
const DECODE_TIMEOUT_MS = 120_000

/** The stored products of one film's bytes: what every thread runs. A file's problem rejects, never throws. */
export async function decodeFilm(bytes: Uint8Array, transferSyntax: string, model: ModelImageRequest): Promise<ImageProducts> {
  return await buildImageProducts(parseDicomFile(bytes), transferSyntax, model)
}

/** What a thread does with a task it is sent. */
export function runDecodeTask(task: DecodeTask): Promise<DecodeResult> {
  return task.kind === 'film' ? decodeFilm(task.bytes, task.transferSyntax, task.model) : pictureAsDicom(task.bytes, task.format, task.identity)
}

/**
 * Threads an import decodes on by default: one per core, the importing thread hashing, writing and
 * storing beside them; at most 8, since each holds a film and its decoded values (up to ~100 MB).
 */
export function defaultDecodeThreads(): number {
  return Math.min(8, os.availableParallelism())
}

const inThisThread: FilmDecoder = { decode: decodeFilm, readPicture: pictureAsDicom, threads: 0 }

/**
 * The decoder with `threads` worker threads (shared by every import of this process), or this thread's
 * for 0; a film still decoding after `timeoutMs` fails, and its thread is replaced.
 */
export function filmDecoder(threads: number, timeoutMs = DECODE_TIMEOUT_MS): FilmDecoder {
  if (threads <= 0) return inThisThread
  const entry = moduleEntry('film-worker', [__dirname, path.join(__dirname, '..')])
  if (!entry) throw new Error('the film decoder is missing from this installation (film-worker)')
  pool.size = Math.max(pool.size, threads)
  pool.entry = entry
  return {
    decode: async (bytes, transferSyntax, model) => withBuffers((await enqueue({ kind: 'film', bytes, transferSyntax, model }, timeoutMs)) as ImageProducts),
    readPicture: async (bytes, format, identity) => (await enqueue({ kind: 'picture', bytes, format, identity }, timeoutMs)) as PictureReading,
    threads
  }
}

interface Job {
  request: DecodeRequest
  timeoutMs: number
  resolve(result: DecodeResult): void
  reject(err: Error): void
}

interface DecodeThread {
  worker: Worker
  job: Job | null
  timer: NodeJS.Timeout | null
}

const pool = { size: 0, entry: null as { file: string; execArgv: string[] } | null, threads: [] as DecodeThread[], queue: [] as Job[], nextId: 0 }

function enqueue(task: DecodeTask, timeoutMs: number): Promise<DecodeResult> {
  return new Promise((resolve, reject) => {
    pool.queue.push({ request: { ...task, id: pool.nextId++, bytes: ownBuffer(task.bytes) }, timeoutMs, resolve, reject })
    dispatch()
  })
}

/** The bytes in a buffer of their own, to hand over: a file read whole is one already; a view is copied, or it would send all it sits in. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
  return whole ? bytes : new Uint8Array(bytes)
}

function dispatch(): void {
  while (pool.queue.length > 0) {
    const thread = pool.threads.find((t) => t.job === null) ?? (pool.threads.length < pool.size ? startThread() : null)
    if (!thread) return
    const job = pool.queue.shift()!
    thread.job = job
    thread.timer = setTimeout(
      () => endThread(thread, `decoding its pixel data took longer than ${job.timeoutMs / 1000} s, more than any radiograph takes`),
      job.timeoutMs
    )
    thread.worker.ref()
    thread.worker.postMessage(job.request, [job.request.bytes.buffer as ArrayBuffer])
  }
}

function startThread(): DecodeThread {
  const entry = pool.entry!
  const thread: DecodeThread = { worker: new Worker(entry.file, { execArgv: entry.execArgv }), job: null, timer: null }
  pool.threads.push(thread)
  thread.worker.on('message', (reply: DecodeReply) => {
    const job = thread.job
    if (!job || job.request.id !== reply.id) return
    finishJob(thread)
    if ('error' in reply) job.reject(reply.fileProblem ? new DicomFileError(reply.error) : new Error(reply.error))
    else job.resolve(reply.result)
    // An idle thread does not keep the process alive (the CLI ends when its work does).
    if (pool.queue.length === 0) thread.worker.unref()
    dispatch()
  })
  thread.worker.on('error', (err) => endThread(thread, `the decoder failed on it (${err.message})`))
  thread.worker.on('exit', (code) => endThread(thread, `the decoder stopped on it (exit code ${code})`))
  return thread
}

function finishJob(thread: DecodeThread): void {
  if (thread.timer) clearTimeout(thread.timer)
  thread.timer = null
  thread.job = null
}

/** Ends a thread: its film fails with the reason, and the queue goes on with a new thread. */
function endThread(thread: DecodeThread, reason: string): void {
  const index = pool.threads.indexOf(thread)
  if (index < 0) return
  pool.threads.splice(index, 1)
  const job = thread.job
  finishJob(thread)
  void thread.worker.terminate()
  job?.reject(new DicomFileError(`Its pixel data could not be decoded: ${reason}`))
  dispatch()
}

/** A reply's PNGs arrive as plain byte arrays; the products hold Buffers. */
function withBuffers(products: ImageProducts): ImageProducts {
  const buffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    ...products,
    display: { ...products.display, png: buffer(products.display.png) },
    model: products.model && { ...products.model, png: buffer(products.model.png) }
  }
}

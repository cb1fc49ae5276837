/**
 * A worker thread that reads files a site did not write for us, one request after another: a hostile
 * or broken file can make a reader throw where nothing catches it, run for ever or take all the memory
 * there is. In a thread of its own that ends the thread, never the import: the request fails in words,
 * and the next one gets a new thread. The PDF reader (reports/pdf.ts) and the report-file reader
 * (reports/report-file-reader.ts) are such threads; the worker side is `answerRequests`.
 */
import { parentPort, Worker } from 'node:worker_threads'
import { moduleEntry } from './module-entry'

interface Envelope<Request> {
  id: number
  request: Request
}
type Answer<Reply> = { id: number; reply: Reply } | { id: number; error: string }

export interface ReaderThreadOptions {
  /** What the thread is, in words ("the PDF reader"). */
  name: string
  /** The worker entry's name (see moduleEntry) and the folders it may be in. */
  entry: string
  dirs: string[]
  /** Longer than any real file takes; a read that takes longer ends the thread. */
  timeoutMs: number
  /** The thread's heap ceiling: past it the thread ends and the read fails, the process goes on. */
  heapMb?: number
  /** The words a failed read is rejected with: after `timeoutMs`, past `heapMb`, or when the thread ended for another reason. */
  tooLong: string
  tooLarge?: string
  ended: (why: string) => string
  /** Whether a thread that answered with an error is replaced before the next read (pdf.js may fail later on the same file). */
  restartAfterError?: boolean
}

interface PendingRead<Reply> {
  resolve(reply: Reply): void
  reject(err: Error): void
  timer: NodeJS.Timeout
}

interface Thread<Reply> {
  worker: Worker
  pending: Map<number, PendingRead<Reply>>
}

/** A function that sends one request to the reader thread and resolves with its reply (see the module's comment). */
export function readerThread<Request, Reply>(options: ReaderThreadOptions): (request: Request, transfer?: ArrayBuffer[]) => Promise<Reply> {
  let current: Thread<Reply> | null = null
  let nextId = 0

  const end = (ended: Thread<Reply>, reason: string): void => {
    if (current === ended) current = null
    for (const read of ended.pending.values()) {
      clearTimeout(read.timer)
      read.reject(new Error(reason))
    }
    ended.pending.clear()
    void ended.worker.terminate()
  }

  const start = (): Thread<Reply> => {
    const entry = moduleEntry(options.entry, options.dirs)
    if (!entry) throw new Error(`${options.name} is missing from this installation (${options.entry})`)
    const resourceLimits = options.heapMb ? { maxOldGenerationSizeMb: options.heapMb } : undefined
    const started: Thread<Reply> = { worker: new Worker(entry.file, { execArgv: entry.execArgv, resourceLimits }), pending: new Map() }
    started.worker.on('message', (answer: Answer<Reply>) => {
      const read = started.pending.get(answer.id)
      if (!read) return
      started.pending.delete(answer.id)
      clearTimeout(read.timer)
      if ('error' in answer) {
        read.reject(new Error(answer.error))
        if (options.restartAfterError) return end(started, `${options.name} was restarted`)
      } else read.resolve(answer.reply)
      // An idle reader does not keep the process alive (the CLI ends when its work does).
      if (started.pending.size === 0) started.worker.unref()
    })
    started.worker.on('error', (err: NodeJS.ErrnoException) =>
      end(started, err.code === 'ERR_WORKER_OUT_OF_MEMORY' && options.tooLarge ? options.tooLarge : options.ended(err.message))
    )
    started.worker.on('exit', (code) => end(started, options.ended(`${options.name} stopped with code ${code}`)))
    return started
  }

  return (request, transfer = []) => {
    const thread = current ?? (current = start())
    const id = nextId++
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => end(thread, options.tooLong), options.timeoutMs)
      thread.pending.set(id, { resolve, reject, timer })
      thread.worker.ref()
      thread.worker.postMessage({ id, request } satisfies Envelope<Request>, transfer)
    })
  }
}

/** The worker side of a reader thread: answers each request with `read`'s reply, or the problem in words. */
export function answerRequests<Request, Reply>(read: (request: Request) => Promise<Reply>): void {
  const port = parentPort
  if (!port) throw new Error('a reader must run in a worker thread')
  port.on('message', ({ id, request }: Envelope<Request>) => {
    read(request).then(
      (reply) => port.postMessage({ id, reply } satisfies Answer<Reply>),
      (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies Answer<Reply>)
    )
  })
}

/**
 * Entry of the child process that runs one long task (forked under Node, utilityProcess under
 * Electron). It talks to the parent only through the messages of ./protocol.
 */
import type { FromChild, ToChild } from './tasks/protocol'
import { taskBodies, type TaskContext } from './tasks/registry'

interface ParentPort {
  postMessage(message: FromChild): void
  on(event: 'message', listener: (e: { data: ToChild }) => void): void
}

/** Electron's utilityProcess has `process.parentPort`; a Node fork has `process.send`. */
function parentChannel(): { send(m: FromChild): void; onMessage(cb: (m: ToChild) => void): void } {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (port) return { send: (m) => port.postMessage(m), onMessage: (cb) => port.on('message', (e) => cb(e.data)) }
  if (!process.send) throw new Error('task-child must be started as a child process')
  return {
    send: (m) => process.send!(m),
    onMessage: (cb) => process.on('message', (m) => cb(m as ToChild))
  }
}

const channel = parentChannel()
const abort = new AbortController()
let started = false

channel.onMessage((message) => {
  if (message.type === 'cancel') abort.abort(new Error('cancelled'))
  else if (message.type === 'start' && !started) {
    started = true
    void run(message)
  }
})

async function run(start: Extract<ToChild, { type: 'start' }>): Promise<void> {
  const ctx: TaskContext = {
    dataDir: start.dataDir,
    signal: abort.signal,
    progress: (progress) => channel.send({ type: 'progress', progress }),
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve))
  }
  try {
    const result = await taskBodies[start.kind](start.params as never, ctx)
    channel.send({ type: 'done', result })
  } catch (err) {
    if (abort.signal.aborted) channel.send({ type: 'cancelled' })
    else channel.send({ type: 'failed', error: err instanceof Error ? err.message : String(err) })
  }
  // Let the last message flush before leaving.
  setTimeout(() => process.exit(0), 50)
}

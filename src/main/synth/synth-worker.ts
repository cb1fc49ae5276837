/**
 * Worker-thread entry for cohort generation: receives study indices, writes each study's files
 * and answers with its truth. See generate.ts for the pool that feeds it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { writeStudy, type CohortOptions, type WrittenStudy } from './cohort'

export interface WorkerSetup {
  options: CohortOptions
  outDir: string
}
export type WorkerRequest = { index: number; thumbnailSide: number | null } | { stop: true }
export type WorkerReply = { index: number; study: WrittenStudy } | { index: number; error: string }

const setup = workerData as WorkerSetup
const port = parentPort
if (!port) throw new Error('synth-worker must run in a worker thread')
port.on('message', (request: WorkerRequest) => {
  if ('stop' in request) {
    port.close()
    return
  }
  try {
    const study = writeStudy(setup.options, request.index, setup.outDir, request.thumbnailSide)
    port.postMessage({ index: request.index, study } satisfies WorkerReply)
  } catch (err) {
    port.postMessage({ index: request.index, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply)
  }
})

import fs from 'node:fs'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { cohortTruth, renderStudy, writeStudy, type CohortOptions, type CohortTruth, type WrittenStudy } from './cohort'
import { composeSheet, itemLabel, noduleRings, thumbnail, type SheetTile, type Thumbnail } from './contact-sheet'
import { insertNodule } from './edits'
import { Rng, hashSeed } from '../random'
import { moduleEntry } from '../tasks/module-entry'
import type { WorkerReply, WorkerRequest, WorkerSetup } from './synth-worker'

export interface GenerateOptions extends CohortOptions {
  outDir: string
  /** Worker threads to use (1 = in this thread). */
  workers: number
  /** Keep thumbnails of the first `count` studies (for a contact sheet). */
  thumbnails?: { count: number; side: number }
  onStudyDone?: (done: number, total: number) => void
}

export interface GeneratedCohort {
  truth: CohortTruth
  thumbnails: Thumbnail[]
}

/**
 * Writes a whole cohort: OUT/import/ (DICOM files and reports, what an importer sees) and
 * OUT/truth.json (the hidden truth, outside the import folder). The same options give the same
 * bytes whatever the number of workers.
 */
export async function generateCohort(options: GenerateOptions): Promise<GeneratedCohort> {
  const { outDir, workers, thumbnails, onStudyDone, ...cohort } = options
  if (!Number.isInteger(cohort.studies) || cohort.studies < 1) throw new Error(`studies must be a positive integer, got ${cohort.studies}`)
  if (!(cohort.reportFraction >= 0 && cohort.reportFraction <= 1)) throw new Error(`report fraction must be within 0–1, got ${cohort.reportFraction}`)
  fs.mkdirSync(path.join(outDir, 'import'), { recursive: true })
  const studies: WrittenStudy[] = new Array(cohort.studies)
  const thumbnailSide = (index: number) => (thumbnails && index < thumbnails.count ? thumbnails.side : null)
  let done = 0
  const finished = (index: number, study: WrittenStudy) => {
    studies[index] = study
    onStudyDone?.(++done, cohort.studies)
  }
  // Bundled, this module may sit in out/main/chunks/ while the worker entry is in out/main/.
  const entry = moduleEntry('synth-worker', [__dirname, path.join(__dirname, '..')])
  const threads = Math.min(workers, cohort.studies)
  if (threads <= 1 || !entry) {
    for (let index = 0; index < cohort.studies; index++) finished(index, writeStudy(cohort, index, outDir, thumbnailSide(index)))
  } else {
    await runPool(entry, threads, { options: cohort, outDir }, thumbnailSide, finished)
  }
  const truth = cohortTruth(
    cohort,
    studies.map((s) => s.truth)
  )
  fs.writeFileSync(path.join(outDir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n')
  return { truth, thumbnails: studies.flatMap((s) => (s.thumbnail ? [s.thumbnail] : [])) }
}

/** Feeds study indices to a pool of worker threads, one at a time each, until all are written. */
function runPool(
  entry: { file: string; execArgv: string[] },
  threads: number,
  setup: WorkerSetup,
  thumbnailSide: (index: number) => number | null,
  finished: (index: number, study: WrittenStudy) => void
): Promise<void> {
  const total = setup.options.studies
  let next = 0
  let completed = 0
  return new Promise((resolve, reject) => {
    const pool: Worker[] = []
    let failed = false
    const fail = (err: Error) => {
      if (failed) return
      failed = true
      for (const w of pool) void w.terminate()
      reject(err)
    }
    const feed = (worker: Worker) => {
      const request: WorkerRequest = next < total ? { index: next, thumbnailSide: thumbnailSide(next++) } : { stop: true }
      worker.postMessage(request)
    }
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(entry.file, { workerData: setup, execArgv: entry.execArgv })
      pool.push(worker)
      worker.on('message', (reply: WorkerReply) => {
        if ('error' in reply) return fail(new Error(`study ${reply.index + 1}: ${reply.error}`))
        finished(reply.index, reply.study)
        if (++completed === total) resolve()
        feed(worker)
      })
      worker.on('error', fail)
      feed(worker)
    }
  })
}

export const CONTACT_SHEET_TILE = 320

/**
 * The contact sheet of a generated cohort: 14 studies (with their truth nodules ringed) and one
 * spy-game edit pair, the first study before and after `insertNodule`, side by side.
 */
export function cohortContactSheet(options: CohortOptions, cohort: GeneratedCohort): Uint8Array {
  const tiles: SheetTile[] = cohort.thumbnails.slice(0, 14).map((thumb, i) => {
    const study = cohort.truth.studies[i]
    const spacing = [study.spacingMm, study.spacingMm] as const
    return {
      ...thumb,
      label: `#${i + 1} ${study.modality} ${study.nodules.length === 1 ? '1 NODULE' : `${study.nodules.length} NODULES`}`,
      rings: noduleRings(study.nodules, { spacingMm: spacing }, thumb.scale)
    }
  })
  const original = renderStudy(options, 0)
  const rng = new Rng(hashSeed(options.seed, 'contact-sheet-edit'))
  const edited = insertNodule(original.image, rng, { layout: original.truth.layout }, { diameterMm: 16, density: 'solid', side: 'right', zone: 'upper' })
  const before = thumbnail(original.image, CONTACT_SHEET_TILE)
  const after = thumbnail(edited.image, CONTACT_SHEET_TILE)
  const rings = edited.nodule ? noduleRings([edited.nodule], original.image, before.scale) : []
  tiles.push({ ...before, label: 'EDIT PAIR: ORIGINAL #1', rings })
  tiles.push({ ...after, label: `INSERT ${edited.edit.after ? itemLabel(edited.edit.after) : ''}`, rings })
  return composeSheet(tiles, 4, CONTACT_SHEET_TILE)
}

import fs from 'node:fs'
import path from 'node:path'
import type { TaskProgress } from '../../shared/contract'
import { scanRoots } from '../dicom/scan'
import type { Db } from '../store/database'
import { createImportJob, libraryCounts, recordReportProblems, updateImportJob, type ImportCounts } from '../store/import-repository'
import { StorageFailure, storageProblem } from '../store/storage-failure'
import { ProgressMeter } from '../tasks/progress'
import { defaultDecodeThreads, filmDecoder } from './film-decoder'
import { prepareDicomFile, preparePictureFile, recordProblem, storeDicomFile, type FileImportContext, type FileOutcome, type PreparedFile } from './import-file'
import type { ReadReports, ReportCounts, ReportImporter } from './report-importer'

export interface ImportSummary extends ImportCounts {
  jobId: number
  /** Error rows this run added (a re-import of a known bad file adds none). */
  newErrors: number
  skipped: number
  /** Reports kept in DICOM files (SR, Encapsulated PDF), stored as reports. */
  dicomReports: number
  reportsFailed: { file: string; reason: string }[]
  /** Films a dataset's table of films (not of reports) gave a view or a case: IU X-ray's indiana_projections.csv. */
  filmsIndexed: number
  /** Report files found but not imported because no report importer is wired in. */
  dicomdirs: number
  megabytes: number
  seconds: number
  mbPerSecond: number
  /** Studies of the whole library with no image the model reads (a lateral view alone, no chest radiograph, For Processing only). */
  studiesWithoutModelImage: number
}

export interface ImportOptions {
  signal?: AbortSignal
  progress?: (p: TaskProgress) => void
  /** Lets a task child read its message queue (cancel) between files. */
  yieldToEvents?: () => Promise<void>
  reports: ReportImporter
  /** Worker threads that decode films (0: this thread); default: one per core. */
  decodeThreads?: number
}

/**
 * Checks roots before an import starts: absolute paths of existing folders, or of files (`vzw import
 * ris-export.xlsx`: a report export, or a dataset's table of films, imported beside the films already
 * in the library). The app's pages import only folders under the data roots (api/data-roots.ts).
 */
export function validateImportRoots(roots: string[]): string[] {
  if (roots.length === 0) throw new Error('Name at least one folder to import')
  return roots.map((root) => {
    if (!path.isAbsolute(root)) throw new Error(`Import folders must be absolute paths: ${root}`)
    let stat: fs.Stats
    try {
      stat = fs.statSync(root)
    } catch {
      throw new Error(`The folder ${root} does not exist`)
    }
    if (!stat.isDirectory() && !stat.isFile()) throw new Error(`${root} is neither a folder nor a file`)
    return path.resolve(root)
  })
}

const PROGRESS_INTERVAL_MS = 250

/**
 * One import job: walk the roots, import every DICOM file (dedup by SOP Instance UID, one error
 * row per bad file), then hand report files to the report importer so matching sees the studies.
 * Rows are committed file by file, so a cancel or a crash keeps what was imported.
 */
export async function importFolders(db: Db, dataDir: string, roots: string[], options: ImportOptions): Promise<ImportSummary> {
  const jobId = createImportJob(db, roots)
  const ctx: FileImportContext = { db, dataDir, jobId, reports: options.reports }
  const summary: ImportSummary = {
    jobId, filesTotal: 0, imported: 0, failed: 0, already: 0, reportsMatched: 0, reportsUnmatched: 0, newErrors: 0, skipped: 0, picturesAmongDicom: 0,
    dicomReports: 0, reportsFailed: [], filmsIndexed: 0, dicomdirs: 0, megabytes: 0, seconds: 0, mbPerSecond: 0, studiesWithoutModelImage: 0
  }
  const started = performance.now()
  try {
    const scan = await scanRoots(roots, (f) => options.reports.isReportFile(f), options.signal)
    summary.filesTotal = scan.dicomFiles.length + scan.pictureFiles.length + scan.problems.length
    summary.skipped = scan.skipped
    summary.picturesAmongDicom = scan.picturesAmongDicom
    summary.dicomdirs = scan.dicomdirs.length
    for (const problem of scan.problems) count(summary, recordProblem(ctx, problem.file, problem.reason))
    const meter = new ProgressMeter(summary.filesTotal, 'files')
    let bytesDone = 0
    let lastProgressAt = 0
    let done = scan.problems.length
    const decoder = filmDecoder(options.decodeThreads ?? defaultDecodeThreads())
    // Files are prepared (read, decoded) ahead on the decoder's threads and stored in the walk's order, DICOM files first.
    const preparations = [
      ...scan.dicomFiles.map((file) => () => prepareDicomFile(ctx, file, decoder)),
      ...scan.pictureFiles.map((picture) => () => preparePictureFile(ctx, picture, decoder))
    ]
    const ahead: Promise<PreparedFile>[] = []
    let next = 0
    const prepareAhead = () => {
      while (next < preparations.length && ahead.length <= decoder.threads) ahead.push(preparations[next++]())
    }
    prepareAhead()
    while (ahead.length > 0) {
      options.signal?.throwIfAborted()
      const prepared = await ahead.shift()!
      prepareAhead()
      count(summary, await storeDicomFile(ctx, prepared))
      bytesDone += preparedBytes(prepared)
      done++
      if (performance.now() - lastProgressAt > PROGRESS_INTERVAL_MS || done === summary.filesTotal) {
        lastProgressAt = performance.now()
        const mbPerSecond = bytesDone / 1e6 / Math.max(1e-3, (performance.now() - started) / 1000)
        options.progress?.(meter.update(done, `${mbPerSecond.toFixed(1)} MB/s · ${summary.imported} new, ${summary.already} already, ${summary.failed} failed`))
        updateImportJob(db, jobId, summary)
        await options.yieldToEvents?.()
      }
    }
    await importReports(db, scan.reportFiles, summary, options)
    summary.megabytes = bytesDone / 1e6
    summary.seconds = (performance.now() - started) / 1000
    summary.mbPerSecond = summary.megabytes / Math.max(1e-3, summary.seconds)
    summary.studiesWithoutModelImage = libraryCounts(db).withoutModelImage
    updateImportJob(db, jobId, summary, 'done')
    return summary
  } catch (err) {
    const problem = storageProblem(err)
    try {
      updateImportJob(db, jobId, summary, options.signal?.aborted ? 'cancelled' : 'failed')
    } catch (recordErr) {
      // On a full disk even this row may not be written; the job is marked interrupted at the next start.
      if (!problem) throw recordErr
    }
    if (problem) throw new StorageFailure(dataDir, problem, `the import stopped after ${summary.imported} new image(s) of ${summary.filesTotal} file(s)`)
    throw err
  }
}

/**
 * Report files go in after all DICOM of the job, so matching sees the new studies (and what tables of
 * films imported before say of them: their views, patients, dates and cases), with a count of
 * reports (its total grows as files are read: a RIS export may hold a hundred thousand in one
 * table, stored in parts so that the count moves and a cancel lands between them); reports stored
 * earlier without a study are linked now that their study may have arrived.
 */
async function importReports(db: Db, files: string[], summary: ImportSummary, options: ImportOptions): Promise<void> {
  const counts = { matched: 0, unmatched: 0, already: 0, failed: summary.reportsFailed }
  summary.filmsIndexed += options.reports.applyStoredFilmIndex(db, summary.jobId)
  const meter = new ProgressMeter(files.length, 'reports')
  let found = 0
  let stored = 0
  const show = async (): Promise<void> => {
    options.signal?.throwIfAborted()
    options.progress?.(meter.update(stored, 'reading report files'))
    await options.yieldToEvents?.()
  }
  const readOf = async (file: string): Promise<{ read: ReadReports | null; failed: ReportCounts['failed'] }> => {
    const own: ReportCounts = { matched: 0, unmatched: 0, already: 0, failed: [] }
    return { read: await options.reports.readReportsOf(file, own), failed: own.failed }
  }
  let reading = files.length > 0 ? readOf(files[0]) : null
  for (const [i, file] of files.entries()) {
    await show()
    const { read, failed } = await reading!
    // the next file is read while this one is stored: the reader thread reads as the importing thread writes
    reading = i + 1 < files.length ? readOf(files[i + 1]) : null
    counts.failed.push(...failed)
    recordReportProblems(db, summary.jobId, file, failed.map((f) => f.reason))
    if (read && read.films.length > 0) summary.filmsIndexed += options.reports.storeFilmIndexOf(db, read)
    // files not read yet count one report each until they are
    found += read?.records.length ?? 0
    meter.setTotal(found + files.length - i - 1)
    for (let from = 0; read && from < read.records.length; from += REPORTS_PER_TRANSACTION) {
      const to = Math.min(read.records.length, from + REPORTS_PER_TRANSACTION)
      options.reports.storeReportsOf(db, read, from, to, summary.jobId, counts)
      stored += to - from
      if (to < read.records.length) await show()
    }
  }
  if (files.length > 0) options.progress?.(meter.update(stored, 'reading report files'))
  summary.reportsMatched += counts.matched
  summary.reportsUnmatched += counts.unmatched
  summary.reportsMatched += options.reports.relinkUnmatchedReports(db)
}

function preparedBytes(prepared: PreparedFile): number {
  if (prepared.kind === 'document') return prepared.bytes.length
  return prepared.size ?? 0
}

/** Reports stored in one transaction while a large table is imported: small enough for the count to move every second or so. */
const REPORTS_PER_TRANSACTION = 500

function count(summary: ImportSummary, outcome: FileOutcome): void {
  if (outcome === 'imported') summary.imported++
  else if (outcome === 'already') summary.already++
  else if (outcome === 'failed') {
    summary.failed++
    summary.newErrors++
  } else if (outcome === 'failed-again') summary.failed++
  else if (outcome === 'dicom-report') summary.dicomReports++
  else summary.skipped++
}

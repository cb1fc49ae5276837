/**
 * Report files read in a thread of their own, one at a time, with a ceiling on the memory and time a file
 * may take: a table of tens of millions of tiny rows, or an XML or JSON file of as many empty elements, fits
 * under the read limit (256 MB) yet would take more memory than the import has. Read in the importing
 * process it would end the import with a crash naming nothing; here it fails alone, named with the problem,
 * and the next file gets a new thread.
 */
import path from 'node:path'
import { readerThread } from '../tasks/reader-thread'
import type { ReportFileContent } from './report-records'

export interface ReportFileLimits {
  /** The reader's heap ceiling: a report table of 400,000 reports at the 256 MB read limit needs about 1 GB. */
  heapMb: number
  /** Longer than any real file takes (that table: 13 s on one core). */
  timeoutMs: number
}

const REPORT_FILE_LIMITS: ReportFileLimits = { heapMb: 3072, timeoutMs: 300_000 }

/** A reader of report files within `limits` (see the module's comment): a function of the file's path. */
export function reportFileReader(limits: ReportFileLimits = REPORT_FILE_LIMITS): (file: string) => Promise<ReportFileContent> {
  return readerThread<string, ReportFileContent>({
    name: 'the report reader',
    entry: 'report-worker',
    // Bundled, this module may sit in out/main/chunks/ while the worker entry is in out/main/.
    dirs: [__dirname, path.join(__dirname, '..')],
    timeoutMs: limits.timeoutMs,
    heapMb: limits.heapMb,
    tooLong: `reading it took longer than ${limits.timeoutMs / 1000} s, more than any report file takes, so it was not read`,
    tooLarge: `reading it took more than ${limits.heapMb} MB of memory, more than any report file needs (millions of tiny rows or elements?), so it was not read`,
    ended: (why) => `it could not be read (${why})`
  })
}

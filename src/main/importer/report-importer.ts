import type { Db } from '../store/database'

export interface ReportCounts {
  matched: number
  unmatched: number
  already: number
  failed: { file: string; reason: string }[]
}

/** A report file read for storing: its records (or, for a dataset's table of films, its films), which the report room stores back. */
export interface ReadReports {
  file: string
  records: readonly unknown[]
  films: readonly unknown[]
}

/**
 * What the import job needs from the report room (src/main/reports): it claims report files by
 * name, reads and stores them after all DICOM of the job is stored (so matching sees the studies),
 * and imports the reports kept in DICOM the walk finds (SR, Encapsulated PDF or CDA).
 */
export interface ReportImporter {
  isReportFile(path: string): boolean
  /** A report file's records, or null with the reason in `counts.failed`. */
  readReportsOf(file: string, counts: ReportCounts): Promise<ReadReports | null>
  /** Stores records [from, to) of a read file in one transaction (the import stores a large table in parts, showing its progress between them). */
  storeReportsOf(db: Db, read: ReadReports, from: number, to: number, jobId: number, counts: ReportCounts): void
  /** Stores what a table of films says of the films imported (their views, their cases); returns how many it found. */
  storeFilmIndexOf(db: Db, read: ReadReports): number
  /** Gives a job's films what tables of films imported before them say (storeFilmIndexOf keeps it); returns how many it found. */
  applyStoredFilmIndex(db: Db, jobId: number): number
  importStructuredReport(db: Db, file: string, dataSet: never, jobId: number): 'matched' | 'unmatched' | 'already'
  importEncapsulatedDocument(db: Db, file: string, dataSet: never, jobId: number): Promise<'matched' | 'unmatched' | 'already'>
  /** Links reports stored before their study arrived; returns how many it linked. */
  relinkUnmatchedReports(db: Db): number
}

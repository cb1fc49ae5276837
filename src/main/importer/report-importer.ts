import type { Db } from '../store/database'

/**
 * What the import job needs from the report room (src/main/reports): it claims report files by
 * name, imports them after all DICOM of the job is stored (so matching sees the studies), and
 * imports DICOM SR documents the walk finds.
 */
export interface ReportImporter {
  isReportFile(path: string): boolean
  importReportFiles(db: Db, files: string[], jobId: number): { matched: number; unmatched: number; failed: { file: string; reason: string }[] }
  importStructuredReport(db: Db, file: string, dataSet: never, jobId: number): 'matched' | 'unmatched' | 'already'
  /** Links reports stored before their study arrived; returns how many it linked. */
  relinkUnmatchedReports(db: Db): number
}

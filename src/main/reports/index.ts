/** Radiology reports: parsing nodule findings from text, and importing report files into the store. */
export { parseReport, detectLanguage } from './nodule-parser'
export { isReportFile, importReportFiles, readReportsOf, storeReportsOf, unmatchedReports, relinkUnmatchedReports } from './report-import'
export type { ReadReports, ReportImportResult, UnmatchedReport } from './report-import'
export { importStructuredReport } from './structured-report'
export { importEncapsulatedDocument } from './encapsulated-document'
export { isPdf, pdfText } from './pdf'
export { hl7Reports, isHl7Message } from './hl7'
export { decodeReportBytes } from './text'

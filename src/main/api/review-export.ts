import path from 'node:path'
import { writeDataFile } from '../importer/image-files'
import type { ExportRow } from '../store/review-repository'
import { reviewStructuredReport } from './review-sr'

/**
 * De-identified exports of reviewed findings: studies appear by pseudonym only (the rows carry no
 * name, patient ID or birth date to begin with). Files go to `<data>/exports/`, never to a path
 * from the renderer, and their bytes go back for a browser download.
 */

const CSV_COLUMNS: (keyof ExportRow)[] = [
  'findingId',
  'pseudonym',
  'studyDate',
  'viewPosition',
  'decision',
  'reason',
  'originalText',
  'finalText',
  'originalStructured',
  'finalStructured',
  'reviewer',
  'secondsOnTask',
  'reviewedAt'
]

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  // Quote always; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

export function reviewCsv(rows: ExportRow[]): string {
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))]
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

export function reviewJson(rows: ExportRow[], exportedAt: string): string {
  return JSON.stringify({ kind: 'vision-zero-review-export', version: 1, exportedAt, deidentified: true, findings: rows }, null, 2)
}

export interface ExportFile {
  fileName: string
  mediaType: string
  bytes: Buffer
}

const exportStamp = (now: Date) => now.toISOString().replace(/[:.]/g, '-')

export function writeReviewExport(dataDir: string, format: 'csv' | 'json', rows: ExportRow[], now = new Date()): ExportFile {
  const fileName = `review-${exportStamp(now)}.${format}`
  const text = format === 'csv' ? reviewCsv(rows) : reviewJson(rows, now.toISOString())
  writeDataFile(dataDir, path.join('exports', fileName), text)
  return { fileName, mediaType: format === 'csv' ? 'text/csv' : 'application/json', bytes: Buffer.from(text, 'utf8') }
}

/** The DICOM SR document of one study's reviewed findings, named by its pseudonym. */
export function writeReviewSr(dataDir: string, study: { pseudonym: string; studyUid: string }, rows: ExportRow[], now = new Date()): ExportFile {
  const fileName = `review-${study.pseudonym}-${exportStamp(now)}.dcm`
  const bytes = reviewStructuredReport(study, rows, now)
  writeDataFile(dataDir, path.join('exports', fileName), bytes)
  return { fileName, mediaType: 'application/dicom', bytes }
}

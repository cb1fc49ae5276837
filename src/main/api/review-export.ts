import path from 'node:path'
import { writeDataFile } from '../importer/image-files'
import { BasicProfile, deidentificationMethod, uidKey, type StudyIdentifiers } from '../privacy/basic-profile'
import type { ExportRow } from '../store/review-repository'
import { reviewStructuredReport, type ExportedStudy } from './review-sr'

/**
 * De-identified exports of reviewed findings (PS3.15 basic profile, src/main/privacy): studies
 * appear by pseudonym only, with no dates; reviewers as "Reviewer N"; free text cleaned of the
 * studies' identifiers. Files go to `<data>/exports/`, never to a path from the renderer, and
 * their bytes go back for a browser download.
 */

/** An export row after the profile: no study date or review time, reviewer and texts replaced. */
export type DeidentifiedRow = Omit<ExportRow, 'studyDate' | 'reviewedAt'>

const CSV_COLUMNS: (keyof DeidentifiedRow)[] = [
  'findingId',
  'pseudonym',
  'viewPosition',
  'decision',
  'reason',
  'comment',
  'originalText',
  'certainty',
  'finalText',
  'originalStructured',
  'finalStructured',
  'reviewer',
  'secondsOnTask'
]

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  // Quote always; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return `"${safe.replace(/"/g, '""')}"`
}

/** The profile applied to rows: dates dropped, reviewer replaced, every text and structured text cleaned. */
export function deidentifiedRows(rows: ExportRow[], profile: BasicProfile): DeidentifiedRow[] {
  const cleanJson = (value: unknown) => (value === null || value === undefined ? value : (JSON.parse(profile.text(JSON.stringify(value))) as unknown))
  return rows.map(({ studyDate: _date, reviewedAt: _at, ...row }) => ({
    ...row,
    reason: row.reason === null ? null : profile.text(row.reason),
    comment: row.comment === null ? null : profile.text(row.comment),
    originalText: profile.text(row.originalText),
    finalText: profile.text(row.finalText),
    originalStructured: cleanJson(row.originalStructured),
    finalStructured: cleanJson(row.finalStructured),
    reviewer: profile.person(row.reviewer)
  }))
}

export function reviewCsv(rows: DeidentifiedRow[]): string {
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))]
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}

export function reviewJson(rows: DeidentifiedRow[]): string {
  const { DeidentificationMethodCodeSequence: codes, ...method } = deidentificationMethod
  return JSON.stringify({ kind: 'vision-zero-review-export', version: 2, ...method, deidentificationMethodCodes: codes.map((c) => c.CodeValue), findings: rows }, null, 2)
}

export interface ExportFile {
  fileName: string
  mediaType: string
  bytes: Buffer
}

export const exportStamp = (now: Date): string => now.toISOString().replace(/[:.]/g, '-')

/** `identifiers`: of every study the rows come from, so free text can be cleaned of them. */
export function writeReviewExport(dataDir: string, format: 'csv' | 'json', rows: ExportRow[], identifiers: StudyIdentifiers[], now = new Date()): ExportFile {
  const fileName = `review-${exportStamp(now)}.${format}`
  const clean = deidentifiedRows(rows, new BasicProfile(uidKey(dataDir), identifiers))
  const text = format === 'csv' ? reviewCsv(clean) : reviewJson(clean)
  writeDataFile(dataDir, path.join('exports', fileName), text)
  return { fileName, mediaType: format === 'csv' ? 'text/csv' : 'application/json', bytes: Buffer.from(text, 'utf8') }
}

/** The DICOM SR document of one study's reviewed findings, named by its pseudonym. */
export function writeReviewSr(dataDir: string, study: ExportedStudy, rows: ExportRow[], now = new Date()): ExportFile {
  const fileName = `review-${study.pseudonym}-${exportStamp(now)}.dcm`
  const bytes = reviewStructuredReport(study, rows, new BasicProfile(uidKey(dataDir), [study]), now)
  writeDataFile(dataDir, path.join('exports', fileName), bytes)
  return { fileName, mediaType: 'application/dicom', bytes }
}

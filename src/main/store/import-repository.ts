import crypto from 'node:crypto'
import type { ImportJob, LibraryCounts, Projection, StudyListRow, TaskStatus } from '../../shared/contract'
import { statement, type Db } from './database'
import { STUDY_MODEL_IMAGE_ID } from './study-repository'
import { FINDING_IN_REVIEW } from './review-repository'

/** SQL of the importer: import jobs, studies, series and one images row per DICOM file seen. */

export interface ImportCounts {
  filesTotal: number
  imported: number
  failed: number
  already: number
  reportsMatched: number
  reportsUnmatched: number
  /** Pictures passed over for lying in a folder of DICOM films. */
  picturesAmongDicom: number
  /** Films a dataset's table of films named. */
  filmsIndexed: number
}

export function createImportJob(db: Db, roots: string[]): number {
  const info = db
    .prepare("INSERT INTO import_jobs (roots_json, status, started_at) VALUES (?, 'running', ?)")
    .run(JSON.stringify(roots), new Date().toISOString())
  return Number(info.lastInsertRowid)
}

export function updateImportJob(db: Db, id: number, counts: ImportCounts, status?: 'done' | 'cancelled' | 'failed'): void {
  db.prepare(
    `UPDATE import_jobs SET files_total = ?, files_imported = ?, files_failed = ?, files_already = ?,
       reports_matched = ?, reports_unmatched = ?, pictures_among_dicom = ?, films_indexed = ?, status = COALESCE(?, status),
       finished_at = CASE WHEN ? IS NULL THEN finished_at ELSE ? END
     WHERE id = ?`
  ).run(
    counts.filesTotal,
    counts.imported,
    counts.failed,
    counts.already,
    counts.reportsMatched,
    counts.reportsUnmatched,
    counts.picturesAmongDicom,
    counts.filmsIndexed,
    status ?? null,
    status ?? null,
    new Date().toISOString(),
    id
  )
}

/** Whether an instance is already stored (dedup key: SOP Instance UID). */
export function hasImportedInstance(db: Db, sopInstanceUid: string): boolean {
  return statement(db, "SELECT 1 FROM images WHERE sop_instance_uid = ? AND status = 'ok'").get(sopInstanceUid) !== undefined
}

/** Whether the file at this path, of this size, is an image already imported (a picture met again: its instance is named by its content). */
export function hasImportedFile(db: Db, filePath: string, fileSize: number): boolean {
  return statement(db, "SELECT 1 FROM images WHERE file_path = ? AND file_size = ? AND status = 'ok'").get(filePath, fileSize) !== undefined
}

/**
 * When this exact file (path and content) already has an error row, moves that row to the job
 * re-reading it (so the job's error list is complete) and returns true: a re-import adds no row.
 */
export function claimErrorRow(db: Db, filePath: string, sha256: string | null, jobId: number): boolean {
  return (
    statement(db, "UPDATE images SET import_job_id = ? WHERE status = 'error' AND file_path = ? AND file_sha256 IS ?").run(jobId, filePath, sha256)
      .changes > 0
  )
}

export function hasReportFromSource(db: Db, sourcePath: string): boolean {
  return statement(db, 'SELECT 1 FROM reports WHERE source_path = ?').get(sourcePath) !== undefined
}

export interface ErrorRow {
  jobId: number
  filePath: string
  fileSize: number | null
  sha256: string | null
  sopClassUid: string | null
  transferSyntaxUid: string | null
  error: string
}

export function insertErrorRow(db: Db, row: ErrorRow): void {
  statement(db,
    `INSERT INTO images (import_job_id, file_path, file_size, file_sha256, sop_class_uid, transfer_syntax_uid, status, error, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'error', ?, ?)`
  ).run(row.jobId, row.filePath, row.fileSize, row.sha256, row.sopClassUid, row.transferSyntaxUid, row.error, new Date().toISOString())
}

/** PHI lives here and nowhere else; everything downstream sees the pseudonym. */
export interface StudyFields {
  studyUid: string
  patientId: string | null
  patientName: string | null
  patientBirthDate: string | null
  patientSex: string | null
  studyDate: string | null
  accessionNumber: string | null
  description: string | null
}

export interface SeriesFields {
  seriesUid: string
  modality: string | null
  bodyPart: string | null
  viewPosition: string | null
  description: string | null
}

export interface ImageFields {
  jobId: number
  sopInstanceUid: string
  sopClassUid: string
  filePath: string
  fileSize: number
  sha256: string
  transferSyntaxUid: string
  rows: number
  columns: number
  photometric: string
  bitsStored: number
  spacingRowMm: number | null
  spacingColMm: number | null
  spacingKind: 'pixel' | 'imager' | 'none'
  viewPosition: string | null
  projection: Projection | null
  forProcessing: boolean
  /** 0 for a film as acquired; higher for an image made from one, chosen after it as the study's model image (projection.ts's filmOrigin). */
  modelImageRank: number
  tags: Record<string, unknown>
  displayPath: string
  displaySha256: string
  /** null for a film the model does not read (not a chest radiograph). */
  modelPath: string | null
  modelSha256: string | null
  /** How frontal the model image looks (dicom/frontal-likeness.ts); null without one. */
  frontalLikeness: number | null
}

const PSEUDONYM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function newPseudonym(): string {
  const bytes = crypto.randomBytes(8)
  return 'CXR-' + Array.from(bytes, (b) => PSEUDONYM_ALPHABET[b % PSEUDONYM_ALPHABET.length]).join('')
}

function studyId(db: Db, study: StudyFields): number {
  const found = statement(db, 'SELECT id FROM studies WHERE study_uid = ?').get(study.studyUid) as { id: number } | undefined
  if (found) return found.id
  let pseudonym = newPseudonym()
  while (statement(db, 'SELECT 1 FROM studies WHERE pseudonym = ?').get(pseudonym)) pseudonym = newPseudonym()
  const info = statement(db,
      `INSERT INTO studies (study_uid, pseudonym, patient_id, patient_name, patient_birth_date, patient_sex, study_date,
         accession_number, description, created_at)
       VALUES (@studyUid, @pseudonym, @patientId, @patientName, @patientBirthDate, @patientSex, @studyDate,
         @accessionNumber, @description, @createdAt)`
    )
    .run({ ...study, pseudonym, createdAt: new Date().toISOString() })
  return Number(info.lastInsertRowid)
}

function seriesId(db: Db, studyRowId: number, series: SeriesFields): number {
  const found = statement(db, 'SELECT id FROM series WHERE series_uid = ?').get(series.seriesUid) as { id: number } | undefined
  if (found) return found.id
  const info = statement(db, 'INSERT INTO series (study_id, series_uid, modality, body_part, view_position, description) VALUES (?, ?, ?, ?, ?, ?)')
    .run(studyRowId, series.seriesUid, series.modality, series.bodyPart, series.viewPosition, series.description)
  return Number(info.lastInsertRowid)
}

/** Study, series and image rows of one instance, in one IMMEDIATE transaction (it reads, then writes, beside other processes). Returns the image id. */
export function insertImportedImage(db: Db, study: StudyFields, series: SeriesFields, image: ImageFields): number {
  return db.transaction(() => {
    const seriesRowId = seriesId(db, studyId(db, study), series)
    const info = statement(db,
        `INSERT INTO images (series_id, import_job_id, sop_instance_uid, sop_class_uid, file_path, file_size, file_sha256,
           transfer_syntax_uid, rows, columns, photometric, bits_stored, spacing_row_mm, spacing_col_mm, spacing_kind,
           view_position, projection, for_processing, model_image_rank, tags_json, display_path, display_sha256, model_path, model_sha256, frontal_likeness,
           status, created_at)
         VALUES (@seriesRowId, @jobId, @sopInstanceUid, @sopClassUid, @filePath, @fileSize, @sha256,
           @transferSyntaxUid, @rows, @columns, @photometric, @bitsStored, @spacingRowMm, @spacingColMm, @spacingKind,
           @viewPosition, @projection, @forProcessing, @modelImageRank, @tags, @displayPath, @displaySha256, @modelPath, @modelSha256, @frontalLikeness,
           'ok', @createdAt)`
      )
      .run({ ...image, seriesRowId, forProcessing: image.forProcessing ? 1 : 0, tags: JSON.stringify(image.tags), createdAt: new Date().toISOString() })
    return Number(info.lastInsertRowid)
  }).immediate()
}

export interface StudyFilter {
  pseudonym?: string
  modality?: string
  dateFrom?: string
  dateTo?: string
  hasReport?: boolean
  hasFindings?: boolean
  hasModelImage?: boolean
  reviewStatus?: 'pending' | 'reviewed'
  withPatientNames?: boolean
  limit: number
  offset: number
}

/** Pseudonymised study rows (no names, IDs or birth dates) with the total that matches the filter. */
export function listStudies(db: Db, filter: StudyFilter): { total: number; rows: StudyListRow[] } {
  const where: string[] = []
  const args: (string | number)[] = []
  if (filter.pseudonym) {
    where.push("s.pseudonym LIKE ? ESCAPE '\\'")
    args.push(`%${filter.pseudonym.replace(/[\\%_]/g, (c) => '\\' + c)}%`)
  }
  if (filter.modality) {
    where.push('EXISTS (SELECT 1 FROM series m WHERE m.study_id = s.id AND m.modality = ?)')
    args.push(filter.modality)
  }
  if (filter.dateFrom) {
    where.push('s.study_date >= ?')
    args.push(filter.dateFrom)
  }
  if (filter.dateTo) {
    where.push('s.study_date <= ?')
    args.push(filter.dateTo)
  }
  if (filter.hasReport !== undefined) where.push(`${filter.hasReport ? '' : 'NOT '}EXISTS (SELECT 1 FROM reports r WHERE r.study_id = s.id)`)
  if (filter.hasFindings !== undefined) where.push(`${filter.hasFindings ? '' : 'NOT '}EXISTS (SELECT 1 FROM findings f WHERE f.study_id = s.id)`)
  if (filter.hasModelImage !== undefined) where.push(`${STUDY_MODEL_IMAGE_ID} IS ${filter.hasModelImage ? 'NOT ' : ''}NULL`)
  if (filter.reviewStatus) {
    const unreviewed = `EXISTS (SELECT 1 FROM findings f WHERE f.study_id = s.id AND ${FINDING_IN_REVIEW} AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.finding_id = f.id))`
    where.push(filter.reviewStatus === 'pending' ? unreviewed : `EXISTS (SELECT 1 FROM findings f WHERE f.study_id = s.id) AND NOT ${unreviewed}`)
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = (db.prepare(`SELECT count(*) AS n FROM studies s ${clause}`).get(...args) as { n: number }).n
  const rows = db
    .prepare(
      `SELECT s.id, s.pseudonym, s.study_date AS studyDate,
         (SELECT group_concat(DISTINCT se.modality) FROM series se WHERE se.study_id = s.id) AS modalities,
         (SELECT group_concat(DISTINCT i.view_position) FROM images i JOIN series se ON se.id = i.series_id WHERE se.study_id = s.id) AS views,
         (SELECT group_concat(DISTINCT i.projection) FROM images i JOIN series se ON se.id = i.series_id WHERE se.study_id = s.id) AS projections,
         (SELECT count(*) FROM images i JOIN series se ON se.id = i.series_id WHERE se.study_id = s.id) AS images,
         (SELECT count(*) FROM images i JOIN series se ON se.id = i.series_id WHERE se.study_id = s.id AND i.for_processing = 1) AS forProcessingImages,
         (SELECT count(*) FROM reports r WHERE r.study_id = s.id) AS reports,
         (SELECT count(*) FROM findings f WHERE f.study_id = s.id AND ${FINDING_IN_REVIEW}) AS findings,
         (SELECT count(*) FROM findings f WHERE f.study_id = s.id AND EXISTS (SELECT 1 FROM reviews v WHERE v.finding_id = f.id)) AS reviewedFindings,
         s.patient_name AS patientName
       FROM studies s ${clause} ORDER BY s.study_date DESC, s.id DESC LIMIT ? OFFSET ?`
    )
    .all(...args, filter.limit, filter.offset) as (Omit<StudyListRow, 'modalities' | 'viewPositions' | 'projections' | 'patientName'> & {
    modalities: string | null
    views: string | null
    projections: string | null
    patientName: string | null
  })[]
  return {
    total,
    rows: rows.map(({ modalities, views, projections, patientName, ...r }) => ({
      ...r,
      ...(filter.withPatientNames ? { patientName: patientName ?? null } : {}),
      modalities: modalities ? modalities.split(',') : [],
      viewPositions: views ? views.split(',') : [],
      projections: projections ? (projections.split(',') as Projection[]) : []
    }))
  }
}

/** The library's totals; `withoutModelImage`: studies the model can neither train on nor describe (see STUDY_MODEL_IMAGE_ID). */
export function libraryCounts(db: Db): LibraryCounts {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM studies) AS studies,
              (SELECT count(*) FROM images WHERE status = 'ok') AS images,
              (SELECT count(*) FROM images WHERE status = 'error') + (SELECT count(*) FROM report_errors) AS errors,
              (SELECT count(*) FROM studies s WHERE ${STUDY_MODEL_IMAGE_ID} IS NULL) AS withoutModelImage`
    )
    .get() as LibraryCounts
}

export function listImportJobs(db: Db, limit = 50): ImportJob[] {
  const rows = db
    .prepare('SELECT j.*, (SELECT count(*) FROM report_errors e WHERE e.import_job_id = j.id) AS reports_failed FROM import_jobs j ORDER BY j.id DESC LIMIT ?')
    .all(limit) as Record<string, unknown>[]
  return rows.map((r) => ({
    id: r.id as number,
    roots: JSON.parse(r.roots_json as string) as string[],
    status: r.status as TaskStatus,
    startedAt: r.started_at as string,
    finishedAt: r.finished_at as string | null,
    filesTotal: r.files_total as number,
    imported: r.files_imported as number,
    failed: r.files_failed as number,
    already: r.files_already as number,
    reportsMatched: r.reports_matched as number,
    reportsUnmatched: r.reports_unmatched as number,
    reportsFailed: r.reports_failed as number,
    picturesAmongDicom: r.pictures_among_dicom as number,
    filmsIndexed: r.films_indexed as number
  }))
}

export function importJobExists(db: Db, id: number): boolean {
  return db.prepare('SELECT 1 FROM import_jobs WHERE id = ?').get(id) !== undefined
}

/**
 * What became of one report file in an import: the problems it had now replace any an earlier
 * import recorded for it (none when it was read whole), under this job.
 */
export function recordReportProblems(db: Db, jobId: number, file: string, reasons: string[]): void {
  // Most files read whole and never failed: no write, so a folder of thousands adds no transactions.
  if (reasons.length === 0 && !db.prepare('SELECT 1 FROM report_errors WHERE file_path = ? LIMIT 1').get(file)) return
  const now = new Date().toISOString()
  db.transaction(() => {
    db.prepare('DELETE FROM report_errors WHERE file_path = ?').run(file)
    const insert = db.prepare('INSERT INTO report_errors (import_job_id, file_path, error, created_at) VALUES (?, ?, ?, ?)')
    for (const reason of reasons) insert.run(jobId, file, reason, now)
  }).immediate()
}

/** The files that failed, with their reasons: of one job, or of every job (newest first). */
export function listImportErrors(db: Db, jobId: number | null, limit: number, offset: number): { total: number; rows: { file: string; reason: string; jobId: number | null }[] } {
  // DICOM files that failed (image rows in error) and report files that could not be read, in that order within a job.
  const failures = `SELECT 0 AS kind, id, file_path AS file, error AS reason, import_job_id AS jobId FROM images WHERE status = 'error'
    UNION ALL SELECT 1 AS kind, id, file_path AS file, error AS reason, import_job_id AS jobId FROM report_errors`
  const where = jobId === null ? '' : 'WHERE jobId = ?'
  const args = jobId === null ? [] : [jobId]
  const total = (db.prepare(`SELECT count(*) AS n FROM (${failures}) ${where}`).get(...args) as { n: number }).n
  const order = jobId === null ? 'jobId DESC, kind, id DESC' : 'kind, id'
  const rows = db
    .prepare(`SELECT file, reason, jobId FROM (${failures}) ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as { file: string; reason: string; jobId: number | null }[]
  return { total, rows }
}

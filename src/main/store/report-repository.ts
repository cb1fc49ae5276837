import path from 'node:path'
import { statement, type Db } from './database'
import { STUDY_MODEL_IMAGE_ID, isNonFrontalView, modelImageOrder } from './study-repository'
import { SopClass } from '../dicom/uids'

/**
 * SQL of reports/: the reports table, the studies and films a report is matched to (reports/report-import.ts
 * decides which), what a dataset's table of films gives its films, and the views of one study made one
 * (reports/study-views.ts). Each lookup answers one question; the order they are asked in is the matcher's.
 */

/** An imported film and its study. */
export interface FilmOfStudy {
  imageId: number
  studyId: number
}

export interface NewReportRow {
  studyId: number | null
  jobId: number | null
  sourcePath: string
  sourceKind: string
  matchKey: string | null
  encoding: string
  language: string
  text: string
  sectionsJson: string
  findingsJson: string
}

export function insertReport(db: Db, row: NewReportRow): void {
  statement(db,
    `INSERT INTO reports (study_id, import_job_id, source_path, source_kind, match_key, encoding, language, raw_text,
       sections_json, findings_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  ).run(row.studyId, row.jobId, row.sourcePath, row.sourceKind, row.matchKey, row.encoding, row.language, row.text, row.sectionsJson, row.findingsJson, new Date().toISOString())
}

/** The report stored from this source under this match key with this text (by the (source_path, match_key) index). */
export function storedReport(db: Db, sourcePath: string, matchKey: string | null, text: string): { id: number; studyId: number | null } | undefined {
  return statement(db, 'SELECT id, study_id AS studyId FROM reports WHERE source_path = ? AND match_key IS ? AND raw_text = ?').get(sourcePath, matchKey, text) as
    | { id: number; studyId: number | null }
    | undefined
}

export function setReportStudy(db: Db, reportId: number, studyId: number): void {
  statement(db, 'UPDATE reports SET study_id = ? WHERE id = ?').run(studyId, reportId)
}

export interface UnmatchedReportRow {
  id: number
  sourcePath: string
  sourceKind: string
  matchKey: string | null
  language: string | null
  createdAt: string
  rawText: string
}

/** The reports stored without a study, oldest first. */
export function unmatchedReportRows(db: Db): UnmatchedReportRow[] {
  return statement(db,
    `SELECT id, source_path AS sourcePath, source_kind AS sourceKind, match_key AS matchKey, language,
            created_at AS createdAt, raw_text AS rawText
     FROM reports WHERE study_id IS NULL ORDER BY id`
  ).all() as UnmatchedReportRow[]
}

/** The reports without a study that offered keys to match by. */
export function reportsToMatchAgain(db: Db): { id: number; matchKey: string; sourcePath: string }[] {
  return statement(db, 'SELECT id, match_key AS matchKey, source_path AS sourcePath FROM reports WHERE study_id IS NULL AND match_key IS NOT NULL').all() as {
    id: number
    matchKey: string
    sourcePath: string
  }[]
}

/** The ids of the studies with this study UID. */
export function studiesWithUid(db: Db, uid: string): number[] {
  return ids(statement(db, 'SELECT id FROM studies WHERE study_uid = ?').all(uid))
}

/**
 * The ids of at most two studies with this accession number — or, `loosely`, with the same number
 * written differently (a spreadsheet drops its leading zeros, 0001234567 → 1234567; a RIS may change
 * its case; at least three characters are left to compare).
 */
export function studiesWithAccession(db: Db, accession: string, loosely: boolean): number[] {
  const sql = loosely
    ? `SELECT id FROM studies WHERE length(ltrim(accession_number, '0')) >= 3 AND upper(ltrim(accession_number, '0')) = upper(ltrim(?, '0')) LIMIT 2`
    : 'SELECT id FROM studies WHERE accession_number = ? LIMIT 2'
  return ids(statement(db, sql).all(accession))
}

/** At most twenty studies of a patient (on `studyDate`, or any day for ''), each with whether it has a model image; `loosely` as studiesWithAccession. */
export function studiesOfPatientDay(db: Db, patientId: string, studyDate: string, loosely: boolean): { id: number; radiograph: number }[] {
  const patient = loosely ? `length(ltrim(s.patient_id, '0')) >= 3 AND upper(ltrim(s.patient_id, '0')) = upper(ltrim(?, '0'))` : 's.patient_id = ?'
  return statement(db, `SELECT s.id, ${STUDY_MODEL_IMAGE_ID} IS NOT NULL AS radiograph FROM studies s WHERE ${patient} AND (? = '' OR s.study_date = ?) LIMIT 20`).all(
    patientId,
    studyDate,
    studyDate
  ) as { id: number; radiograph: number }[]
}

/** The film imported from exactly this path. */
export function filmAt(db: Db, file: string): FilmOfStudy | null {
  const row = statement(db, `SELECT i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ? AND i.status = 'ok' LIMIT 1`).get(file)
  return (row as FilmOfStudy | undefined) ?? null
}

/** The arguments that bound the file paths below `folder`: they sort between "folder/" and the next character after the separator. */
const pathsBelow = (folder: string): [string, string] => [folder + path.sep, folder + String.fromCharCode(path.sep.charCodeAt(0) + 1)]

/** The films imported below `folder`, by path. */
export function filmsBelow(db: Db, folder: string): (FilmOfStudy & { file: string })[] {
  return statement(db,
    `SELECT i.file_path AS file, i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id
      WHERE i.file_path >= ? AND i.file_path < ? AND i.status = 'ok' ORDER BY i.file_path`
  ).all(...pathsBelow(folder)) as (FilmOfStudy & { file: string })[]
}

/** A film below `folder` whose path is LIKE `pattern` (escaped with '!'). */
export function filmBelowLike(db: Db, folder: string, pattern: string): FilmOfStudy | null {
  const row = statement(db,
    `SELECT i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id
      WHERE i.file_path >= ? AND i.file_path < ? AND i.file_path LIKE ? ESCAPE '!' AND i.status = 'ok' LIMIT 1`
  ).get(...pathsBelow(folder), pattern)
  return (row as FilmOfStudy | undefined) ?? null
}

/** At most a hundred films with one of these file names, by the films' indexed names (migration 26), each with its study. */
export function filmsNamedAnywhere(db: Db, names: string[]): { studyId: number; file: string }[] {
  return statement(db,
    `SELECT se.study_id AS studyId, i.file_path AS file FROM images i JOIN series se ON se.id = i.series_id
      WHERE i.file_name IN (${names.map(() => '?').join(', ')}) AND i.status = 'ok' LIMIT 100`
  ).all(...names) as { studyId: number; file: string }[]
}

/** At most two studies of pictures (PNG, JPEG read as Secondary Captures) that picture.ts described as `description`. */
export function pictureStudiesDescribed(db: Db, description: string): number[] {
  return ids(
    statement(db,
      `SELECT s.id FROM studies s WHERE s.description = ? AND EXISTS (
         SELECT 1 FROM series se JOIN images i ON i.series_id = se.id
          WHERE se.study_id = s.id AND i.sop_class_uid = '${SopClass.secondaryCapture}' AND (lower(i.file_path) LIKE '%.png' OR lower(i.file_path) LIKE '%.jpg' OR lower(i.file_path) LIKE '%.jpeg'))
       LIMIT 2`
    ).all(description)
  )
}

/**
 * At most two studies with films in `folder`: anywhere below it (MIMIC-CXR keeps s50414267.txt beside
 * s50414267/, its study's films), or directly in it (an export with each study's report among its
 * films) — not below, where a patient's other studies lie.
 */
export function studiesInFolder(db: Db, folder: string, depth: 'below' | 'directly'): number[] {
  const [from, until] = pathsBelow(folder)
  return ids(
    statement(db,
      `SELECT DISTINCT se.study_id AS id FROM images i JOIN series se ON se.id = i.series_id
        WHERE i.file_path >= ? AND i.file_path < ? AND (? = 'below' OR instr(substr(i.file_path, ?), ?) = 0) LIMIT 2`
    ).all(from, until, depth, from.length + 1, path.sep)
  )
}

/** The study of a dataset's case: of its films, the one that would be a study's model image first (modelImageOrder), a lateral last. */
export function studyOfCase(db: Db, caseId: string): number | null {
  const row = statement(db,
    `SELECT se.study_id AS id FROM film_cases c JOIN images i ON i.id = c.image_id JOIN series se ON se.id = i.series_id
      WHERE c.case_key = ? AND i.status = 'ok' ORDER BY ${isNonFrontalView('i')}, ${modelImageOrder('i')} LIMIT 1`
  ).get(caseId) as { id: number } | undefined
  return row?.id ?? null
}

/** The films a table of films linked to this case. */
export function filmsOfCase(db: Db, caseId: string, table: string): FilmOfStudy[] {
  return statement(db,
    `SELECT c.image_id AS imageId, se.study_id AS studyId FROM film_cases c JOIN images i ON i.id = c.image_id JOIN series se ON se.id = i.series_id
      WHERE c.case_key = ? AND c.source_path = ? AND i.status = 'ok'`
  ).all(caseId, table) as FilmOfStudy[]
}

export function linkFilmToCase(db: Db, caseId: string, imageId: number, table: string): void {
  statement(db, 'INSERT OR IGNORE INTO film_cases (case_key, image_id, source_path) VALUES (?, ?, ?)').run(caseId, imageId, table)
}

/** A row of film_index_entries (migration 24): what a table of films says of the film it names by `image_key`. */
export interface StoredFilmIndexEntry {
  table_path: string
  image_key: string
  view: string | null
  case_id: string | null
  patient_id: string | null
  study_date: string | null
  spacing_row_mm: number | null
  spacing_col_mm: number | null
  spacing_rows: number | null
  spacing_columns: number | null
}

export function hasFilmIndexEntries(db: Db): boolean {
  return statement(db, 'SELECT 1 FROM film_index_entries LIMIT 1').get() !== undefined
}

export function filmIndexEntriesWithKey(db: Db, imageKey: string): StoredFilmIndexEntry[] {
  return statement(db, 'SELECT * FROM film_index_entries WHERE image_key = ?').all(imageKey) as StoredFilmIndexEntry[]
}

export function forgetFilmIndexTable(db: Db, table: string): void {
  statement(db, 'DELETE FROM film_index_entries WHERE table_path = ?').run(table)
}

export function keepFilmIndexEntry(db: Db, entry: StoredFilmIndexEntry): void {
  statement(db,
    `INSERT OR REPLACE INTO film_index_entries (table_path, image_key, view, case_id, patient_id, study_date, spacing_row_mm, spacing_col_mm, spacing_rows, spacing_columns)
     VALUES (@table_path, @image_key, @view, @case_id, @patient_id, @study_date, @spacing_row_mm, @spacing_col_mm, @spacing_rows, @spacing_columns)`
  ).run(entry)
}

/** The films a job imported. */
export function filmsOfJob(db: Db, jobId: number): (FilmOfStudy & { file: string })[] {
  return statement(db, `SELECT i.id AS imageId, se.study_id AS studyId, i.file_path AS file FROM images i JOIN series se ON se.id = i.series_id WHERE i.import_job_id = ? AND i.status = 'ok'`).all(
    jobId
  ) as (FilmOfStudy & { file: string })[]
}

/** A film's view where its header named none. */
export function fillFilmProjection(db: Db, imageId: number, projection: string): void {
  statement(db, 'UPDATE images SET projection = ? WHERE id = ? AND projection IS NULL').run(projection, imageId)
}

/** A study's patient ID and date where it has none. */
export function fillStudyPatientDay(db: Db, studyId: number, patientId: string | null, studyDate: string | null): void {
  if (patientId) statement(db, `UPDATE studies SET patient_id = ? WHERE id = ? AND trim(coalesce(patient_id, '')) = ''`).run(patientId, studyId)
  if (studyDate) statement(db, `UPDATE studies SET study_date = ? WHERE id = ? AND trim(coalesce(study_date, '')) = ''`).run(studyDate, studyId)
}

/**
 * A film's pixel spacing where it has none: `rowMm` × `colMm` at a film of `rows` × `columns` scaled to
 * the film's own size, of the imager's kind (a table does not say whether the lengths are at the patient
 * or the detector), noted among its tags as coming `from` there.
 */
export function fillFilmSpacing(db: Db, imageId: number, spacing: { rowMm: number; colMm: number; rows: number; columns: number }, from: string): void {
  statement(db,
    `UPDATE images SET spacing_row_mm = @rowMm * @rows / rows, spacing_col_mm = @colMm * @columns / columns, spacing_kind = 'imager',
            tags_json = json_set(coalesce(tags_json, '{}'), '$.pixelSpacingFrom', @from)
      WHERE id = @imageId AND coalesce(spacing_kind, 'none') = 'none' AND rows > 0 AND columns > 0`
  ).run({ ...spacing, imageId, from })
}

/** Of these films, the one their study's model image would be (modelImageOrder), a lateral last; null for none. */
export function mostFrontal(db: Db, films: FilmOfStudy[]): FilmOfStudy | null {
  if (films.length < 2) return films[0] ?? null
  const first = statement(db,
    `SELECT i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id
      WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY ${isNonFrontalView('i')}, ${modelImageOrder('i')} LIMIT 1`
  ).get(JSON.stringify(films.map((film) => film.imageId))) as FilmOfStudy | undefined
  return first ?? null
}

export interface StudyOfViews {
  id: number
  studyUid: string
  patientId: string | null
  studyDate: string | null
  /** The file of its one image, or null when it holds more than one. */
  file: string | null
  /** Whether anything is stored of it besides its films: a report or a finding. */
  holdsMore: number
}

export function studyOfViews(db: Db, studyId: number): StudyOfViews {
  return statement(db,
    `SELECT s.id, s.study_uid AS studyUid, s.patient_id AS patientId, s.study_date AS studyDate,
            (SELECT CASE WHEN count(*) = 1 THEN min(i.file_path) END FROM series se JOIN images i ON i.series_id = se.id WHERE se.study_id = s.id) AS file,
            EXISTS (SELECT 1 FROM reports r WHERE r.study_id = s.id) OR EXISTS (SELECT 1 FROM findings f WHERE f.study_id = s.id) AS holdsMore
       FROM studies s WHERE s.id = ?`
  ).get(studyId) as StudyOfViews
}

/** Moves a study's series into another study, which takes its patient and date where it has none, and deletes it. */
export function mergeStudyInto(db: Db, study: StudyOfViews, into: number): void {
  statement(db, 'UPDATE series SET study_id = ? WHERE study_id = ?').run(into, study.id)
  statement(db, 'UPDATE studies SET patient_id = coalesce(patient_id, ?), study_date = coalesce(study_date, ?) WHERE id = ?').run(study.patientId, study.studyDate, into)
  statement(db, 'DELETE FROM studies WHERE id = ?').run(study.id)
}

const ids = (rows: unknown[]): number[] => (rows as { id: number }[]).map((row) => row.id)

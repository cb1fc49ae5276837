/**
 * Importing report files into the `reports` table, matched to `studies` by StudyInstanceUID,
 * AccessionNumber or the file's stem (a stem equal to an accession number or a study UID, or one part
 * of the stem equal to one: "ACC1001_report"), else by the image file a row names (a dataset's table),
 * else by the dataset's case a row names (a table of films links cases to films: storeFilmIndexOf),
 * else by where it lies — beside a folder of its name
 * that holds one study's DICOM (MIMIC-CXR's s50414267.txt beside s50414267/), or in a folder that
 * does — else by patient ID and study date (the one study of that patient that day).
 * A report that matches no study is kept with study_id NULL and listed by `unmatchedReports`;
 * `relinkUnmatchedReports` matches them again after more studies arrive. Importing the same file
 * again adds nothing: a report with the same source path, key and text is already there.
 */
import path from 'node:path'
import type { Db } from '../store/database'
import * as repo from '../store/report-repository'
import type { FilmOfStudy, StoredFilmIndexEntry, UnmatchedReportRow } from '../store/report-repository'
import { joinViewsOfOneStudy } from './study-views'
import { parseReport } from './nodule-parser'
import { projectionInWords } from '../dicom/projection'
import { reportFileReader } from './report-file-reader'
import { isKeyedByPatientAlone, reportFileKind, type FilmIndexEntry, type FilmSpacing, type ReportFileKind, type ReportRecord } from './report-records'

export interface ReportImportResult {
  /** New reports stored with a study. */
  matched: number
  /** New reports stored without a study. */
  unmatched: number
  /** Reports already stored by an earlier import (same file, key and text). */
  already: number
  /** Files (or records in them) that could not be imported, with a reason naming the file. */
  failed: { file: string; reason: string }[]
}

export interface UnmatchedReport extends Omit<UnmatchedReportRow, 'rawText'> {
  /** The first line of the text, for a list. */
  excerpt: string
}

export type StoreOutcome = 'matched' | 'unmatched' | 'already'

/** Keys a report offers for matching, most specific first. */
export interface MatchKeys {
  studyUid: string | null
  accession: string | null
  fileStem: string | null
  /** The report file's path without its extension: the folder of its name beside it, and the folder it is in. */
  place: string | null
  /** "YYYYMMDD:patient ID", or ":patient ID" for a table's row keyed by its patient alone (see patientDateKey). */
  patientDate: string | null
  /** The image files the report names, as written: relative to the report's folder or one above it (see imageOfFile). */
  images: string[]
  /** A dataset's case, whose films a table of films names (see storeFilmIndexOf). */
  caseId: string | null
}

export function isReportFile(file: string): boolean {
  return reportFileKind(file) !== null
}

export async function importReportFiles(db: Db, files: string[], jobId: number): Promise<ReportImportResult> {
  const result: ReportImportResult = { matched: 0, unmatched: 0, already: 0, failed: [] }
  for (const file of files) {
    const read = await readReportsOf(file, result)
    if (read) storeReportsOf(db, read, 0, read.records.length, jobId, result)
  }
  return result
}

/** A report file's records, read for storing. */
export interface ReadReports {
  file: string
  kind: ReportFileKind
  encoding: string
  records: ReportRecord[]
  /** A dataset's table of films: what it says of each (see storeFilmIndexOf). */
  films: FilmIndexEntry[]
}

/** Report files are read in a thread of their own (report-file-reader.ts): a hostile one fails alone. */
const readReportFileApart = reportFileReader()

/**
 * Reads a report file for storing; what cannot be read — the file, or some of its records — goes
 * into `result.failed` with a reason naming the file (null when nothing can be stored).
 */
export async function readReportsOf(file: string, result: ReportImportResult): Promise<ReadReports | null> {
  const name = path.basename(file)
  try {
    const content = await readReportFileApart(file)
    const others = content.records.length > 0 ? '; the other reports in it were imported' : ''
    for (const problem of content.problems) result.failed.push({ file, reason: `${name}: ${problem}${others}` })
    return { file, kind: content.kind, encoding: content.encoding, records: content.records, films: content.films ?? [] }
  } catch (err) {
    result.failed.push({ file, reason: `${name}: ${err instanceof Error ? err.message : String(err)}` })
    return null
  }
}

/**
 * Stores records [from, to) of a file read by readReportsOf in one transaction, counting each into
 * `result`. IMMEDIATE: a deferred transaction that reads, then writes, fails with SQLITE_BUSY (no
 * wait) when another process wrote in between; this one runs in the import task child.
 */
export function storeReportsOf(db: Db, read: ReadReports, from: number, to: number, jobId: number, result: ReportImportResult): void {
  // A file of many reports names none of them; a file of one may be named after its study.
  const single = read.records.length === 1
  db.transaction(() => {
    for (const record of read.records.slice(from, to)) {
      const outcome = storeReport(db, {
        sourcePath: read.file,
        sourceKind: read.kind,
        encoding: read.encoding,
        text: record.text,
        keys: keysOf(record, single ? read.file : null),
        jobId
      })
      result[outcome]++
    }
  }).immediate()
}

/** A file of one report may be named after its study, or lie by its study's films; a file of many names none of them. */
function keysOf(record: ReportRecord, singleReportFile: string | null): MatchKeys {
  // a table's row keyed by its patient alone (no other key: such a table was refused before, so no stored copy has other keys)
  const patientDate =
    record.patientId && record.studyDate
      ? patientDateKey(record.studyDate, record.patientId)
      : record.patientId && !singleReportFile && isKeyedByPatientAlone(record)
        ? patientDateKey('', record.patientId)
        : null
  const place = singleReportFile && singleReportFile.slice(0, singleReportFile.length - path.extname(singleReportFile).length)
  return { studyUid: record.studyUid, accession: record.accession, fileStem: place && path.basename(place), place, patientDate, images: record.imagePaths, caseId: record.caseId }
}

/** The date first: it has a fixed length, the patient ID may hold any character. */
function patientDateKey(studyDate: string, patientId: string): string {
  return `${studyDate}:${patientId}`
}

export interface ReportToStore {
  sourcePath: string
  sourceKind: ReportFileKind | 'sr' | 'cda'
  encoding: string
  text: string
  keys: MatchKeys
  jobId: number | null
}

/**
 * Parses and stores one report unless it is stored already (same source path, keys and text); a
 * stored copy without a study gets one when a study now matches.
 */
export function storeReport(db: Db, report: ReportToStore): StoreOutcome {
  const studyId = studyOfViews(db, report.keys, path.dirname(report.sourcePath))
  const matchKey = formatKeys(report.keys)
  const existing = storedCopy(db, report, matchKey)
  if (existing) {
    if (existing.studyId === null && studyId !== null) {
      repo.setReportStudy(db, existing.id, studyId)
      return 'matched'
    }
    return 'already'
  }
  const parsed = parseReport(report.text)
  repo.insertReport(db, {
    studyId,
    jobId: report.jobId,
    sourcePath: report.sourcePath,
    sourceKind: report.sourceKind,
    matchKey,
    encoding: report.encoding,
    language: parsed.language,
    text: report.text,
    sectionsJson: JSON.stringify(parsed.sections),
    findingsJson: JSON.stringify({ nodules: parsed.nodules, negativeEvidence: parsed.negativeEvidence })
  })
  return studyId !== null ? 'matched' : 'unmatched'
}

/**
 * The copy of this report stored before: the same source, text and match keys — or the keys an
 * earlier version offered, so that importing the same files again after an upgrade adds nothing:
 * an Open-i report's first view only (before it offered each view it names), or none of the place,
 * patient-date, image and case keys. By the (source_path, match_key) index: a table of a hundred
 * thousand reports shares one source path.
 */
function storedCopy(db: Db, report: ReportToStore, matchKey: string | null): { id: number; studyId: number | null } | undefined {
  const earlierKeys = [
    formatKeys({ ...report.keys, images: report.keys.images.slice(0, 1) }),
    formatKeys({ ...report.keys, place: null, patientDate: null, images: [], caseId: null })
  ]
  for (const key of new Set([matchKey, ...earlierKeys])) {
    const row = repo.storedReport(db, report.sourcePath, key, report.text)
    if (row) return row
  }
  return undefined
}

const keyLabels: [keyof MatchKeys, string][] = [
  ['studyUid', 'study-uid'],
  ['accession', 'accession'],
  ['fileStem', 'file-stem'],
  ['place', 'place'],
  ['patientDate', 'patient-date'],
  ['images', 'image'],
  ['caseId', 'case']
]

/**
 * The stored match key lists the keys a report offered: "accession:A123; file-stem:A123"; the
 * images one to a line ("image:CXR1_1_IM-0001-3001\nCXR1_1_IM-0001-4001": a path holds no line break).
 */
function formatKeys(keys: MatchKeys): string | null {
  const written = (field: keyof MatchKeys): string | null => {
    const value = keys[field]
    return Array.isArray(value) ? value.join('\n') || null : value
  }
  const parts = keyLabels.filter(([field]) => written(field)).map(([field, label]) => `${label}:${written(field)}`)
  return parts.length ? parts.join('; ') : null
}

function parseKeys(matchKey: string): MatchKeys {
  const keys: MatchKeys = { studyUid: null, accession: null, fileStem: null, place: null, patientDate: null, images: [], caseId: null }
  for (const part of matchKey.split('; ')) {
    const colon = part.indexOf(':')
    const field = keyLabels.find(([, label]) => label === part.slice(0, colon))?.[0]
    const value = part.slice(colon + 1)
    if (field === 'images') keys.images = value.split('\n')
    else if (field) keys[field] = value
  }
  return keys
}

/** The study a report belongs to (findStudy), the films it names as its study's views made one study first (an Open-i report's pictures, imported each a study alone). */
function studyOfViews(db: Db, keys: MatchKeys, reportFolder: string): number | null {
  if (keys.images.length > 1) joinViewsOfOneStudy(db, filmsNamed(db, keys, reportFolder))
  return findStudy(db, keys, reportFolder)
}

/**
 * The study a report belongs to: by study UID, else by accession number, else by a file stem equal
 * to (or naming) either, else by the image file it names, else by the dataset's case it names (a
 * table of films links cases to films), else by the folder it lies by, else by patient ID and study
 * date. `reportFolder` is the folder of the report's file.
 */
function findStudy(db: Db, keys: MatchKeys, reportFolder: string): number | null {
  const uid = keys.studyUid?.trim()
  const accession = keys.accession?.trim()
  const stem = keys.fileStem?.trim()
  const studyOfUid = (key: string): number | null => one(repo.studiesWithUid(db, key))
  // An accession number shared by several studies (different issuers) matches none of them; else the same number written differently.
  const studyOfAccession = (key: string): number | null => one(repo.studiesWithAccession(db, key, false)) ?? one(repo.studiesWithAccession(db, key, true))
  const studyOf = (key: string): number | null => studyOfUid(key) ?? studyOfAccession(key)
  return (
    (uid ? studyOfUid(uid) : null) ??
    (accession ? studyOfAccession(accession) : null) ??
    (stem ? (studyOf(stem) ?? studyOfStemParts(stem, studyOf)) : null) ??
    studyOfFilm(repo.mostFrontal(db, filmsNamed(db, keys, reportFolder))) ??
    // a column named "UID" alone may hold the study's UID as well as a dataset's case
    (keys.caseId ? (repo.studyOfCase(db, keys.caseId) ?? studyOfUid(keys.caseId.trim())) : null) ??
    (keys.place ? studyOfPlace(db, keys.place) : null) ??
    (stem ? studyOfPicturesNamed(db, stem) : null) ??
    (keys.patientDate ? studyOfPatientDate(db, keys.patientDate) : null)
  )
}

/** The one id of these, or null for none or several. */
const one = (ids: number[]): number | null => (ids.length === 1 ? ids[0] : null)

/** How many folders up from a report a relative image path may start: a dataset's table lies at its root or in a folder of it. */
const IMAGE_PATH_FOLDERS_UP = 3

/** A report's or a table's folder and the folders above it a relative image path may start at, the nearest first. */
function foldersWithinReach(folder: string): string[] {
  return Array.from({ length: IMAGE_PATH_FOLDERS_UP + 1 }, (_, up) => path.resolve(folder, ...Array<string>(up).fill('..')))
}

/**
 * The film a report or a table of films names (a dataset's table: "train/patient1/study1/view1_frontal.dcm",
 * written with either separator): the file as named, relative to the report's folder or one of the
 * folders above it — and, for a picture's path (.jpg, .png), the DICOM file of its name beside it; a
 * file name alone, a film of that name anywhere below them (imageNamed).
 */
function imageOfFile(db: Db, written: string, reportFolder: string): FilmOfStudy | null {
  const relative = written.trim().replace(/[\\/]+/g, path.sep)
  const folders = foldersWithinReach(reportFolder)
  const variants = [relative, ...(/\.(?:jpe?g|png)$/i.test(relative) ? [relative.replace(/\.[^.]+$/, '.dcm')] : [])]
  const candidates = path.isAbsolute(relative) ? variants : folders.flatMap((folder) => variants.map((v) => path.join(folder, v)))
  for (const file of candidates) {
    const film = repo.filmAt(db, file)
    if (film) return film
  }
  return relative.includes(path.sep) ? null : imageNamed(db, relative, folders)
}

/** The films a report names that are imported (imageOfFile). */
function filmsNamed(db: Db, keys: MatchKeys, reportFolder: string): FilmOfStudy[] {
  return keys.images.map((image) => imageOfFile(db, image, reportFolder)).filter((film) => film !== null)
}

const studyOfFilm = (film: FilmOfStudy | null): number | null => film?.studyId ?? null

/**
 * The films below the nearest of a table's folder and the three above it that holds any, by file
 * name and by file name without its extension: a table of a hundred thousand films names each by
 * its file name alone (NIH's Image Index, MIMIC-CXR-JPG's dicom_id), and searching the folder for
 * each would take the square of the dataset's size.
 */
function filmsByName(db: Db, tableFolder: string): Map<string, FilmOfStudy> {
  const byName = new Map<string, FilmOfStudy>()
  for (const folder of foldersWithinReach(tableFolder)) {
    if (byName.size > 0) break
    for (const { file, imageId, studyId } of repo.filmsBelow(db, folder)) {
      const name = path.basename(file)
      for (const key of [name, name.slice(0, name.length - path.extname(name).length)]) if (!byName.has(key)) byName.set(key, { imageId, studyId })
    }
  }
  return byName
}

/**
 * The study a report file's place names: the one study below the folder of its name (MIMIC-CXR), the
 * one directly in its folder (an export with each report among its films), or — in a folder of many
 * studies' films — the film of its name beside it (film001.png with film001.txt, or case1_report.txt).
 */
function studyOfPlace(db: Db, place: string): number | null {
  const folder = path.dirname(place)
  const name = path.basename(place)
  const filmName = name.replace(REPORT_WORD_IN_NAME, '')
  return (
    one(repo.studiesInFolder(db, place, 'below')) ??
    one(repo.studiesInFolder(db, folder, 'directly')) ??
    studyOfFilm(imageNamed(db, name, [folder])) ??
    (filmName && filmName !== name ? studyOfFilm(imageNamed(db, filmName, [folder])) : null) ??
    studyOfOnlyFilmNamed(db, filmName || name, folder)
  )
}

/**
 * The study of the one film named `name` (as it is, or with a film's extension) within a report's reach:
 * below its folder or one of the three above it. A report kept in a folder of reports beside the
 * folder of films (reports/film1.txt, images/film1.dcm) finds its film so; a name films of two
 * studies bear names neither. Looked up by the films' indexed names (migration 26), not by a search.
 */
function studyOfOnlyFilmNamed(db: Db, name: string, reportFolder: string): number | null {
  const names = [name, ...filmExtensions.map((extension) => name + extension)]
  const films = repo.filmsNamedAnywhere(db, names)
  const studies = new Set(films.filter((film) => isWithinReachOf(reportFolder, film.file)).map((film) => film.studyId))
  return studies.size === 1 ? [...studies][0] : null
}

/** A word a report's file name adds to its film's: case1_report.txt, report-case1.txt, case1 findings.txt, 病例1_报告.txt. */
const REPORT_WORD_IN_NAME = /^(?:report|findings|impression|rpt|报告)[-_.\s]+|[-_.\s]+(?:report|findings|impression|rpt|text|报告)$/i

/**
 * The one study of pictures named like a report file: picture.ts names a picture study by its study
 * folder or its file, so a tree of reports kept apart from the tree of films it mirrors finds its
 * studies (MIMIC-CXR's reports, files/p10/p10000032/s50414267.txt, and MIMIC-CXR-JPG's films,
 * files/p10/p10000032/s50414267/*.jpg, downloaded and unpacked as two folders).
 */
function studyOfPicturesNamed(db: Db, stem: string): number | null {
  return one(repo.pictureStudiesDescribed(db, stem))
}

const imageExtension = /\.(?:dcm|dicom|png|jpe?g)$/i

/**
 * A film named by its file name alone, anywhere under the report's folder, else under each folder
 * above it in turn, the nearest first: a table of films at a dataset's root naming the files in its
 * image folder (Kaggle's IU X-ray: "1_IM-0001-4001.dcm.png" in images/images_normalized/), or a
 * name without extension naming a film of any (an Open-i report's "CXR1_1_IM-0001-3001").
 */
function imageNamed(db: Db, name: string, folders: string[]): FilmOfStudy | null {
  // "….png" names the file; a name without extension, a file of that name with any ("….png", "….dcm.png")
  const named = imageExtension.test(name)
  const pattern = `%${path.sep}${name.replace(/[!%_]/g, '!$&')}${named ? '' : '.%'}`
  // The film beside, looked up by its path, before any search below: a folder of a hundred thousand
  // films each with its report (film001.txt, film001.png) would otherwise be searched once per report.
  const beside = named ? [name] : filmExtensions.map((extension) => name + extension)
  for (const folder of folders) {
    for (const file of beside) {
      const film = repo.filmAt(db, path.join(folder, file))
      if (film) return film
    }
    const film = repo.filmBelowLike(db, folder, pattern)
    if (film) return film
  }
  return null
}

const filmExtensions = ['.png', '.jpg', '.jpeg', '.dcm', '.PNG', '.JPG', '.JPEG', '.DCM']

/**
 * Stores what a dataset's table of films says of each film imported (FilmIndexEntry): its view,
 * where its header did not say (a picture's file name rarely does; IU X-ray's lateral views would
 * otherwise be model images); its case, so that reports naming the case (IU X-ray's uid) find it;
 * its patient and date, where its study names none (NIH's Patient ID, MIMIC's subject_id and
 * StudyDate: a patient's films can then be compared); and its pixel spacing, where it has none,
 * scaled from the film the table measured to the picture imported (lengths are then read in mm).
 * What the film's own header gave is never changed. The entries are kept too (replacing the table's
 * earlier ones), so that films imported later get them (applyStoredFilmIndex). Returns how many
 * films it found.
 */
export function storeFilmIndexOf(db: Db, read: ReadReports): number {
  const give = filmIndexWriter(db, read.file)
  const keep = filmIndexKeeper(db, read.file)
  const folder = path.dirname(read.file)
  const named = filmsByName(db, folder)
  let found = 0
  db.transaction(() => {
    keep.forgetTable()
    for (const entry of read.films) {
      keep.entry(entry)
      const written = entry.image.trim()
      const film = /[\\/]/.test(written) ? imageOfFile(db, written, folder) : (named.get(written) ?? null)
      if (!film) continue
      found++
      give(entry, film)
    }
  }).immediate()
  return found
}

/**
 * Gives the films a job imported what a table of films imported before them says of them (see
 * storeFilmIndexOf): an entry names a film by its file name, its name without the extension
 * (MIMIC's dicom_id) or its path's last folders (CheXpert's Path), the most folders first, from a
 * table in one of the film's folders or up to three folders above one. Returns how many it found.
 */
export function applyStoredFilmIndex(db: Db, jobId: number): number {
  if (!repo.hasFilmIndexEntries(db)) return 0
  const films = repo.filmsOfJob(db, jobId)
  const writers = new Map<string, ReturnType<typeof filmIndexWriter>>()
  let found = 0
  db.transaction(() => {
    for (const film of films) {
      const stored = storedEntryOf(film.file, (key) => repo.filmIndexEntriesWithKey(db, key))
      if (!stored) continue
      found++
      if (!writers.has(stored.table_path)) writers.set(stored.table_path, filmIndexWriter(db, stored.table_path))
      writers.get(stored.table_path)!(entryOfStored(stored), film)
    }
  }).immediate()
  return found
}

/** How a table names a film, as stored: its path's separators written "/". */
const filmKey = (written: string): string => written.trim().replace(/[\\/]+/g, '/').replace(/^(?:\.\/)+/, '')

/** The most parts of a film's path a table's entry is looked up by (CheXpert's Path: CheXpert-v1.0/train/patient00001/study1/view1_frontal.jpg). */
const MAX_KEY_PARTS = 6

/** The stored entry naming the film at `file`: by its path's last folders (most first), its file name, its stem. */
function storedEntryOf(file: string, entriesWithKey: (key: string) => StoredFilmIndexEntry[]): StoredFilmIndexEntry | null {
  const parts = file.split(path.sep)
  const name = parts[parts.length - 1]
  const withFolders = Array.from({ length: Math.min(MAX_KEY_PARTS, parts.length) - 1 }, (_, k) => parts.slice(-(Math.min(MAX_KEY_PARTS, parts.length) - k)).join('/'))
  const keys = [...withFolders, name, name.slice(0, name.length - path.extname(name).length)]
  for (const key of keys) {
    // of two tables naming it, the one nearest the film (a folder's own list before a dataset's at its root)
    const near = entriesWithKey(key).filter((e) => isWithinReachOf(path.dirname(e.table_path), file))
    if (near.length > 0) return near.reduce((best, e) => (e.table_path.length > best.table_path.length ? e : best))
  }
  return null
}

/** A film is within a table's reach below its folder or one of the folders above it that a relative path may start at. */
function isWithinReachOf(tableFolder: string, file: string): boolean {
  const farthest = foldersWithinReach(tableFolder)[IMAGE_PATH_FOLDERS_UP]
  return file.startsWith(farthest.endsWith(path.sep) ? farthest : farthest + path.sep)
}

function entryOfStored(row: StoredFilmIndexEntry): FilmIndexEntry {
  const { spacing_row_mm: rowMm, spacing_col_mm: colMm, spacing_rows: rows, spacing_columns: columns } = row
  const spacing = rowMm && colMm && rows && columns ? { rowMm, colMm, rows, columns } : null
  return { image: row.image_key, view: row.view, caseId: row.case_id, patientId: row.patient_id, studyDate: row.study_date, spacing }
}

/** Keeps a table's entries that give a film anything, replacing what the same table gave before. */
function filmIndexKeeper(db: Db, table: string): { forgetTable(): void; entry(entry: FilmIndexEntry): void } {
  return {
    forgetTable: () => repo.forgetFilmIndexTable(db, table),
    entry: ({ image, view, caseId, patientId, studyDate, spacing }) => {
      if (!(view || caseId || patientId || studyDate || spacing)) return
      repo.keepFilmIndexEntry(db, {
        table_path: table,
        image_key: filmKey(image),
        view,
        case_id: caseId,
        patient_id: patientId,
        study_date: studyDate,
        spacing_row_mm: spacing?.rowMm ?? null,
        spacing_col_mm: spacing?.colMm ?? null,
        spacing_rows: spacing?.rows ?? null,
        spacing_columns: spacing?.columns ?? null
      })
    }
  }
}

/**
 * Gives one film what a table's entry says of it, never changing what its own header gave. Its pixel
 * spacing is scaled from the film the table measured to the film imported, and its tags say where it
 * came from.
 */
function filmIndexWriter(db: Db, table: string): (entry: FilmIndexEntry, film: FilmOfStudy) => void {
  const tableName = path.basename(table)
  return (entry, film) => {
    const projection = entry.view ? projectionInWords(entry.view) : null
    if (projection) repo.fillFilmProjection(db, film.imageId, projection)
    if (entry.caseId) {
      repo.linkFilmToCase(db, entry.caseId, film.imageId, table)
      // a case is one study: its films, imported each a study alone, are made one
      joinViewsOfOneStudy(db, repo.filmsOfCase(db, entry.caseId, table))
    }
    repo.fillStudyPatientDay(db, film.studyId, entry.patientId, entry.studyDate)
    if (entry.spacing) repo.fillFilmSpacing(db, film.imageId, entry.spacing, spacingSource(tableName, entry.spacing))
  }
}

const spacingSource = (tableName: string, spacing: FilmSpacing): string => `${tableName}: ${spacing.rowMm} \\ ${spacing.colMm} mm at ${spacing.columns} × ${spacing.rows}`

/**
 * The one study of a patient on a day — or, of several that day, the one chest radiograph (a CT the
 * same day is another study); two radiographs that day (a film and its repeat) match neither. With
 * no day (a table keyed by patient alone: a teaching set of one study a patient), the patient's one
 * study or one chest radiograph; a patient with two matches neither. A patient ID a spreadsheet
 * stripped of its leading zeros, or wrote in another case, matches as an accession number does.
 */
function studyOfPatientDate(db: Db, key: string): number | null {
  const colon = key.indexOf(':')
  const [studyDate, patientId] = [key.slice(0, colon), key.slice(colon + 1).trim()]
  const exact = repo.studiesOfPatientDay(db, patientId, studyDate, false)
  const rows = exact.length ? exact : repo.studiesOfPatientDay(db, patientId, studyDate, true)
  const radiographs = rows.filter((r) => r.radiograph === 1)
  return rows.length === 1 ? rows[0].id : radiographs.length === 1 ? radiographs[0].id : null
}

/**
 * A file named around its key ("ACC1001_report", "report-ACC1001 (2)", "CT-2024-00123 final"): the one
 * study that a part of the stem (split at spaces, underscores and brackets, then also at hyphens) names.
 * Parts shorter than 4 characters are words or counters, not keys; parts naming different studies name none.
 */
function studyOfStemParts(stem: string, studyOf: (key: string) => number | null): number | null {
  const parts = new Set([...stem.split(/[\s_()[\]]+/), ...stem.split(/[\s_()[\]-]+/)].filter((p) => p.length >= 4 && p !== stem))
  const found = new Set([...parts].map(studyOf).filter((id): id is number => id !== null))
  return found.size === 1 ? [...found][0] : null
}

/** Matches stored reports that have no study again (studies imported after their reports); returns how many found one. */
export function relinkUnmatchedReports(db: Db): number {
  const rows = repo.reportsToMatchAgain(db)
  let relinked = 0
  db.transaction(() => {
    for (const row of rows) {
      const studyId = studyOfViews(db, parseKeys(row.matchKey), path.dirname(row.sourcePath))
      if (studyId !== null) {
        repo.setReportStudy(db, row.id, studyId)
        relinked++
      }
    }
  })()
  return relinked
}

export function unmatchedReports(db: Db): UnmatchedReport[] {
  return repo.unmatchedReportRows(db).map(({ rawText, ...row }) => ({ ...row, excerpt: excerptOf(rawText) }))
}

function excerptOf(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? ''
  return line.length > 120 ? `${line.slice(0, 117)}…` : line
}

import { EvidenceSpan, NoduleFinding } from '../../shared/finding'
import type { StudyDetail } from '../../shared/contract'
import type { Db } from './database'

/** One study as the viewer opens it: its images and its reports with the parsed nodule findings. */
export function getStudyDetail(db: Db, studyId: number, withPatientNames = false): StudyDetail | null {
  const study = db.prepare('SELECT id, pseudonym, patient_name, study_date FROM studies WHERE id = ?').get(studyId) as
    | { id: number; pseudonym: string; patient_name: string | null; study_date: string | null }
    | undefined
  if (!study) return null
  const images = db
    .prepare(
      `SELECT i.id, se.modality, i.view_position AS viewPosition, i.rows, i.columns, i.for_processing AS forProcessing
       FROM images i JOIN series se ON se.id = i.series_id
       WHERE se.study_id = ? AND i.status = 'ok' ORDER BY i.for_processing, i.id`
    )
    .all(studyId) as { id: number; modality: string | null; viewPosition: string | null; rows: number | null; columns: number | null; forProcessing: number }[]
  const reports = db.prepare('SELECT id, language, raw_text, findings_json FROM reports WHERE study_id = ? ORDER BY id').all(studyId) as {
    id: number
    language: string | null
    raw_text: string
    findings_json: string | null
  }[]
  return {
    id: study.id,
    pseudonym: study.pseudonym,
    ...(withPatientNames ? { patientName: study.patient_name } : {}),
    studyDate: study.study_date,
    images: images.map((i) => ({ ...i, forProcessing: i.forProcessing === 1 })),
    reports: reports.map((r) => ({ id: r.id, language: r.language, text: r.raw_text, ...storedFindings(r.findings_json) }))
  }
}

/** The parser's output as the report importer stored it; unreadable rows show as text only. */
function storedFindings(json: string | null): { nodules: NoduleFinding | null; negativeEvidence: EvidenceSpan[] } {
  const stored = json ? (JSON.parse(json) as { nodules?: unknown; negativeEvidence?: unknown }) : {}
  const nodules = NoduleFinding.safeParse(stored.nodules)
  const negative = EvidenceSpan.array().safeParse(stored.negativeEvidence)
  return { nodules: nodules.success ? nodules.data : null, negativeEvidence: negative.success ? negative.data : [] }
}

/** What a de-identified export may carry about a study besides its pseudonym: its UID, to derive a new one. */
/** A study as its exports must see it before de-identification: the identifiers they remove. */
export interface StudyIdentity {
  pseudonym: string
  studyUid: string
  patientName: string | null
  patientId: string | null
  birthDate: string | null
  accessionNumber: string | null
  studyDate: string | null
}

const STUDY_IDENTITY = `SELECT pseudonym, study_uid AS studyUid, patient_name AS patientName, patient_id AS patientId,
  patient_birth_date AS birthDate, accession_number AS accessionNumber, study_date AS studyDate FROM studies`

export function studyIdentity(db: Db, studyId: number): StudyIdentity | null {
  return (db.prepare(`${STUDY_IDENTITY} WHERE id = ?`).get(studyId) as StudyIdentity | undefined) ?? null
}

/** The identities of the studies with these pseudonyms. */
export function studyIdentities(db: Db, pseudonyms: string[]): StudyIdentity[] {
  const byPseudonym = db.prepare(`${STUDY_IDENTITY} WHERE pseudonym = ?`)
  return [...new Set(pseudonyms)].map((p) => byPseudonym.get(p) as StudyIdentity | undefined).filter((s) => s !== undefined)
}

export interface DisplayImageRecord {
  id: number
  displayPath: string
  spacingRowMm: number | null
  spacingColMm: number | null
  spacingKind: 'pixel' | 'imager' | 'none'
  tags: Record<string, unknown>
}

/** Where an image's display products are (relative to the data folder) and its calibration. */
export function displayImageRecord(db: Db, imageId: number): DisplayImageRecord | null {
  const row = db
    .prepare(
      `SELECT id, display_path, spacing_row_mm, spacing_col_mm, spacing_kind, tags_json
       FROM images WHERE id = ? AND status = 'ok' AND display_path IS NOT NULL`
    )
    .get(imageId) as
    | { id: number; display_path: string; spacing_row_mm: number | null; spacing_col_mm: number | null; spacing_kind: string | null; tags_json: string | null }
    | undefined
  if (!row) return null
  return {
    id: row.id,
    displayPath: row.display_path,
    spacingRowMm: row.spacing_row_mm,
    spacingColMm: row.spacing_col_mm,
    spacingKind: row.spacing_kind === 'pixel' || row.spacing_kind === 'imager' ? row.spacing_kind : 'none',
    tags: row.tags_json ? (JSON.parse(row.tags_json) as Record<string, unknown>) : {}
  }
}

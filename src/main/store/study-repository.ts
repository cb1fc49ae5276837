import { EvidenceSpan, NoduleFinding } from '../../shared/finding'
import type { OtherStudyOfPatient, Projection, StudyDetail } from '../../shared/contract'
import { appendAudit } from './audit-log'
import type { Db } from './database'

/**
 * The order a study's films are its model image in, as SQL on the image `alias`: a film its header
 * or name says is frontal before one of unknown projection; a film as acquired before an image made
 * from one (`model_image_rank`: a copy, a dual-energy soft-tissue or bone image); then the film whose
 * pixels look most frontal (`frontal_likeness`: of a PA and a lateral no header names, the PA — and of
 * two films that both say PA, as some archives write of a lateral too, the real one); then the first
 * imported.
 */
export const modelImageOrder = (alias: string): string =>
  `${alias}.projection IS NULL, ${alias}.model_image_rank, ${alias}.frontal_likeness IS NULL, ${alias}.frontal_likeness DESC, ${alias}.id`

/** Whether the image `alias` is a view the model does not read — lateral, oblique, decubitus —, as SQL (false for an unknown one). */
export const isNonFrontalView = (alias: string): string => `(${alias}.projection IS NOT NULL AND ${alias}.projection <> 'frontal')`

/**
 * The id of a study's model image, the one image the model trains on and describes, as SQL for a
 * subquery on the study `s`: the first of its films in `modelImageOrder`. A lateral or other view is
 * never it (the model reads frontal films), nor is a "For Processing" image, nor one without a model
 * image (no chest radiograph: a CT slice).
 */
export const STUDY_MODEL_IMAGE_ID = `(SELECT mi.id FROM images mi JOIN series ms ON ms.id = mi.series_id
   WHERE ms.study_id = s.id AND mi.status = 'ok' AND mi.for_processing = 0 AND mi.model_path IS NOT NULL
     AND NOT ${isNonFrontalView('mi')}
   ORDER BY ${modelImageOrder('mi')} LIMIT 1)`

/**
 * A study's report, for training and evaluation: its newest. A report imported again with changed
 * text — an addendum, a corrected final, a preliminary report's final — is stored beside the one
 * before (nothing stored is lost) and supersedes it. Used as `r.id = ${'$'}{STUDY_REPORT_ID}` with `s` the study.
 */
export const STUDY_REPORT_ID = `(SELECT max(mr.id) FROM reports mr WHERE mr.study_id = s.id)`

/**
 * Records a reader's view of a film (images.setProjection), with its audit row, in one transaction:
 * its projection, its tags' evidence saying who set it, and the study's model image before and after.
 * Returns the film's study, or null when there is no such film. A table of films read later leaves it
 * as it is (it sets a view only where none is known).
 */
export function setFilmProjection(db: Db, imageId: number, projection: Projection, reader: string): number | null {
  return db.transaction(() => {
    const film = db
      .prepare(`SELECT i.projection, i.tags_json AS tags, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id WHERE i.id = ? AND i.status = 'ok'`)
      .get(imageId) as { projection: Projection | null; tags: string | null; studyId: number } | undefined
    if (!film) return null
    const modelImage = db.prepare(`SELECT ${STUDY_MODEL_IMAGE_ID} FROM studies s WHERE s.id = ?`).pluck()
    const before = { projection: film.projection, studyModelImage: modelImage.get(film.studyId) ?? null }
    const tags = { ...(film.tags ? (JSON.parse(film.tags) as Record<string, unknown>) : {}), projectionEvidence: `set to ${projection} by a reader (${reader})` }
    db.prepare('UPDATE images SET projection = ?, tags_json = ? WHERE id = ?').run(projection, JSON.stringify(tags), imageId)
    const after = { projection, studyModelImage: modelImage.get(film.studyId) ?? null }
    appendAudit(db, { actor: reader, action: 'image.projection', entity: 'image', entityId: imageId, before, after })
    return film.studyId
  }).immediate()
}

/** One study as the viewer opens it: its images and its reports with the parsed nodule findings. */
export function getStudyDetail(db: Db, studyId: number, withPatientNames = false): StudyDetail | null {
  const study = db.prepare('SELECT id, pseudonym, patient_name, study_date FROM studies WHERE id = ?').get(studyId) as
    | { id: number; pseudonym: string; patient_name: string | null; study_date: string | null }
    | undefined
  if (!study) return null
  const images = db
    .prepare(
      `SELECT i.id, se.modality, i.view_position AS viewPosition, i.projection, i.id = ${STUDY_MODEL_IMAGE_ID} AS isModelImage,
              i.rows, i.columns, i.for_processing AS forProcessing
       FROM studies s JOIN series se ON se.study_id = s.id JOIN images i ON i.series_id = se.id
       WHERE s.id = ? AND i.status = 'ok' ORDER BY i.for_processing, i.id`
    )
    .all(studyId) as (Omit<StudyDetail['images'][number], 'forProcessing' | 'isModelImage'> & { forProcessing: number; isModelImage: number | null })[]
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
    images: images.map((i) => ({ ...i, forProcessing: i.forProcessing === 1, isModelImage: i.isModelImage === 1 })),
    reports: reports.map((r) => ({ id: r.id, language: r.language, text: r.raw_text, ...storedFindings(r.findings_json) }))
  }
}

/**
 * The patient's other studies with a model image (a frontal film), newest first: the same Patient ID
 * (trimmed, not empty), and the same birth date and sex wherever both studies state them — an
 * anonymised export may give every patient the same ID, and a birth date or sex that differs tells
 * two patients apart.
 */
export function otherStudiesOfPatient(db: Db, studyId: number): OtherStudyOfPatient[] {
  return db
    .prepare(
      `SELECT s.id AS studyId, s.pseudonym, s.study_date AS studyDate, ${STUDY_MODEL_IMAGE_ID} AS imageId
       FROM studies here JOIN studies s ON s.id != here.id AND trim(s.patient_id) = trim(here.patient_id)
       WHERE here.id = ? AND trim(here.patient_id) != ''
         AND (s.patient_birth_date IS NULL OR here.patient_birth_date IS NULL OR s.patient_birth_date = here.patient_birth_date)
         AND (s.patient_sex IS NULL OR here.patient_sex IS NULL OR upper(s.patient_sex) = upper(here.patient_sex))
         AND imageId IS NOT NULL
       ORDER BY s.study_date IS NULL, s.study_date DESC, s.id DESC
       LIMIT 20`
    )
    .all(studyId) as OtherStudyOfPatient[]
}

/** The parser's output as the report importer stored it; unreadable rows show as text only. */
function storedFindings(json: string | null): { nodules: NoduleFinding | null; negativeEvidence: EvidenceSpan[] } {
  const stored = json ? (JSON.parse(json) as { nodules?: unknown; negativeEvidence?: unknown }) : {}
  const nodules = NoduleFinding.safeParse(stored.nodules)
  const negative = EvidenceSpan.array().safeParse(stored.negativeEvidence)
  return { nodules: nodules.success ? nodules.data : null, negativeEvidence: negative.success ? negative.data : [] }
}


export function studyCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM studies').get() as { n: number }).n
}

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

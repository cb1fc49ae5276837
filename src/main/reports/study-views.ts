/**
 * The views of one study that a dataset names together — an Open-i report's <parentImage>s, a table
 * of films' case (IU X-ray's uid) — where the import made each picture a study alone (a flat folder
 * of films says nothing of which belong together): which of them the report is about, and making
 * them one study again, so that the lateral is a film of its study, not a study of its own whose
 * model image is a lateral.
 */
import { statement, type Db } from '../store/database'
import { isNonFrontalView, modelImageOrder } from '../store/study-repository'
import { pictureStudyUid } from '../dicom/uids'

/** An imported film and its study. */
export interface FilmOfStudy {
  imageId: number
  studyId: number
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

interface StudyOfOnePicture {
  id: number
  studyUid: string
  patientId: string | null
  studyDate: string | null
  /** The file of its one image, or null when it holds more than one. */
  file: string | null
  /** Whether anything is stored of it besides its film: a report or a finding. */
  holdsMore: number
}

/**
 * Makes the studies of these films one: the study of the film that would be its model image stays,
 * and each other one joins it — its series move, its row goes — when it is a picture the import made
 * a study alone (its study UID is the one picture.ts names a study alone by) with nothing of its own:
 * no report, no finding (so nothing stored is lost or moves with it), and neither another patient
 * nor another date than the study it joins. Returns how many studies joined.
 */
export function joinViewsOfOneStudy(db: Db, films: FilmOfStudy[]): number {
  if (new Set(films.map((film) => film.studyId)).size < 2) return 0
  const stays = mostFrontal(db, films)!
  const studyOf = statement(db,
    `SELECT s.id, s.study_uid AS studyUid, s.patient_id AS patientId, s.study_date AS studyDate,
            (SELECT CASE WHEN count(*) = 1 THEN min(i.file_path) END FROM series se JOIN images i ON i.series_id = se.id WHERE se.study_id = s.id) AS file,
            EXISTS (SELECT 1 FROM reports r WHERE r.study_id = s.id) OR EXISTS (SELECT 1 FROM findings f WHERE f.study_id = s.id) AS holdsMore
       FROM studies s WHERE s.id = ?`
  )
  const target = studyOf.get(stays.studyId) as StudyOfOnePicture
  let joined = 0
  for (const studyId of new Set(films.map((film) => film.studyId))) {
    if (studyId === target.id) continue
    const study = studyOf.get(studyId) as StudyOfOnePicture
    if (!isPictureStudyAlone(study) || study.holdsMore || differs(study.patientId, target.patientId) || differs(study.studyDate, target.studyDate)) continue
    statement(db, 'UPDATE series SET study_id = ? WHERE study_id = ?').run(target.id, study.id)
    statement(db, 'UPDATE studies SET patient_id = coalesce(patient_id, ?), study_date = coalesce(study_date, ?) WHERE id = ?').run(study.patientId, study.studyDate, target.id)
    statement(db, 'DELETE FROM studies WHERE id = ?').run(study.id)
    joined++
  }
  return joined
}

/** A picture the import made a study alone: its one film's file names the study (picture.ts's identity). */
function isPictureStudyAlone(study: StudyOfOnePicture): boolean {
  return study.file !== null && study.studyUid === pictureStudyUid(study.file)
}

const differs = (a: string | null, b: string | null): boolean => a !== null && b !== null && a.trim() !== '' && b.trim() !== '' && a.trim() !== b.trim()

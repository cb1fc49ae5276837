/**
 * The views of one study that a dataset names together — an Open-i report's <parentImage>s, a table
 * of films' case (IU X-ray's uid) — where the import made each picture a study alone (a flat folder
 * of films says nothing of which belong together): made one study again, so that the lateral is a
 * film of its study, not a study of its own whose model image is a lateral. (Which of them a report is
 * about: store/report-repository.ts's mostFrontal.)
 */
import type { Db } from '../store/database'
import { mergeStudyInto, mostFrontal, studyOfViews, type FilmOfStudy, type StudyOfViews } from '../store/report-repository'
import { pictureStudyUid } from '../dicom/uids'

/**
 * Makes the studies of these films one: the study of the film that would be its model image stays,
 * and each other one joins it — its series move, its row goes — when it is a picture the import made
 * a study alone (its study UID is the one picture.ts names a study alone by) with nothing of its own:
 * no report, no finding (so nothing stored is lost or moves with it), and neither another patient
 * nor another date than the study it joins. Returns how many studies joined.
 */
export function joinViewsOfOneStudy(db: Db, films: FilmOfStudy[]): number {
  if (new Set(films.map((film) => film.studyId)).size < 2) return 0
  const target = studyOfViews(db, mostFrontal(db, films)!.studyId)
  let joined = 0
  for (const studyId of new Set(films.map((film) => film.studyId))) {
    if (studyId === target.id) continue
    const study = studyOfViews(db, studyId)
    if (!isPictureStudyAlone(study) || study.holdsMore || differs(study.patientId, target.patientId) || differs(study.studyDate, target.studyDate)) continue
    mergeStudyInto(db, study, target.id)
    joined++
  }
  return joined
}

/** A picture the import made a study alone: its one film's file names the study (picture.ts's identity). */
function isPictureStudyAlone(study: StudyOfViews): boolean {
  return study.file !== null && study.studyUid === pictureStudyUid(study.file)
}

const differs = (a: string | null, b: string | null): boolean => a !== null && b !== null && a.trim() !== '' && b.trim() !== '' && a.trim() !== b.trim()

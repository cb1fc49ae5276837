import fs from 'node:fs'
import path from 'node:path'
import { renderVoi } from '../../src/main/dicom/display'
import { encodeGrayPng } from '../../src/main/dicom/png'
import { modelImage } from '../../src/main/dicom/resample'
import { parseReport } from '../../src/main/reports/nodule-parser'
import { databasePath, openDatabase } from '../../src/main/store/database'
import { renderStudy, type CohortOptions, type StudyTruth } from '../../src/main/synth'

/**
 * A data folder as the importer leaves it: synthetic chest radiographs (the cohort generator's own
 * renderer) as 256×256 model images with their source size and spacing, and their English reports
 * stored with the parser's findings. Returns each study's truth (its lungs and nodules).
 */
export function writeSelfPlayCohort(
  dataDir: string,
  studies: number,
  detector: NonNullable<CohortOptions['detector']> = { rows: 384, columns: 384, spacingMm: 1 },
  /** The cohort's first study to write: a later call with the next index adds studies, as a later import does. */
  first = 0
): StudyTruth[] {
  const db = openDatabase(databasePath(dataDir))
  const now = new Date().toISOString()
  const insertStudy = db.prepare('INSERT INTO studies (study_uid, pseudonym, created_at) VALUES (?, ?, ?)')
  const insertSeries = db.prepare('INSERT INTO series (study_id, series_uid) VALUES (?, ?)')
  const insertImage = db.prepare(
    `INSERT INTO images (series_id, sop_instance_uid, file_path, rows, columns, spacing_row_mm, spacing_col_mm, model_path, for_processing, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 'ok', ?)`
  )
  const insertReport = db.prepare(`INSERT INTO reports (study_id, source_path, source_kind, encoding, raw_text, sections_json, findings_json, created_at) VALUES (?, ?, 'txt', 'utf-8', ?, ?, ?, ?)`)
  fs.mkdirSync(path.join(dataDir, 'images'), { recursive: true })
  const truths: StudyTruth[] = []
  for (let s = first; s < first + studies; s++) {
    const study = renderStudy({ seed: 9, studies: first + studies, language: 'en', reportFraction: 1, imperfectReportRate: 0, detector }, s)
    truths.push(study.truth)
    const { rows, columns, pixels, window, spacingMm } = study.image
    // The importer's model image: the film through its file's window, scaled to 256 on its long side, padded to a square.
    const rendered = renderVoi(Float32Array.from(pixels), { kind: 'window', ...window, fn: 'LINEAR', source: 'file', explanation: null }, false)
    const modelPath = path.join('images', `${s}.png`)
    fs.writeFileSync(path.join(dataDir, modelPath), encodeGrayPng(modelImage(rendered, columns, rows, 256), 256, 256))
    const studyId = Number(insertStudy.run(study.truth.studyInstanceUid, `ANON-${s}`, now).lastInsertRowid)
    const seriesId = Number(insertSeries.run(studyId, study.truth.seriesInstanceUid).lastInsertRowid)
    insertImage.run(seriesId, study.truth.sopInstanceUid, `/dicom/${s}.dcm`, rows, columns, spacingMm[0], spacingMm[1], modelPath, now)
    const text = new TextDecoder().decode(study.report!)
    const parsed = parseReport(text)
    insertReport.run(studyId, `/reports/${s}.txt`, text, JSON.stringify(parsed.sections), JSON.stringify({ nodules: parsed.nodules, negativeEvidence: parsed.negativeEvidence }), now)
  }
  db.close()
  return truths
}


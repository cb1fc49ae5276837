/**
 * Library benchmark: what the pages' library queries cost as a site's library grows. The same
 * queries on a library of N studies and on one of 10 N, side by side (each study a frontal film, a
 * report for nine in ten, a finding): a query whose cost grows with the library's size reads about
 * 10× longer on the larger, one that grows with its square about 100× (the model-image lookup did
 * until migration 19: a minute for the counts at 20,000 studies).
 *
 *   npm run bench:library [-- --studies N]
 */
import { printResultLine } from '../src/main/app/result-line'
import { databasePath, openDatabase, type Db } from '../src/main/store/database'
import { libraryCounts, listStudies } from '../src/main/store/import-repository'
import { listReviewQueue } from '../src/main/store/review-repository'
import { countStudiesNotDescribedBy } from '../src/main/store/selfplay-repository'
import { imageReportPairs } from '../src/main/store/training-repository'
import { tempDataDir } from '../tests/helpers/temp-services'
import { flag } from './flags'
import { fastest } from './timing'

/** A library of `studies` imported studies, as the importer and a run leave it. */
function seedLibrary(db: Db, studies: number): void {
  const now = new Date().toISOString()
  const study = db.prepare('INSERT INTO studies (study_uid, pseudonym, study_date, created_at) VALUES (?, ?, ?, ?)')
  const series = db.prepare("INSERT INTO series (study_id, series_uid, modality) VALUES (?, ?, 'DX')")
  const image = db.prepare(
    "INSERT INTO images (series_id, sop_instance_uid, file_path, rows, columns, model_path, for_processing, status, created_at, projection) VALUES (?, ?, ?, 2048, 2048, ?, 0, 'ok', ?, 'frontal')"
  )
  const report = db.prepare("INSERT INTO reports (study_id, source_path, source_kind, encoding, raw_text, created_at) VALUES (?, ?, 'txt', 'utf-8', 'Findings: no nodule.', ?)")
  const finding = db.prepare(`INSERT INTO findings (study_id, image_id, text, structured_json, created_at) VALUES (?, ?, 'No nodule.', '{"presence":"absent","count":0,"items":[]}', ?)`)
  db.transaction(() => {
    for (let i = 1; i <= studies; i++) {
      const studyId = Number(study.run(`2.25.${i}`, `CXR-${i}`, `2025${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, now).lastInsertRowid)
      const seriesId = Number(series.run(studyId, `2.25.${i}.1`).lastInsertRowid)
      const imageId = Number(image.run(seriesId, `2.25.${i}.1.1`, `/films/${i}.dcm`, `images/${i}.model.png`, now).lastInsertRowid)
      if (i % 10 !== 0) report.run(studyId, `/reports/${i}.txt`, now)
      finding.run(studyId, imageId, now)
    }
  })()
}

const queries: Record<string, (db: Db) => unknown> = {
  counts: (db) => libraryCounts(db),
  list: (db) => listStudies(db, { limit: 100, offset: 0 }),
  list_last_page: (db) => listStudies(db, { limit: 100, offset: Math.max(0, (db.prepare('SELECT count(*) AS n FROM studies').get() as { n: number }).n - 100) }),
  list_with_film: (db) => listStudies(db, { limit: 100, offset: 0, hasModelImage: true }),
  list_pending: (db) => listStudies(db, { limit: 100, offset: 0, reviewStatus: 'pending' }),
  review_queue: (db) => listReviewQueue(db),
  training_pairs: (db) => imageReportPairs(db),
  studies_to_describe: (db) => countStudiesNotDescribedBy(db, 1)
}

function timings(studies: number): Record<string, number> {
  const temp = tempDataDir('vzw-bench-library-')
  const db = openDatabase(databasePath(temp.dir))
  try {
    seedLibrary(db, studies)
    return Object.fromEntries(Object.entries(queries).map(([name, query]) => [name, fastest(() => query(db)).ms]))
  } finally {
    db.close()
    temp.cleanup()
  }
}

function main(): void {
  const small = Number(flag('studies') ?? 2_000)
  const large = 10 * small
  const [a, b] = [timings(small), timings(large)]
  console.log(`query                 ${String(small).padStart(7)} studies ${String(large).padStart(7)} studies   ratio`)
  for (const name of Object.keys(queries)) console.log(`${name.padEnd(22)}${a[name].toFixed(1).padStart(10)} ms ${b[name].toFixed(1).padStart(12)} ms ${(b[name] / a[name]).toFixed(1).padStart(7)}`)
  const ratios = Object.keys(queries).map((name) => b[name] / a[name])
  printResultLine('library', {
    studies_small: small,
    studies_large: large,
    counts_ms: b.counts,
    list_with_film_ms: b.list_with_film,
    review_queue_ms: b.review_queue,
    worst_ratio: Math.max(...ratios),
    ...Object.fromEntries(Object.keys(queries).map((name) => [`${name}_ratio`, b[name] / a[name]]))
  })
}

main()

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFolders, type ImportSummary } from '../../src/main/importer/import-folders'
import * as reports from '../../src/main/reports'
import { openDatabase, type Db } from '../../src/main/store/database'
import type { CohortTruth, StudyTruth } from '../../src/main/synth'
import { writeSmallCohort } from '../helpers/small-cohort'
import type { NoduleItem, ParsedReport } from '../../src/shared/finding'

// The synthetic cohort goes through the real importer and the real report parser: what the
// generator wrote must come back as the truth it recorded.
let tmp: string
let db: Db
let truth: CohortTruth
let summary: ImportSummary
const STUDIES = 120

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-synth-import-'))
  await writeSmallCohort(tmp, { seed: 2026, studies: STUDIES, reportFraction: 0.9, imperfectReportRate: 0.1 })
  truth = JSON.parse(fs.readFileSync(path.join(tmp, 'cohort', 'truth.json'), 'utf8')) as CohortTruth
  db = openDatabase(path.join(tmp, 'data', 'vzw.sqlite'))
  summary = await importFolders(db, path.join(tmp, 'data'), [path.join(tmp, 'cohort', 'import')], { reports })
}, 240_000)

afterAll(() => {
  db?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** Does the parsed report say what the generator's report stated (presence, and each nodule's side, zone and size)? */
function recovers(parsed: ParsedReport, stated: NoduleItem[]): boolean {
  const definite = stated.filter((n) => n.certainty === 'definite')
  const expectedPresence = definite.length > 0 ? 'present' : stated.length > 0 ? 'uncertain' : 'absent'
  if (parsed.nodules.presence !== expectedPresence) return false
  if (parsed.nodules.items.length !== stated.length) return false
  return stated.every((s) =>
    parsed.nodules.items.some((p) => p.side === s.side && p.zone === s.zone && p.sizeMm !== null && s.sizeMm !== null && Math.abs(p.sizeMm - s.sizeMm) < 0.5)
  )
}

describe('the synthetic cohort through the importer and the report parser', () => {
  it('imports every generated study and matches every report', () => {
    const withReports = truth.studies.filter((s) => s.reportFile !== null).length
    expect(summary.imported).toBe(STUDIES)
    expect(summary.failed).toBe(0)
    expect(summary.reportsMatched).toBe(withReports)
    expect(summary.reportsUnmatched).toBe(0)
    const rows = db.prepare("SELECT count(*) AS n FROM images WHERE status = 'ok' AND model_path IS NOT NULL").get() as { n: number }
    expect(rows.n).toBe(STUDIES)
  })

  it('reads back what each report states for at least 98 % of studies', () => {
    const byUid = new Map(truth.studies.map((s) => [s.studyInstanceUid, s] as [string, StudyTruth]))
    const rows = db
      .prepare('SELECT s.study_uid AS uid, r.raw_text AS text FROM reports r JOIN studies s ON s.id = r.study_id')
      .all() as { uid: string; text: string }[]
    const misses: string[] = []
    for (const row of rows) {
      const study = byUid.get(row.uid)!
      if (!recovers(reports.parseReport(row.text), study.report!.stated)) misses.push(`${study.accessionNumber}: ${row.text.replace(/\s+/g, ' ').slice(0, 160)}`)
    }
    const rate = 1 - misses.length / rows.length
    console.log(`report parser recovered ${rows.length - misses.length}/${rows.length} generated reports (${(rate * 100).toFixed(1)} %)`)
    expect(rows.length).toBeGreaterThan(STUDIES * 0.8)
    expect(rate, misses.join('\n')).toBeGreaterThanOrEqual(0.98)
  })
})

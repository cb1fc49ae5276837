import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findTruthFiles, readCohortTruth, syntheticFinding } from '../../../src/main/evaluation/truth'
import { databasePath, openDatabase } from '../../../src/main/store/database'
import { renderStudy } from '../../../src/main/synth'

const dirs: string[] = []
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-truth-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  while (dirs.length) fs.rmSync(dirs.pop()!, { recursive: true, force: true })
})

describe('cohort truth', () => {
  it('a bad truth file is refused with its name and the problem', () => {
    const dir = tempDir()
    const broken = path.join(dir, 'truth.json')
    fs.writeFileSync(broken, '{"studies": [')
    expect(() => readCohortTruth(broken)).toThrow(`Truth file ${broken} cannot be read as JSON`)
    fs.writeFileSync(broken, '{"studies": []}')
    expect(() => readCohortTruth(broken)).toThrow(`Truth file ${broken} is not a synthetic cohort's truth`)
    const db = openDatabase(databasePath(dir))
    try {
      expect(() => findTruthFiles(db, path.join(dir, 'missing.json'))).toThrow(`Truth file ${path.join(dir, 'missing.json')} does not exist`)
    } finally {
      db.close()
    }
  })

  it('finds truth.json beside the folder an import job read, and none when there is none', () => {
    const dir = tempDir()
    const db = openDatabase(databasePath(dir))
    try {
      expect(findTruthFiles(db)).toEqual([])
      fs.mkdirSync(path.join(dir, 'cohort', 'import'), { recursive: true })
      fs.writeFileSync(path.join(dir, 'cohort', 'truth.json'), '{}')
      db.prepare("INSERT INTO import_jobs (roots_json, status, started_at) VALUES (?, 'done', ?)").run(JSON.stringify([path.join(dir, 'cohort', 'import')]), new Date().toISOString())
      expect(findTruthFiles(db)).toEqual([path.join(dir, 'cohort', 'truth.json')])
    } finally {
      db.close()
    }
  })

  it("a synthetic study's finding lists the nodules drawn, also those its report left out", () => {
    const options = { seed: 5, studies: 40, language: 'en' as const, reportFraction: 1, imperfectReportRate: 1, detector: { rows: 128, columns: 128, spacingMm: 3 } }
    const studies = Array.from({ length: 40 }, (_, i) => renderStudy(options, i).truth)
    for (const s of studies) {
      const f = syntheticFinding(s)
      expect(f.items).toEqual(s.nodules.map((n) => n.item))
      expect(f.presence).toBe(s.nodules.length > 0 ? 'present' : 'absent')
    }
    // With every report imperfect, some report states fewer nodules than were drawn: truth keeps them.
    expect(studies.some((s) => (s.report?.stated.length ?? 0) < s.nodules.length)).toBe(true)
  })
})

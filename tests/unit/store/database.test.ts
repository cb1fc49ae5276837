import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { databasePath, migrate, openDatabase, schemaVersion, type Db } from '../../../src/main/store/database'
import { latestSchemaVersion, migrations } from '../../../src/main/store/migrations'
import { readSettings, writeSettings } from '../../../src/main/store/settings-repository'
import { createExperiment, listExperiments } from '../../../src/main/store/evaluation-repository'
import { studyImage } from '../../../src/main/store/training-repository'
import { listReviewQueue } from '../../../src/main/store/review-repository'
import { STUDY_MODEL_IMAGE_ID } from '../../../src/main/store/study-repository'
import { parseReport } from '../../../src/main/reports/nodule-parser'
import type { EvaluationMetrics } from '../../../src/shared/evaluation'
import { defaultSettings } from '../../../src/shared/contract'
import { tempDataDir } from '../../helpers/temp-services'

const designTables = [
  'studies', 'series', 'images', 'reports', 'import_jobs', 'runs', 'rounds', 'games',
  'checkpoints', 'findings', 'reviews', 'audit_log', 'settings', 'tasks'
]

let cleanups: (() => void)[] = []
afterEach(() => {
  cleanups.forEach((c) => c())
  cleanups = []
})
function tempDb() {
  const t = tempDataDir()
  cleanups.push(t.cleanup)
  return databasePath(t.dir)
}

/**
 * Each shipped migration's SQL as it shipped (sha256, first 16 hex digits). Some are written from shared
 * parts (the reports table's definition): a change to a part must not change a migration a user's
 * database already ran. A new migration adds its line here.
 */
const shippedMigrationHashes: Record<number, string> = {
  1: 'cc089d333c257bda',
  2: '08cd8397033f2910',
  3: '49f168d5a0684a00',
  4: 'e3da6f7926d5b28b',
  5: '661c3680b1cea686',
  6: '47d9247567e405f2',
  7: '064608eb83eb0bb8',
  8: '34c28a8aa3bfeea6',
  9: '81020d9deb7d8790',
  10: 'e46553ee119eb17b',
  11: 'd43c899b3cbb2fd7',
  12: 'ea670c8850b651e2',
  13: 'b25355e3d51f2f5a',
  14: 'c0de514d90382a79',
  15: 'df6c3097dd390070',
  16: '3ab32c25ad5cdc6e',
  17: '4fddaaf99b7c4550',
  18: '262439b0f0ab4d3f',
  19: 'da296c39edf48f39',
  20: '56fb2d777a1d706f',
  21: '29cc1c88636395ff',
  22: '0d2d83d3d3f47c43',
  23: '9b9bd7b9fe2aa3c3',
  24: '97f00f9286d56f46',
  25: 'abaadd9a279f4ab8',
  26: 'a15e3186d2f3fdba',
  27: 'b42b5a3b803a6dc9'
}

describe('the SQLite store', () => {
  it('never edits a shipped migration: each one\'s SQL is the SQL it shipped with', () => {
    const hashes = Object.fromEntries(migrations.map((m) => [m.version, crypto.createHash('sha256').update(m.sql).digest('hex').slice(0, 16)]))
    expect(hashes).toEqual(shippedMigrationHashes)
  })

  it('creates every table of DESIGN §4 with WAL, foreign keys and schema version', () => {
    const file = tempDb()
    const db = openDatabase(file)
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
    expect(tables).toEqual(expect.arrayContaining(designTables))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(schemaVersion(db)).toBe(latestSchemaVersion)
    db.close()
  })

  it('finds a study\'s model image through the study\'s own series, not by scanning every image (a library of 20,000 studies took a minute a count)', () => {
    const db = openDatabase(tempDb())
    try {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM studies s WHERE ${STUDY_MODEL_IMAGE_ID} IS NULL`).all() as { detail: string }[]).map((r) => r.detail)
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH ms USING (COVERING )?INDEX series_study \(study_id=\?\)/))
      expect(plan).toContainEqual(expect.stringMatching(/^SEARCH mi USING INDEX images_series \(series_id=\?\)/))
    } finally {
      db.close()
    }
  })

  it('walks the studies newest first along an index, a page at a time, not sorting the whole library for each page', () => {
    const db = openDatabase(tempDb())
    try {
      const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT s.id FROM studies s ORDER BY s.study_date DESC, s.id DESC LIMIT 100 OFFSET 50000').all() as { detail: string }[]).map((r) => r.detail)
      expect(plan).toEqual([expect.stringMatching(/^SCAN s USING (COVERING )?INDEX studies_date/)])
    } finally {
      db.close()
    }
  })

  it('keeps the database file readable by its owner only (mode 0600)', () => {
    const file = tempDb()
    openDatabase(file).close()
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('reopens an existing file without re-running migrations and keeps its rows', () => {
    const file = tempDb()
    const db = openDatabase(file)
    writeSettings(db, { language: 'zh-CN' })
    db.close()
    const again = openDatabase(file)
    expect(schemaVersion(again)).toBe(latestSchemaVersion)
    expect(readSettings(again).language).toBe('zh-CN')
    again.close()
  })

  it('refuses a file written by a newer app and leaves it untouched', () => {
    const file = tempDb()
    const db = openDatabase(file)
    db.pragma(`user_version = ${latestSchemaVersion + 5}`)
    db.close()
    const before = fs.readFileSync(file)
    expect(() => openDatabase(file)).toThrow(/newer than this app knows.*left untouched/)
    expect(fs.readFileSync(file).equals(before)).toBe(true)
  })

  it('rolls back a migration that fails half-way: no partial table, version unchanged', () => {
    const file = tempDb()
    const db = openDatabase(file)
    const broken = [...migrations, { version: latestSchemaVersion + 1, description: 'broken', sql: 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);' }]
    expect(() => migrate(db, file, broken)).toThrow(/no_such_table/)
    expect(schemaVersion(db)).toBe(latestSchemaVersion)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 })
    db.close()
  })

  it('names the file and the problem when the folder cannot be created', () => {
    const t = tempDataDir()
    cleanups.push(t.cleanup)
    // A regular file where a folder should be fails even for root, unlike permission bits.
    const notAFolder = path.join(t.dir, 'not-a-folder')
    fs.writeFileSync(notAFolder, 'x')
    const file = path.join(notAFolder, 'vzw.sqlite')
    expect(() => openDatabase(file)).toThrow(`Cannot open the database ${file}: a file stands where a folder should be`)
  })

  it('keeps the audit log append-only', () => {
    const db = openDatabase(tempDb())
    db.prepare("INSERT INTO audit_log (at, actor, action, entity, prev_hash, hash) VALUES ('t', 'a', 'x', 'e', '0', 'h1')").run()
    expect(() => db.prepare("UPDATE audit_log SET actor = 'b'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    db.close()
  })

  it('falls back to defaults for settings never set, and rejects invalid values', () => {
    const db = openDatabase(tempDb())
    expect(readSettings(db)).toEqual(defaultSettings)
    expect(() => writeSettings(db, { intraOpThreads: -1 })).toThrow()
    expect(readSettings(db).intraOpThreads).toBe(defaultSettings.intraOpThreads)
    db.close()
  })
})

/** A database file as an app before schema `version` left it. */
function databaseBefore(file: string, version: number): Db {
  const old = openDatabase(file, { migrate: false })
  migrate(old, file, migrations.filter((m) => m.version < version))
  return old
}

/** An older database holding study 1 (CXR-A) and its series 1, for a migration to find images in. */
function databaseWithOneSeriesBefore(file: string, version: number): Db {
  const old = databaseBefore(file, version)
  old.prepare(`INSERT INTO studies (id, study_uid, pseudonym, created_at) VALUES (1, '1.2.3', 'CXR-A', '2026-11-01T00:00:00Z')`).run()
  old.prepare(`INSERT INTO series (id, study_id, series_uid) VALUES (1, 1, '1.2.3.1')`).run()
  return old
}

/** 10 held-out images, 4 with a nodule: "no nodule" everywhere is right on the 6 clear ones. */
const noNodule: EvaluationMetrics = { images: 10, presence: { correct: 6, total: 10 }, sideZone: { correct: 0, total: 4 }, size: { correct: 0, total: 4 }, finding: { correct: 6, total: 10 } }

describe('stored experiments', () => {
  it('keep the score of "no nodule" for every held-out image beside their arms', () => {
    const db = openDatabase(tempDb())
    createExperiment(db, { preset: 'tiny', configJson: '{}', seeds: [1], truthSource: 'synthetic', heldOut: 10, noNodule })
    expect(listExperiments(db)[0]).toMatchObject({ heldOutImages: 10, noNodule })
    db.close()
  })

  it('stored before the floor was, list with none and keep their rows', () => {
    const file = tempDb()
    const old = databaseBefore(file, 4)
    old.prepare(`INSERT INTO experiments (preset, config_json, seeds_json, status, truth_source, held_out, created_at) VALUES ('demo', '{}', '[1,2]', 'done', 'synthetic', 40, '2026-11-01T00:00:00Z')`).run()
    old.close()
    const db = openDatabase(file)
    expect(listExperiments(db)).toMatchObject([{ preset: 'demo', seeds: [1, 2], heldOutImages: 40, noNodule: null }])
    db.close()
  })
})

describe('images imported before projections were read', () => {
  it('take theirs from the ViewPosition they stored, so a lateral stops being a model image', () => {
    const file = tempDb()
    const old = databaseWithOneSeriesBefore(file, 5)
    const insertImage = old.prepare(
      `INSERT INTO images (series_id, sop_instance_uid, file_path, view_position, model_path, status, created_at)
       VALUES (1, ?, ?, ?, ?, 'ok', '2026-11-01T00:00:00Z')`
    )
    for (const [uid, view] of [['1.2.3.1.1', 'LL'], ['1.2.3.1.2', 'PA'], ['1.2.3.1.3', null], ['1.2.3.1.4', 'rld']]) insertImage.run(uid, `/films/${uid}`, view, `${uid}.model.png`)
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT view_position AS view, projection FROM images ORDER BY id').all()).toEqual([
      { view: 'LL', projection: 'lateral' },
      { view: 'PA', projection: 'frontal' },
      { view: null, projection: null },
      { view: 'rld', projection: 'other' }
    ])
    expect(studyImage(db, '1')!.modelPath).toBe('1.2.3.1.2.model.png')
    db.close()
  })
})

describe('reports stored before RTF, Word and spreadsheet sources', () => {
  it('keep every row, index and link when the table is rebuilt, and take the new source kinds after', () => {
    const file = tempDb()
    const old = databaseBefore(file, 8)
    old.prepare(`INSERT INTO studies (id, study_uid, pseudonym, created_at) VALUES (1, '1.2.3', 'CXR-A', '2026-11-01T00:00:00Z')`).run()
    const insertReport = old.prepare(
      `INSERT INTO reports (study_id, source_path, source_kind, match_key, encoding, language, raw_text, findings_json, created_at)
       VALUES (?, ?, ?, 'accession:A1', 'utf-8', 'en', ?, '{}', '2026-11-01T00:00:00Z')`
    )
    insertReport.run(1, '/r/a.txt', 'txt', 'No nodule.')
    insertReport.run(null, '/r/b.csv', 'csv', '8 mm nodule.')
    expect(() => insertReport.run(1, '/r/c.xlsx', 'xlsx', 'x')).toThrow(/CHECK constraint/)
    const before = old.prepare('SELECT * FROM reports ORDER BY id').all()
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT * FROM reports ORDER BY id').all()).toEqual(before)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reports' ORDER BY name").all()).toEqual([
      { name: 'reports_source_key' },
      { name: 'reports_study' }
    ])
    db.prepare(`INSERT INTO reports (study_id, source_path, source_kind, encoding, raw_text, created_at) VALUES (1, '/r/c.xlsx', 'xlsx', 'utf-8', 'x', 'now')`).run()
    for (const [file, kind] of [['/r/d.rtf', 'rtf'], ['/r/e.docx', 'docx']]) {
      db.prepare(`INSERT INTO reports (study_id, source_path, source_kind, encoding, raw_text, created_at) VALUES (1, ?, ?, 'utf-8', 'x', 'now')`).run(file, kind)
    }
    // the study's reports still go with it
    db.prepare('DELETE FROM studies WHERE id = 1').run()
    expect(db.prepare('SELECT source_path FROM reports').all()).toEqual([{ source_path: '/r/b.csv' }])
    db.close()
  })
})

describe('findings `vzw describe` stored before it stored them as runs do', () => {
  it('take the nodule finding out of the whole parsed report and the film the model read; other findings stay as they were', () => {
    const file = tempDb()
    const old = databaseWithOneSeriesBefore(file, 13)
    const insertImage = old.prepare(
      `INSERT INTO images (id, series_id, sop_instance_uid, file_path, projection, model_path, status, created_at)
       VALUES (?, 1, ?, '/films/x', ?, ?, 'ok', '2026-11-01T00:00:00Z')`
    )
    insertImage.run(1, '1.2.3.1.1', 'lateral', 'lateral.model.png')
    insertImage.run(2, '1.2.3.1.2', 'frontal', 'frontal.model.png')
    const insertFinding = old.prepare(`INSERT INTO findings (study_id, image_id, text, structured_json, created_at) VALUES (1, ?, ?, ?, '2026-11-01T00:00:00Z')`)
    const text = 'A 12 mm nodule in the right upper zone.'
    const parsed = parseReport(text)
    insertFinding.run(null, text, JSON.stringify(parsed))
    const runFinding = { imageId: 2, text, structured: JSON.stringify(parsed.nodules) }
    insertFinding.run(runFinding.imageId, runFinding.text, runFinding.structured)
    insertFinding.run(null, 'garbled', 'not json')
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT image_id AS imageId, text, structured_json AS structured FROM findings ORDER BY id').all()).toEqual([
      runFinding,
      runFinding,
      { imageId: null, text: 'garbled', structured: 'not json' }
    ])
    expect(listReviewQueue(db).rows[0]).toMatchObject({ imageId: 2, structured: parsed.nodules })
    db.close()
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFolders } from '../../src/main/importer/import-folders'
import * as reports from '../../src/main/reports'
import { openDatabase, type Db } from '../../src/main/store/database'
import { recordHardening } from '../helpers/hardening-counts'
import { writeHostileFolder, type HostileFolder } from './hostile-folder'

// A 10,000-file site folder with 5 % hostile files (hardening suite only: it takes minutes).
const TOTAL = Number(process.env.VZW_HOSTILE_TOTAL ?? 10_000)
let tmp: string
let folder: HostileFolder
let db: Db

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-hostile-'))
  const started = performance.now()
  folder = writeHostileFolder(path.join(tmp, 'site'), TOTAL, 0.05, 20261129)
  console.log(`hostile folder: ${TOTAL} files written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  db = openDatabase(path.join(tmp, 'data', 'vzw.sqlite'))
}, 600_000)
afterAll(() => {
  db?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe(`a ${TOTAL}-file folder, 5 % hostile`, () => {
  it('imports every good file and names every hostile one in an error row, in one job', async () => {
    expect(folder.good.size + folder.hostile.size).toBe(TOTAL)
    const started = performance.now()
    const summary = await importFolders(db, path.join(tmp, 'data'), [folder.root, folder.pictureRoot], { reports })
    const seconds = (performance.now() - started) / 1000
    const errors = new Map((db.prepare("SELECT file_path AS file, error FROM images WHERE status = 'error'").all() as { file: string; error: string }[]).map((r) => [r.file, r.error]))
    const imported = new Set((db.prepare("SELECT file_path AS file FROM images WHERE status = 'ok'").all() as { file: string }[]).map((r) => r.file))
    const unnamed = [...folder.hostile].filter(([file]) => !errors.has(file)).map(([file, kind]) => `${kind}: ${file}`)
    recordHardening('hostile-folder', { hostileFiles: folder.hostile.size, hostileFilesNamed: folder.hostile.size - unnamed.length, lostRows: [...folder.good].filter((f) => !imported.has(f)).length })
    console.log(`hostile folder: imported ${summary.imported}, ${summary.failed} named errors, ${summary.skipped} skipped in ${seconds.toFixed(1)} s (${(TOTAL / seconds).toFixed(0)} files/s)`)
    expect(unnamed).toEqual([])
    expect([...folder.good].filter((f) => !imported.has(f))).toEqual([])
    expect(summary.imported).toBe(folder.good.size)
    expect(summary.failed).toBe(folder.hostile.size)
    // Each reason is a sentence a person reads, per kind a few shown here for the record.
    for (const [file] of folder.hostile) expect(errors.get(file), file).toMatch(/^[A-Z][^\n]{10,}$/)
    const byKind = new Map<string, string>()
    for (const [file, kind] of folder.hostile) if (!byKind.has(kind)) byKind.set(kind, errors.get(file)!)
    for (const [kind, reason] of byKind) console.log(`  ${kind}: ${reason}`)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.prepare("SELECT status FROM import_jobs WHERE id = ?").get(summary.jobId)).toEqual({ status: 'done' })
  }, 1_200_000)
})

import { killGroup, spawnGroup } from '../helpers/process-group'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSmallCohort } from '../helpers/small-cohort'
import { Rng } from '../../src/main/random'
import { recordHardening } from '../helpers/hardening-counts'

// Reliability under kill -9: the import is killed at random moments, again and again; after every
// kill the database is intact, nothing committed before is lost, and the next run carries on.
const STUDIES = 16
const KILL_POINTS = Number(process.env.VZW_IMPORT_KILL_POINTS ?? 20)
const vzw = path.resolve('bin/vzw.mjs')
let tmp: string
let folder: string

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-import-kill-'))
  folder = path.join(await writeSmallCohort(tmp, { seed: 77, studies: STUDIES }), 'import')
}, 120_000)
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** True once the import job's row is committed: the importer is past start-up and working. */
function jobStarted(dataDir: string): boolean {
  const file = path.join(dataDir, 'vzw.sqlite')
  if (!fs.existsSync(file)) return false
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true })
    try {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'import_jobs'").get() !== undefined && db.prepare('SELECT 1 FROM import_jobs').get() !== undefined
    } finally {
      db.close()
    }
  } catch {
    return false
  }
}

/**
 * Runs `vzw import`; with `killAfterJobStartMs`, SIGKILLs it that long after its job started
 * (it may finish first). Returns the outcome and when the job started (ms after launch).
 */
function runImport(dataDir: string, killAfterJobStartMs: number | null): Promise<{ outcome: 'killed' | 'finished'; jobStartMs: number | null }> {
  return new Promise((resolve, reject) => {
    const launched = Date.now()
    let jobStartMs: number | null = null
    const child = spawnGroup(process.execPath, [vzw, 'import', folder, '--data-dir', dataDir], { stdio: 'ignore' })
    const poll = setInterval(() => {
      if (jobStartMs !== null || !jobStarted(dataDir)) return
      jobStartMs = Date.now() - launched
      if (killAfterJobStartMs !== null) setTimeout(() => killGroup(child), killAfterJobStartMs)
    }, 10)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearInterval(poll)
      resolve({ outcome: signal === 'SIGKILL' || code !== 0 ? 'killed' : 'finished', jobStartMs })
    })
  })
}

function inspect(dataDir: string): { integrity: string; images: number; uids: Set<string>; reports: number } {
  const db = new Database(path.join(dataDir, 'vzw.sqlite'), { readonly: true })
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'missing'
    const uids = new Set((db.prepare("SELECT sop_instance_uid AS u FROM images WHERE status = 'ok'").all() as { u: string }[]).map((r) => r.u))
    const reports = (db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n
    return { integrity, images: uids.size, uids, reports }
  } finally {
    db.close()
  }
}

describe('import under kill -9', () => {
  it(`stays intact, loses nothing and resumes at ${KILL_POINTS} random kill points`, async () => {
    // How long the work itself takes here (after start-up), so kill points fall anywhere inside it.
    const started = Date.now()
    const timing = await runImport(path.join(tmp, 'timing'), null)
    expect(timing.outcome).toBe('finished')
    const workMs = Date.now() - started - (timing.jobStartMs ?? 0)
    const rng = new Rng(2026)
    let killed = 0
    let lost = 0
    // A kill drawn so late that the run finished first does not count: draw until KILL_POINTS land.
    for (let point = 0; killed < KILL_POINTS && point < KILL_POINTS * 3; point++) {
      const dataDir = path.join(tmp, `data-${point}`)
      if ((await runImport(dataDir, rng.int(0, Math.floor(workMs * 0.9)))).outcome === 'killed') killed++
      const committed = inspect(dataDir)
      expect(committed.integrity, `after kill point ${point}`).toBe('ok')
      // Resume: the next run completes the job and keeps every row committed before the kill.
      expect((await runImport(dataDir, null)).outcome).toBe('finished')
      const resumed = inspect(dataDir)
      expect(resumed.integrity).toBe('ok')
      const lostHere = [...committed.uids].filter((uid) => !resumed.uids.has(uid))
      lost += lostHere.length
      expect(lostHere, `images lost after kill point ${point}`).toEqual([])
      expect(resumed.images).toBe(STUDIES)
      expect(resumed.reports).toBe(STUDIES)
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
    recordHardening('import-kill', { killPoints: killed, killPointsPlanned: KILL_POINTS, lostRows: lost })
    expect(killed).toBe(KILL_POINTS)
    console.log(`import kill -9: ${killed}/${KILL_POINTS} runs killed while importing (work ${workMs} ms after start-up); integrity ok and resume complete after each`)
  }, 900_000)
})

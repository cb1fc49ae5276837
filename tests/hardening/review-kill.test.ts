import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/main/app/services'
import { Rng } from '../../src/main/random'
import { verifyAuditChain } from '../../src/main/store/audit-log'
import { openDatabase, databasePath } from '../../src/main/store/database'
import { insertFinding, recordDecision, undoLastDecision } from '../../src/main/store/review-repository'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'
import { recordHardening } from '../helpers/hardening-counts'
import { killGroup, spawnGroup } from '../helpers/process-group'
import { noduleFinding, writeReviewCohort } from '../helpers/review-cohort'

// Reliability of review under kill -9: a reader's session (decisions, undos, exports through the
// real API, tests/hardening/review-session.ts) is killed at random moments, again and again, on
// one data folder. After every kill the database is intact, every decision the session had been
// told was stored is still there (or was undone, with its audit row), every action has its audit
// row, the chain verifies, and the next session works.
const KILL_POINTS = Number(process.env.VZW_REVIEW_KILL_POINTS ?? 20)
const FINDINGS = 40
const tsx = path.resolve('node_modules/.bin/tsx')
let tmp: string
let dataDir: string

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-review-kill-'))
  dataDir = path.join(tmp, 'data')
  writeReviewCohort(path.join(tmp, 'cohort'))
  const services = createServices({ dataDir, shell: 'cli', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
  try {
    const summary = await services.tasks.whenFinished(services.tasks.start('import.folders', { roots: [path.join(tmp, 'cohort')] }))
    expect(summary?.status).toBe('done')
    const images = services.db.prepare('SELECT i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id').all() as { imageId: number; studyId: number }[]
    for (let i = 0; i < FINDINGS; i++) {
      const { studyId, imageId } = images[i % images.length]
      insertFinding(services.db, { studyId, imageId, text: `Nodule ${i + 1} in the left lower zone`, structured: noduleFinding('left', 'lower', 5 + (i % 20)) })
    }
  } finally {
    services.close()
  }
}, 120_000)
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

interface Session {
  outcome: 'killed' | 'finished'
  /** Lines printed before the end: each one an action that had returned, i.e. committed. */
  committed: string[]
  /** ms from the start of the process to the first and to the last committed action printed. */
  firstMs: number
  lastMs: number
}

/** Runs one session; with `killAfterMs`, SIGKILLs it that long after its first committed action (start-up time varies too much to time a kill from the start). */
function runSession(seed: number, killAfterMs: number | null): Promise<Session> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now()
    const child = spawnGroup(tsx, ['tests/hardening/review-session.ts', '--data-dir', dataDir, '--decisions', '30', '--seed', String(seed), '--export'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let firstAt: number | null = null
    let lastAt: number | null = null
    const { stdout, stderr } = child
    if (!stdout || !stderr) throw new Error('review session started without pipes')
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      lastAt = Date.now()
      if (firstAt !== null) return
      firstAt = lastAt
      if (killAfterMs !== null) setTimeout(() => killGroup(child), killAfterMs)
    })
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) return reject(new Error(`review session failed (${code}): ${err}`))
      const lines = out.split('\n')
      // A line cut by the kill is not a whole report of a committed action.
      const committed = out.endsWith('\n') ? lines.filter(Boolean) : lines.slice(0, -1).filter(Boolean)
      resolve({ outcome: signal === 'SIGKILL' ? 'killed' : 'finished', committed, firstMs: (firstAt ?? startedAt) - startedAt, lastMs: (lastAt ?? startedAt) - startedAt })
    })
  })
}

interface Audit {
  action: string
  before: { review: { reviewId: number } | null } | null
  after: { review: { reviewId: number } | null } | null
}

/** Committed actions the database does not account for: decisions neither stored nor undone, actions without audit rows. */
function missingRows(committed: string[]): { integrity: string; lost: string[]; chainOk: boolean } {
  const db = new Database(path.join(dataDir, 'vzw.sqlite'), { readonly: true })
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }))
    const reviews = new Set((db.prepare('SELECT id FROM reviews').all() as { id: number }[]).map((r) => r.id))
    const audit = (db.prepare("SELECT action, before_json AS b, after_json AS a FROM audit_log WHERE action LIKE 'review.%'").all() as { action: string; b: string | null; a: string | null }[]).map(
      (r): Audit => ({ action: r.action, before: r.b ? JSON.parse(r.b) : null, after: r.a ? JSON.parse(r.a) : null })
    )
    const undone = new Set(audit.filter((a) => a.action === 'review.undo').map((a) => a.before!.review!.reviewId))
    const audited = new Set(audit.filter((a) => a.action !== 'review.undo').map((a) => a.after!.review!.reviewId))
    const lost: string[] = []
    for (const line of committed) {
      const [kind, value] = line.split(' ')
      if (kind === 'decided') {
        const id = Number(value)
        if (!reviews.has(id) && !undone.has(id)) lost.push(`review ${id}`)
        if (!audited.has(id)) lost.push(`audit row of review ${id}`)
      } else if (kind === 'exported') {
        const file = path.join(dataDir, 'exports', value)
        if (!fs.existsSync(file) || fs.statSync(file).size === 0) lost.push(`export ${value}`)
      }
    }
    // Every stored review has its audit row: no decision slipped in unaudited.
    for (const id of reviews) if (!audited.has(id)) lost.push(`audit row of stored review ${id}`)
    return { integrity, lost, chainOk: verifyAuditChain(db).ok }
  } finally {
    db.close()
  }
}

describe('review under kill -9', () => {
  it(`stays intact and loses no committed decision or audit row at ${KILL_POINTS} random kill points`, async () => {
    const timing = await runSession(1, null)
    expect(timing.outcome).toBe('finished')
    const allCommitted = [...timing.committed]
    const rng = new Rng(4242)
    let killed = 0
    let lost = 0
    // A kill counts when it lands mid-work: after the session's first committed action and before
    // its last (start-up time varies, so draw until KILL_POINTS such kills have landed).
    for (let point = 0; killed < KILL_POINTS && point < KILL_POINTS * 4; point++) {
      const session = await runSession(100 + point, rng.int(0, timing.lastMs - timing.firstMs))
      if (session.outcome === 'killed' && session.committed.length > 0 && session.committed.length < timing.committed.length) killed++
      allCommitted.push(...session.committed)
      const after = missingRows(allCommitted)
      lost += after.lost.length
      expect(after.integrity, `after kill point ${point}`).toBe('ok')
      expect(after.lost, `after kill point ${point}`).toEqual([])
      expect(after.chainOk, `audit chain after kill point ${point}`).toBe(true)
    }
    // Resume: a whole session runs on the folder the kills left, and the CLI verifies the chain.
    const resumed = await runSession(999, null)
    expect(resumed.outcome).toBe('finished')
    allCommitted.push(...resumed.committed)
    lost += missingRows(allCommitted).lost.length
    const verify = spawnSync(process.execPath, [path.resolve('bin/vzw.mjs'), 'audit', 'verify', '--data-dir', dataDir], { encoding: 'utf8' })
    recordHardening('review-kill', { killPoints: killed, killPointsPlanned: KILL_POINTS, lostRows: lost })
    expect(verify.status, verify.stderr).toBe(0)
    expect(verify.stdout).toMatch(/Audit log intact: \d+ entries, chain verified/)
    expect(lost).toBe(0)
    expect(killed).toBe(KILL_POINTS)
    console.log(`review kill -9: ${killed}/${KILL_POINTS} sessions killed mid-work (work from ${timing.firstMs} to ${timing.lastMs} ms after start); ${allCommitted.length} committed actions all accounted for`)
  }, 900_000)

  it('a decision or an undo and its audit row commit together or not at all (what the kills rely on)', () => {
    const db = openDatabase(databasePath(dataDir))
    try {
      const count = () => db.prepare('SELECT (SELECT count(*) FROM reviews) AS reviews, (SELECT count(*) FROM audit_log) AS audit').get()
      const findingId = (db.prepare('SELECT id FROM findings LIMIT 1').get() as { id: number }).id
      recordDecision(db, { findingId, decision: 'accept', secondsOnTask: 1, reviewer: 'Dr Atomic' })
      const before = count()
      // The audit row cannot be written (as if the disk failed right there): nothing of the action may stay.
      db.exec("CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit write failed'); END")
      expect(() => recordDecision(db, { findingId, decision: 'uncertain', secondsOnTask: 1, reviewer: 'Dr Atomic' })).toThrow(/audit write failed/)
      expect(() => undoLastDecision(db, 'Dr Atomic')).toThrow(/audit write failed/)
      expect(count()).toEqual(before)
    } finally {
      db.close()
    }
  })
})

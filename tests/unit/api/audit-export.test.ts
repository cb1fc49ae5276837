import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { writeAuditExport } from '../../../src/main/api/audit-export'
import { insertFinding, recordDecision, undoLastDecision } from '../../../src/main/store/review-repository'
import { tempServices } from '../../helpers/temp-services'

/** The exported rule, followed by hand: what an auditor without the app would compute. */
function recomputedHash(e: { at: string; actor: string; action: string; entity: string; entityId: number | null; beforeJson: string | null; afterJson: string | null; prevHash: string }): string {
  return crypto.createHash('sha256').update(JSON.stringify([e.at, e.actor, e.action, e.entity, e.entityId, e.beforeJson, e.afterJson, e.prevHash])).digest('hex')
}

it('exports every audit row verbatim with the chain verdict, and the hashes can be checked without the app', () => {
  const ctx = tempServices()
  try {
    const db = ctx.services.db
    const studyId = Number(db.prepare("INSERT INTO studies (study_uid, pseudonym, created_at) VALUES ('2.25.1', 'CXR-1', ?)").run(new Date().toISOString()).lastInsertRowid)
    const finding = insertFinding(db, { studyId, imageId: null, text: 'No nodule.', structured: { presence: 'absent', count: 0, items: [] } })
    recordDecision(db, { findingId: finding, decision: 'accept', secondsOnTask: 3, reviewer: 'Dr Lee' })
    recordDecision(db, { findingId: finding, decision: 'reject', reason: 'other', reasonText: 'old scar', secondsOnTask: 4, reviewer: 'Dr Lee' })
    undoLastDecision(db, 'Dr Lee')

    const file = writeAuditExport(ctx.dataDir, db, new Date('2026-12-01T08:00:00Z'))
    expect(file.fileName).toBe('audit-log-2026-12-01T08-00-00-000Z.json')
    const written = JSON.parse(fs.readFileSync(path.join(ctx.dataDir, 'exports', file.fileName), 'utf8'))
    expect(written).toMatchObject({ kind: 'vision-zero-audit-log', chain: { ok: true, rows: 3 } })
    expect(written.entries.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['review.accept', 'Dr Lee'],
      ['review.reject', 'Dr Lee'],
      ['review.undo', 'Dr Lee']
    ])
    let previous = '0'.repeat(64)
    for (const e of written.entries) {
      expect(e.prevHash).toBe(previous)
      expect(recomputedHash(e)).toBe(e.hash)
      previous = e.hash
    }
    expect(JSON.parse(written.entries[1].afterJson).review.reason).toBe('other: old scar')
  } finally {
    ctx.cleanup()
  }
})

import crypto from 'node:crypto'
import type { Db } from './database'

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, so any edit
 * of a past row made behind the app's back breaks the chain at that row.
 */
export interface AuditEntry {
  actor: string
  action: string
  entity: string
  entityId: number | null
  before: unknown
  after: unknown
}

interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  entity: string
  entity_id: number | null
  before_json: string | null
  after_json: string | null
  prev_hash: string
  hash: string
}

const GENESIS = '0'.repeat(64)

function rowHash(r: Omit<AuditRow, 'id' | 'hash'>): string {
  const content = JSON.stringify([r.at, r.actor, r.action, r.entity, r.entity_id, r.before_json, r.after_json, r.prev_hash])
  return crypto.createHash('sha256').update(content).digest('hex')
}

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendAudit(db: Db, entry: AuditEntry, at = new Date().toISOString()): number {
  const last = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined
  const row = {
    at,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    prev_hash: last?.hash ?? GENESIS
  }
  const info = db
    .prepare(
      `INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash)
       VALUES (@at, @actor, @action, @entity, @entity_id, @before_json, @after_json, @prev_hash, @hash)`
    )
    .run({ ...row, hash: rowHash(row) })
  return Number(info.lastInsertRowid)
}

/** A row of the log as stored: before and after stay the JSON text they were hashed as. */
export interface StoredAuditEntry {
  id: number
  at: string
  actor: string
  action: string
  entity: string
  entityId: number | null
  beforeJson: string | null
  afterJson: string | null
  prevHash: string
  hash: string
}

/** The rule each row's hash follows, in words, for whoever checks an exported log without the app. */
export const AUDIT_HASH_RULE =
  'hash = sha256 hex of the UTF-8 JSON array [at, actor, action, entity, entityId, beforeJson, afterJson, prevHash]; prevHash is the previous row\'s hash, 64 zeros for the first'

export function auditEntries(db: Db): StoredAuditEntry[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditRow[]).map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    beforeJson: r.before_json,
    afterJson: r.after_json,
    prevHash: r.prev_hash,
    hash: r.hash
  }))
}

export type AuditVerdict = { ok: true; rows: number } | { ok: false; rows: number; brokenAt: number; reason: string }

/** Walks the chain from the first row; reports the first row whose link or content does not hold. */
export function verifyAuditChain(db: Db): AuditVerdict {
  let prev = GENESIS
  let rows = 0
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    rows++
    if (r.prev_hash !== prev) return { ok: false, rows, brokenAt: r.id, reason: `row ${r.id} does not link to the row before it` }
    if (rowHash(r) !== r.hash) return { ok: false, rows, brokenAt: r.id, reason: `row ${r.id} was changed after it was written` }
    prev = r.hash
  }
  return { ok: true, rows }
}

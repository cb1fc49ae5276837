import path from 'node:path'
import { writeDataFile } from '../importer/image-files'
import { AUDIT_HASH_RULE, auditEntries, verifyAuditChain } from '../store/audit-log'
import type { Db } from '../store/database'
import { exportStamp, type ExportFile } from './review-export'

/**
 * The audit log as stored, for the site's own audit (REFERENCE §6: "export of the log"): every row
 * verbatim — reviewer names and the findings' before and after, which is why it is not de-identified
 * and stays under `<data>/exports/` — with the chain's verdict at export and the hash rule, so an
 * auditor can check the chain without the app.
 */
export function writeAuditExport(dataDir: string, db: Db, now = new Date()): ExportFile & { rows: number } {
  const entries = auditEntries(db)
  const fileName = `audit-log-${exportStamp(now)}.json`
  const text = JSON.stringify(
    { kind: 'vision-zero-audit-log', version: 1, exportedAt: now.toISOString(), chain: verifyAuditChain(db), hashRule: AUDIT_HASH_RULE, entries },
    null,
    2
  )
  writeDataFile(dataDir, path.join('exports', fileName), text)
  return { fileName, mediaType: 'application/json', bytes: Buffer.from(text, 'utf8'), rows: entries.length }
}

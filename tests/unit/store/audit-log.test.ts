import { afterEach, describe, expect, it } from 'vitest'
import { appendAudit, verifyAuditChain } from '../../../src/main/store/audit-log'
import { databasePath, openDatabase } from '../../../src/main/store/database'
import { tempDataDir } from '../../helpers/temp-services'

const temps: (() => void)[] = []
afterEach(() => temps.splice(0).forEach((c) => c()))

function db() {
  const t = tempDataDir()
  temps.push(t.cleanup)
  return openDatabase(databasePath(t.dir))
}

const entry = (n: number) => ({ actor: 'dr.lee', action: 'review.accept', entity: 'finding', entityId: n, before: null, after: { decision: 'accept' } })

describe('the audit log', () => {
  it('chains every entry to the one before and verifies', () => {
    const d = db()
    for (let i = 1; i <= 5; i++) appendAudit(d, entry(i))
    expect(verifyAuditChain(d)).toEqual({ ok: true, rows: 5 })
    d.close()
  })

  it('finds the row changed behind the app’s back (triggers dropped, content edited)', () => {
    const d = db()
    for (let i = 1; i <= 4; i++) appendAudit(d, entry(i))
    d.exec('DROP TRIGGER audit_log_no_update')
    d.prepare("UPDATE audit_log SET after_json = '{\"decision\":\"reject\"}' WHERE id = 3").run()
    expect(verifyAuditChain(d)).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringMatching(/changed after it was written/) })
    d.close()
  })

  it('finds a deleted row by the broken link after it', () => {
    const d = db()
    for (let i = 1; i <= 4; i++) appendAudit(d, entry(i))
    d.exec('DROP TRIGGER audit_log_no_delete')
    d.prepare('DELETE FROM audit_log WHERE id = 2').run()
    expect(verifyAuditChain(d)).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringMatching(/does not link/) })
    d.close()
  })
})

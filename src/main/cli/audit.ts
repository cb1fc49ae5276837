import { verifyAuditChain } from '../store/audit-log'
import type { CliCommand } from './command'

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Check the audit log: every entry chained to the one before, none changed (vzw audit verify)',
  usage: 'vzw audit verify',
  options: {},
  async run(ctx) {
    if (ctx.positionals[0] !== 'verify') throw new Error('Usage: vzw audit verify')
    const verdict = verifyAuditChain(ctx.services().db)
    ctx.services().close()
    if (verdict.ok) {
      console.log(`Audit log intact: ${verdict.rows} entries, chain verified.`)
      return 0
    }
    console.error(`Audit log BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}.`)
    return 3
  }
}

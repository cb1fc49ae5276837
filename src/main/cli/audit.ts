import path from 'node:path'
import { dispatch } from '../api/dispatch'
import type { Output } from '../../shared/contract'
import { verifyAuditChain } from '../store/audit-log'
import type { CliCommand } from './command'

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'Check the audit log (vzw audit verify: every entry chained to the one before, none changed) or export it (vzw audit export)',
  usage: 'vzw audit verify | vzw audit export',
  options: {},
  async run(ctx) {
    if (ctx.positionals[0] === 'export') {
      const services = ctx.services()
      const envelope = await dispatch(services.handlers, 'audit.export', {})
      services.close()
      if (!envelope.ok) throw new Error(envelope.error.message)
      const file = envelope.value as Output<'audit.export'>
      console.log(`Audit log exported: ${file.rows} entries to ${path.join(services.config.dataDir, 'exports', file.fileName)}`)
      return 0
    }
    if (ctx.positionals[0] !== 'verify') throw new Error('Usage: vzw audit verify | vzw audit export')
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

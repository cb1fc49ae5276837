import { dispatch } from '../api/dispatch'
import type { CliCommand } from './command'

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print the app version, data folder, schema version and execution providers',
  usage: 'vzw info [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const envelope = await dispatch(ctx.services().handlers, 'app.info', {})
    if (!envelope.ok) throw new Error(envelope.error.message)
    const info = envelope.value as import('../../shared/contract').AppInfo
    if (ctx.values.json) {
      console.log(JSON.stringify(info, null, 2))
      return 0
    }
    console.log(`${info.name} ${info.version}`)
    console.log(`data folder      ${info.dataDir}`)
    console.log(`database         ${info.database.state}, schema ${info.schemaVersion}, ${info.database.journalMode}, ${info.database.studies} studies`)
    console.log(`execution        ${info.executionProviders.available.join(', ')} (preferred: ${info.executionProviders.preferred}, chosen: ${info.executionProviders.chosen})`)
    console.log(`runtime          node ${info.runtime.node} ${info.runtime.platform}-${info.runtime.arch}`)
    return 0
  }
}

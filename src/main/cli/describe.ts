import { describeStudy } from '../model/describe'
import type { CliCommand } from './command'

export const describeCommand: CliCommand = {
  name: 'describe',
  summary: 'Write findings for a study with the model under review (else the newest warm-up) and show their parsed structure',
  usage: 'vzw describe STUDY [--checkpoint FILE]   (STUDY: pseudonym or study id)',
  options: { checkpoint: { type: 'string' } },
  async run(ctx) {
    const key = ctx.positionals[0]
    if (!key || ctx.positionals.length > 1) {
      console.error(`Usage: ${this.usage}`)
      return 2
    }
    const services = ctx.services()
    try {
      const d = await describeStudy(services.db, services.config.dataDir, key, { checkpoint: ctx.values.checkpoint as string | undefined })
      console.log(`Study ${d.pseudonym} (checkpoint ${d.checkpoint})`)
      console.log(`\nGenerated findings:\n${d.text || '(empty)'}\n`)
      if (d.certainty !== null) console.log(`Model certainty of its finding: ${Math.round(d.certainty * 100)} %\n`)
      console.log(`Parsed structure:\n${JSON.stringify({ language: d.parsed.language, nodules: d.parsed.nodules }, null, 2)}`)
      return 0
    } finally {
      services.close()
    }
  }
}

import type { FindingsSummary } from '../training/study-findings'
import type { NewFindingsResult } from '../training/findings-task'
import type { CliCommand } from './command'
import { runTaskWithProgress } from './run-task'
import { printResultLine } from '../app/result-line'

/** What a checkpoint's findings were, in one line. */
export function findingsSummaryLine(s: FindingsSummary): string {
  if (s.studies === 0) return 'findings: every study already had one from this model'
  return `findings written for ${s.studies} studies (nodule present ${s.presence.present}, absent ${s.presence.absent}, uncertain ${s.presence.uncertain})`
}

export const findingsCommand: CliCommand = {
  name: 'findings',
  summary: 'Write findings for the studies imported since the model under review wrote its own (the newest findings’ model), with progress',
  usage: 'vzw findings',
  options: {},
  async run(ctx) {
    const summary = await runTaskWithProgress(ctx.services(), 'findings.write', {}, 'findings')
    if (!summary) return 1
    const r = summary.result as NewFindingsResult
    console.log(`${findingsSummaryLine(r)}; model ${r.checkpoint}`)
    printResultLine('findings', { studies: r.studies, present: r.presence.present, absent: r.presence.absent, uncertain: r.presence.uncertain })
    return 0
  }
}

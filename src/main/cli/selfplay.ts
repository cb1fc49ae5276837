import { printResultLine } from '../app/result-line'
import { withSettings } from '../selfplay/config'
import { selfPlayPresets, type SelfPlayResult, type SelfPlayRunOptions } from '../training/selfplay-run'
import type { CliCommand } from './command'
import { findingsSummaryLine } from './findings'
import { runTaskWithProgress } from './run-task'
import { executionProviderUsage, intFlag, repeatedFlag, trainingProvider } from './warmup'

export const selfplayCommand: CliCommand = {
  name: 'selfplay',
  summary: 'Self-play training: warm-up when none finished, then rounds of spy and QA games; resumes an interrupted run',
  usage: `vzw selfplay --rounds N [--config ${Object.keys(selfPlayPresets).join('|')}] [--seed S] [--spy-games N] [--qa-games N] [--threads T] [--ep PROVIDER] [--set PATH=VALUE …]\n\n  --set PATH=VALUE        a self-play setting of the run config, repeatable (e.g. --set scheduler.accuracyToClue=0.5 --set spy.blankSpyImage=true)\n${executionProviderUsage}`,
  options: {
    rounds: { type: 'string' },
    config: { type: 'string' },
    seed: { type: 'string' },
    'spy-games': { type: 'string' },
    'qa-games': { type: 'string' },
    threads: { type: 'string' },
    ep: { type: 'string' },
    set: { type: 'string', multiple: true }
  },
  async run(ctx) {
    const v = ctx.values
    const name = (v.config as string | undefined) ?? 'default'
    const preset = selfPlayPresets[name]
    if (!preset) throw new Error(`--config must be one of ${Object.keys(selfPlayPresets).join(', ')}, got ${name}`)
    if (v.rounds === undefined) throw new Error('--rounds N is required')
    const options: SelfPlayRunOptions = {
      ...preset,
      rounds: intFlag(v.rounds, 'rounds', 0, 1),
      seed: intFlag(v.seed, 'seed', preset.seed, 0),
      spyGamesPerRound: intFlag(v['spy-games'], 'spy-games', preset.spyGamesPerRound, 0),
      qaGamesPerRound: intFlag(v['qa-games'], 'qa-games', preset.qaGamesPerRound, 0),
      threads: intFlag(v.threads, 'threads', 0, 0),
      executionProvider: trainingProvider(v.ep, ctx.services()),
      selfplay: withSettings(preset.selfplay, repeatedFlag(v.set))
    }
    const summary = await runTaskWithProgress(ctx.services(), 'selfplay.run', options, 'self-play', ' (run it again with the same options to resume from the last round)')
    if (!summary) return 1
    const r = summary.result as SelfPlayResult
    const m = r.last
    console.log(
      [
        `run ${r.runId}${r.resumedFromRound !== null ? ` (resumed at round ${r.resumedFromRound})` : ''}${r.warmupRunId !== null ? `, after warm-up run ${r.warmupRunId}` : ''}: ${r.rounds} rounds; checkpoint ${r.checkpoint}`,
        r.findings
          ? findingsSummaryLine(r.findings)
          : 'paused from the app before its last round: run it again with the same options to resume',
        m ? `last round: ${m.stage} stage, loss ${m.loss?.toFixed(4) ?? '-'}, KL ${m.kl?.toFixed(4) ?? '-'}, vote accuracy ${m.voteAccuracy?.toFixed(3) ?? '-'}, n/a ${m.voteNaRate?.toFixed(3) ?? '-'}, answerer accuracy ${m.answererAccuracy?.toFixed(3) ?? '-'}, ${m.tokensPerSecond.toFixed(0)} tokens/s` : 'no round played (the run had already finished)'
      ].join('\n')
    )
    printResultLine('selfplay', {
      rounds: r.rounds,
      stage: m?.stage ?? '-',
      loss: m?.loss === null || m === null ? '-' : +m.loss.toFixed(4),
      vote_acc: m?.voteAccuracy == null ? '-' : +m.voteAccuracy.toFixed(4),
      answer_acc: m?.answererAccuracy == null ? '-' : +m.answererAccuracy.toFixed(4),
      tokens_per_s: m ? +m.tokensPerSecond.toFixed(1) : 0,
      minutes: +r.minutes.toFixed(2)
    })
    return 0
  }
}

import { databasePath, openDatabase } from '../store/database'
import { phaseProgress, ProgressMeter } from '../tasks/progress'
import type { TaskContext } from '../tasks/registry'
import { runSelfPlay, type SelfPlayResult, type SelfPlayRunOptions } from './selfplay-run'

/** The task's parameters: the run's options, and the run to play when the app created or resumes one. */
export type SelfPlayTaskParams = SelfPlayRunOptions & { runId?: number }

/**
 * Task body 'selfplay.run': the warm-up (when needed) and the self-play rounds in the task child
 * process, with warm-up steps, then rounds with stage, loss and vote accuracy, as progress; stops
 * on cancel. Killed, it resumes from its last committed round when started again with the same
 * options.
 */
export async function selfPlayRunTask({ runId, ...options }: SelfPlayTaskParams, ctx: TaskContext): Promise<SelfPlayResult> {
  const db = openDatabase(databasePath(ctx.dataDir))
  const warmup = phaseProgress(ctx, 'warm-up steps')
  const vision = phaseProgress(ctx, 'warm-up vision steps')
  const ownReports = phaseProgress(ctx, 'reports written')
  const format = phaseProgress(ctx, 'game-format steps')
  const findings = phaseProgress(ctx, 'studies described')
  let roundMeter: ProgressMeter | null = null
  try {
    return await runSelfPlay(db, ctx.dataDir, options, {
      signal: ctx.signal,
      warmup: {
        onStep: ({ step, steps, loss }) => warmup(step, steps, `loss ${loss.toFixed(3)}`),
        onPhase: (phase, done, total) => (phase === 'vision' ? vision(done, total, "warm-up vision phase: the encoder on the reports' presence") : undefined)
      },
      onFormatReports: (done, total) => ownReports(done, total, 'game-format phase: the warm-up writing its own report for each study'),
      onFormatStep: (step, steps, loss) => format(step, steps, `loss ${loss.toFixed(3)}`),
      onTick: () => ctx.yieldToEvents(),
      // The meter starts where a resumed run starts, so its rate counts only rounds played here.
      onRoundsStart(committed, rounds) {
        roundMeter = new ProgressMeter(rounds, 'rounds', undefined, committed)
        ctx.progress(roundMeter.update(committed, 'playing'))
      },
      async onRound({ round, rounds, metrics }) {
        roundMeter ??= new ProgressMeter(rounds, 'rounds')
        const accuracy = metrics.voteAccuracy === null ? '-' : `${(metrics.voteAccuracy * 100).toFixed(0)}%`
        ctx.progress(roundMeter.update(round, `${metrics.stage} stage, loss ${metrics.loss?.toFixed(3) ?? '-'}, vote accuracy ${accuracy}, ${metrics.tokensPerSecond.toFixed(0)} tokens/s`))
        await ctx.yieldToEvents()
      },
      async onEvaluation(round, m) {
        // The rounds' meter exists: onRoundsStart runs before the first round.
        if (roundMeter) ctx.progress(roundMeter.update(round, `held-out sample after round ${round}: finding accuracy ${m.finding.correct}/${m.finding.total}, presence ${m.presence.correct}/${m.presence.total}`))
        await ctx.yieldToEvents()
      },
      onFindings: (done, total) => findings(done, total, 'findings for every study')
    }, runId)
  } finally {
    db.close()
  }
}

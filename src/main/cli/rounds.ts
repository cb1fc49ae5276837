import { createApi, type Api } from '../../shared/client'
import type { QaGameView, RunGame, RunSummary, SpyGameView } from '../../shared/contract'
import { dispatch } from '../api/dispatch'
import { printResultLine } from '../app/result-line'
import { ANSWERER_TARGET, clueSignal, clueVotes, questionKinds, roundWindows, stageSwitches, voteTargets, type ClueVotes, type QuestionKind, type RoundWindow, type VoteTargets } from '../training/round-trends'
import type { CliCommand } from './command'
import { intFlag } from './warmup'

const num = (x: number | null, digits = 3) => (x === null ? '-' : x.toFixed(digits))
const share = (t: { clues: number; naming: number }) => (t.clues ? `${(t.naming / t.clues).toFixed(2)} of ${t.clues}` : '-')
const rate = (n: number, of: number) => (of ? (n / of).toFixed(2) : '-')
/** A share for the RESULT line: null when nothing was counted. */
const fraction = (n: number, of: number) => (of ? +(n / of).toFixed(4) : null)

/** The newest self-play run with stored rounds, or the one asked for. */
async function pickRun(api: Api, asked: string | undefined): Promise<RunSummary> {
  const runs = (await api.runs.list()).filter((r) => r.name === 'selfplay')
  if (asked === undefined) {
    const newest = runs.find((r) => r.rounds > 0)
    if (!newest) throw new Error('No self-play run has stored a round yet (vzw selfplay plays one)')
    return newest
  }
  const run = runs.find((r) => r.id === Number(asked))
  if (!run) throw new Error(`No self-play run ${asked} (self-play runs: ${runs.map((r) => r.id).join(', ') || 'none'})`)
  return run
}

const isSpyGame = (g: RunGame): g is SpyGameView => g.kind === 'spy'
const isQaGame = (g: RunGame): g is QaGameView => g.kind === 'qa'

/** "presence 60 (p 0.56)": how many of the window's questions were of the kind, and the answerer's accuracy on them. */
function kindLine(k: QuestionKind): string {
  return `${k.kind} ${k.questions}${k.answererAccuracy === null ? '' : ` (p ${k.answererAccuracy.toFixed(2)})`}`
}

const questionCount = (kinds: readonly QuestionKind[]) => kinds.reduce((n, k) => n + k.questions, 0)
/** The questioner's mean reward over every question of a window (null when it asked none). */
const meanReward = (kinds: readonly QuestionKind[]) => {
  const n = questionCount(kinds)
  return n ? +(kinds.reduce((a, k) => a + k.questionerReward * k.questions, 0) / n).toFixed(4) : null
}
const unreadShare = (kinds: readonly QuestionKind[] | undefined) => (kinds ? fraction(kinds.find((k) => k.kind === 'unread')?.questions ?? 0, questionCount(kinds)) : null)

function windowLine(w: RoundWindow): string {
  return [`${w.first}–${w.last}`.padEnd(9), w.stages.join('+').padEnd(15), num(w.voteAccuracy).padEnd(9), num(w.voteNaRate).padEnd(6), num(w.accuracyEma).padEnd(8), num(w.answererAccuracy).padEnd(13), num(w.kl)].join(' ')
}

export const roundsCommand: CliCommand = {
  name: 'rounds',
  summary: "What a self-play run's stored rounds show: vote accuracy, n/a, stage switches, answerer accuracy, clue signal",
  usage: 'vzw rounds [RUN] [--window N]   (RUN: a self-play run id, default the newest with rounds; N rounds per line)',
  options: { window: { type: 'string' } },
  async run(ctx) {
    const services = ctx.services()
    try {
      const api = createApi({ invoke: (method, input) => dispatch(services.handlers, method, input), subscribe: () => () => {} })
      const run = await pickRun(api, ctx.positionals[0])
      const { rounds, thresholds, changedSettings } = await api.runs.rounds({ runId: run.id })
      const size = intFlag(ctx.values.window, 'window', Math.max(1, Math.ceil(rounds.length / 8)), 1)
      const windows = roundWindows(rounds, size)
      const switches = stageSwitches(rounds)
      console.log(`Self-play run ${run.id} (${run.modelConfig ?? '?'}), ${rounds.length} rounds stored; switches after round ${switches.join(', ') || '(none)'}`)
      console.log(`decision → clue at accuracy ≥ ${thresholds.accuracyToClue} and n/a ≤ ${thresholds.naToClue}; clue → decision at error ≥ ${thresholds.errorToDecision} or n/a ≥ ${thresholds.naToDecision}; answerer target ${ANSWERER_TARGET}`)
      console.log(`settings changed from DESIGN's defaults: ${changedSettings.join(' ') || '(none)'}\n`)
      console.log('rounds    stage           vote acc  n/a    acc EMA  answerer acc  KL')
      for (const w of windows) console.log(windowLine(w))

      const evaluations = (await api.runs.evaluations({ runId: run.id })).filter((e) => e.roundIndex !== null)
      if (evaluations.length) {
        console.log('\nHeld-out sample (periodic evaluation):')
        for (const e of evaluations) console.log(`  after round ${e.roundIndex! + 1}: presence ${e.metrics.presence.correct}/${e.metrics.presence.total}, finding ${e.metrics.finding.correct}/${e.metrics.finding.total}`)
      }
      const gamesByRound = new Map<number, RunGame[]>()
      for (const r of rounds) gamesByRound.set(r.roundIndex, (await api.runs.games({ runId: run.id, roundIndex: r.roundIndex })).games)
      const inWindow = (w: RoundWindow) => rounds.filter((r) => r.roundIndex >= w.first && r.roundIndex <= w.last).flatMap((r) => gamesByRound.get(r.roundIndex) ?? [])
      const windowGames = (w: RoundWindow) => inWindow(w).filter(isSpyGame)
      const games = [...gamesByRound.values()].flat().filter(isSpyGame)
      console.log('\nWhere the sampled votes went (a random vote among the others names the spy a third of the time):')
      // The first and the last window, once when they are the same.
      const ends = [...new Set([windows[0], windows[windows.length - 1]])].filter(Boolean)
      const targets = ends.map((w) => ({ w, t: voteTargets(windowGames(w)) }))
      for (const { w, t } of targets) {
        console.log(`  rounds ${`${w.first}–${w.last}`.padEnd(8)} spy ${rate(t.spy, t.votes)}  other civilian ${rate(t.civilian, t.votes)}  itself ${rate(t.self, t.votes)}  n/a ${rate(t.abstain, t.votes)}  no vote ${rate(t.invalid, t.votes)}  of ${t.votes}`)
        const named = t.bySeat.reduce((a, b) => a + b, 0)
        console.log(`  ${''.padEnd(15)} votes naming seat ${t.bySeat.map((n, i) => `${i + 1}: ${rate(n, named)}`).join('  ')}   spy at seat ${t.spySeats.map((n, i) => `${i + 1}: ${n}`).join('  ')} of ${t.spySeats.reduce((a, b) => a + b, 0)} games`)
      }
      console.log('\nClues that name a nodule (report parser), by the edit of the spy image:')
      for (const s of clueSignal(games)) console.log(`  ${s.edit.padEnd(7)} spy ${share(s.spy).padEnd(14)} civilians ${share(s.civilian)}`)
      const allowed = clueVotes(games)
      console.log('\nVotes the clues allow (insert: the one other player naming a nodule most; remove: least):')
      for (const v of allowed) console.log(`  ${v.edit.padEnd(7)} right ${rate(v.right, v.votes)}  wrong ${rate(v.wrong, v.votes)}  undecided ${rate(v.undecided, v.votes)}  of ${v.votes} civilian votes`)
      const named = allowed.reduce((n, v) => n + v.named, 0)
      const followed = allowed.reduce((n, v) => n + v.followed, 0)
      console.log(`Do the voters read them? Where one player stands out, ${rate(followed, named)} of ${named} sampled votes naming a player name that one (by chance a third).`)
      console.log(`\nWhat the questioner asked (its reward 1 − |2p − 1| is highest at answerer accuracy p = ${ANSWERER_TARGET}; −1 when not read or not settled):`)
      const asked = ends.map((w) => ({ w, kinds: questionKinds(inWindow(w).filter(isQaGame)) }))
      for (const { w, kinds } of asked) console.log(`  rounds ${`${w.first}–${w.last}`.padEnd(8)} ${kinds.map(kindLine).join('  ')}  (questioner reward ${num(meanReward(kinds), 2)})`)
      const allowedRight = (edit: ClueVotes['edit']) => {
        const v = allowed.find((x) => x.edit === edit)
        return v ? fraction(v.right, v.votes) : null
      }
      const selfShare = (t: VoteTargets | undefined) => (t ? fraction(t.self, t.votes) : null)

      const [first, last] = [windows[0], windows[windows.length - 1]]
      printResultLine('rounds', {
        run: run.id,
        rounds: rounds.length,
        switches: switches.length,
        vote_acc_first: first?.voteAccuracy ?? null,
        vote_acc_last: last?.voteAccuracy ?? null,
        na_first: first?.voteNaRate ?? null,
        na_last: last?.voteNaRate ?? null,
        answer_acc_first: first?.answererAccuracy ?? null,
        answer_acc_last: last?.answererAccuracy ?? null,
        clue_vote_insert: allowedRight('insert'),
        clue_vote_remove: allowedRight('remove'),
        clue_follow: fraction(followed, named),
        unread_first: unreadShare(asked[0]?.kinds),
        unread_last: unreadShare(asked[asked.length - 1]?.kinds),
        questioner_reward_first: meanReward(asked[0]?.kinds ?? []),
        questioner_reward_last: meanReward(asked[asked.length - 1]?.kinds ?? []),
        self_vote_first: selfShare(targets[0]?.t),
        self_vote_last: selfShare(targets[targets.length - 1]?.t),
        window: size
      })
      return 0
    } finally {
      services.close()
    }
  }
}

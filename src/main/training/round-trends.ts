import type { QaGameView, RoundPoint, SpyGameView } from '../../shared/contract'
import { parseReport } from '../reports/nodule-parser'

/**
 * What a run's stored rounds say about learning (`vzw rounds`): the spy game's vote accuracy, n/a
 * rate and stage switches, and the QA answerer's accuracy against the questioner's target (the
 * learnability reward 1 − |2p − 1| is highest at p = 0.5), averaged over windows of rounds so a
 * trend shows through the noise of 8 games a round.
 */
export interface RoundWindow {
  first: number
  last: number
  /** Each stage the window's rounds trained, in order of first appearance. */
  stages: RoundPoint['stage'][]
  voteAccuracy: number | null
  voteNaRate: number | null
  /** The scheduler's accuracy EMA after the window's last round. */
  accuracyEma: number | null
  answererAccuracy: number | null
  kl: number | null
}

/** The questioner's reward is highest when the answerer is right half the time. */
export const ANSWERER_TARGET = 0.5

function mean(xs: readonly (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null)
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null
}

export function roundWindows(rounds: readonly RoundPoint[], size: number): RoundWindow[] {
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`A window must hold a whole number of rounds ≥ 1, got ${size}`)
  const windows: RoundWindow[] = []
  for (let at = 0; at < rounds.length; at += size) {
    const w = rounds.slice(at, at + size)
    windows.push({
      first: w[0].roundIndex,
      last: w[w.length - 1].roundIndex,
      stages: [...new Set(w.map((r) => r.stage))],
      voteAccuracy: mean(w.map((r) => r.voteAccuracy)),
      voteNaRate: mean(w.map((r) => r.voteNaRate)),
      accuracyEma: w[w.length - 1].accuracyEma,
      answererAccuracy: mean(w.map((r) => r.answererAccuracy)),
      kl: mean(w.map((r) => r.kl))
    })
  }
  return windows
}

/** Rounds after which the scheduler switched stage. */
export function stageSwitches(rounds: readonly RoundPoint[]): number[] {
  return rounds.filter((r) => r.switched).map((r) => r.roundIndex)
}

export interface ClueSignal {
  edit: SpyGameView['edit']['kind']
  /** Share of the spy's clues that name a nodule, as the report parser reads them. */
  spy: { clues: number; naming: number }
  civilian: { clues: number; naming: number }
}

/**
 * Whether clues carry what the spy's edit changed: per edit kind, how often the spy's clues and
 * the civilians' clues name a nodule. An insert gives only the spy a nodule, a remove only the
 * civilians; equal shares mean the clues do not depend on the image, and the votes have nothing
 * to read.
 */
export function clueSignal(games: readonly SpyGameView[]): ClueSignal[] {
  const byEdit = new Map<ClueSignal['edit'], ClueSignal>()
  for (const game of games) {
    let signal = byEdit.get(game.edit.kind)
    if (!signal) byEdit.set(game.edit.kind, (signal = { edit: game.edit.kind, spy: { clues: 0, naming: 0 }, civilian: { clues: 0, naming: 0 } }))
    for (const clue of game.clues) {
      const tally = signal[clue.role]
      tally.clues++
      if (namesNodule(clue.text)) tally.naming++
    }
  }
  return [...byEdit.values()].sort((a, b) => a.edit.localeCompare(b.edit))
}

const namesNodule = (text: string): boolean => parseReport(text).nodules.presence === 'present'

export interface ClueVotes {
  edit: 'insert' | 'remove'
  /** Civilian votes counted (each civilian of each game once). */
  votes: number
  right: number
  wrong: number
  /** No single other player stands out: the clues leave the vote open. */
  undecided: number
  /** Where one player stands out: the voters' sampled votes naming a player, and those naming that one. */
  named: number
  followed: number
}

/**
 * The votes the clues allow, for the edits a clue can show without naming a place: a civilian who
 * knows the edit votes for the one other player whose clues name a nodule most often (insert: only
 * the spy's image has one) or least often (remove). How often that vote is right is about as far as
 * the decision stage can get on these clues (a voter also sees its own image, little help when the
 * others' clues say nothing), and the scheduler's switch to the clue stage needs accuracy ≥ 0.9.
 * Beside it, whether the voters read the clues at all: where one player stands out, how many of the
 * votes they sampled that name a player name that one (a third, by chance, with three to choose).
 */
export function clueVotes(games: readonly SpyGameView[]): ClueVotes[] {
  const byEdit = new Map<ClueVotes['edit'], ClueVotes>()
  for (const game of games) {
    const edit = game.edit.kind
    if (edit !== 'insert' && edit !== 'remove') continue
    let tally = byEdit.get(edit)
    if (!tally) byEdit.set(edit, (tally = { edit, votes: 0, right: 0, wrong: 0, undecided: 0, named: 0, followed: 0 }))
    const naming = new Map<number, number>()
    for (const clue of game.clues) naming.set(clue.player, (naming.get(clue.player) ?? 0) + (namesNodule(clue.text) ? 1 : 0))
    const players = [...naming.keys()]
    const evidence = (player: number) => (edit === 'insert' ? 1 : -1) * (naming.get(player) ?? 0)
    for (const voter of players.filter((p) => p !== game.spySeat)) {
      const others = players.filter((p) => p !== voter)
      const best = Math.max(...others.map(evidence))
      const standing = others.filter((p) => evidence(p) === best)
      tally.votes++
      if (standing.length !== 1) {
        tally.undecided++
        continue
      }
      if (standing[0] === game.spySeat) tally.right++
      else tally.wrong++
      for (const { vote } of game.votes.find((v) => v.voter === voter)?.samples ?? []) {
        if (vote.kind !== 'player') continue
        tally.named++
        if (vote.player === standing[0]) tally.followed++
      }
    }
  }
  return [...byEdit.values()].sort((a, b) => a.edit.localeCompare(b.edit))
}

export interface VoteTargets {
  /** Sampled civilian votes counted (all G samples of every civilian). */
  votes: number
  spy: number
  /** Another civilian. */
  civilian: number
  /** The voter itself: always wrong, and a sign the voter has not learnt its own seat. */
  self: number
  abstain: number
  invalid: number
  /** Votes naming each seat (index 0 = seat 1), and games with the spy at each seat. */
  bySeat: number[]
  spySeats: number[]
}

/**
 * Where the sampled votes went. Accuracy alone cannot tell a voter that reads the clues badly from
 * one that votes for itself or writes no vote; a random vote among the others names the spy a third
 * of the time (three civilians and a spy). Nor can it tell reading the clues from preferring a seat
 * that happened to hold the spy often: hence the votes per seat beside the spy's seats.
 */
export function voteTargets(games: readonly SpyGameView[]): VoteTargets {
  const t: VoteTargets = { votes: 0, spy: 0, civilian: 0, self: 0, abstain: 0, invalid: 0, bySeat: [], spySeats: [] }
  const countSeat = (counts: number[], seat: number) => {
    while (counts.length < seat) counts.push(0)
    counts[seat - 1]++
  }
  for (const game of games) {
    countSeat(t.spySeats, game.spySeat)
    for (const { voter, samples } of game.votes)
      for (const { vote } of samples) {
        t.votes++
        if (vote.kind !== 'player') {
          t[vote.kind]++
          continue
        }
        countSeat(t.bySeat, vote.player)
        if (vote.player === voter) t.self++
        else if (vote.player === game.spySeat) t.spy++
        else t.civilian++
      }
  }
  const seats = Math.max(t.bySeat.length, t.spySeats.length)
  for (const counts of [t.bySeat, t.spySeats]) while (counts.length < seats) counts.push(0)
  return t
}

export interface QuestionKind {
  /** The parsed question's kind, or 'unread' when the parser could not read it. */
  kind: NonNullable<QaGameView['question']['parsed']>['kind'] | 'unread'
  questions: number
  /** Questions the report settled, whose answers were scored. */
  settled: number
  /** Mean answerer accuracy over the settled questions (null when none was). */
  answererAccuracy: number | null
  questionerReward: number
}

/**
 * What the questioner asked, by kind, with how often the answerer got each kind right and what the
 * questioner earned. Its reward 1 − |2p − 1| pays most for questions answered right half the time and
 * −1 for a question not read or not settled, so a questioner that learns asks fewer unread questions
 * and moves toward the kinds whose accuracy is nearest 0.5; the window's mean answerer accuracy alone
 * cannot show that, as it mixes kinds that move apart (zone questions toward "no", presence toward 0.5).
 */
export function questionKinds(games: readonly QaGameView[]): QuestionKind[] {
  const byKind = new Map<QuestionKind['kind'], { questions: number; accuracies: number[]; rewards: number }>()
  for (const game of games) {
    const kind = game.question.parsed?.kind ?? 'unread'
    let tally = byKind.get(kind)
    if (!tally) byKind.set(kind, (tally = { questions: 0, accuracies: [], rewards: 0 }))
    tally.questions++
    tally.rewards += game.questionerReward
    if (game.answererAccuracy !== null) tally.accuracies.push(game.answererAccuracy)
  }
  return [...byKind.entries()]
    .map(([kind, t]) => ({ kind, questions: t.questions, settled: t.accuracies.length, answererAccuracy: mean(t.accuracies), questionerReward: t.rewards / t.questions }))
    .sort((a, b) => b.questions - a.questions || a.kind.localeCompare(b.kind))
}

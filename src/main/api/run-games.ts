import type { QaGameView, RunGame, SpyGameImages, SpyGameView } from '../../shared/contract'
import { encodeGrayPng } from '../dicom/png'
import { replaySpyImages } from '../selfplay/spy-edit'
import type { Db } from '../store/database'
import { gameRewardsOfRun, type GameRow, type StoredSpyEdit } from '../store/selfplay-repository'
import { studyIdentity } from '../store/study-repository'
import type { NoduleSpec, Radiograph } from '../synth'
import { loadSelfPlayStudy } from '../training/selfplay-studies'

/** The stored game rows (written by training/selfplay-round.ts) as the transcript viewer shows them. */

type Seat = { seat: number; role: 'civilian' | 'spy' }

interface StoredSpyTranscript {
  edit: SpyGameView['edit']
  clues: { round: number; player: number; role: 'civilian' | 'spy'; text: string }[]
  votes: { voter: number; samples: { text: string; vote: SpyGameView['votes'][number]['samples'][number]['vote'] }[] }[]
  received: number[]
  accuracy: number
  naRate: number
}

interface StoredQaTranscript {
  question: QaGameView['question']
  expected: QaGameView['expected']
  pseudoAnswer: boolean
  answers: { text: string; answer: QaGameView['expected']; correct: boolean }[]
  answererAccuracy: number | null
}

const pseudonymOf = (db: Db, studyId: number | null) => (studyId === null ? null : (studyIdentity(db, studyId)?.pseudonym ?? null))

export function gameView(db: Db, row: GameRow & { id: number }): RunGame {
  return row.kind === 'spy' ? spyGameView(db, row) : qaGameView(db, row)
}

function spyGameView(db: Db, row: GameRow & { id: number }): SpyGameView {
  const seats = JSON.parse(row.playersJson) as Seat[]
  const t = JSON.parse(row.transcriptJson) as StoredSpyTranscript
  const rewards = JSON.parse(row.rewardsJson) as { clues: number[]; votes: number[][] }
  const advantages = JSON.parse(row.advantagesJson) as { clues: number[] | null; votes: number[][] }
  const spyEdit = row.spyEditJson ? (JSON.parse(row.spyEditJson) as StoredSpyEdit) : null
  const studyId = spyEdit?.studyId ?? null
  return {
    kind: 'spy',
    id: row.id,
    studyId,
    pseudonym: pseudonymOf(db, studyId),
    spySeat: seats.find((s) => s.role === 'spy')?.seat ?? 0,
    edit: t.edit,
    players: seats.map((s) => ({ ...s, clueReward: rewards.clues[s.seat - 1], votesReceived: t.received[s.seat - 1] ?? 0 })),
    clues: t.clues.map((c, i) => ({ ...c, advantage: advantages.clues?.[i] ?? null })),
    votes: t.votes.map((v, i) => ({ voter: v.voter, samples: v.samples.map((sample, k) => ({ ...sample, reward: rewards.votes[i][k], advantage: advantages.votes[i][k] })) })),
    accuracy: t.accuracy,
    naRate: t.naRate,
    imagesAvailable: spyEdit !== null
  }
}

function qaGameView(db: Db, row: GameRow & { id: number }): QaGameView {
  const { studyId } = JSON.parse(row.playersJson) as { studyId: number }
  const t = JSON.parse(row.transcriptJson) as StoredQaTranscript
  const rewards = JSON.parse(row.rewardsJson) as { questioner: number; answers: number[] }
  const advantages = JSON.parse(row.advantagesJson) as { questioner: number; answers: number[] }
  return {
    kind: 'qa',
    id: row.id,
    studyId,
    pseudonym: pseudonymOf(db, studyId),
    question: t.question,
    expected: t.expected,
    pseudoAnswer: t.pseudoAnswer,
    answers: t.answers.map((a, i) => ({ ...a, reward: rewards.answers[i], advantage: advantages.answers[i] })),
    answererAccuracy: t.answererAccuracy,
    questionerReward: rewards.questioner,
    questionerAdvantage: advantages.questioner
  }
}

/** Mean reward per role in each round of a run: clue rewards of spies and civilians, votes, questions, answers. */
export function meanRewardsByRound(db: Db, runId: number): Map<number, Record<string, number>> {
  const sums = new Map<number, Record<string, { sum: number; n: number }>>()
  const add = (round: number, role: string, values: readonly number[]) => {
    const roles = sums.get(round) ?? {}
    sums.set(round, roles)
    const acc = (roles[role] ??= { sum: 0, n: 0 })
    for (const v of values) {
      acc.sum += v
      acc.n++
    }
  }
  for (const g of gameRewardsOfRun(db, runId)) {
    if (g.kind === 'spy') {
      const seats = JSON.parse(g.playersJson) as Seat[]
      const r = JSON.parse(g.rewardsJson) as { clues: number[]; votes: number[][] }
      for (const s of seats) add(g.roundIndex, s.role, [r.clues[s.seat - 1]])
      add(g.roundIndex, 'voter', r.votes.flat())
    } else {
      const r = JSON.parse(g.rewardsJson) as { questioner: number; answers: number[] }
      add(g.roundIndex, 'questioner', [r.questioner])
      add(g.roundIndex, 'answerer', r.answers)
    }
  }
  const means = new Map<number, Record<string, number>>()
  for (const [round, roles] of sums) means.set(round, Object.fromEntries(Object.entries(roles).filter(([, a]) => a.n > 0).map(([role, a]) => [role, a.sum / a.n])))
  return means
}

const png = (r: Radiograph) => encodeGrayPng(Uint8Array.from(r.pixels, (v) => Math.max(0, Math.min(255, Math.round((v / r.whiteLevel) * 255)))), r.columns, r.rows).toString('base64')

/**
 * The civilians' and the spy's image of a spy game, drawn again from the study's model image and
 * the stored recipe. Null when the game stored no recipe (played before schema 2).
 */
export function spyGameImages(db: Db, dataDir: string, row: GameRow & { id: number }): SpyGameImages | null {
  if (row.kind !== 'spy' || !row.spyEditJson) return null
  const { studyId, recipe } = JSON.parse(row.spyEditJson) as StoredSpyEdit
  const study = loadSelfPlayStudy(db, dataDir, studyId)
  if (!study) throw new Error(`Study ${studyId} of game ${row.id} no longer has a model image and a report`)
  const { civilian, spy } = replaySpyImages(study.radiograph, recipe)
  const { edit } = JSON.parse(row.transcriptJson) as StoredSpyTranscript
  const circle = (spec: NoduleSpec | null) =>
    spec && { x: spec.centerMm.x / civilian.spacingMm[1], y: spec.centerMm.y / civilian.spacingMm[0], radius: spec.diameterMm / 2 / Math.min(...civilian.spacingMm) }
  return {
    gameId: row.id,
    width: civilian.columns,
    height: civilian.rows,
    civilianPng: png(civilian),
    spyPng: png(spy),
    edit,
    nodules: { civilian: circle(recipe.civilianNodule), spy: circle(recipe.spyNodule) }
  }
}

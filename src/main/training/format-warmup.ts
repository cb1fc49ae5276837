import { greedyImageReports } from '../evaluation/greedy-reports'
import type { VlmConfig } from '../model/config'
import { IGNORE_INDEX, imageBatch, teacherForcedBatch } from '../model/generation'
import type { Tokenizer } from '../model/tokenizer'
import { imageInput, VlmModel } from '../model/vlm'
import { reportPrompt, reportTokens } from '../model/warmup'
import { vlmForward, vlmInputs, vlmLoss } from '../model/vlm-graph'
import type { SelfPlayConfig } from '../selfplay/config'
import { answererPrompt, questionerPrompt } from '../selfplay/qa-game'
import { answerText, expectedAnswer, questionText, type Question } from '../selfplay/questions'
import { legalVotes, spyGamePrompt } from '../selfplay/spy-game'
import { Graph } from '../tensor/graph'
import { Rng, hashSeed } from '../random'
import { ort, type TrainingRuntimes } from '../tensor/runtime'
import { buildTrainStep } from '../tensor/train-step'
import { Trainer } from '../tensor/trainer'
import { splitHeldParams } from './held-weights'
import type { SelfPlayStudy } from './selfplay-studies'

/**
 * The games' formats, taught before self-play. A model warmed up only on report writing has never
 * seen a clue turn, a vote, a question or an answer: its questions never parse, and its votes —
 * drawn among the legal vote tokens only — follow logits that nothing has trained. This phase
 * teacher-forces, on the training studies:
 *   clue       a clue prompt → the start of the report's statement on nodules, then `<sep>`
 *   vote       a vote prompt after such clues → `<vote:k>` (another seat drawn at random, or
 *              `<vote:na>`), one token — the format only, never who the spy is
 *   question   the questioner's prompt with the report → a templated question the report settles
 *   answer     the answerer's prompt with that question → the report's answer (report-derived)
 *   question without a report (with `qa.majorityVoteWithoutReport` only) the questioner's prompt
 *              with no report → any of the game's questions, as it will ask on films without one
 *   report     the warm-up's own task, image → the report the starting model itself writes
 *              (greedy), half of every batch, so the model keeps writing the findings it wrote:
 *              without this task 300 steps of game formats made the conv warm-up write question
 *              text as findings. With the studies' reports here instead, the phase was more
 *              epochs of supervised warm-up, so arm (b) moved by extra supervised training rather
 *              than by self-play: on two conv warm-ups (61 and 55 of 125 held-out films right) the
 *              phase left 42 and 53 right with the studies' reports, 52 and 56 with the model's own.
 *              It still moves the model toward naming nodules (one experiment's warm-up: clear films
 *              called clear 58 → 50 of 58, nodule films called present 41 → 49 of 67; README, status)
 * Nothing here uses a human label beyond the report text the warm-up already learns from.
 */
export interface FormatExample {
  image: Float32Array
  prompt: number[]
  continuation: number[]
}

const QUESTIONS: readonly Question[] = [
  { kind: 'presence' },
  { kind: 'side' },
  { kind: 'zone' },
  { kind: 'size' },
  { kind: 'count' },
  ...(['right', 'left'] as const).flatMap((side) => (['upper', 'middle', 'lower'] as const).map((zone): Question => ({ kind: 'presenceAt', side, zone })))
]

const isChinese = (text: string) => /[\u4e00-\u9fff]/.test(text)

/**
 * A clue's words: the start of one of the report's statements on nodules (what the edits of the
 * spy's image change, so what a clue must say for the votes to have anything to read), or a
 * stretch of the report when it says nothing on nodules.
 */
function clueWords(tok: Tokenizer, study: SelfPlayStudy, rng: Rng, length: number): number[] {
  if (study.findingStatements.length > 0) return tok.encode(rng.pick(study.findingStatements).normalize('NFC')).slice(0, length)
  const ids = tok.encode(study.reportText.normalize('NFC'))
  const start = rng.int(0, Math.max(0, ids.length - length))
  return ids.slice(start, start + length)
}

/** The warm-up's own task on a study: its image, then `text` as the findings. */
export function reportExample(tok: Tokenizer, c: VlmConfig, study: SelfPlayStudy, text: string): FormatExample {
  return { image: studyImage(c, study), prompt: reportPrompt(tok), continuation: reportTokens(tok, c, text) }
}

const studyImage = (c: VlmConfig, study: SelfPlayStudy) => imageInput(study.radiograph.pixels, study.radiograph.columns, study.radiograph.rows, c.vision.imageSize)

/**
 * One example of each game format the study allows (a question needs a report that settles one).
 * The clues before a player's turn are other films' words (drawn from `historyFrom`): taught with
 * its own film's words there, the model learnt to repeat them, and in the game a clear film's clue
 * then named a nodule 0.39 of the time after a clue that did (0.18 as the first clue), so the spy's
 * different image stopped showing in what the players said.
 */
export function formatExamples(tok: Tokenizer, c: VlmConfig, study: SelfPlayStudy, s: SelfPlayConfig, rng: Rng, historyFrom: readonly SelfPlayStudy[]): FormatExample[] {
  const image = studyImage(c, study)
  const players = s.spy.civilians + s.spy.spies
  const sep = tok.special('<sep>')
  const seat = rng.int(1, players)
  const history = (length: number) =>
    Array.from({ length }, (_, i) => ({ player: (i % players) + 1, output: { tokens: clueWords(tok, rng.pick(historyFrom), rng, s.spy.maxClueTokens - 1) } }))
  const clue = { image, prompt: spyGamePrompt(tok, 'civilian', seat, 'clue', history(rng.int(0, players * s.spy.clueRounds - 1))), continuation: [...clueWords(tok, study, rng, s.spy.maxClueTokens - 1), sep] }
  // A vote the game would let this voter cast: n/a one time in ten, else another seat at random.
  const na = tok.special('<vote:na>')
  const vote = rng.chance(0.1) ? na : rng.pick(legalVotes(tok, seat, players).filter((t) => t !== na))
  const full = history(players * s.spy.clueRounds)
  const examples: FormatExample[] = [clue, { image, prompt: spyGamePrompt(tok, 'civilian', seat, 'vote', full), continuation: [vote] }]
  const settled = study.finding ? QUESTIONS.flatMap((q) => {
    const a = expectedAnswer(q, study.finding!)
    return a ? [{ q, a }] : []
  }) : []
  // Only wordings that fit the game's token limits whole: a cut question would teach another question.
  const language = isChinese(study.reportText) ? 'zh' : 'en'
  const fitting = settled
    .map(({ q, a }) => ({ question: tok.encode(questionText(q, language)), answer: tok.encode(answerText(q, a, language)) }))
    .filter(({ question, answer }) => question.length < s.qa.maxQuestionTokens && answer.length < s.qa.maxAnswerTokens)
  if (fitting.length > 0) {
    const { question, answer } = rng.pick(fitting)
    examples.push(
      { image, prompt: questionerPrompt(tok, study.reportText, s.qa), continuation: [...question, sep] },
      { image, prompt: answererPrompt(tok, question), continuation: [...answer, sep] }
    )
  }
  // With the majority option the QA game also plays on films without a report, where the
  // questioner reads none: untaught, that prompt gave no readable question (a tiny run: "2").
  if (s.qa.majorityVoteWithoutReport) {
    const askable = QUESTIONS.map((q) => tok.encode(questionText(q, language))).filter((q) => q.length < s.qa.maxQuestionTokens)
    if (askable.length > 0) examples.push({ image, prompt: questionerPrompt(tok, '', s.qa), continuation: [...rng.pick(askable), sep] })
  }
  return examples
}

/**
 * Loss weights [B,T] under which each example counts once, whatever its length: 1/n on each of the
 * n target tokens of its row of `targets` (from `teacherForcedBatch`; IGNORE_INDEX marks no target), so the
 * loss is the mean over examples of each one's mean token loss. A mean over all the batch's tokens
 * let one report (~44 target tokens on the conv cohort) weigh as much as 44 votes of one token each,
 * and the report half of every batch took nine tenths of the gradient (game examples average ~6
 * target tokens). Measured from two conv warm-ups (58 and 61 of 125 held-out films right): 58, 57
 * and 56 right after the phase, against 50, 56 and 52 with the token mean.
 */
export function exampleWeights(targets: ort.Tensor): ort.Tensor {
  const [rows, length] = targets.dims
  const ids = targets.data as BigInt64Array
  const w = new Float32Array(rows * length)
  for (let r = 0; r < rows; r++) {
    const row = ids.subarray(r * length, (r + 1) * length)
    const counted = row.filter((id) => id !== IGNORED).length
    row.forEach((id, j) => (w[r * length + j] = id === IGNORED ? 0 : 1 / counted))
  }
  return new ort.Tensor('float32', w, [rows, length])
}

const IGNORED = BigInt(IGNORE_INDEX)

export interface FormatWarmupOptions {
  steps: number
  batch: number
  lr: number
  seed: number
}

export interface FormatWarmupHooks {
  /** The starting model writing its own report for each study, before the first step. */
  onOwnReports?(done: number, total: number): Promise<void> | void
  onStep?(step: number, loss: number): Promise<void>
}

/**
 * Teacher-forced steps on game-format examples, after the starting model has written its own
 * report for every study; returns the new weights and the first and last loss.
 */
export async function runFormatWarmup(
  runtimes: Pick<TrainingRuntimes, 'train' | 'generate'>,
  c: VlmConfig,
  tok: Tokenizer,
  weights: ReadonlyMap<string, Float32Array>,
  studies: readonly SelfPlayStudy[],
  s: SelfPlayConfig,
  o: FormatWarmupOptions,
  hooks: FormatWarmupHooks = {}
): Promise<{ weights: Map<string, Float32Array>; firstLoss: number; loss: number }> {
  const ownReports = await greedyImageReports(
    new VlmModel(c, tok, runtimes.generate, weights),
    studies.length,
    (i) => studyImage(c, studies[i]),
    (written) => written.text,
    hooks.onOwnReports
  )
  const t = c.decoder.maxText
  const g = new Graph('vlm_format_warmup')
  const ce = vlmLoss(g, vlmForward(g, c, vlmInputs(g, c, o.batch, t)).logits, g.input('targets', 'int64', [o.batch, t]), g.input('weights', 'float32', [o.batch, t]))
  const { trained, held } = splitHeldParams(c, g.params, weights)
  const trainer = await Trainer.create(runtimes.train, buildTrainStep(g, ce.loss, {}, {}, trained), weights)
  const pad = tok.special('<pad>')
  let firstLoss = NaN
  let loss = NaN
  for (let step = 0; step < o.steps; step++) {
    const rng = new Rng(hashSeed(o.seed, step, 'format'))
    // Half of each batch is the report task: a quarter made a model warmed up for 60 steps write
    // "nodule nodule nodule" for every film after 10 steps (the clues are nodule statements).
    const reports = Math.floor(o.batch / 2)
    const pool = Array.from({ length: Math.ceil((o.batch - reports) / 2) }, () => formatExamples(tok, c, rng.pick(studies), s, rng, studies)).flat()
    const reported = Array.from({ length: reports }, () => rng.below(studies.length))
    const batch = [...reported.map((i) => reportExample(tok, c, studies[i], ownReports[i])), ...Array.from({ length: o.batch - reports }, () => rng.pick(pool))]
    const { ids, targets } = teacherForcedBatch(batch.map((e) => e.prompt), batch.map((e) => e.continuation), t, pad)
    const { metrics } = await trainer.step({ ...held.feeds, images: imageBatch(c, batch.map((e) => e.image)), ids, targets, weights: exampleWeights(targets) }, o.lr)
    loss = metrics.loss
    if (step === 0) firstLoss = loss
    if (!Number.isFinite(loss)) throw new Error(`The game-format warm-up diverged at step ${step + 1} (loss ${loss})`)
    await hooks.onStep?.(step + 1, loss)
  }
  return { weights: new Map([...weights, ...(await trainer.readWeights())]), firstLoss, loss }
}

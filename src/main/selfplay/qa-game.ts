import type { NoduleFinding } from '../../shared/finding'
import type { Tokenizer } from '../model/tokenizer'
import type { QaGameConfig } from './config'
import type { PlayerOutput, PlayerPolicy } from './policy'
import { answersAgree, expectedAnswer, parseAnswer, parseQuestion, type Answer, type Question } from './questions'
import { groupAdvantages, learnabilityReward } from './rewards'

/**
 * The question-and-answer game (DESIGN §9): a questioner that sees the image and its report asks
 * about a nodule finding; an answerer that sees only the image answers G times; the report's
 * structured findings decide who is right. The answerer learns by GRPO on ±1; the questioner is
 * rewarded for questions answered right about half the time (1 − |2p − 1|), −1 when its question
 * cannot be read or the report does not settle it.
 */
export interface QaGameSetup {
  image: Float32Array
  /** Report text the questioner reads; null for a study without a report. */
  reportText: string | null
  /** The report's parsed findings (null without a report). */
  finding: NoduleFinding | null
}

export interface AnswerSample {
  prompt: number[]
  output: PlayerOutput
  text: string
  answer: Answer | null
  correct: boolean
  reward: number
  advantage: number
}

export interface QaGameRecord {
  question: { prompt: number[]; output: PlayerOutput; text: string; parsed: Question | null }
  expected: Answer | null
  /** The expected answer came from the answers' majority (no report), not from a report. */
  pseudoAnswer: boolean
  answers: AnswerSample[]
  answererAccuracy: number | null
  questionerReward: number
}

export function questionerPrompt(tok: Tokenizer, reportText: string, config: Pick<QaGameConfig, 'maxReportTokens'>): number[] {
  const report = tok.encode(reportText).slice(0, config.maxReportTokens)
  return [tok.special('<bos>'), tok.special('<image>'), tok.special('<role:questioner>'), ...report, tok.special('<sep>'), tok.special('<task:question>')]
}

export function answererPrompt(tok: Tokenizer, questionTokens: readonly number[]): number[] {
  const question = questionTokens.filter((t) => !tok.isSpecial(t))
  return [tok.special('<bos>'), tok.special('<image>'), tok.special('<role:answerer>'), tok.special('<task:answer>'), ...question, tok.special('<sep>')]
}

export async function playQaGames(policy: PlayerPolicy, setups: readonly QaGameSetup[], config: QaGameConfig, seed: number): Promise<QaGameRecord[]> {
  const tok = policy.tokenizer
  const stop = [tok.special('<sep>'), tok.special('<eos>')]
  const qPrompts = setups.map((s) => questionerPrompt(tok, s.reportText ?? '', config))
  const qOutputs = await policy.generate(setups.map((s) => s.image), qPrompts, { maxNewTokens: config.maxQuestionTokens, temperature: 1, topP: 1, seed, stopTokens: stop })
  const questions = qOutputs.map((output, g) => {
    const text = tok.decode(output.tokens, { skipSpecial: true })
    return { prompt: qPrompts[g], output, text, parsed: parseQuestion(text) }
  })
  // Only readable questions are put to the answerer.
  const asked = questions.map((q, g) => ({ q, g })).filter(({ q }) => q.parsed !== null)
  const requests = asked.flatMap(({ q, g }) => Array.from({ length: config.answersPerQuestion }, () => ({ g, prompt: answererPrompt(tok, q.output.tokens) })))
  const aOutputs = requests.length
    ? await policy.generate(requests.map((r) => setups[r.g].image), requests.map((r) => r.prompt), { maxNewTokens: config.maxAnswerTokens, temperature: 1, topP: 1, seed: seed + 1, stopTokens: stop })
    : []
  return setups.map((setup, g) => {
    const question = questions[g]
    const outputs = requests.map((r, i) => ({ r, output: aOutputs[i] })).filter(({ r }) => r.g === g)
    return scoreQaGame(policy, setup, question, outputs.map(({ r, output }) => ({ prompt: r.prompt, output })), config)
  })
}

function scoreQaGame(
  policy: PlayerPolicy,
  setup: QaGameSetup,
  question: QaGameRecord['question'],
  raw: { prompt: number[]; output: PlayerOutput }[],
  config: QaGameConfig
): QaGameRecord {
  const q = question.parsed
  const read = raw.map(({ prompt, output }) => {
    const text = policy.tokenizer.decode(output.tokens, { skipSpecial: true })
    return { prompt, output, text, answer: q ? parseAnswer(q, text) : null }
  })
  let expected = q && setup.finding ? expectedAnswer(q, setup.finding) : null
  const pseudoAnswer = expected === null && q !== null && setup.reportText === null && config.majorityVoteWithoutReport
  if (pseudoAnswer) expected = majorityAnswer(read.map((r) => r.answer))
  if (!q || !expected) return { question, expected: null, pseudoAnswer: false, answers: [], answererAccuracy: null, questionerReward: learnabilityReward(null) }
  const settled = expected
  const scored = read.map((r) => {
    const correct = answersAgree(q, r.answer, settled)
    return { ...r, correct, reward: correct ? 1 : -1 }
  })
  const advantages = groupAdvantages(scored.map((s) => s.reward))
  const accuracy = scored.filter((s) => s.correct).length / scored.length
  return {
    question,
    expected: settled,
    pseudoAnswer,
    answers: scored.map((s, i) => ({ ...s, advantage: advantages[i] })),
    answererAccuracy: accuracy,
    questionerReward: learnabilityReward(accuracy)
  }
}

/** The most frequent readable answer, or null when none was readable. */
function majorityAnswer(answers: readonly (Answer | null)[]): Answer | null {
  const counts = new Map<string, { answer: Answer; n: number }>()
  for (const a of answers) {
    if (!a) continue
    const key = JSON.stringify(a)
    counts.set(key, { answer: a, n: (counts.get(key)?.n ?? 0) + 1 })
  }
  return [...counts.values()].sort((x, y) => y.n - x.n)[0]?.answer ?? null
}

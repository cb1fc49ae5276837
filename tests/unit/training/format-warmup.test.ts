import { describe, expect, it } from 'vitest'
import { tinyVlmConfig } from '../../../src/main/model/config'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { reportPrompt } from '../../../src/main/model/warmup'
import { parseReport } from '../../../src/main/reports/nodule-parser'
import { parseQuestion, parseAnswer, expectedAnswer, answersAgree } from '../../../src/main/selfplay/questions'
import { parseVote } from '../../../src/main/selfplay/rewards'
import { questionerPrompt } from '../../../src/main/selfplay/qa-game'
import { legalVotes } from '../../../src/main/selfplay/spy-game'
import { Rng } from '../../../src/main/random'
import { DEFAULT_CHEST_LAYOUT } from '../../../src/main/synth'
import { exampleWeights, formatExamples, reportExample } from '../../../src/main/training/format-warmup'
import { teacherForcedBatch } from '../../../src/main/model/generation'
import { selfPlayPresets } from '../../../src/main/training/selfplay-run'
import { findingStatements, type SelfPlayStudy } from '../../../src/main/training/selfplay-studies'

const reports = ['FINDINGS: A 9 mm nodule in the right upper zone.\nIMPRESSION: Pulmonary nodule.', 'FINDINGS: No pulmonary nodule. Lungs are clear.', '右肺上野见一结节，约8毫米。']
const tok = Tokenizer.train(reports, tinyVlmConfig.vocab)
const config = { ...tinyVlmConfig, vocab: tok.vocabSize }
const selfplay = selfPlayPresets.tiny.selfplay

function study(text: string): SelfPlayStudy {
  const parsed = parseReport(text)
  return { studyId: 1, pseudonym: 'A', radiograph: { pixels: new Uint8Array(64 * 64).fill(90), rows: 64, columns: 64, spacingMm: [6, 6], whiteLevel: 255 }, reportText: text, finding: parsed.nodules, findingStatements: findingStatements(parsed), chest: { layout: DEFAULT_CHEST_LAYOUT } }
}

/** The words of each clue in a clue prompt's public history (`<player:j> words <sep>` after the task token). */
function historyClues(prompt: number[]): string[] {
  const afterTask = prompt.indexOf(tok.special('<task:clue>')) + 1
  const clues: string[] = []
  let words: number[] = []
  for (const id of prompt.slice(afterTask)) {
    if (id === tok.special('<sep>')) clues.push(tok.decode(words, { skipSpecial: true }))
    if (tok.isSpecial(id)) words = []
    else words.push(id)
  }
  return clues
}

describe('game-format examples', () => {
  it('teach votes the game parses, questions and answers the report settles, and the report itself, within the token limits', () => {
    const rng = new Rng(3)
    const pool = reports.map(study)
    let questions = 0
    let otherFilmsWords = 0
    for (let i = 0; i < 60; i++) {
      const s = pool[i % pool.length]
      const examples = formatExamples(tok, config, s, selfplay, rng, pool)
      for (const e of [...examples, reportExample(tok, config, s, s.reportText)]) expect(e.prompt.length + e.continuation.length).toBeLessThanOrEqual(config.decoder.maxText)
      const [clue, vote, question, answer] = examples
      const report = reportExample(tok, config, s, s.reportText)
      expect(clue.continuation.at(-1)).toBe(tok.special('<sep>'))
      // A clue says what the report says about nodules: the start of one of its statements on them.
      const said = tok.decode(clue.continuation, { skipSpecial: true })
      expect(said.length).toBeGreaterThan(0)
      expect(s.findingStatements.some((statement) => statement.startsWith(said))).toBe(true)
      // The clues before it are other players' words on any film, so a clue learns to follow its own image.
      for (const before of historyClues(clue.prompt)) {
        expect(pool.some((other) => other.findingStatements.some((statement) => statement.startsWith(before)))).toBe(true)
        if (!s.findingStatements.some((statement) => statement.startsWith(before))) otherFilmsWords++
      }
      // The warm-up's own task stays in the mix: the text given (in the phase, the model's own report; here the
      // study's) cut to the text positions, after `<task:report>`.
      expect(report.prompt).toEqual(reportPrompt(tok))
      const written = tok.decode(report.continuation, { skipSpecial: true })
      expect(written.length).toBeGreaterThan(10)
      expect(s.reportText.startsWith(written)).toBe(true)
      // A vote is one token the game would let this voter cast (another seat or n/a).
      const voter = Number(/^<bos><image><role:civilian><player:(\d)><task:vote>/.exec(tok.decode(vote.prompt))?.[1])
      expect(vote.continuation).toHaveLength(1)
      expect(legalVotes(tok, voter, 4)).toContain(vote.continuation[0])
      expect(parseVote(tok.decode(vote.continuation), 4).kind).not.toBe('invalid')
      if (!question) continue
      questions++
      const q = parseQuestion(tok.decode(question.continuation, { skipSpecial: true }))
      expect(q).not.toBeNull()
      const expected = expectedAnswer(q!, s.finding!)
      expect(expected).not.toBeNull()
      expect(answersAgree(q!, parseAnswer(q!, tok.decode(answer.continuation, { skipSpecial: true })), expected!)).toBe(true)
    }
    expect(questions).toBeGreaterThan(30)
    expect(otherFilmsWords).toBeGreaterThan(20)
  })

  it('teach a question without a report only when the QA game plays on films without one', () => {
    const noReport = questionerPrompt(tok, '', selfplay.qa)
    const asksWithoutReport = (s: typeof selfplay) => {
      const rng = new Rng(7)
      return reports.flatMap((text) => formatExamples(tok, config, study(text), s, rng, reports.map(study))).filter((e) => e.prompt.join() === noReport.join())
    }
    expect(asksWithoutReport(selfplay)).toEqual([])
    const majority = asksWithoutReport({ ...selfplay, qa: { ...selfplay.qa, majorityVoteWithoutReport: true } })
    // One per film whose language has a question within the tiny config's 14 tokens (the two English ones).
    expect(majority).toHaveLength(2)
    for (const e of majority) expect(parseQuestion(tok.decode(e.continuation, { skipSpecial: true }))).not.toBeNull()
  })

  it('weigh each example once, whatever its length: a one-token vote counts as much as a whole report', () => {
    const rng = new Rng(5)
    const s = study(reports[0])
    const [clue, vote] = formatExamples(tok, config, s, selfplay, rng, [s])
    const batch = [reportExample(tok, config, s, s.reportText), vote, clue]
    const t = config.decoder.maxText
    const forced = teacherForcedBatch(batch.map((e) => e.prompt), batch.map((e) => e.continuation), t, tok.special('<pad>')).targets
    const weights = exampleWeights(forced).data as Float32Array
    const targets = forced.data as BigInt64Array
    batch.forEach((e, i) => {
      const row = Array.from(weights.subarray(i * t, (i + 1) * t))
      // Weight exactly where the batch has a target, summing to one per example.
      row.forEach((w, j) => expect(w > 0).toBe(targets[i * t + j] !== -100n))
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    })
    expect(vote.continuation).toHaveLength(1)
    expect(batch[0].continuation.length).toBeGreaterThan(10)
  })
})

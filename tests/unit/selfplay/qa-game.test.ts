import { describe, expect, it } from 'vitest'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import type { PlayerOutput, PlayerPolicy, SamplingOptions } from '../../../src/main/selfplay/policy'
import { playQaGames, type QaGameSetup } from '../../../src/main/selfplay/qa-game'
import { parseReport } from '../../../src/main/reports'

/** A rule-following stand-in: the questioner asks what its prompt tells it to; the answerer says
 *  "yes" on the first `yesShare` of its samples and "no" on the rest. */
class ScriptedPolicy implements PlayerPolicy {
  readonly tokenizer = Tokenizer.train(['Is there a nodule in the right upper zone? yes no'], 320)
  readonly calls: SamplingOptions[] = []
  constructor(
    private readonly questionFor: (report: string) => string,
    private readonly yesShare: number
  ) {}

  async generate(_images: readonly Float32Array[], prompts: readonly (readonly number[])[], options: SamplingOptions): Promise<PlayerOutput[]> {
    this.calls.push(options)
    const tok = this.tokenizer
    const G = defaultSelfPlayConfig.qa.answersPerQuestion
    return prompts.map((p, i) => {
      const text = tok.decode(p as number[])
      const reply = text.includes('<role:questioner>') ? this.questionFor(text) : i % G < this.yesShare * G ? 'yes' : 'no'
      const tokens = [...tok.encode(reply), tok.special('<sep>')]
      return { tokens, logProbs: tokens.map(() => -1), distribution: { temperature: options.temperature } }
    })
  }
}

const image = new Float32Array(4)
const withReport = (text: string): QaGameSetup => ({ image, reportText: text, finding: parseReport(text).nodules })
const config = defaultSelfPlayConfig.qa

describe('the question-and-answer game', () => {
  it('judges the answers by the report and rewards a question answered right half the time', async () => {
    const policy = new ScriptedPolicy(() => 'Is there a nodule in the right upper zone?', 0.5)
    const [game] = await playQaGames(policy, [withReport('A 12 mm solid nodule in the right upper zone.')], config, 3)
    expect(game.question.parsed).toEqual({ kind: 'presenceAt', side: 'right', zone: 'upper' })
    expect(game.expected).toEqual({ kind: 'yesno', value: true })
    expect(game.answers).toHaveLength(config.answersPerQuestion)
    expect(game.answers.map((a) => a.reward)).toEqual([1, 1, 1, 1, -1, -1, -1, -1])
    expect(game.answererAccuracy).toBe(0.5)
    expect(game.questionerReward).toBe(1)
    expect(game.answers.reduce((s, a) => s + a.advantage, 0)).toBeCloseTo(0, 9)
    // The answerer never sees the report.
    expect(policy.tokenizer.decode(game.answers[0].prompt)).toBe('<bos><image><role:answerer><task:answer>Is there a nodule in the right upper zone?<sep>')
  })

  it('gives a trivial question no learnability reward', async () => {
    const [game] = await playQaGames(new ScriptedPolicy(() => 'Is there a nodule?', 1), [withReport('No pulmonary nodule.')], config, 3)
    expect(game.expected).toEqual({ kind: 'yesno', value: false })
    expect(game.answererAccuracy).toBe(0)
    expect(game.questionerReward).toBe(0)
  })

  it('punishes an unreadable question or one the report does not settle, and asks the answerer nothing', async () => {
    const policy = new ScriptedPolicy((r) => (r.includes('cannot exclude') ? 'Is there a nodule?' : 'nodule nodule'), 0.5)
    const games = await playQaGames(policy, [withReport('A 12 mm nodule in the right upper zone.'), withReport('Cannot exclude a small nodule at the left base.')], config, 3)
    expect(games.map((g) => g.questionerReward)).toEqual([-1, -1])
    expect(games.map((g) => g.answers.length)).toEqual([0, 0])
    expect(games[0].question.parsed).toBeNull()
  })

  it('uses the answers’ majority for a study without a report only when configured', async () => {
    const noReport: QaGameSetup = { image, reportText: null, finding: null }
    const policy = new ScriptedPolicy(() => 'Is there a nodule?', 0.75)
    const [off] = await playQaGames(policy, [noReport], config, 3)
    expect(off.questionerReward).toBe(-1)
    const [on] = await playQaGames(policy, [noReport], { ...config, majorityVoteWithoutReport: true }, 3)
    expect(on.pseudoAnswer).toBe(true)
    expect(on.expected).toEqual({ kind: 'yesno', value: true })
    expect(on.answererAccuracy).toBe(0.75)
  })
})

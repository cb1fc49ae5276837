import { describe, expect, it } from 'vitest'
import type { TokenDistribution } from '../../../src/main/model/generation'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import type { PlayerOutput, PlayerPolicy, SamplingOptions } from '../../../src/main/selfplay/policy'
import { spyGameSamples, type PolicySample } from '../../../src/main/selfplay/samples'
import { legalVotes, playSpyGames, type SpyGameSetup } from '../../../src/main/selfplay/spy-game'

/**
 * A rule-following stand-in for the model, so the game's mechanics can be checked exactly: a
 * player describes its image as "bright" or "dark"; a civilian votes for the seat whose clue
 * differs from its own image, and its last sample of each group abstains.
 */
class ScriptedPolicy implements PlayerPolicy {
  readonly tokenizer = Tokenizer.train(['bright dark image clue'], 300)
  readonly calls: { images: readonly Float32Array[]; prompts: readonly (readonly number[])[]; options: SamplingOptions }[] = []

  async generate(images: readonly Float32Array[], prompts: readonly (readonly number[])[], options: SamplingOptions): Promise<PlayerOutput[]> {
    this.calls.push({ images, prompts, options })
    const tok = this.tokenizer
    return prompts.map((prompt, i) => {
      const text = tok.decode(prompt as number[])
      const mine = images[i][0] > 0 ? 'bright' : 'dark'
      const drawnFrom = { temperature: options.temperature, allowed: options.allowedTokens?.[i] }
      if (text.includes('<task:clue>')) return output(tok.encode(` ${mine}`).concat(tok.special('<sep>')), drawnFrom)
      const clues = [...text.matchAll(/<player:(\d)> (bright|dark)<sep>/g)]
      const odd = clues.find((m) => m[2] !== mine)
      const abstain = (i + 1) % defaultSelfPlayConfig.groupSize === 0
      return output([tok.special(abstain || !odd ? '<vote:na>' : `<vote:${odd[1]}>`)], drawnFrom)
    })
  }
}

const output = (tokens: number[], distribution: TokenDistribution): PlayerOutput => ({ tokens, logProbs: tokens.map(() => -0.5), distribution })
const image = (value: number) => new Float32Array(16).fill(value)
const setup = (spySeat: number): SpyGameSetup => ({ image: image(0.5), spyImage: image(-0.5), spySeat, edit: { kind: 'blank', before: null, after: null } })

describe('the spy game', () => {
  it('plays clue rounds in seat order with only the public history, then G votes per civilian', async () => {
    const policy = new ScriptedPolicy()
    const [game] = await playSpyGames(policy, [setup(2)], defaultSelfPlayConfig, 7)
    const { civilians, clueRounds } = defaultSelfPlayConfig.spy
    expect(game.clues.map((c) => [c.round, c.player, c.role])).toEqual([
      [1, 1, 'civilian'], [1, 2, 'spy'], [1, 3, 'civilian'], [1, 4, 'civilian'],
      [2, 1, 'civilian'], [2, 2, 'spy'], [2, 3, 'civilian'], [2, 4, 'civilian']
    ])
    expect(game.clues.map((c) => c.text.trim())).toEqual(['bright', 'dark', 'bright', 'bright', 'bright', 'dark', 'bright', 'bright'])
    // The fifth speaker saw exactly the four clues before it, each as <player:k> clue <sep>.
    const fifth = policy.tokenizer.decode(game.clues[4].prompt)
    expect(fifth).toBe('<bos><image><role:civilian><player:1><task:clue><player:1> bright<sep><player:2> dark<sep><player:3> bright<sep><player:4> bright<sep><player:1>')
    // Only the spy's turns were given the edited image.
    const clueCalls = policy.calls.slice(0, clueRounds * 4)
    expect(clueCalls.map((c) => c.images[0][0])).toEqual([0.5, -0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0.5])
    expect(game.votes.map((g) => g[0].voter)).toEqual([1, 3, 4])
    expect(game.votes.every((g) => g.length === defaultSelfPlayConfig.groupSize)).toBe(true)
    expect(game.votes.flat().length).toBe(civilians * defaultSelfPlayConfig.groupSize)
  })

  it('draws each vote as one token among the voter\'s legal votes: another seat or n/a, never itself', async () => {
    const policy = new ScriptedPolicy()
    await playSpyGames(policy, [setup(2)], defaultSelfPlayConfig, 7)
    const tok = policy.tokenizer
    const votes = policy.calls.at(-1)!
    expect(votes.options.maxNewTokens).toBe(1)
    const G = defaultSelfPlayConfig.groupSize
    const allowed = votes.options.allowedTokens!.map((tokens) => tokens.map((t) => tok.decode([t])).sort())
    expect(allowed).toEqual([
      ...Array(G).fill(['<vote:2>', '<vote:3>', '<vote:4>', '<vote:na>']),
      ...Array(G).fill(['<vote:1>', '<vote:2>', '<vote:4>', '<vote:na>']),
      ...Array(G).fill(['<vote:1>', '<vote:2>', '<vote:3>', '<vote:na>'])
    ])
    expect(legalVotes(tok, 3, 4).map((t) => tok.decode([t]))).toEqual(['<vote:1>', '<vote:2>', '<vote:4>', '<vote:na>'])
  })

  it('scores votes, GRPO advantages and zero-sum clue rewards from what was voted', async () => {
    const [game] = await playSpyGames(new ScriptedPolicy(), [setup(2)], defaultSelfPlayConfig, 7)
    const G = defaultSelfPlayConfig.groupSize
    // Every civilian: 7 votes for seat 2 (+1), 1 abstention (−0.5).
    for (const group of game.votes) {
      expect(group.map((v) => v.reward)).toEqual([...Array(G - 1).fill(1), -0.5])
      expect(group.reduce((a, v) => a + v.advantage, 0)).toBeCloseTo(0, 9)
      expect(group[0].advantage).toBeGreaterThan(0)
    }
    expect(game.accuracy).toBeCloseTo((G - 1) / G, 12)
    expect(game.naRate).toBeCloseTo(1 / G, 12)
    expect(game.received).toEqual([0, 3, 0, 0])
    expect(game.clueRewards[1]).toBeCloseTo(-0.3, 12)
    expect(game.clueRewards.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12)
  })

  it('plays many games side by side, one batched generation per turn', async () => {
    const policy = new ScriptedPolicy()
    const games = await playSpyGames(policy, [setup(1), setup(4), setup(3)], defaultSelfPlayConfig, 1)
    expect(games.map((g) => g.received.indexOf(3) + 1)).toEqual([1, 4, 3])
    expect(policy.calls.length).toBe(defaultSelfPlayConfig.spy.clueRounds * 4 + 1)
    expect(new Set(policy.calls.map((c) => c.options.seed)).size).toBe(policy.calls.length)
  })

  it('refuses a spy seat outside the table', async () => {
    await expect(playSpyGames(new ScriptedPolicy(), [setup(5)], defaultSelfPlayConfig, 1)).rejects.toThrow(/outside 1–4/)
  })
})

describe('policy samples from spy games', () => {
  it('trains votes in the decision stage and clues (with role baselines) in the clue stage, each under the distribution it was drawn from', async () => {
    const setups = [setup(2)]
    const config = { ...defaultSelfPlayConfig, spy: { ...defaultSelfPlayConfig.spy, clueTemperature: 0.4 } }
    const policy = new ScriptedPolicy()
    const games = await playSpyGames(policy, setups, config, 7)
    const decision = spyGameSamples('decision', setups, games, {}, 0.95)
    expect(decision.samples).toHaveLength(3 * defaultSelfPlayConfig.groupSize)
    expect(decision.samples.every((s) => s.role === 'voter' && s.image === setups[0].image)).toBe(true)
    const voter = (s: PolicySample) => Number(/<player:(\d)><task:vote>/.exec(policy.tokenizer.decode(s.prompt))![1])
    expect(decision.samples.every((s) => s.distribution.temperature === 1 && s.distribution.allowed?.join() === legalVotes(policy.tokenizer, voter(s), 4).join())).toBe(true)
    expect(decision.baselines).toEqual({})

    const clue = spyGameSamples('clue', setups, games, {}, 0.95)
    expect(clue.samples).toHaveLength(8)
    expect(clue.samples.every((s) => s.distribution.temperature === 0.4 && s.distribution.allowed === undefined)).toBe(true)
    const spyTurn = clue.samples.find((s) => s.role === 'spy')!
    expect(spyTurn.image).toBe(setups[0].spyImage)
    expect(spyTurn.advantage).toBeCloseTo(-0.3, 12)
    expect(clue.baselines.spy).toBeCloseTo(0.05 * -0.3, 12)
    expect(clue.baselines.civilian).toBeCloseTo(0.05 * 0.1, 12)
  })
})

import { describe, expect, it } from 'vitest'
import { roleAdvantages } from '../../../src/main/selfplay/baselines'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import { sequencePolicyLoss } from '../../../src/main/selfplay/policy-objective'
import { clueRewards, decisionReward, groupAdvantages, learnabilityReward, parseVote, votesReceived, type Vote } from '../../../src/main/selfplay/rewards'

const { beta, lambda } = defaultSelfPlayConfig.spy
const vote = (player: number): Vote => ({ kind: 'player', player })

describe('votes', () => {
  it('reads the first vote token, abstentions, and refuses players that do not exist', () => {
    expect(parseVote('I think <vote:3> because', 4)).toEqual(vote(3))
    expect(parseVote('<vote:na>', 4)).toEqual({ kind: 'abstain' })
    expect(parseVote('<vote:2><vote:4>', 4)).toEqual(vote(2))
    expect(parseVote('<vote:7>', 4)).toEqual({ kind: 'invalid' })
    expect(parseVote('player three', 4)).toEqual({ kind: 'invalid' })
  })

  it('tallies votes received per player', () => {
    expect(votesReceived([vote(4), vote(4), { kind: 'abstain' }, vote(1)], 4)).toEqual([1, 0, 0, 2])
  })
})

describe('clue rewards (hand-made vote tables, DESIGN §9)', () => {
  it('caught spy: all three civilians vote the spy (player 4)', () => {
    // v = [0,0,0,3], v̄_c = 0, gap = 3: spy −0.3; each civilian 0.1/3·3 − 0.1·0 = 0.1
    const r = clueRewards([0, 0, 0, 3], 4, { beta, lambda })
    expect(r[3]).toBeCloseTo(-0.3, 12)
    for (const c of r.slice(0, 3)) expect(c).toBeCloseTo(0.1, 12)
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12)
  })

  it('spy hidden: civilians suspect civilian 2 (two votes) and civilian 1 (one vote)', () => {
    // v = [1,2,0,0] with spy = 4: v̄_c = 1, gap = −1
    // spy: −0.1·(−1) = 0.1; c1: (0.1/3)(−1) − 0.1·0 = −0.0333; c2: −0.0333 − 0.1 = −0.1333; c3: −0.0333 + 0.1 = 0.0667
    const r = clueRewards([1, 2, 0, 0], 4, { beta, lambda })
    expect(r[3]).toBeCloseTo(0.1, 12)
    expect(r[0]).toBeCloseTo(-1 / 30, 12)
    expect(r[1]).toBeCloseTo(-1 / 30 - 0.1, 12)
    expect(r[2]).toBeCloseTo(-1 / 30 + 0.1, 12)
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12)
  })

  it('the spy may sit at any seat', () => {
    const r = clueRewards([3, 0, 0, 0], 1, { beta, lambda })
    expect(r[0]).toBeCloseTo(-0.3, 12)
    expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12)
  })
})

describe('decision rewards and GRPO', () => {
  const cfg = defaultSelfPlayConfig.decisionReward
  it('scores +1 for the spy, −0.5 for n/a, −1 for a civilian or an unreadable vote', () => {
    expect(decisionReward(vote(4), 4, cfg)).toBe(1)
    expect(decisionReward({ kind: 'abstain' }, 4, cfg)).toBe(-0.5)
    expect(decisionReward(vote(2), 4, cfg)).toBe(-1)
    expect(decisionReward({ kind: 'invalid' }, 4, cfg)).toBe(-1)
  })

  it('normalises a group of G = 8 votes to zero mean and unit spread', () => {
    const rewards = [1, 1, 1, -1, -0.5, 1, -1, 1]
    const a = groupAdvantages(rewards)
    const mean = rewards.reduce((x, y) => x + y) / 8
    const std = Math.sqrt(rewards.reduce((x, r) => x + (r - mean) ** 2, 0) / 8)
    expect(a[0]).toBeCloseTo((1 - mean) / std, 5)
    expect(a.reduce((x, y) => x + y)).toBeCloseTo(0, 9)
    expect(groupAdvantages([1, 1, 1, 1])).toEqual([0, 0, 0, 0])
  })

  it('leaves the spread in when asked (r − mean): a group with no right vote then weighs no more than one with', () => {
    // Seven wrong votes and one n/a: divided by the small std, the n/a gets 2.65; r − mean gives it 0.44.
    const hopeless = [-1, -1, -1, -1, -1, -1, -1, -0.5]
    expect(groupAdvantages(hopeless)[7]).toBeCloseTo(2.6457, 3)
    expect(groupAdvantages(hopeless, false)).toEqual(hopeless.map((r) => r + 0.9375))
    expect(groupAdvantages([1, -1, -0.5, 1], false)).toEqual([0.875, -1.125, -0.625, 0.875])
  })
})

describe('role baselines', () => {
  it('measures a round against the baseline before it, then moves by the round mean', () => {
    const round1 = roleAdvantages({}, [{ role: 'spy', reward: -0.3 }, { role: 'civilian', reward: 0.1 }, { role: 'civilian', reward: 0.2 }], 0.95)
    expect(round1.advantages).toEqual([-0.3, 0.1, 0.2])
    expect(round1.baselines.spy).toBeCloseTo(0.05 * -0.3, 12)
    expect(round1.baselines.civilian).toBeCloseTo(0.05 * 0.15, 12)
    const round2 = roleAdvantages(round1.baselines, [{ role: 'spy', reward: -0.3 }], 0.95)
    expect(round2.advantages[0]).toBeCloseTo(-0.3 + 0.015, 12)
    expect(round2.baselines.civilian).toBe(round1.baselines.civilian)
  })
})

describe('the question-and-answer game', () => {
  it('rewards questions the answerer gets right about half the time', () => {
    expect(learnabilityReward(0.5)).toBe(1)
    expect(learnabilityReward(1)).toBe(0)
    expect(learnabilityReward(0)).toBe(0)
    expect(learnabilityReward(0.75)).toBeCloseTo(0.5, 12)
    expect(learnabilityReward(null)).toBe(-1)
  })
})

describe('the clipped policy objective with k3 KL', () => {
  const cfg = defaultSelfPlayConfig.policy
  it('is −A with no KL when the policy equals the old and the reference one', () => {
    const lp = [-1.2, -0.3, -2.0]
    const r = sequencePolicyLoss(lp, lp, lp, 0.7, cfg)
    expect(r.loss).toBeCloseTo(-0.7, 12)
    expect(r.meanKl).toBe(0)
    expect(r.clippedFraction).toBe(0)
  })

  it('clips the ratio at 1 ± ε on the side that would over-reward', () => {
    // ratio e^0.5 ≈ 1.65 with A > 0: the surrogate is capped at 1.2 · A.
    const r = sequencePolicyLoss([-0.5], [-1], [-0.5], 2, cfg)
    expect(r.loss).toBeCloseTo(-1.2 * 2, 12)
    expect(r.clippedFraction).toBe(1)
    // With A < 0 the min keeps the unclipped (more pessimistic) term.
    expect(sequencePolicyLoss([-0.5], [-1], [-0.5], -2, cfg).loss).toBeCloseTo(Math.exp(0.5) * 2, 12)
  })

  it('adds β·k3 for drifting from the reference model', () => {
    const d = -0.4 // refLogp − logp
    const k3 = Math.exp(d) - d - 1
    const r = sequencePolicyLoss([-1], [-1], [-1.4], 0, cfg)
    expect(r.meanKl).toBeCloseTo(k3, 12)
    expect(r.loss).toBeCloseTo(0.04 * k3, 12)
  })
})

import { describe, expect, it } from 'vitest'
import type { QaGameView, RoundPoint, SpyGameView } from '../../../src/shared/contract'
import { clueSignal, clueVotes, questionKinds, roundWindows, stageSwitches, voteTargets } from '../../../src/main/training/round-trends'

function round(roundIndex: number, p: Partial<RoundPoint>): RoundPoint {
  return { roundIndex, stage: 'decision', accuracyEma: null, naRateEma: null, voteAccuracy: null, voteNaRate: null, answererAccuracy: null, loss: null, kl: null, tokensPerSecond: 1, switched: false, baselines: {}, meanRewards: {}, ...p }
}

function spyGame(edit: SpyGameView['edit']['kind'], clues: [SpyGameView['clues'][number]['role'], string][], spySeat = 1): SpyGameView {
  return {
    kind: 'spy',
    id: 1,
    studyId: 1,
    pseudonym: null,
    spySeat,
    edit: { kind: edit, before: null, after: null },
    players: [],
    clues: clues.map(([role, text], i) => ({ round: 1, player: i + 1, role, text, advantage: null })),
    votes: [],
    accuracy: 0,
    naRate: 0,
    imagesAvailable: false
  }
}

/** A QA game as stored: the question as the parser read it, and the share of the answers that were right. */
function qaGame(parsed: QaGameView['question']['parsed'], answererAccuracy: number | null, questionerReward: number): QaGameView {
  return {
    kind: 'qa',
    id: 1,
    studyId: 1,
    pseudonym: null,
    question: { text: '', parsed },
    expected: null,
    pseudoAnswer: false,
    answers: [],
    answererAccuracy,
    questionerReward,
    questionerAdvantage: 0
  }
}

const sample = (vote: SpyGameView['votes'][number]['samples'][number]['vote']) => ({ text: '', vote, reward: 0, advantage: 0 })

describe('round trends', () => {
  it('averages windows of rounds, skipping rounds without a value, and keeps the EMA after the last', () => {
    const rounds = [
      round(0, { voteAccuracy: 0.2, voteNaRate: 0.1, accuracyEma: 0.2, answererAccuracy: null, kl: 0.01 }),
      round(1, { voteAccuracy: 0.4, voteNaRate: 0.3, accuracyEma: 0.31, answererAccuracy: 0.5, kl: 0.03 }),
      round(2, { voteAccuracy: 0.9, voteNaRate: 0, accuracyEma: 0.5, answererAccuracy: 0.25, stage: 'clue', switched: true })
    ]
    const [first, second] = roundWindows(rounds, 2)
    expect(first).toMatchObject({ first: 0, last: 1, stages: ['decision'], accuracyEma: 0.31, answererAccuracy: 0.5 })
    expect(first.voteAccuracy).toBeCloseTo(0.3, 12)
    expect(first.voteNaRate).toBeCloseTo(0.2, 12)
    expect(first.kl).toBeCloseTo(0.02, 12)
    expect(second).toMatchObject({ first: 2, last: 2, stages: ['clue'], voteAccuracy: 0.9, kl: null })
    expect(roundWindows(rounds, 3)[0].stages).toEqual(['decision', 'clue'])
    expect(stageSwitches(rounds)).toEqual([2])
    expect(() => roundWindows(rounds, 0)).toThrow(/window must hold a whole number of rounds/)
  })

  it('counts the clues that name a nodule per edit and role, in English and Chinese', () => {
    const signal = clueSignal([
      spyGame('insert', [['spy', 'A 12 mm nodule in the right upper zone'], ['civilian', 'No pulmonary nodule'], ['civilian', 'lungs are clear']]),
      spyGame('insert', [['spy', '右上肺野见一约21mm实性结节'], ['civilian', '未见明显结节']]),
      spyGame('remove', [['spy', 'Normal chest radiograph'], ['civilian', 'There is a 9 mm nodule in the left lower zone']])
    ])
    expect(signal).toEqual([
      { edit: 'insert', spy: { clues: 2, naming: 2 }, civilian: { clues: 3, naming: 0 } },
      { edit: 'remove', spy: { clues: 1, naming: 0 }, civilian: { clues: 1, naming: 1 } }
    ])
  })

  it('counts the votes the clues allow — the one other player who names a nodule (insert) or does not (remove) — and the sampled votes that follow them', () => {
    const nodule = 'A 12 mm nodule in the right upper zone'
    const clear = 'No pulmonary nodule'
    // Insert, spy in seat 2 and the only one naming a nodule: seat 1 follows the clues with one of its two
    // votes that name a player (n/a names none), seat 3 with both.
    const insertWithVotes = spyGame('insert', [['civilian', clear], ['spy', nodule], ['civilian', clear], ['civilian', clear]], 2)
    insertWithVotes.votes = [
      { voter: 1, samples: [sample({ kind: 'player', player: 2 }), sample({ kind: 'player', player: 3 }), sample({ kind: 'abstain' })] },
      { voter: 3, samples: [sample({ kind: 'player', player: 2 }), sample({ kind: 'player', player: 2 })] }
    ]
    // Remove, only civilian 1 names nothing: seat 1 sees three namers (undecided, its votes not counted);
    // seat 2's clues single out seat 1, and its vote for seat 3 does not follow them.
    const removeWithVotes = spyGame('remove', [['civilian', clear], ['civilian', nodule], ['spy', nodule], ['civilian', nodule]], 3)
    removeWithVotes.votes = [{ voter: 1, samples: [sample({ kind: 'player', player: 2 })] }, { voter: 2, samples: [sample({ kind: 'player', player: 3 })] }]
    const votes = clueVotes([
      // Every civilian's vote the clues allow is right.
      insertWithVotes,
      // Insert, civilian 4 names one too: seats 1 and 3 see two namers (undecided); seat 4 sees only the spy.
      spyGame('insert', [['civilian', clear], ['spy', nodule], ['civilian', clear], ['civilian', nodule]], 2),
      // Remove, the spy (seat 3) is the only one not naming it: right for all three.
      spyGame('remove', [['civilian', nodule], ['civilian', nodule], ['spy', clear], ['civilian', nodule]], 3),
      // Seats 2 and 4 would vote seat 1 (wrong); seat 1 undecided.
      removeWithVotes,
      // Move and resize change where or how big: not counted.
      spyGame('move', [['spy', nodule], ['civilian', clear]])
    ])
    expect(votes).toEqual([
      { edit: 'insert', votes: 6, right: 4, wrong: 0, undecided: 2, named: 4, followed: 3 },
      { edit: 'remove', votes: 6, right: 3, wrong: 2, undecided: 1, named: 1, followed: 0 }
    ])
  })

  it('says where the sampled votes went: the spy, another civilian, the voter itself, n/a or no vote; and which seats they named', () => {
    const game = spyGame('insert', [], 2)
    game.votes = [
      { voter: 1, samples: [sample({ kind: 'player', player: 2 }), sample({ kind: 'player', player: 1 }), sample({ kind: 'abstain' })] },
      { voter: 3, samples: [sample({ kind: 'player', player: 4 }), sample({ kind: 'player', player: 3 }), sample({ kind: 'invalid' })] },
      { voter: 4, samples: [sample({ kind: 'player', player: 2 }), sample({ kind: 'player', player: 1 }), sample({ kind: 'abstain' })] }
    ]
    expect(voteTargets([game, spyGame('remove', [], 3)])).toEqual({ votes: 9, spy: 2, civilian: 2, self: 2, abstain: 2, invalid: 1, bySeat: [2, 2, 1, 1], spySeats: [0, 1, 1, 0] })
  })

  it('tallies what the questioner asked by kind: unread and unsettled questions count as asked, only settled ones in the accuracy', () => {
    const presence = { kind: 'presence' } as const
    const rightUpper = { kind: 'presenceAt', side: 'right', zone: 'upper' } as const
    const kinds = questionKinds([
      qaGame(presence, 0.5, 1),
      qaGame(presence, 0.25, 0.5),
      qaGame(null, null, -1),
      qaGame(rightUpper, 1, 0),
      qaGame({ kind: 'side' }, null, -1),
      qaGame({ kind: 'presenceAt', side: 'left', zone: 'lower' }, 0.75, 0.5)
    ])
    // Most asked first, ties by name.
    expect(kinds).toEqual([
      { kind: 'presence', questions: 2, settled: 2, answererAccuracy: 0.375, questionerReward: 0.75 },
      { kind: 'presenceAt', questions: 2, settled: 2, answererAccuracy: 0.875, questionerReward: 0.25 },
      { kind: 'side', questions: 1, settled: 0, answererAccuracy: null, questionerReward: -1 },
      { kind: 'unread', questions: 1, settled: 0, answererAccuracy: null, questionerReward: -1 }
    ])
    expect(questionKinds([])).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import { advanceScheduler, initialSchedulerState, type SchedulerState, type Stage, type VoteOutcome } from '../../../src/main/selfplay/scheduler'

const config = defaultSelfPlayConfig.scheduler

/** Runs a scripted sequence of vote outcomes; returns the stage used by each update. */
function run(outcomes: VoteOutcome[], cfg = config): { stages: Stage[]; switches: number[]; state: SchedulerState } {
  let state = initialSchedulerState
  const stages: Stage[] = []
  const switches: number[] = []
  outcomes.forEach((o, i) => {
    stages.push(state.stage)
    const step = advanceScheduler(state, o, cfg)
    if (step.switched) switches.push(i)
    state = step.state
  })
  return { stages, switches, state }
}

const perfect = { accuracy: 1, naRate: 0 }
const confused = { accuracy: 0.3, naRate: 0.1 }
const abstaining = { accuracy: 0.3, naRate: 0.7 }

describe('Iterative-SPO', () => {
  it('starts in the decision stage and moves to clues after the minimum 5 updates of accurate votes', () => {
    const { stages, switches } = run(Array(8).fill(perfect))
    expect(stages.slice(0, 5)).toEqual(Array(5).fill('decision'))
    expect(switches).toEqual([4])
    expect(stages[5]).toBe('clue')
  })

  it('the original zero-initialised EMA cannot reach 0.9 in under 45 updates', () => {
    const original = { ...config, biasCorrected: false }
    const { switches } = run(Array(60).fill(perfect), original)
    expect(switches).toEqual([44]) // 1 − 0.95^45 = 0.9006 is the first reading ≥ 0.9
  })

  it('goes back to decisions when errors pile up, but not before 5 updates in the clue stage', () => {
    const script = [...Array(5).fill(perfect), ...Array(12).fill(confused)]
    const { stages, switches } = run(script)
    expect(switches[0]).toBe(4)
    // EMA of accuracy must fall until error ≥ 0.4, and the clue stage must have had 5 updates.
    expect(switches[1]).toBeGreaterThanOrEqual(9)
    expect(stages[switches[1] + 1]).toBe('decision')
  })

  it('goes back to decisions when players abstain too often', () => {
    const { switches, state } = run([...Array(5).fill(perfect), ...Array(30).fill(abstaining)])
    expect(switches.length).toBe(2)
    expect(state.stage).toBe('decision')
  })

  it('stays put while outcomes sit between the thresholds', () => {
    const middling = { accuracy: 0.75, naRate: 0.05 }
    const { switches } = run(Array(40).fill(middling))
    expect(switches).toEqual([])
  })

  it('its state is plain data, so a resumed run continues exactly', () => {
    const script = [...Array(5).fill(perfect), ...Array(10).fill(confused)]
    const whole = run(script).state
    const firstHalf = run(script.slice(0, 7)).state
    let resumed: SchedulerState = JSON.parse(JSON.stringify(firstHalf))
    for (const o of script.slice(7)) resumed = advanceScheduler(resumed, o, config).state
    expect(resumed).toEqual(whole)
  })
})

import { describe, expect, it } from 'vitest'
import { experimentOptionsFromFlags } from '../../../src/main/cli/experiment'
import { experimentPresets } from '../../../src/main/evaluation/experiment'
import { gameLengthProblems } from '../../../src/main/training/selfplay-run'
import { namedConfigs } from '../../../src/main/model/config'

describe('vzw experiment / vzw demo flags', () => {
  it('the demo preset by default, seeds 1…3, with every size changeable', () => {
    const o = experimentOptionsFromFlags({})
    expect(o.preset).toBe('demo')
    expect(o.seeds).toEqual([1, 2, 3])
    expect(o.warmup).toEqual(experimentPresets.demo.warmup)
    const changed = experimentOptionsFromFlags({ seeds: '2', preset: 'tiny', 'warmup-steps': '7', rounds: '3', 'spy-games': '1', 'qa-games': '0', 'format-steps': '0', 'evaluate-every': '0', withheld: '0.25' })
    expect(changed.seeds).toEqual([1, 2])
    expect(changed.config).toBe('tiny')
    expect(changed.warmup.steps).toBe(7)
    expect(changed.selfplay).toMatchObject({ rounds: 3, spyGamesPerRound: 1, qaGamesPerRound: 0, format: { steps: 0 }, evaluation: { every: 0 } })
    expect(changed.withheldReportFraction).toBe(0.25)
  })

  it('--ep names where the train steps run, and is left to the app\'s setting when absent', () => {
    expect(experimentOptionsFromFlags({ ep: 'webgpu' }).executionProvider).toBe('webgpu')
    expect(experimentOptionsFromFlags({ ep: 'auto' }).executionProvider).toBe('auto')
    expect(experimentOptionsFromFlags({}).executionProvider).toBeUndefined()
    expect(() => experimentOptionsFromFlags({ ep: 'cuda' })).toThrow('--ep must be one of auto, webgpu, dml, coreml, cpu, got cuda')
  })

  it('--set changes a self-play setting of arm (b), once or repeated', () => {
    const one = experimentOptionsFromFlags({ set: 'scheduler.accuracyToClue=0.3' })
    expect(one.selfplay.selfplay.scheduler).toEqual({ ...experimentPresets.demo.selfplay.selfplay.scheduler, accuracyToClue: 0.3 })
    const two = experimentOptionsFromFlags({ preset: 'conv', set: ['scheduler.naToClue=0.4', 'policy.klCoefficient=0.1'] })
    expect(two.selfplay.selfplay.scheduler.naToClue).toBe(0.4)
    expect(two.selfplay.selfplay.policy.klCoefficient).toBe(0.1)
    expect(experimentPresets.conv.selfplay.selfplay.policy.klCoefficient).toBe(0.04)
    expect(() => experimentOptionsFromFlags({ set: 'scheduler.rh0=1' })).toThrow('no self-play setting "scheduler.rh0"')
  })

  it('refuses what cannot run, naming the flag', () => {
    expect(() => experimentOptionsFromFlags({ preset: 'huge' })).toThrow('--preset must be one of demo, conv, tiny, got huge')
    expect(() => experimentOptionsFromFlags({ withheld: '1' })).toThrow('--withheld must be a number in [0, 1), got 1')
    expect(() => experimentOptionsFromFlags({ rounds: '0' })).toThrow('--rounds must be an integer ≥ 1, got 0')
  })

  it("every preset's games fit its model", () => {
    for (const preset of Object.values(experimentPresets)) expect(gameLengthProblems(namedConfigs[preset.config], preset.selfplay.selfplay)).toEqual([])
  })
})

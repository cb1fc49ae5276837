import { describe, expect, it } from 'vitest'
import { defaultVlmConfig, namedConfigs } from '../../../src/main/model/config'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import { gameLengthProblems, selfPlayPresets } from '../../../src/main/training/selfplay-run'

describe('self-play presets', () => {
  it('fit the text length of their model; DESIGN §9 defaults do not fit the default model and say why', () => {
    for (const preset of Object.values(selfPlayPresets)) expect(gameLengthProblems(namedConfigs[preset.config], preset.selfplay)).toEqual([])
    // The conv preset warms up as #6 measured it: a vision phase before the text.
    expect(selfPlayPresets.conv.warmup.visionSteps).toBeGreaterThan(0)
    expect(gameLengthProblems(defaultVlmConfig, defaultSelfPlayConfig).join('; ')).toMatch(/a vote may need \d+ text positions, the default model has 96/)
  })
})

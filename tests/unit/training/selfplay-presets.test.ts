import { describe, expect, it } from 'vitest'
import { defaultVlmConfig, tinyVlmConfig } from '../../../src/main/model/config'
import { defaultSelfPlayConfig } from '../../../src/main/selfplay/config'
import { gameLengthProblems, selfPlayPresets } from '../../../src/main/training/selfplay-run'

describe('self-play presets', () => {
  it('fit the text length of their model; DESIGN §9 defaults do not fit the default model and say why', () => {
    expect(gameLengthProblems(defaultVlmConfig, selfPlayPresets.default.selfplay)).toEqual([])
    expect(gameLengthProblems(tinyVlmConfig, selfPlayPresets.tiny.selfplay)).toEqual([])
    expect(gameLengthProblems(defaultVlmConfig, defaultSelfPlayConfig).join('; ')).toMatch(/a vote may need \d+ text positions, the default model has 96/)
  })
})

import { describe, expect, it } from 'vitest'
import { changedSettings, defaultSelfPlayConfig, settingPaths, withSettings } from '../../../src/main/selfplay/config'

describe('self-play settings from the command line (--set PATH=VALUE)', () => {
  it('sets numbers and booleans at any depth and leaves the rest, and the defaults, as they were', () => {
    const before = structuredClone(defaultSelfPlayConfig)
    const c = withSettings(defaultSelfPlayConfig, ['scheduler.accuracyToClue=0.25', ' spy.blankSpyImage = true', 'groupSize=4', 'scheduler.biasCorrected=false'])
    expect(c.scheduler).toEqual({ ...before.scheduler, accuracyToClue: 0.25, biasCorrected: false })
    expect(c.spy).toEqual({ ...before.spy, blankSpyImage: true })
    expect(c.groupSize).toBe(4)
    expect({ ...c, scheduler: before.scheduler, spy: before.spy, groupSize: before.groupSize }).toEqual(before)
    expect(defaultSelfPlayConfig).toEqual(before)
  })

  it('lists every setting of the config by its path', () => {
    const paths = settingPaths(defaultSelfPlayConfig)
    expect(paths).toContain('scheduler.naToClue')
    expect(paths).toContain('decisionReward.abstain')
    expect(paths).toContain('qa.majorityVoteWithoutReport')
    expect(paths).not.toContain('scheduler')
    expect(paths).toHaveLength(28)
  })

  it('refuses a misspelt setting, a group, a wrong kind of value and a missing "=", naming what was given', () => {
    expect(() => withSettings(defaultSelfPlayConfig, ['scheduler.accuracyToClu=0.5'])).toThrow(/no self-play setting "scheduler.accuracyToClu"; the settings are spy.civilians, .*scheduler.accuracyToClue/)
    expect(() => withSettings(defaultSelfPlayConfig, ['scheduler=1'])).toThrow('no self-play setting "scheduler"')
    expect(() => withSettings(defaultSelfPlayConfig, ['nothing.here.at.all=1'])).toThrow('no self-play setting "nothing.here.at.all"')
    expect(() => withSettings(defaultSelfPlayConfig, ['groupSize=eight'])).toThrow('--set: groupSize takes a number, got "eight"')
    expect(() => withSettings(defaultSelfPlayConfig, ['groupSize='])).toThrow('--set: groupSize takes a number, got ""')
    expect(() => withSettings(defaultSelfPlayConfig, ['spy.blankSpyImage=yes'])).toThrow('--set: spy.blankSpyImage takes true or false, got "yes"')
    expect(() => withSettings(defaultSelfPlayConfig, ['groupSize'])).toThrow('--set expects PATH=VALUE')
    expect(() => withSettings(defaultSelfPlayConfig, ['toString=1'])).toThrow('no self-play setting "toString"')
  })

  it('names the settings a stored run changed from the defaults, and nothing for a run that stored an older config', () => {
    const tried = withSettings(defaultSelfPlayConfig, ['spy.clueTemperature=0.3', 'spy.voteAdvantageByStd=false', 'scheduler.accuracyToClue=0.4'])
    expect(changedSettings(JSON.parse(JSON.stringify(tried)))).toEqual(['spy.clueTemperature=0.3', 'spy.voteAdvantageByStd=false', 'scheduler.accuracyToClue=0.4'])
    expect(changedSettings(defaultSelfPlayConfig)).toEqual([])
    // A config stored before a setting existed lacks it: that is not a change.
    const { clueTemperature: _dropped, ...olderSpy } = defaultSelfPlayConfig.spy
    expect(changedSettings({ ...defaultSelfPlayConfig, spy: olderSpy })).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { formatResultLine, parseResultLine } from '../../../src/main/app/result-line'
import { renderProgress } from '../../../src/main/app/cli-progress'
import { resolveDataDir } from '../../../src/main/app/data-dir'

describe('RESULT lines', () => {
  it('prints one machine-readable line that parses back', () => {
    const line = formatResultLine('engine', { train_tok_s: 1234.5678, ratio: 0.8123, ep: 'cpu', gpu: null, n: 3 })
    expect(line).toBe('RESULT engine train_tok_s=1235 ratio=0.8123 ep=cpu gpu=na n=3')
    expect(parseResultLine(line)).toEqual({ name: 'engine', fields: { train_tok_s: '1235', ratio: '0.8123', ep: 'cpu', gpu: 'na', n: '3' } })
  })

  it('refuses names and keys a script could not split', () => {
    expect(() => formatResultLine('two words', {})).toThrow()
    expect(() => formatResultLine('x', { 'a=b': 1 })).toThrow()
    expect(formatResultLine('x', { note: 'has spaces in it' })).toBe('RESULT x note=has_spaces_in_it')
  })
})

describe('the CLI progress bar', () => {
  it('shows bar, count, rate and ETA', () => {
    const line = renderProgress('import', { done: 250, total: 1000, unit: 'files', message: null, ratePerSecond: 50, etaSeconds: 15 }, 20)
    expect(line).toBe('import [#####...............]  25% 250/1000 files 50/s ETA 15s')
  })
})

describe('the data folder', () => {
  it('comes from the flag, else VZW_DATA_DIR, else the platform app-data folder', () => {
    expect(resolveDataDir('/data/x', { VZW_DATA_DIR: '/env' })).toBe('/data/x')
    expect(resolveDataDir(undefined, { VZW_DATA_DIR: '/env' })).toBe('/env')
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/home/u/.config' }, 'linux')).toBe('/home/u/.config/Vision-Zero Workstation')
    expect(resolveDataDir(undefined, { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('Vision-Zero Workstation')
  })
})

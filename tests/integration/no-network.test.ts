import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordHardening } from '../helpers/hardening-counts'

// The offline promise, checked on real processes: each step runs as the CLI a user types, with
// every process (task children included, through NODE_OPTIONS) preloaded with a guard that logs
// and refuses any network access.
const guard = path.resolve('tests/helpers/network-guard.cjs')
const vzw = path.resolve('bin/vzw.mjs')
let tmp: string
let log: string

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-offline-'))
  log = path.join(tmp, 'network.log')
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [vzw, ...args, '--data-dir', path.join(tmp, 'data')], {
    env: { ...process.env, NODE_OPTIONS: `--require ${guard}`, VZW_NETWORK_LOG: log, ...extraEnv },
    encoding: 'utf8',
    timeout: 180_000
  })
  return r
}

const attempts = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [])

describe('no network', () => {
  it('the guard catches a process that does reach out (so a zero below means something)', () => {
    const reachOut = [
      "fetch('http://192.0.2.1/').catch(() => {})",
      "try { require('node:dns').lookup('example.com', () => {}) } catch {}",
      "try { require('node:net').connect(443, '192.0.2.1') } catch {}",
      "try { require('node:https').get('https://example.com/') } catch {}"
    ].join(';')
    const r = spawnSync(process.execPath, ['--require', guard, '-e', reachOut], {
      env: { ...process.env, VZW_NETWORK_LOG: path.join(tmp, 'control.log') },
      encoding: 'utf8'
    })
    expect(r.status).not.toBe(null)
    const control = fs.readFileSync(path.join(tmp, 'control.log'), 'utf8')
    expect(control).toContain('"fetch"')
    expect(control).toContain('"dns"')
    expect(control).toContain('"tcp","target":"192.0.2.1:443"')
    expect(control).toContain('"https"')
  })

  it('synthesises, imports and parses a cohort with zero network attempts', () => {
    const cohort = path.join(tmp, 'cohort')
    const steps = [
      ['synth', '--out', cohort, '--studies', '3', '--seed', '9', '--lang', 'mixed'],
      ['import', path.join(cohort, 'import')],
      ['info']
    ]
    for (const step of steps) {
      const r = run(step)
      expect(r.status, `${step[0]}: ${r.stderr}`).toBe(0)
    }
    const report = fs.readdirSync(path.join(cohort, 'import', 'reports'))[0]
    expect(run(['parse-report', path.join(cohort, 'import', 'reports', report)]).status).toBe(0)
    recordHardening('no-network', { networkAttempts: attempts().length })
    expect(attempts()).toEqual([])
  })
})

/**
 * `npm run test:hardening`: runs the vitest project `hardening` (tests/hardening plus the unit
 * and integration tests that guard a protection) at full strength — 20 kill points for import,
 * review and training — and ends with one line summing what the tests measured:
 *
 *   RESULT hardening checklist=N/20 network_attempts=… kill_points=…/… hostile_files=…/… lost_rows=… phi_hits=… missing=… tests=…
 *
 * Every figure comes from the counts the tests wrote (tests/helpers/hardening-counts.ts); a part
 * that never wrote its counts (its test failed before the end) is listed under `missing`.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { printResultLine } from '../../src/main/app/result-line'
import { readHardening, type HardeningCounts } from '../helpers/hardening-counts'

const PARTS = ['electron-checklist', 'no-network', 'phi-markers', 'import-kill', 'review-kill', 'training-kill', 'storage-failures', 'hostile-folder', 'large-report-files']
const countsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-hardening-'))
const started = Date.now()
const vitest = spawnSync(path.resolve('node_modules/.bin/vitest'), ['run', '--project', 'hardening', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, VZW_HARDENING_DIR: countsDir, VZW_KILL_POINTS: '20', VZW_IMPORT_KILL_POINTS: '20', VZW_REVIEW_KILL_POINTS: '20' }
})
const parts = readHardening(countsDir)
fs.rmSync(countsDir, { recursive: true, force: true })
const sum = (key: keyof HardeningCounts) => Object.values(parts).reduce((total, p) => total + (p[key] ?? 0), 0)
const missing = PARTS.filter((p) => !parts[p])
console.log(`\nhardening: ${((Date.now() - started) / 60000).toFixed(1)} min; parts recorded: ${Object.keys(parts).sort().join(', ') || 'none'}`)
printResultLine('hardening', {
  checklist: `${sum('checklistPassed')}/${parts['electron-checklist']?.checklistItems ?? 20}`,
  network_attempts: sum('networkAttempts'),
  kill_points: `${sum('killPoints')}/${sum('killPointsPlanned')}`,
  hostile_files: `${sum('hostileFilesNamed')}/${sum('hostileFiles')}`,
  lost_rows: sum('lostRows'),
  phi_hits: sum('phiHits'),
  missing: missing.length ? missing.join(',') : 'none',
  tests: vitest.status === 0 ? 'passed' : 'failed'
})
process.exit(vitest.status ?? 1)

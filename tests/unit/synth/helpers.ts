import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { CohortOptions } from '../../../src/main/synth/cohort'

/** Small images keep the tests quick; the realistic size has its own smoke test. */
export const SMALL_DETECTOR = { rows: 512, columns: 512, spacingMm: 0.8 }

export function smallCohort(overrides: Partial<CohortOptions> = {}): CohortOptions {
  return { seed: 11, studies: 6, language: 'mixed', reportFraction: 0.8, imperfectReportRate: 0.1, detector: SMALL_DETECTOR, ...overrides }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `vzw-${prefix}-`))
}

/** Every file under `dir` (relative path → sha256). */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name)
      if (entry.isDirectory()) walk(full)
      else out.set(path.relative(dir, full), crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'))
    }
  }
  walk(dir)
  return out
}

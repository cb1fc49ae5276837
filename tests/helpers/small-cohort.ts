import path from 'node:path'
import { generateCohort, type CohortOptions } from '../../src/main/synth'

/** A synthetic cohort of small phantom films (fast to make and import) under `dir/cohort`. */
export async function writeSmallCohort(dir: string, options: Pick<CohortOptions, 'seed' | 'studies'> & Partial<CohortOptions>): Promise<string> {
  const outDir = path.join(dir, 'cohort')
  await generateCohort({
    outDir,
    workers: 2,
    language: 'mixed',
    reportFraction: 1,
    imperfectReportRate: 0,
    detector: { rows: 384, columns: 320, spacingMm: 1.1 },
    ...options
  })
  return outDir
}

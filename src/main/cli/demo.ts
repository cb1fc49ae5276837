import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CliProgressBar } from '../app/cli-progress'
import { printResultLine } from '../app/result-line'
import { readCohortTruth } from '../evaluation/truth'
import type { ImportSummary } from '../importer/import-folders'
import { generateCohort, type CohortOptions } from '../synth'
import { ProgressMeter } from '../tasks/progress'
import { lazyServices, type CliCommand } from './command'
import { armAccuracy, experimentFlags, experimentFlagsUsage, experimentOptionsFromFlags, largestSpread, runExperimentWithBar } from './experiment'
import { parseSize } from './synth'
import { runTaskWithBar } from './run-task'
import { intFlag } from './warmup'

/**
 * The demo's sizes, in one place with the experiment preset it runs (`experimentPresets.demo`):
 * a cohort small enough that synthesis, import and three seeds of the three arms fit in 30 minutes
 * on 2 CPU cores. Detector films are smaller than real ones (640×560 at 0.7 mm), which only makes
 * synthesis and import faster: the model sees 256×256 either way.
 */
export const demoDefaults = {
  dir: '.vzw-demo/run',
  studies: 200,
  cohortSeed: 7,
  size: '640x560@0.7',
  reportFraction: 0.9,
  language: 'mixed' as const
}

/** Reuses DIR/cohort when its truth says it was made with these options, else writes it anew. */
async function demoCohort(cohortDir: string, options: CohortOptions): Promise<void> {
  const truthFile = path.join(cohortDir, 'truth.json')
  if (fs.existsSync(truthFile)) {
    const previous = readCohortTruth(truthFile).options
    const same = JSON.stringify({ ...previous, detector: previous.detector ?? undefined }) === JSON.stringify({ ...options, detector: options.detector })
    if (same) {
      console.log(`Cohort: ${cohortDir} (already made with these options)`)
      return
    }
    fs.rmSync(cohortDir, { recursive: true, force: true })
  }
  const bar = new CliProgressBar('synth')
  const meter = new ProgressMeter(options.studies, 'studies')
  await generateCohort({ ...options, outDir: cohortDir, workers: Math.min(2, os.availableParallelism()), onStudyDone: (done) => bar.update(meter.update(done, 'phantom radiographs + reports')) })
  bar.finish()
  console.log(`Cohort: ${options.studies} studies in ${cohortDir}`)
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'The whole story on this CPU: synthetic cohort → import → warm-up, self-play, supervised over seeds → table',
  usage: [
    'vzw demo [--dir DIR] [--studies N] [--size ROWSxCOLS@MM] [--cohort-seed S] [experiment options]',
    '',
    `Writes the cohort to DIR/cohort and the data folder to DIR/data (unless --data-dir), default DIR ${demoDefaults.dir},`,
    `${demoDefaults.studies} studies of ${demoDefaults.size}; then runs \`vzw experiment\` (preset demo, 3 seeds) and prints its table.`,
    'Every self-play run writes findings for every study (the Review page shows the newest for each study).',
    '',
    experimentFlagsUsage
  ].join('\n'),
  options: { ...experimentFlags, dir: { type: 'string' }, studies: { type: 'string' }, size: { type: 'string' }, 'cohort-seed': { type: 'string' } },
  async run(ctx) {
    const started = performance.now()
    const v = ctx.values
    const dir = path.resolve(String(v.dir ?? demoDefaults.dir))
    const dataDir = path.resolve(String(v['data-dir'] ?? path.join(dir, 'data')))
    const experiment = experimentOptionsFromFlags(v)
    const cohort: CohortOptions = {
      seed: intFlag(v['cohort-seed'], 'cohort-seed', demoDefaults.cohortSeed, 0),
      studies: intFlag(v.studies, 'studies', demoDefaults.studies, 10),
      language: demoDefaults.language,
      reportFraction: demoDefaults.reportFraction,
      imperfectReportRate: 0.05,
      detector: parseSize(v.size ?? demoDefaults.size)
    }
    console.log(`Demo in ${dir}: data folder ${dataDir}; preset ${experiment.preset}, ${experiment.seeds.length} seeds, ${os.availableParallelism()} CPU cores`)
    await demoCohort(path.join(dir, 'cohort'), cohort)

    const services = lazyServices(dataDir, ctx.entryDir)()
    try {
      const imported = await runTaskWithBar(services, 'import.folders', { roots: [path.join(dir, 'cohort', 'import')] }, 'import')
      if (!imported) return 1
      const i = imported.result as ImportSummary
      console.log(`Imported ${i.imported} new image(s), ${i.already} already in the library, ${i.failed} failed; ${i.reportsMatched} reports matched`)
      const r = await runExperimentWithBar(services, experiment)
      if (!r) return 1
      const total = r.results.filter((x) => x.arm === 'selfplay').length
      console.log(`Findings for every study were written by each of the ${total} self-play runs (the Review page shows the newest for each study).`)
      printResultLine('demo', {
        warmup_acc: armAccuracy(r, 'warmup'),
        selfplay_acc: armAccuracy(r, 'selfplay'),
        supervised_acc: armAccuracy(r, 'supervised'),
        spread: largestSpread(r),
        minutes: +((performance.now() - started) / 60000).toFixed(2)
      })
      return 0
    } finally {
      services.close()
    }
  }
}

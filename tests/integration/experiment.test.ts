import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApi, type Api } from '../../src/shared/client'
import { arms } from '../../src/shared/evaluation'
import { dispatch } from '../../src/main/api/dispatch'
import { experimentPresets, runExperiment, seedFraction, type ExperimentOptions, type ExperimentProgress, type ExperimentResult } from '../../src/main/evaluation/experiment'
import { heldOutSet } from '../../src/main/evaluation/held-out'
import { loadStudyTruths, readCohortTruth } from '../../src/main/evaluation/truth'
import { isHeldOut, isReportWithheld } from '../../src/main/model/warmup'
import { databasePath, openDatabase } from '../../src/main/store/database'
import { writeSmallCohort } from '../helpers/small-cohort'
import { tempServices } from '../helpers/temp-services'

const STUDIES = 30
let ctx: ReturnType<typeof tempServices>
let api: Api
let cohortDir: string
let result: ExperimentResult
const options: ExperimentOptions = {
  ...experimentPresets.tiny,
  preset: 'tiny',
  seeds: [3],
  threads: 1,
  warmup: { ...experimentPresets.tiny.warmup, steps: 4 },
  selfplay: { ...experimentPresets.tiny.selfplay, rounds: 2, format: { steps: 4, batch: 8, lr: 3e-3 } }
}

async function runTask(kind: 'import.folders' | 'evaluation.experiment', params: unknown): Promise<unknown> {
  const id = ctx.services.tasks.start(kind, params)
  const summary = await ctx.services.tasks.whenFinished(id)
  if (summary?.status !== 'done') throw new Error(`${kind} ${summary?.status}: ${summary?.error}`)
  return summary.result
}

beforeAll(async () => {
  ctx = tempServices()
  api = createApi({ invoke: (method, input) => dispatch(ctx.services.handlers, method, input), subscribe: () => () => {} })
  cohortDir = await writeSmallCohort(ctx.dataDir, { seed: 11, studies: STUDIES, reportFraction: 0.85 })
  await runTask('import.folders', { roots: [path.join(cohortDir, 'import')] })
  result = (await runTask('evaluation.experiment', { ...options, outDir: path.join(ctx.dataDir, 'report') })) as ExperimentResult
}, 120_000)
afterAll(() => ctx.cleanup())

describe('a tiny experiment through the task child', () => {
  it('scores every held-out image against the cohort truth.json found beside the import folder', () => {
    const truth = readCohortTruth(path.join(cohortDir, 'truth.json'))
    const heldOut = truth.studies.filter((s) => isHeldOut(s.studyInstanceUid, options.warmup.heldOutFraction))
    expect(heldOut.length).toBeGreaterThan(0)
    expect(result.truthSource).toBe('synthetic')
    expect(result.truthFile).toBe(path.join(cohortDir, 'truth.json'))
    // Studies without a report are scored too: the synthetic truth knows their nodules.
    expect(result.heldOutImages).toBe(heldOut.length)
    // "No nodule" for every image is right on exactly the clear ones.
    const clear = heldOut.filter((s) => s.nodules.length === 0).length
    expect(result.noNodule.finding).toEqual({ correct: clear, total: heldOut.length })
    expect(result.noNodule.sideZone).toEqual({ correct: 0, total: heldOut.length - clear })
    for (const r of result.results) {
      expect(r.metrics.images).toBe(heldOut.length)
      expect(r.metrics.presence.total).toBe(heldOut.length)
      expect(r.metrics.sideZone.total).toBe(heldOut.filter((s) => s.nodules.length > 0).length)
      expect(r.metrics.finding.correct).toBeLessThanOrEqual(r.metrics.presence.correct)
    }
  })

  it('stores one row per arm with its run, and (c) trains for (a)’s steps plus the self-play time as steps', () => {
    const db = openDatabase(databasePath(ctx.dataDir))
    try {
      const rows = db.prepare('SELECT a.arm, a.warmup_steps AS steps, a.selfplay_rounds AS rounds, r.name, r.config_json AS config, r.status FROM experiment_arms a JOIN runs r ON r.id = a.run_id WHERE a.experiment_id = ? ORDER BY a.id').all(result.experimentId) as {
        arm: string
        steps: number
        rounds: number
        name: string
        config: string
        status: string
      }[]
      expect(rows.map((r) => [r.arm, r.name, r.status])).toEqual([
        ['warmup', 'warmup', 'done'],
        ['selfplay', 'selfplay', 'done'],
        ['supervised', 'warmup', 'done']
      ])
      expect(rows[0].steps).toBe(4)
      expect(rows[1].rounds).toBe(2)
      expect(rows[2].steps).toBeGreaterThan(4)
      expect(JSON.parse(rows[0].config).withheldReportFraction).toBe(0.5)
      expect(JSON.parse(rows[2].config).withheldReportFraction).toBe(0)
      const sp = JSON.parse(rows[1].config)
      expect(sp.warmup.withheldReportFraction).toBe(0.5)
      expect(db.prepare('SELECT checkpoint_path AS p FROM evaluations e JOIN experiment_arms a ON a.evaluation_id = e.id WHERE a.arm = ?').get('warmup')).toEqual({ p: sp.startCheckpoint })
      const experiment = db.prepare('SELECT status, truth_source AS truth, held_out AS heldOut FROM experiments WHERE id = ?').get(result.experimentId)
      expect(experiment).toEqual({ status: 'done', truth: 'synthetic', heldOut: result.heldOutImages })
      // Findings for every study with a model image, written by the self-play run's final checkpoint.
      const studies = (db.prepare('SELECT COUNT(*) AS n FROM studies').get() as { n: number }).n
      expect(studies).toBe(STUDIES)
      expect((db.prepare('SELECT COUNT(DISTINCT study_id) AS n FROM findings').get() as { n: number }).n).toBe(STUDIES)
    } finally {
      db.close()
    }
  })

  it('withholds reports from (a) and (b) by a hash independent of the held-out split', () => {
    const truth = readCohortTruth(path.join(cohortDir, 'truth.json'))
    const training = truth.studies.filter((s) => s.reportFile && !isHeldOut(s.studyInstanceUid, 0.2))
    const withheld = training.filter((s) => isReportWithheld(s.studyInstanceUid, 0.5))
    expect(withheld.length).toBeGreaterThan(0)
    expect(withheld.length).toBeLessThan(training.length)
    expect(training.filter((s) => isReportWithheld(s.studyInstanceUid, 0))).toEqual([])
  })

  it('the self-play run stored a periodic evaluation after each round on its held-out sample, then its arm score', async () => {
    const selfplay = result.results.find((r) => r.arm === 'selfplay')!
    const evaluations = await api.runs.evaluations({ runId: selfplay.runId! })
    // Rounds 0 and 1 on the sample, then the arm's score of the final model on the whole split.
    expect(evaluations.map((e) => e.roundIndex)).toEqual([0, 1, null])
    expect(evaluations.map((e) => e.truthSource)).toEqual(['synthetic', 'synthetic', 'synthetic'])
    expect(evaluations.map((e) => e.metrics.images)).toEqual([options.selfplay.evaluation.studies, options.selfplay.evaluation.studies, result.heldOutImages])
    expect(evaluations[2].metrics).toEqual(selfplay.metrics)
  })

  it('writes the markdown table and the SVG plot, and the API lists the experiment with the same numbers', async () => {
    expect(result.reportPath).toBe(path.join(ctx.dataDir, 'report', `experiment-${result.experimentId}.md`))
    const md = fs.readFileSync(result.reportPath, 'utf8')
    expect(md).toMatch(/\| \(a\) warm-up \| [\d.]+% ± 0\.0 \|/)
    expect(md).toContain('| (c) supervised |')
    expect(md).toContain("scored against the synthetic cohort's truth")
    const svg = fs.readFileSync(result.plotPath, 'utf8')
    expect(svg).toMatch(/^<svg /)
    expect(svg.match(/<rect class="bar"/g)!.length).toBeGreaterThanOrEqual(3 * 2)

    const [listed] = await api.evaluation.experiments()
    expect(listed.id).toBe(result.experimentId)
    expect(listed.status).toBe('done')
    expect(listed.seeds).toEqual([3])
    expect(listed.results.map((r) => r.arm)).toEqual([...arms])
    expect(listed.summary).toEqual(result.summary)
    expect(listed.noNodule).toEqual(result.noNodule)
    const clearShare = ((100 * result.noNodule.finding.correct) / result.noNodule.finding.total).toFixed(1)
    expect(md).toContain(`| "no nodule" for every image | ${clearShare}% | 0.0% | 0.0% | ${clearShare}% | – | – |`)
    expect(svg.match(/<line class="floor"/g)!.length).toBeGreaterThanOrEqual(2)
    const finding = listed.summary.arms.map((a) => a.metrics.finding.mean)
    expect(finding).toEqual(result.results.map((r) => r.metrics.finding.correct / r.metrics.finding.total))
  })

  it('falls back to the reports as truth when no truth.json is found', () => {
    fs.renameSync(path.join(cohortDir, 'truth.json'), path.join(cohortDir, 'truth.hidden.json'))
    const db = openDatabase(databasePath(ctx.dataDir))
    try {
      const truths = loadStudyTruths(db)
      expect(truths.source).toBe('reports')
      const set = heldOutSet(db, 0.2)
      // Only held-out studies that have a report can be scored then.
      expect(set.images.length).toBeLessThanOrEqual(result.heldOutImages)
      expect(set.images.every((i) => i.study.reportText !== null)).toBe(true)
    } finally {
      db.close()
      fs.renameSync(path.join(cohortDir, 'truth.hidden.json'), path.join(cohortDir, 'truth.json'))
    }
  })

  it('shows a conv warm-up’s vision phase in the arms’ progress, which only moves forward', async () => {
    const db = openDatabase(databasePath(ctx.dataDir))
    const seen: ExperimentProgress[] = []
    try {
      const conv: ExperimentOptions = { ...options, config: 'tiny-conv', seeds: [5], warmup: { ...options.warmup, visionSteps: 20 }, selfplay: { ...options.selfplay, rounds: 1 }, outDir: path.join(ctx.dataDir, 'report') }
      await runExperiment(db, ctx.dataDir, conv, { onProgress: (p) => void seen.push(p) })
    } finally {
      db.close()
    }
    // Arms (a) and (c) each report the vision phase (every 10 steps) before their text steps.
    for (const arm of [0, 2]) {
      const messages = seen.filter((p) => p.phase === arm).map((p) => p.message)
      expect(messages.filter((m) => / vision step (10|20)\/20$/.test(m))).toHaveLength(2)
      expect(messages.findIndex((m) => /vision step 20\/20/.test(m))).toBeLessThan(messages.findIndex((m) => / step 1\/\d+, loss/.test(m)))
    }
    const done = seen.map((p) => seedFraction(p.phase, p.fraction))
    done.forEach((d, i) => expect(d).toBeGreaterThanOrEqual(i > 0 ? done[i - 1] : 0))
  })
})

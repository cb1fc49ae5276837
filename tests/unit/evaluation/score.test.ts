import { describe, expect, it } from 'vitest'
import { emptyNoduleItem, type NoduleFinding, type NoduleItem } from '../../../src/shared/finding'
import { experimentChartSvg, meanSpread, summarizeExperiment, type ArmResult, type EvaluationMetrics } from '../../../src/shared/evaluation'
import { aggregateScores, rankAuc, scoreImage } from '../../../src/main/evaluation/score'
import { parseReport } from '../../../src/main/reports/nodule-parser'
import { englishChartLabels, experimentMarkdown } from '../../../src/main/evaluation/experiment-report'
import { noNoduleScore, type HeldOutSet } from '../../../src/main/evaluation/held-out'

const nodule = (side: NoduleItem['side'], zone: NoduleItem['zone'], sizeMm: number | null): NoduleItem => ({ ...emptyNoduleItem(), side, zone, sizeMm })
const present = (...items: NoduleItem[]): NoduleFinding => ({ presence: 'present', count: items.length, items })
const absent: NoduleFinding = { presence: 'absent', count: 0, items: [] }

describe('scoring one image against its truth', () => {
  it('an absent truth counts for presence and finding only', () => {
    expect(scoreImage(absent, absent)).toEqual({ presence: true, sideZone: null, size: null, finding: true })
    expect(scoreImage(absent, present(nodule('left', 'upper', 8)))).toEqual({ presence: false, sideZone: null, size: null, finding: false })
    expect(scoreImage(absent, { presence: 'uncertain', count: null, items: [] }).presence).toBe(false)
  })

  it('a present truth needs side, zone and a size within ±3 mm for the finding', () => {
    const truth = present(nodule('right', 'lower', 12))
    expect(scoreImage(truth, present(nodule('right', 'lower', 14.5)))).toEqual({ presence: true, sideZone: true, size: true, finding: true })
    expect(scoreImage(truth, present(nodule('right', 'lower', 15)))).toEqual({ presence: true, sideZone: true, size: true, finding: true })
    expect(scoreImage(truth, present(nodule('right', 'lower', 15.2)))).toEqual({ presence: true, sideZone: true, size: false, finding: false })
    expect(scoreImage(truth, present(nodule('left', 'lower', 12)))).toEqual({ presence: true, sideZone: false, size: true, finding: false })
    expect(scoreImage(truth, present(nodule('right', null, 12)))).toEqual({ presence: true, sideZone: false, size: true, finding: false })
    expect(scoreImage(truth, present(nodule('right', 'lower', null)))).toEqual({ presence: true, sideZone: true, size: false, finding: false })
    expect(scoreImage(truth, absent)).toEqual({ presence: false, sideZone: false, size: false, finding: false })
  })

  it('several nodules: none missing, none extra, and one pairing agreeing on place and size at once', () => {
    const truth = present(nodule('right', 'upper', 6), nodule('left', 'lower', 20))
    expect(scoreImage(truth, present(nodule('left', 'lower', 21), nodule('right', 'upper', 5))).finding).toBe(true)
    expect(scoreImage(truth, present(nodule('right', 'upper', 6))).sideZone).toBe(false)
    expect(scoreImage(truth, present(nodule('right', 'upper', 6), nodule('left', 'lower', 20), nodule('left', 'upper', 9))).sideZone).toBe(false)
    // Places right and sizes right, but swapped between the two nodules: the finding is wrong.
    expect(scoreImage(truth, present(nodule('right', 'upper', 20), nodule('left', 'lower', 6)))).toEqual({ presence: true, sideZone: true, size: true, finding: false })
  })

  it('scores generated text through the report parser', () => {
    const truth = present(nodule('left', 'upper', 9))
    expect(scoreImage(truth, parseReport('Findings: A 1.0 cm nodule in the left upper zone.').nodules).finding).toBe(true)
    expect(scoreImage(truth, parseReport('检查所见：左上肺野见一约10mm结节影。').nodules).finding).toBe(true)
    expect(scoreImage(truth, parseReport('Findings: No pulmonary nodule.').nodules).presence).toBe(false)
  })

  it('aggregates counts per metric', () => {
    const truth = present(nodule('right', 'lower', 12))
    const m = aggregateScores([scoreImage(absent, absent), scoreImage(truth, present(nodule('right', 'lower', 12))), scoreImage(truth, present(nodule('left', 'lower', 30)))])
    expect(m).toEqual({ images: 3, presence: { correct: 3, total: 3 }, sideZone: { correct: 1, total: 2 }, size: { correct: 1, total: 2 }, finding: { correct: 2, total: 3 } })
  })

  it('writing "no nodule" for every image scores the clear images: right on presence and finding, never on a nodule', () => {
    const truths: NoduleFinding[] = [absent, absent, absent, present(nodule('right', 'lower', 12)), present(nodule('left', 'upper', 6), nodule('right', 'middle', 9)), { presence: 'uncertain', count: null, items: [] }]
    const set: HeldOutSet = {
      source: 'reports',
      truthFile: null,
      images: truths.map((truth, i) => ({ truth, study: { studyId: i + 1, studyUid: `1.2.${i}`, pseudonym: `ANON-${i}`, imageId: i + 1, modelPath: `m/${i}.png`, reportText: null, findingsJson: null } }))
    }
    // The uncertain truth counts as wrong on presence: "no nodule" is not "cannot exclude one".
    expect(noNoduleScore(set)).toEqual({ images: 6, presence: { correct: 3, total: 6 }, sideZone: { correct: 0, total: 2 }, size: { correct: 0, total: 2 }, finding: { correct: 3, total: 6 } })
  })
})

const metrics = (finding: number, of = 10): EvaluationMetrics => ({ images: of, presence: { correct: finding, total: of }, sideZone: { correct: 0, total: 0 }, size: { correct: 1, total: 2 }, finding: { correct: finding, total: of } })
const result = (seed: number, arm: ArmResult['arm'], finding: number): ArmResult => ({ seed, arm, runId: null, computeSeconds: 120, warmupSteps: 10, selfPlayRounds: 0, metrics: metrics(finding) })

describe('how well a value ranks right cases above wrong ones', () => {
  const cases = (right: number[], wrong: number[]) => [...right.map((value) => ({ value, right: true })), ...wrong.map((value) => ({ value, right: false }))]
  it('is 1 when every right case is above every wrong one, 0 when below, 0.5 for a value that says nothing', () => {
    expect(rankAuc(cases([0.9, 0.8], [0.2, 0.1]))).toBe(1)
    expect(rankAuc(cases([0.2, 0.1], [0.9, 0.8]))).toBe(0)
    expect(rankAuc(cases([0.5, 0.5], [0.5]))).toBe(0.5)
    // three of the four right–wrong pairs in order
    expect(rankAuc(cases([0.9, 0.4], [0.5, 0.1]))).toBe(0.75)
  })
  it('is not measured without both right and wrong cases', () => {
    expect(rankAuc(cases([0.9], []))).toBeNull()
    expect(rankAuc(cases([], [0.3]))).toBeNull()
  })
})

describe('experiment summary', () => {
  it('mean and sample standard deviation over seeds', () => {
    expect(meanSpread([0.5, 0.7])).toEqual({ mean: 0.6, spread: expect.closeTo(Math.SQRT2 * 0.1, 10), values: [0.5, 0.7] })
    expect(meanSpread([0.4])).toEqual({ mean: 0.4, spread: 0, values: [0.4] })
    expect(meanSpread([null])).toEqual({ mean: null, spread: null, values: [null] })
  })

  it('(b) − (a) against the larger spread, (b)/(c), and a metric that counted nothing stays empty', () => {
    const s = summarizeExperiment([result(1, 'warmup', 5), result(2, 'warmup', 6), result(1, 'selfplay', 8), result(2, 'selfplay', 8), result(1, 'supervised', 9), result(2, 'supervised', 9)])
    expect(s.selfPlayGain).toBeCloseTo(0.25, 10)
    expect(s.gainSpread).toBeCloseTo(Math.sqrt(0.005), 10)
    expect(s.selfPlayOverSupervised).toBeCloseTo(0.8 / 0.9, 10)
    expect(s.arms.find((a) => a.arm === 'warmup')!.metrics.sideZone.mean).toBeNull()
    expect(s.arms.map((a) => a.computeMinutes.mean)).toEqual([2, 2, 2])
    const noNodule: EvaluationMetrics = { images: 10, presence: { correct: 6, total: 10 }, sideZone: { correct: 0, total: 0 }, size: { correct: 0, total: 4 }, finding: { correct: 6, total: 10 } }
    const md = experimentMarkdown({ preset: 'tiny', seeds: [1, 2], truthSource: 'synthetic', truthFile: '/x/truth.json', heldOutImages: 10, noNodule, results: [], summary: s })
    expect(md).toContain('| (b) warm-up + self-play | 80.0% ± 0.0 | – | 50.0% ± 0.0 | 80.0% ± 0.0 | 2.00 | 2 |')
    expect(md).toContain('| "no nodule" for every image | 60.0% | – | 0.0% | 60.0% | – | – |')
    expect(md).toContain('(b) − (a), finding accuracy: 25.0 points against a seed spread of 7.1 — larger than the spread')
    // One seed has no spread to beat.
    const one = summarizeExperiment([result(1, 'warmup', 5), result(1, 'selfplay', 6), result(1, 'supervised', 9)])
    expect(experimentMarkdown({ preset: 'tiny', seeds: [1], truthSource: 'synthetic', truthFile: null, heldOutImages: 10, noNodule, results: [], summary: one })).toContain(
      '(b) − (a), finding accuracy: 10.0 points, one seed: no seed spread to compare with (run two or more)'
    )
    const svg = experimentChartSvg(s, englishChartLabels)
    expect(svg.startsWith('<svg')).toBe(true)
    // 4 metrics × 3 arms: a bar for each mean that exists (side+zone counted nothing: no bar).
    expect(svg.match(/<rect class="bar"/g)?.length).toBe(9)
    expect(svg).toContain('<title>Held-out accuracy per arm')
    expect(svg).not.toContain('class="floor"')
    // With the floor: a dashed line on each metric that counted something, at its rate.
    const withFloor = experimentChartSvg(s, englishChartLabels, noNodule)
    expect(withFloor.match(/<line class="floor"/g)?.length).toBe(3)
    expect(withFloor).toContain('<title>&quot;no nodule&quot; for every image · finding accuracy: 60.0%</title>')
  })
})

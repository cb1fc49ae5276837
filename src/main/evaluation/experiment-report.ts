import fs from 'node:fs'
import path from 'node:path'
import { arms, experimentChartSvg, gainVerdict, metricNames, rate, type Arm, type ArmResult, type ChartLabels, type EvaluationMetrics, type ExperimentSummary, type MeanSpread, type MetricName, type TruthSource } from '../../shared/evaluation'
import { writeFileAtomic } from '../store/atomic-file'

/** The experiment as a markdown table and an SVG plot (the same numbers as its SQLite rows). */
export interface ExperimentReport {
  preset: string
  seeds: readonly number[]
  truthSource: TruthSource
  truthFile: string | null
  heldOutImages: number
  /** The held-out set scored as if "no nodule" were written for every image. */
  noNodule: EvaluationMetrics
  results: readonly ArmResult[]
  summary: ExperimentSummary
}

export const englishChartLabels: ChartLabels = {
  title: 'Held-out accuracy per arm (mean ± spread over seeds; dots: seeds)',
  arms: { warmup: '(a) warm-up', selfplay: '(b) warm-up + self-play', supervised: '(c) supervised' },
  noNodule: '"no nodule" for every image',
  metrics: { presence: 'nodule presence', sideZone: 'side + zone', size: 'size ±3 mm', finding: 'finding accuracy' }
}

const percent = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`)
const points = (v: number | null) => (v === null ? '–' : (v * 100).toFixed(1))

export function formatMeanSpread(m: MeanSpread): string {
  return m.mean === null ? '–' : `${percent(m.mean)} ± ${points(m.spread)}`
}

function counts(results: readonly ArmResult[], arm: Arm, metric: MetricName): string {
  const rows = results.filter((r) => r.arm === arm)
  const correct = rows.reduce((n, r) => n + r.metrics[metric].correct, 0)
  const total = rows.reduce((n, r) => n + r.metrics[metric].total, 0)
  return `${correct}/${total}`
}

export function experimentMarkdown(r: ExperimentReport): string {
  const s = r.summary
  const truth = r.truthSource === 'synthetic' ? `the synthetic cohort's truth (${r.truthFile ?? 'truth.json'})` : "each study's report, parsed"
  const header = `| arm | ${metricNames.map((m) => englishChartLabels.metrics[m]).join(' | ')} | compute (min) | seeds |`
  const rule = `|---|${metricNames.map(() => '---').join('|')}|---|---|`
  const row = (arm: Arm) => {
    const a = s.arms.find((x) => x.arm === arm)!
    return `| ${englishChartLabels.arms[arm]} | ${metricNames.map((m) => formatMeanSpread(a.metrics[m])).join(' | ')} | ${a.computeMinutes.mean === null ? '–' : a.computeMinutes.mean.toFixed(2)} | ${a.seeds} |`
  }
  const noNoduleRow = `| ${englishChartLabels.noNodule} | ${metricNames.map((m) => percent(rate(r.noNodule[m]))).join(' | ')} | – | – |`
  const countRow = (arm: Arm) => `| ${englishChartLabels.arms[arm]} | ${metricNames.map((m) => counts(r.results, arm, m)).join(' | ')} |`
  const verdict = gainVerdict(s)
  const gain =
    s.selfPlayGain === null ? 'not measured'
    : verdict === 'oneSeed' ? `${(s.selfPlayGain * 100).toFixed(1)} points, one seed: no seed spread to compare with (run two or more)`
    : `${(s.selfPlayGain * 100).toFixed(1)} points against a seed spread of ${points(s.gainSpread)} — ${verdict === 'larger' ? 'larger' : 'not larger'} than the spread`
  return [
    `Held-out images: ${r.heldOutImages}, scored against ${truth}. Preset \`${r.preset}\`, seeds ${r.seeds.join(', ')}. Values: mean over seeds ± sample standard deviation (points).`,
    '',
    header,
    rule,
    ...arms.map(row),
    noNoduleRow,
    '',
    `- (b) − (a), finding accuracy: ${gain}.`,
    `- (b) / (c), finding accuracy: ${s.selfPlayOverSupervised === null ? 'not measured' : s.selfPlayOverSupervised.toFixed(3)} (reference: 89.7 % / 91.2 % = 0.984).`,
    `- The last row is what writing "no nodule" for every image scores: an arm's finding accuracy is above it only where the arm places more nodules right (side, zone and size at once) than it calls clear images abnormal.`,
    '',
    'Correct / counted images, all seeds together:',
    '',
    `| arm | ${metricNames.map((m) => englishChartLabels.metrics[m]).join(' | ')} |`,
    `|---|${metricNames.map(() => '---').join('|')}|`,
    ...arms.map(countRow),
    ''
  ].join('\n')
}

/** Writes experiment-<id>.md and experiment-<id>.svg into `outDir`; returns their paths. */
export function writeExperimentFiles(outDir: string, id: number, report: ExperimentReport): { reportPath: string; plotPath: string } {
  fs.mkdirSync(outDir, { recursive: true })
  const reportPath = path.join(outDir, `experiment-${id}.md`)
  const plotPath = path.join(outDir, `experiment-${id}.svg`)
  writeFileAtomic(reportPath, `# Experiment ${id}\n\n${experimentMarkdown(report)}\n![plot](experiment-${id}.svg)\n`)
  writeFileAtomic(plotPath, experimentChartSvg(report.summary, englishChartLabels, report.noNodule) + '\n')
  return { reportPath, plotPath }
}

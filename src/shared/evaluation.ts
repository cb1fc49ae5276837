import { z } from 'zod'

/**
 * Held-out evaluation and the headline experiment (DESIGN §10) as the UI, the CLI and the stored
 * rows all see them. Scores count images: presence over every scored image; side+zone and size
 * over the images whose truth has a nodule; finding accuracy over every image.
 */

export const MetricCount = z.object({ correct: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
export type MetricCount = z.infer<typeof MetricCount>

export const EvaluationMetrics = z.object({
  /** Images scored: held-out studies with a model image and a truth. */
  images: z.number().int().nonnegative(),
  presence: MetricCount,
  sideZone: MetricCount,
  size: MetricCount,
  finding: MetricCount
})
export type EvaluationMetrics = z.infer<typeof EvaluationMetrics>

export const metricNames = ['presence', 'sideZone', 'size', 'finding'] as const
export type MetricName = (typeof metricNames)[number]

/** Where the truth of a held-out image comes from: the synthetic cohort's truth.json, or the study's report parsed. */
export const TruthSource = z.enum(['synthetic', 'reports'])
export type TruthSource = z.infer<typeof TruthSource>

export const Arm = z.enum(['warmup', 'selfplay', 'supervised'])
export type Arm = z.infer<typeof Arm>
export const arms: readonly Arm[] = Arm.options

/** A rate, or null when nothing was counted (e.g. side+zone on a held-out set with no nodule). */
export function rate(m: MetricCount): number | null {
  return m.total > 0 ? m.correct / m.total : null
}

export const MeanSpread = z.object({
  mean: z.number().nullable(),
  /** Sample standard deviation over seeds (n − 1); 0 for one seed. */
  spread: z.number().nullable(),
  /** One value per seed, in seed order (null where the metric counted nothing). */
  values: z.array(z.number().nullable())
})
export type MeanSpread = z.infer<typeof MeanSpread>

export function meanSpread(values: readonly (number | null)[]): MeanSpread {
  const xs = values.filter((v): v is number => v !== null)
  if (xs.length === 0) return { mean: null, spread: null, values: [...values] }
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const spread = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) : 0
  return { mean, spread, values: [...values] }
}

/** One arm of one seed as stored. */
export const ArmResult = z.object({
  seed: z.number().int(),
  arm: Arm,
  runId: z.number().int().nullable(),
  /** Training seconds this arm spent in all (the warm-up included for self-play). */
  computeSeconds: z.number().nonnegative(),
  /** Optimizer steps of its warm-up. */
  warmupSteps: z.number().int().nonnegative(),
  selfPlayRounds: z.number().int().nonnegative(),
  metrics: EvaluationMetrics
})
export type ArmResult = z.infer<typeof ArmResult>

export const ArmSummary = z.object({
  arm: Arm,
  seeds: z.number().int().nonnegative(),
  metrics: z.object({ presence: MeanSpread, sideZone: MeanSpread, size: MeanSpread, finding: MeanSpread }),
  computeMinutes: MeanSpread
})
export type ArmSummary = z.infer<typeof ArmSummary>

export const ExperimentSummary = z.object({
  arms: z.array(ArmSummary),
  /** (b) − (a) on finding accuracy, and the seed spread it is compared with: the larger of the two arms' spreads. */
  selfPlayGain: z.number().nullable(),
  gainSpread: z.number().nullable(),
  /** (b) / (c) on finding accuracy: how much of the supervised result self-play reaches. */
  selfPlayOverSupervised: z.number().nullable()
})
export type ExperimentSummary = z.infer<typeof ExperimentSummary>

/** Mean and spread over seeds per arm and metric, and the two comparisons DESIGN §10 asks for. */
export function summarizeExperiment(results: readonly ArmResult[]): ExperimentSummary {
  const summaries = arms.map((arm): ArmSummary => {
    const rows = results.filter((r) => r.arm === arm).sort((x, y) => x.seed - y.seed)
    const metric = (name: MetricName) => meanSpread(rows.map((r) => rate(r.metrics[name])))
    return {
      arm,
      seeds: rows.length,
      metrics: { presence: metric('presence'), sideZone: metric('sideZone'), size: metric('size'), finding: metric('finding') },
      computeMinutes: meanSpread(rows.map((r) => r.computeSeconds / 60))
    }
  })
  const finding = (arm: Arm) => summaries.find((s) => s.arm === arm)!.metrics.finding
  const [a, b, c] = [finding('warmup'), finding('selfplay'), finding('supervised')]
  return {
    arms: summaries,
    selfPlayGain: a.mean !== null && b.mean !== null ? b.mean - a.mean : null,
    gainSpread: a.spread !== null && b.spread !== null ? Math.max(a.spread, b.spread) : null,
    selfPlayOverSupervised: b.mean !== null && c.mean !== null && c.mean > 0 ? b.mean / c.mean : null
  }
}

/**
 * Whether (b) − (a) on finding accuracy beats the seed spread — null when not measured, 'oneSeed'
 * when (a) or (b) has a single seed (its spread is 0, so a difference of a few images would read as
 * "larger than the spread"). The markdown table and the Evaluation page both say this verdict.
 */
export function gainVerdict(s: ExperimentSummary): 'larger' | 'notLarger' | 'oneSeed' | null {
  if (s.selfPlayGain === null) return null
  const seeds = (arm: Arm) => s.arms.find((a) => a.arm === arm)?.seeds ?? 0
  if (Math.min(seeds('warmup'), seeds('selfplay')) < 2) return 'oneSeed'
  if (s.gainSpread === null) return null
  return s.selfPlayGain > s.gainSpread ? 'larger' : 'notLarger'
}

export const ExperimentStatus = z.enum(['running', 'done', 'failed', 'stopped'])

/** A stored experiment as the Evaluation page lists it. */
export const ExperimentListItem = z.object({
  id: z.number().int(),
  status: ExperimentStatus,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  preset: z.string(),
  seeds: z.array(z.number().int()),
  truthSource: TruthSource,
  heldOutImages: z.number().int().nonnegative(),
  /**
   * The held-out set scored as if "no nodule" were written for every image: the floor the arms are
   * read against. While an arm places few nodules right (side, zone and size at once), its finding
   * accuracy counts little but the clear images it calls clear, and this scores the share of clear
   * images. Null for an experiment stored before the floor was.
   */
  noNodule: EvaluationMetrics.nullable(),
  results: z.array(ArmResult),
  summary: ExperimentSummary
})
export type ExperimentListItem = z.infer<typeof ExperimentListItem>

/**
 * An evaluation of a run: periodic ones score a held-out sample after a self-play round; one with
 * no round scores the run's final model on the whole held-out split (an experiment arm's score).
 */
export const RunEvaluation = z.object({
  roundIndex: z.number().int().nullable(),
  truthSource: TruthSource,
  metrics: EvaluationMetrics,
  createdAt: z.string()
})
export type RunEvaluation = z.infer<typeof RunEvaluation>

/** Words of the chart; the UI passes its language's, the report file English. */
export interface ChartLabels {
  title: string
  arms: Record<Arm, string>
  /** The floor's name: "no nodule" written for every image. */
  noNodule: string
  metrics: Record<MetricName, string>
}

const ARM_COLOURS: Record<Arm, string> = { warmup: '#8c8c8c', selfplay: '#2f7fd8', supervised: '#e0912f' }
const FLOOR_COLOUR = '#c0392b'

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
}

/**
 * A grouped bar chart as SVG text: per metric one bar per arm at its mean over seeds, a whisker of
 * ± its spread, and each seed's value as a dot; with `noNodule`, a dashed line across each metric's
 * group at what writing "no nodule" for every image scores. Plain SVG so the report file and the page
 * share it.
 */
export function experimentChartSvg(summary: ExperimentSummary, labels: ChartLabels, noNodule: EvaluationMetrics | null = null, width = 720, height = 360): string {
  // The legend: a row of arms, and the floor's own row below it.
  const legendRows = noNodule ? 2 : 1
  const margin = { left: 48, right: 16, top: 36, bottom: 36 + 20 * legendRows }
  const plotW = width - margin.left - margin.right
  const plotH = height - margin.top - margin.bottom
  const y = (v: number) => margin.top + plotH * (1 - Math.min(1, Math.max(0, v)))
  const group = plotW / metricNames.length
  const bar = (group * 0.7) / arms.length
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(labels.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" fill="#222">${escapeXml(labels.title)}</text>`
  ]
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#ddd"/>`)
    parts.push(`<text x="${margin.left - 6}" y="${y(tick) + 4}" text-anchor="end" fill="#555">${tick * 100}%</text>`)
  }
  metricNames.forEach((metric, mi) => {
    const x0 = margin.left + mi * group + group * 0.15
    summary.arms.forEach((s, ai) => {
      const m = s.metrics[metric]
      const x = x0 + ai * bar
      if (m.mean !== null) {
        parts.push(`<rect class="bar" x="${x + 1}" y="${y(m.mean)}" width="${bar - 2}" height="${y(0) - y(m.mean)}" fill="${ARM_COLOURS[s.arm]}"><title>${escapeXml(`${labels.arms[s.arm]} · ${labels.metrics[metric]}: ${(m.mean * 100).toFixed(1)}% ± ${((m.spread ?? 0) * 100).toFixed(1)}`)}</title></rect>`)
        const cx = x + bar / 2
        const lo = y(m.mean - (m.spread ?? 0))
        const hi = y(m.mean + (m.spread ?? 0))
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${lo}" y2="${hi}" stroke="#222" stroke-width="1.5"/>`)
        parts.push(`<line x1="${cx - 4}" x2="${cx + 4}" y1="${lo}" y2="${lo}" stroke="#222"/><line x1="${cx - 4}" x2="${cx + 4}" y1="${hi}" y2="${hi}" stroke="#222"/>`)
      }
      for (const v of m.values) if (v !== null) parts.push(`<circle cx="${x + bar / 2}" cy="${y(v)}" r="2.5" fill="#111" fill-opacity="0.6"/>`)
    })
    const floor = noNodule ? rate(noNodule[metric]) : null
    if (floor !== null) {
      const title = `${labels.noNodule} · ${labels.metrics[metric]}: ${(floor * 100).toFixed(1)}%`
      parts.push(`<line class="floor" x1="${x0}" x2="${x0 + bar * arms.length}" y1="${y(floor)}" y2="${y(floor)}" stroke="${FLOOR_COLOUR}" stroke-width="2" stroke-dasharray="6 4"><title>${escapeXml(title)}</title></line>`)
    }
    parts.push(`<text x="${margin.left + mi * group + group / 2}" y="${height - margin.bottom + 18}" text-anchor="middle" fill="#222">${escapeXml(labels.metrics[metric])}</text>`)
  })
  const armsRow = height - 12 - 20 * (legendRows - 1)
  arms.forEach((arm, ai) => {
    const x = margin.left + ai * (plotW / arms.length)
    parts.push(`<rect x="${x}" y="${armsRow - 10}" width="12" height="12" fill="${ARM_COLOURS[arm]}"/>`)
    parts.push(`<text x="${x + 18}" y="${armsRow}" fill="#222">${escapeXml(labels.arms[arm])}</text>`)
  })
  if (noNodule) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + 12}" y1="${height - 16}" y2="${height - 16}" stroke="${FLOOR_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>`)
    parts.push(`<text x="${margin.left + 18}" y="${height - 12}" fill="#222">${escapeXml(labels.noNodule)}</text>`)
  }
  parts.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${y(0)}" stroke="#555"/>`)
  parts.push('</svg>')
  return parts.join('\n')
}

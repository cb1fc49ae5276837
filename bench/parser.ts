/**
 * Report-parser benchmark: the cost of reading a report, per thousand characters, for reports as
 * radiologists write them (the synthetic cohort's generator, English and Chinese, 0–3 nodules) beside
 * hostile text of the longest length a report may have (100,000 characters: runs of white space, one
 * sentence with no full stop, thousands of nodule statements …). A parser whose cost grows with the
 * square of a sentence's length reads a real report in a millisecond and a hostile one in a minute;
 * the ratio shows it. Every report in an import is parsed, so a hostile table row costs what this says.
 *
 *   npm run bench:parser [-- --reports N]
 */
import { parseReport } from '../src/main/reports'
import { MAX_REPORT_CHARS } from '../src/main/reports/text'
import { generateReport } from '../src/main/synth/reports'
import { printResultLine } from '../src/main/app/result-line'
import { Rng } from '../src/main/random'
import { emptyNoduleItem, type NoduleItem, type Zone } from '../src/shared/finding'
import { flag } from './flags'

/** Text shapes a hostile or broken file may hold, each repeated to the longest report (or that long already). */
const hostileShapes: Record<string, string> = {
  'white space between two words': 'nodule' + ' '.repeat(MAX_REPORT_CHARS - 10) + 'mass',
  'line ends between two words': 'nodule' + '\n'.repeat(MAX_REPORT_CHARS - 10) + 'mass',
  'english without a full stop': 'no nodule seen in the right upper lobe or pneumonia and ',
  'chinese without a full stop': '右肺上叶见结节影未见肿块',
  'chinese clauses': '结节，',
  'nodule statements': 'nodules: ',
  'negations': 'no ',
  'sizes': '5 mm ',
  'places': 'right upper, ',
  'another reading': 'mass or pneumonia ',
  'a history': 'history of lung ',
  'question marks': '?',
  'one lesion, then sentences about it': ('Nodule. ' + 'It is 5 mm in the right upper lobe. '.repeat(MAX_REPORT_CHARS / 36)).slice(0, MAX_REPORT_CHARS)
}

function hostileText(shape: string): string {
  return shape.length >= MAX_REPORT_CHARS / 2 ? shape : shape.repeat(Math.ceil(MAX_REPORT_CHARS / shape.length)).slice(0, MAX_REPORT_CHARS)
}

function typicalReports(count: number): string[] {
  const rng = new Rng(7)
  const zones: Zone[] = ['upper', 'middle', 'lower']
  return Array.from({ length: count }, (_, i) => {
    const truth: NoduleItem[] = Array.from({ length: rng.int(0, 3) }, () => ({
      ...emptyNoduleItem(),
      sizeMm: rng.int(4, 30),
      side: rng.chance(0.5) ? 'right' : 'left',
      zone: zones[rng.int(0, 2)]
    }))
    return generateReport(truth, rng, { language: i % 2 === 0 ? 'en' : 'zh', imperfectRate: 0.1 }).text
  })
}

/** Milliseconds to parse the texts, the fastest of three passes (the machine may be shared). */
function parseMs(texts: string[]): number {
  const passes = [0, 1, 2].map(() => {
    const start = performance.now()
    for (const text of texts) parseReport(text)
    return performance.now() - start
  })
  return Math.min(...passes)
}

function main(): void {
  const reports = typicalReports(Number(flag('reports') ?? 400))
  const typicalChars = reports.reduce((sum, r) => sum + r.length, 0)
  const typical = parseMs(reports) / (typicalChars / 1000)
  console.log(`${reports.length} typical reports, ${(typicalChars / reports.length).toFixed(0)} characters each: ${typical.toFixed(3)} ms per 1,000 characters`)
  let worst = { shape: '', msPerKchar: 0, ms: 0 }
  for (const [name, shape] of Object.entries(hostileShapes)) {
    const text = hostileText(shape)
    const ms = parseMs([text])
    const msPerKchar = ms / (text.length / 1000)
    console.log(`hostile, ${name}: ${ms.toFixed(0)} ms for ${text.length} characters, ${msPerKchar.toFixed(3)} ms per 1,000 (${(msPerKchar / typical).toFixed(1)}× typical)`)
    if (msPerKchar > worst.msPerKchar) worst = { shape: name, msPerKchar, ms }
  }
  printResultLine('parser', {
    typical_ms_per_kchar: typical,
    hostile_worst_ms_per_kchar: worst.msPerKchar,
    hostile_worst_ratio: worst.msPerKchar / typical,
    hostile_worst_ms: worst.ms,
    hostile_worst: worst.shape
  })
}

main()

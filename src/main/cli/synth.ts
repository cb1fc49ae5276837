import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CliProgressBar } from '../app/cli-progress'
import { printResultLine } from '../app/result-line'
import { ProgressMeter } from '../tasks/progress'
import type { LanguageChoice } from '../synth/cohort'
import { CONTACT_SHEET_TILE, cohortContactSheet, generateCohort } from '../synth/generate'
import type { CliCommand } from './command'

function numberFlag(value: unknown, name: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} must be ${rule}, got ${String(value)}`)
  return n
}

/** "ROWSxCOLUMNS@SPACING", e.g. 512x512@0.8, for small quick cohorts. */
export function parseSize(value: unknown): { rows: number; columns: number; spacingMm: number } | undefined {
  if (value === undefined) return undefined
  const m = /^(\d+)x(\d+)@([\d.]+)$/.exec(String(value))
  if (!m) throw new Error(`--size must look like 512x512@0.8 (rows x columns @ mm per pixel), got ${String(value)}`)
  const size = { rows: Number(m[1]), columns: Number(m[2]), spacingMm: Number(m[3]) }
  if (size.rows < 64 || size.columns < 64 || !(size.spacingMm > 0)) throw new Error(`--size ${String(value)}: at least 64×64 pixels and a positive spacing`)
  return size
}

export const synthCommand: CliCommand = {
  name: 'synth',
  summary: 'Generate a synthetic cohort: phantom chest DICOM, reports, and hidden truth',
  usage: [
    'vzw synth [--out DIR] [--studies N] [--lang en|zh|mixed] [--seed S] [--report-fraction F]',
    '          [--imperfect-rate R] [--workers W] [--size ROWSxCOLS@MM] [--contact-sheet FILE.png] [--force]',
    '',
    'Writes DIR/import/ (DICOM files and reports named by accession number: what an importer sees)',
    'and DIR/truth.json (nodules and report truth, for evaluation only). Same seed, same bytes.',
    'Defaults: --out .vzw-demo --studies 600 --lang mixed --seed 1 --report-fraction 0.9',
    '          --imperfect-rate 0.05 --workers min(2, CPUs)'
  ].join('\n'),
  options: {
    out: { type: 'string' },
    studies: { type: 'string' },
    lang: { type: 'string' },
    seed: { type: 'string' },
    'report-fraction': { type: 'string' },
    'imperfect-rate': { type: 'string' },
    workers: { type: 'string' },
    size: { type: 'string' },
    'contact-sheet': { type: 'string' },
    force: { type: 'boolean' }
  },
  async run(ctx) {
    const v = ctx.values
    const outDir = path.resolve(String(v.out ?? '.vzw-demo'))
    const language = String(v.lang ?? 'mixed')
    if (!['en', 'zh', 'mixed'].includes(language)) throw new Error(`--lang must be en, zh or mixed, got ${language}`)
    const studies = numberFlag(v.studies, 'studies', 600, (n) => Number.isInteger(n) && n >= 1, 'a positive integer')
    const seed = numberFlag(v.seed, 'seed', 1, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32, 'an integer 0 … 2^32−1')
    const reportFraction = numberFlag(v['report-fraction'], 'report-fraction', 0.9, (n) => n >= 0 && n <= 1, 'within 0–1')
    const imperfectReportRate = numberFlag(v['imperfect-rate'], 'imperfect-rate', 0.05, (n) => n >= 0 && n <= 1, 'within 0–1')
    const workers = numberFlag(v.workers, 'workers', Math.min(2, os.availableParallelism()), (n) => Number.isInteger(n) && n >= 1, 'a positive integer')
    const detector = parseSize(v.size)
    const sheetFile = v['contact-sheet'] === undefined ? null : path.resolve(String(v['contact-sheet']))

    const previous = ['import', 'truth.json'].map((p) => path.join(outDir, p)).filter((p) => fs.existsSync(p))
    if (previous.length > 0) {
      if (!v.force) throw new Error(`${outDir} already holds a cohort (${previous.map((p) => path.basename(p)).join(', ')}); pass --force to replace it`)
      for (const p of previous) fs.rmSync(p, { recursive: true, force: true })
    }

    const options = { seed, studies, language: language as LanguageChoice, reportFraction, imperfectReportRate, detector }
    const bar = new CliProgressBar('synth')
    const meter = new ProgressMeter(studies, 'studies')
    const started = performance.now()
    const cohort = await generateCohort({
      ...options,
      outDir,
      workers,
      thumbnails: sheetFile ? { count: 14, side: CONTACT_SHEET_TILE } : undefined,
      onStudyDone: (done) => bar.update(meter.update(done))
    })
    bar.finish()
    const seconds = (performance.now() - started) / 1000
    if (sheetFile) {
      fs.mkdirSync(path.dirname(sheetFile), { recursive: true })
      fs.writeFileSync(sheetFile, cohortContactSheet(options, cohort))
      console.log(`Contact sheet: ${sheetFile}`)
    }
    const s = cohort.truth.studies
    console.log(`Wrote ${s.length} studies to ${path.join(outDir, 'import')} and the truth to ${path.join(outDir, 'truth.json')}`)
    printResultLine('synth', {
      studies: s.length,
      seconds,
      studies_per_s: s.length / seconds,
      workers,
      nodules: s.reduce((n, t) => n + t.nodules.length, 0),
      reports: s.filter((t) => t.report).length,
      reports_zh: s.filter((t) => t.report?.language === 'zh').length,
      imperfect_reports: s.filter((t) => t.report?.imperfection).length,
      jpeg_lossless: s.filter((t) => t.transferSyntaxUid.endsWith('.4.70')).length,
      monochrome1: s.filter((t) => t.photometric === 'MONOCHROME1').length
    })
    return 0
  }
}

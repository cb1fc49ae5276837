import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NoduleItem } from '../../../src/shared/finding'
import { generateCohort } from '../../../src/main/synth/generate'
import { encodeGb18030 } from '../../../src/main/synth/gb18030'
import { Rng } from '../../../src/main/random'
import { generateReport } from '../../../src/main/synth/reports'
import { parseReport } from '../../../src/main/reports'
import { sampleDensity, sampleDiameterMm } from '../../../src/main/synth/edits'
import type { StudyTruth } from '../../../src/main/synth/cohort'
import { smallCohort, tempDir } from './helpers'

const LOBES = { right: { upper: 'RUL', middle: 'RML', lower: 'RLL' }, left: { upper: 'LUL', middle: 'lingula', lower: 'LLL' } } as const

function randomItems(rng: Rng): NoduleItem[] {
  return Array.from({ length: rng.weighted([[0, 3], [1, 3], [2, 2], [3, 1]] as const) }, () => {
    const side = rng.pick(['right', 'left'] as const)
    const zone = rng.pick(['upper', 'middle', 'lower'] as const)
    const size = sampleDiameterMm(rng)
    return { sizeMm: size, sizeShortMm: Math.round(size * 8) / 10, side, zone, lobe: LOBES[side][zone], density: sampleDensity(rng), certainty: 'definite' as const, evidence: null }
  })
}

/** The size as the report may write it: "12 mm", "12mm", "1.2 cm", "12 x 9 mm", "约12mm", "约1.2cm", "12毫米". */
function mentionsSize(text: string, mm: number): boolean {
  const cm = (mm / 10).toFixed(1)
  return new RegExp(`(^|[^\\d.])(${mm}\\s?(mm|x|毫米|×)|${cm.replace('.', '\\.')}\\s?(cm|×))`).test(text)
}

const EN_ZONE = { upper: '(upper)', middle: '(mid|middle)', lower: '(lower)' }
const ZH = { right: '右', left: '左', upper: '上', middle: '中', lower: '下' } as const

function mentionsPlace(text: string, item: NoduleItem, language: 'en' | 'zh'): boolean {
  if (language === 'en') return new RegExp(`${item.side} ${EN_ZONE[item.zone!]} zone`).test(text)
  return text.includes(`${ZH[item.side as 'right' | 'left']}${ZH[item.zone!]}肺野`)
}

function checkReport(text: string, language: 'en' | 'zh', stated: NoduleItem[]): void {
  const findings = language === 'en' ? text.split(/IMPRESSION:|Impression:|CONCLUSION:/)[0] : text.split(/诊断意见：|印象：|影像诊断：|结论：/)[0]
  if (stated.length === 0) {
    expect(findings).toMatch(language === 'en' ? /No (suspicious )?(pulmonary|focal) nodules?|no evidence of a pulmonary nodule/i : /未见(明显)?结节|未见结节/)
    return
  }
  for (const item of stated) {
    expect(mentionsPlace(findings, item, language), `${text}\n--- should place ${JSON.stringify(item)}`).toBe(true)
    expect(mentionsSize(findings, item.sizeMm!), `${text}\n--- should size ${item.sizeMm}`).toBe(true)
  }
  // The heading counts the nodules seen, not the hedged ones.
  const definite = stated.filter((i) => i.certainty === 'definite')
  if (definite.length > 1) {
    const sides = new Set(definite.map((i) => i.side))
    const lungs = sides.size > 1 ? '两肺' : sides.has('right') ? '右肺' : '左肺'
    expect(findings).toMatch(language === 'en' ? new RegExp(`${['', 'One', 'Two', 'Three'][definite.length]} pulmonary nodules`) : new RegExp(`${lungs}见${['', '一', '两', '三'][definite.length]}枚结节`))
  }
  if (definite.length < stated.length) expect(findings).toMatch(language === 'en' ? /possible|possibly|questionable|cannot be excluded/i : /不除外|疑似|可疑/)
}

describe('synthetic reports', () => {
  it('state every nodule they report with side, zone and size, in both languages', () => {
    const rng = new Rng(5)
    for (let k = 0; k < 400; k++) {
      const language = k % 2 ? 'en' : 'zh'
      const truth = randomItems(rng)
      const report = generateReport(truth, rng, { language, imperfectRate: 0 })
      expect(report.imperfection).toBeNull()
      expect(report.stated.length).toBe(truth.length)
      report.stated.forEach((item, i) => expect(item).toMatchObject({ side: truth[i].side, zone: truth[i].zone, sizeMm: Math.round(truth[i].sizeMm!) }))
      checkReport(report.text, language, report.stated)
    }
  })

  it('make the configured share of reports imperfect, and say how', () => {
    const rng = new Rng(6)
    let withNodules = 0
    let imperfect = 0
    for (let k = 0; k < 600; k++) {
      const truth = randomItems(rng)
      const report = generateReport(truth, rng, { language: k % 2 ? 'en' : 'zh', imperfectRate: 0.3 })
      if (truth.length > 0) withNodules++
      if (report.imperfection === 'omitted-small-nodule') {
        imperfect++
        expect(report.stated.length).toBe(truth.length - 1)
      } else if (report.imperfection === 'rounded-size') {
        imperfect++
        expect(report.stated.map((s) => s.sizeMm).some((mm) => mm! % 5 === 0)).toBe(true)
      } else expect(report.stated.length).toBe(truth.length)
      checkReport(report.text, report.language, report.stated)
    }
    expect(imperfect / withNodules).toBeGreaterThan(0.15)
    expect(imperfect / withNodules).toBeLessThan(0.35)
  })

  it('read back through the report parser as they state, nodule by nodule, hedges included', () => {
    const rng = new Rng(8)
    const misread: string[] = []
    for (let k = 0; k < 600; k++) {
      const report = generateReport(randomItems(rng), rng, { language: k % 2 ? 'en' : 'zh', imperfectRate: 0.2 })
      const parsed = parseReport(report.text).nodules
      const definite = report.stated.filter((s) => s.certainty === 'definite')
      const presence = definite.length ? 'present' : report.stated.length ? 'uncertain' : 'absent'
      const unmatched = [...parsed.items]
      const allFound = report.stated.every((s) => {
        const i = unmatched.findIndex((p) => p.side === s.side && p.zone === s.zone && p.sizeMm === s.sizeMm && p.certainty === s.certainty)
        return i >= 0 && unmatched.splice(i, 1).length === 1
      })
      const count = presence === 'uncertain' ? report.stated.length : definite.length
      if (parsed.presence !== presence || parsed.count !== count || unmatched.length > 0 || !allFound) misread.push(report.text)
    }
    expect(misread, misread.slice(0, 3).join('\n---\n')).toEqual([])
  })

  it('vary their wording', () => {
    const rng = new Rng(7)
    const texts = new Set<string>()
    const item: NoduleItem = { sizeMm: 12, sizeShortMm: 9, side: 'right', zone: 'upper', lobe: 'RUL', density: 'solid', certainty: 'definite', evidence: null }
    for (let k = 0; k < 60; k++) texts.add(generateReport([item], rng, { language: 'en', imperfectRate: 0 }).text.split('\n')[4])
    expect(texts.size).toBeGreaterThan(10)
  })
})

describe('reports in a generated cohort', () => {
  let outDir: string
  let studies: StudyTruth[]
  beforeAll(async () => {
    outDir = tempDir('synth-reports')
    studies = (await generateCohort({ ...smallCohort({ seed: 77, studies: 8, reportFraction: 0.75, detector: { rows: 256, columns: 256, spacingMm: 1.6 } }), outDir, workers: 1 })).truth.studies
  })
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }))

  it('are text files named by accession number, UTF-8 or GB18030, matching the truth', () => {
    const reported = studies.filter((s) => s.report)
    expect(reported.length).toBeGreaterThan(0)
    expect(reported.length).toBeLessThan(studies.length)
    for (const study of reported) {
      const bytes = fs.readFileSync(path.join(outDir, study.reportFile!))
      const text = new TextDecoder(study.report!.encoding).decode(bytes)
      if (study.report!.encoding === 'gb18030') expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
      checkReport(text, study.report!.language, study.report!.stated)
      if (!study.report!.imperfection) expect(study.report!.stated.length).toBe(study.nodules.length)
    }
    for (const study of studies.filter((s) => !s.report)) expect(fs.existsSync(path.join(outDir, 'import/reports', `${study.accessionNumber}.txt`))).toBe(false)
  })
})

describe('GB18030 encoder', () => {
  it('round-trips the report vocabulary and names through TextDecoder("gb18030")', () => {
    const text = '检查所见：右上肺野见一约12mm实性结节，边界清；大小约12mm×9mm（右肺上叶）。诊断意见：两肺未见明显结节。模体^零一二三四'
    expect(new TextDecoder('gb18030').decode(encodeGb18030(text))).toBe(text)
    expect(encodeGb18030('ABC 12')).toEqual(new Uint8Array([65, 66, 67, 32, 49, 50]))
  })

  it('refuses characters it cannot encode rather than writing them wrongly', () => {
    expect(() => encodeGb18030('😀')).toThrow(/no two-byte GB18030 code/)
  })
})

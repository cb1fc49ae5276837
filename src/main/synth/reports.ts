import type { Density, Lobe, NoduleItem, ReportLanguage, Zone } from '../../shared/finding'
import type { Rng } from '../random'

/**
 * Free-text chest radiograph reports for the synthetic cohort, in English or Chinese, written the
 * way radiologists write them: findings and impression sections, normal boilerplate, negations
 * ("No pulmonary nodule." / "两肺未见明显结节。"), hedges ("cannot exclude" / "不除外"), sizes in mm
 * or cm, zones or lobes. Some reports are imperfect on purpose (a small nodule left out, a size
 * rounded), as real reports are; what each report actually states is returned alongside.
 * Each report says what it states without ambiguity: headings and impressions count only the
 * nodules stated as seen, hedged nodules are hedged wherever they are named, and a second nodule
 * in a zone is "another"/另见 (see src/main/reports/README.md, Decisions).
 */

export interface ReportOptions {
  language: ReportLanguage
  /** Probability that this report is imperfect (0–1). */
  imperfectRate: number
}

export type ReportImperfection = 'omitted-small-nodule' | 'rounded-size' | null

export interface GeneratedReport {
  text: string
  language: ReportLanguage
  /** The nodules as this report states them (after any imperfection), in the finding schema. */
  stated: NoduleItem[]
  imperfection: ReportImperfection
}

/** The nodules a report will state, after the chosen imperfection. */
function applyImperfection(items: NoduleItem[], rng: Rng, rate: number): { stated: NoduleItem[]; imperfection: ReportImperfection } {
  const stated = items.map((item) => ({ ...item, sizeMm: item.sizeMm === null ? null : Math.round(item.sizeMm) }))
  if (items.length === 0 || !rng.chance(rate)) return { stated, imperfection: null }
  const smallest = stated.reduce((best, item, i) => ((item.sizeMm ?? 99) < (stated[best].sizeMm ?? 99) ? i : best), 0)
  // Readers miss nodules near the limit of what a film shows (about 8–12 mm), not large ones.
  if ((stated[smallest].sizeMm ?? 99) < 12 && rng.chance(0.6)) {
    return { stated: stated.filter((_, i) => i !== smallest), imperfection: 'omitted-small-nodule' }
  }
  const target = rng.int(0, stated.length - 1)
  const size = stated[target].sizeMm ?? 10
  const rounded = size < 10 ? Math.max(5, Math.round(size / 5) * 5) : Math.round(size / 10) * 10
  if (rounded === size) return { stated, imperfection: null }
  stated[target] = { ...stated[target], sizeMm: rounded, sizeShortMm: null }
  return { stated, imperfection: 'rounded-size' }
}

export function generateReport(truth: NoduleItem[], rng: Rng, options: ReportOptions): GeneratedReport {
  const { stated, imperfection } = applyImperfection(truth, rng, options.imperfectRate)
  // Small or faint nodules are sometimes reported with a hedge.
  const worded = stated.map((item) => ({
    ...item,
    certainty: ((item.sizeMm ?? 10) < 8 || item.density === 'ground-glass') && rng.chance(0.25) ? ('uncertain' as const) : ('definite' as const)
  }))
  const text = options.language === 'en' ? englishReport(worded, rng) : chineseReport(worded, rng)
  return { text, language: options.language, stated: worded, imperfection }
}

// ---------------------------------------------------------------------------------------------
// English

const EN_NORMAL = [
  ['The heart size is normal.', 'Cardiomediastinal silhouette is within normal limits.', 'Normal cardiac size and contour.'],
  ['No focal consolidation, pleural effusion or pneumothorax.', 'No consolidation, effusion or pneumothorax is seen.'],
  ['The costophrenic angles are sharp.', 'Both hemidiaphragms are well defined.'],
  ['The hila are normal.', 'Hilar contours are unremarkable.'],
  ['No acute osseous abnormality.', 'The bony thorax is unremarkable.']
]
const EN_CLEAR_LUNGS = ['The lungs are clear.', 'Both lungs are clear.', 'The lungs are well expanded and clear.']
const EN_NO_NODULE = [
  'No pulmonary nodule.',
  'No focal nodule or mass.',
  'No suspicious pulmonary nodules or masses are identified.',
  'There is no evidence of a pulmonary nodule.',
  'No pulmonary nodule or mass is seen.'
]
const EN_LOBE: Record<Lobe, string> = {
  RUL: 'right upper lobe',
  RML: 'right middle lobe',
  RLL: 'right lower lobe',
  LUL: 'left upper lobe',
  lingula: 'lingula',
  LLL: 'left lower lobe'
}
const EN_DENSITY: Record<Density, string> = { solid: 'solid', 'ground-glass': 'ground-glass', 'part-solid': 'part-solid', calcified: 'calcified' }
const EN_NUMBER = ['no', 'one', 'two', 'three', 'four']

function enZone(zone: Zone | null, rng: Rng): string {
  return zone === 'middle' ? rng.pick(['mid', 'middle']) : (zone ?? 'mid')
}

function enSize(item: NoduleItem, rng: Rng): string {
  const mm = item.sizeMm ?? 10
  const form = rng.weighted([
    ['mm', 6],
    ['mmTight', 1],
    ['cm', 2],
    ['pair', item.sizeShortMm !== null && Math.round(item.sizeShortMm) < mm ? 2 : 0]
  ] as const)
  if (form === 'cm') return `${(mm / 10).toFixed(1)} cm`
  if (form === 'mmTight') return `${mm}mm`
  if (form === 'pair') return `${mm} x ${Math.round(item.sizeShortMm ?? mm)} mm`
  return `${mm} mm`
}

function enDensity(item: NoduleItem, rng: Rng): string {
  if (!item.density) return ''
  if (item.density === 'solid' && rng.chance(0.4)) return '' // "solid" is often left unsaid
  return `${EN_DENSITY[item.density]} `
}

function enPlace(item: NoduleItem, rng: Rng): string {
  const zone = `${item.side} ${enZone(item.zone, rng)} zone`
  if (item.lobe && rng.chance(0.12)) return `the ${zone}, probably in the ${EN_LOBE[item.lobe]}`
  return `the ${zone}`
}

/**
 * One nodule's sentence. A nodule in the same zone as one described before is "another" nodule:
 * without the word a reader takes a second description of a nodule in that zone for the first
 * one described again.
 */
function enNoduleSentence(item: NoduleItem, another: boolean, rng: Rng): string {
  const size = enSize(item, rng)
  const density = enDensity(item, rng)
  const place = enPlace(item, rng)
  const a = another ? 'another' : article(size)
  const anotherOne = another ? 'another ' : ''
  if (item.certainty === 'uncertain') {
    return capitalise(
      rng.pick([
        `${anotherOne}possible ${size} ${density}nodule in ${place}; a nipple shadow cannot be excluded.`,
        `${anotherOne}questionable ${size} ${density}nodular opacity in ${place}.`,
        `${a} ${size} ${density}nodule in ${place} cannot be excluded.`,
        `${anotherOne}${size} ${density}nodular opacity in ${place}, possibly a nodule or a vessel seen end-on.`
      ])
    )
  }
  return capitalise(
    rng.pick([
      `${a} ${size} ${density}nodule in ${place}.`,
      `there is ${a} ${size} ${density}nodule projecting over ${place}.`,
      `${anotherOne}${density}nodule measuring ${size} in ${place}.`,
      `in ${place} there is ${another ? 'another' : 'a'} ${density}nodular opacity of approximately ${size}.`
    ])
  )
}

/** Whether a nodule shares its side and zone with one described before it. */
function sharesZoneWithEarlier(items: NoduleItem[], index: number): boolean {
  return items.slice(0, index).some((other) => other.side === items[index].side && other.zone === items[index].zone)
}

/** The nodules stated as seen; a heading counts only these (hedged ones are not "seen"). */
function seen(items: NoduleItem[]): NoduleItem[] {
  return items.filter((item) => item.certainty === 'definite')
}

/** The nodules an impression sums up: those seen, or all of them, hedged, when none is. */
function counted(items: NoduleItem[]): { items: NoduleItem[]; hedged: boolean } {
  const definite = seen(items)
  return definite.length ? { items: definite, hedged: false } : { items, hedged: true }
}

function englishReport(items: NoduleItem[], rng: Rng): string {
  const findings: string[] = []
  const boilerplate = EN_NORMAL.map((options) => rng.pick(options)).filter(() => rng.chance(0.75))
  if (items.length === 0) {
    findings.push(rng.pick(EN_CLEAR_LUNGS), rng.pick(EN_NO_NODULE))
  } else {
    const definite = seen(items).length
    if (definite > 1) findings.push(`${capitalise(EN_NUMBER[definite])} pulmonary nodules are seen.`)
    items.forEach((item, i) => findings.push(enNoduleSentence(item, sharesZoneWithEarlier(items, i), rng)))
  }
  findings.push(...boilerplate)
  const impression = items.length === 0 ? enNormalImpression(rng) : enNoduleImpression(items, rng)
  const findingsHeader = rng.pick(['FINDINGS:', 'Findings:'])
  const impressionHeader = rng.pick(['IMPRESSION:', 'Impression:', 'CONCLUSION:'])
  const exam = rng.pick(['EXAMINATION: Chest PA', 'EXAM: CHEST, PA VIEW', 'Chest radiograph, PA'])
  const history = rng.pick(['Cough.', 'Routine health check.', 'Follow-up.', 'Shortness of breath.', 'Pre-operative assessment.'])
  return [exam, `INDICATION: ${history}`, '', findingsHeader, findings.join(' '), '', impressionHeader, impression, ''].join('\n')
}

function enNormalImpression(rng: Rng): string {
  return rng.pick(['No acute cardiopulmonary abnormality.', 'Normal chest radiograph.', 'No acute cardiopulmonary process. No pulmonary nodule.'])
}

function enNoduleImpression(items: NoduleItem[], rng: Rng): string {
  const follow = rng.pick(['CT chest is recommended for further characterisation.', 'Recommend CT correlation.', 'Suggest follow-up CT chest.'])
  if (rng.chance(0.5)) {
    const what = items.length === 1 ? 'Pulmonary nodule' : 'Pulmonary nodules'
    return `${what} as described above. ${follow}`
  }
  // The impression sums up the nodules that are seen; hedged ones stay hedged in the findings.
  const summed = counted(items)
  const largest = summed.items.reduce((a, b) => ((b.sizeMm ?? 0) > (a.sizeMm ?? 0) ? b : a))
  const where = `in the ${largest.side} ${enZone(largest.zone, rng)} zone`
  if (summed.items.length === 1) return `${summed.hedged ? 'Possible ' : ''}${largest.sizeMm} mm nodule ${where}. ${follow}`
  const possible = summed.hedged ? ' possible' : ''
  return `${capitalise(EN_NUMBER[summed.items.length])}${possible} pulmonary nodules, the largest ${largest.sizeMm} mm ${where}. ${follow}`
}

/** "a" or "an" before a number as it is read aloud: an 8 mm, an 11 mm, an 18 mm, an 80 mm. */
function article(nextWord: string): string {
  return /^(8|11|18)(\D|$)|^8\d/.test(nextWord) ? 'an' : 'a'
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

// ---------------------------------------------------------------------------------------------
// Chinese

const ZH_NORMAL = [
  ['心影大小形态正常。', '心影不大。'],
  ['两膈面光整，肋膈角锐利。', '双侧膈面光滑，肋膈角清晰锐利。'],
  ['纵隔居中，气管居中。', '气管及纵隔居中。'],
  ['双肺门不大。', '两肺门影未见增大。'],
  ['骨性胸廓未见异常。', '所见骨质未见明显异常。']
]
const ZH_CLEAR_LUNGS = ['两肺纹理清晰，肺野内未见明显实质性病变。', '两肺野清晰，未见明显渗出及实变。']
const ZH_NO_NODULE = ['两肺未见明显结节。', '双肺野未见结节及肿块影。', '肺内未见明显结节影。']
const ZH_SIDE = { right: '右', left: '左', bilateral: '两' } as const
const ZH_ZONE: Record<Zone, string> = { upper: '上', middle: '中', lower: '下' }
const ZH_LOBE: Record<Lobe, string> = {
  RUL: '右肺上叶',
  RML: '右肺中叶',
  RLL: '右肺下叶',
  LUL: '左肺上叶',
  lingula: '左肺上叶舌段',
  LLL: '左肺下叶'
}
const ZH_DENSITY: Record<Density, string> = { solid: '实性', 'ground-glass': '磨玻璃', 'part-solid': '部分实性', calcified: '钙化' }
const ZH_COUNT = ['', '一', '两', '三', '四']

function zhSize(item: NoduleItem, rng: Rng): string {
  const mm = item.sizeMm ?? 10
  const short = item.sizeShortMm !== null ? Math.round(item.sizeShortMm) : null
  const form = rng.weighted([
    ['mm', 5],
    ['cm', 2],
    ['haomi', 1],
    ['pair', short !== null && short < mm ? 2 : 0]
  ] as const)
  if (form === 'cm') return `约${(mm / 10).toFixed(1)}cm`
  if (form === 'haomi') return `直径约${mm}毫米`
  if (form === 'pair') return `大小约${mm}mm×${short}mm`
  return `约${mm}mm`
}

function zhField(item: NoduleItem): string {
  return `${ZH_SIDE[item.side ?? 'right']}${ZH_ZONE[item.zone ?? 'middle']}肺野`
}

/** One nodule's sentence; a second nodule in the same zone is 另见 (see enNoduleSentence). */
function zhNoduleSentence(item: NoduleItem, another: boolean, rng: Rng): string {
  const size = zhSize(item, rng)
  const density = item.density && !(item.density === 'solid' && rng.chance(0.4)) ? ZH_DENSITY[item.density] : ''
  const field = item.lobe && rng.chance(0.12) ? `${zhField(item)}（${ZH_LOBE[item.lobe]}）` : zhField(item)
  const see = another ? '另见' : '见'
  const canSee = another ? '另见' : '可见'
  // 另 ends the scope of a hedge, so another hedged nodule has it before the hedge.
  const also = another ? '另' : ''
  if (item.certainty === 'uncertain') {
    return rng.pick([
      `${field}${see}小${density}结节影，${size}，不除外乳头影。`,
      `${also}${field}疑似见一${density}结节，${size}。`,
      `${also}${field}可疑${density}结节影，${size}。`
    ])
  }
  return rng.pick([
    `${field}${see}一${size}${density}结节，边界清。`,
    `${field}${canSee}一${density}结节影，${size}，边缘光整。`,
    `${field}${see}一${density}结节状致密影，${size}。`
  ])
}

function chineseReport(items: NoduleItem[], rng: Rng): string {
  const findings: string[] = []
  if (items.length === 0) {
    findings.push(rng.pick(ZH_CLEAR_LUNGS), rng.pick(ZH_NO_NODULE))
  } else {
    const definite = seen(items)
    if (definite.length > 1) findings.push(`${zhLungs(definite)}见${ZH_COUNT[definite.length]}枚结节：`)
    items.forEach((item, i) => findings.push(zhNoduleSentence(item, sharesZoneWithEarlier(items, i), rng)))
  }
  findings.push(...ZH_NORMAL.map((options) => rng.pick(options)).filter(() => rng.chance(0.75)))
  const impression = items.length === 0 ? zhNormalImpression(rng) : zhNoduleImpression(items, rng)
  const findingsHeader = rng.pick(['检查所见：', '影像所见：', '影像表现：'])
  const impressionHeader = rng.pick(['诊断意见：', '印象：', '影像诊断：', '结论：'])
  return ['检查项目：胸部正位', '', findingsHeader, findings.join(''), '', impressionHeader, impression, ''].join('\n')
}

function zhNormalImpression(rng: Rng): string {
  return rng.pick(['心肺膈未见明显异常。', '胸部正位片未见明显异常。', '两肺未见明显结节，心膈未见异常。'])
}

function zhNoduleImpression(items: NoduleItem[], rng: Rng): string {
  const follow = rng.pick(['建议胸部CT进一步检查。', '建议CT随访。', '建议进一步CT检查。'])
  const summed = counted(items)
  if (summed.items.length === 1) {
    const item = summed.items[0]
    return `${zhField(item).replace('肺野', '肺')}结节${summed.hedged ? '可能' : ''}，${follow}`
  }
  return `${zhLungs(summed.items)}${summed.hedged ? '可疑' : '多发'}结节（${summed.items.length}枚），${follow}`
}

/** 两肺 when the nodules are on both sides, else 右肺 or 左肺. */
function zhLungs(items: NoduleItem[]): string {
  const sides = new Set(items.map((i) => i.side))
  return sides.size > 1 ? '两肺' : `${ZH_SIDE[items[0].side ?? 'right']}肺`
}

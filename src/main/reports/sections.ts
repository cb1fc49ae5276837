/**
 * Report sections: Findings and Impression (检查所见/影像所见/影像表现, 诊断意见/印象/影像诊断/结论)
 * and the others (history, indication, technique, recommendation, notification …) that the nodule
 * parser skips — an indication "rule out nodule" is not a finding. A header stands at the start of a line (with or
 * without a colon) or, with a colon, after the end of a sentence ("… zone. Impression: …").
 */
import { foldForMatching } from './text'

export type SectionKind = 'findings' | 'impression' | 'other'

export interface SectionRange {
  kind: SectionKind
  /** Offsets of the section's content (after its header) in the text. */
  start: number
  end: number
}

/**
 * A preliminary reading (MIMIC-CXR's "WET READ: … No nodule seen."): superseded by the final
 * report's findings and impression when there are such, else the only reading there is.
 */
type HeaderKind = SectionKind | 'preliminary'

const headerNames: Record<HeaderKind, string[]> = {
  findings: [
    'findings (?:and|&|/) ?impressions?', 'findings', 'finding', 'report', 'description', 'observations', 'addendum',
    '检查所见', '影像所见', '影像学所见', '影像表现', '影像学表现', 'x线表现', 'x线所见', 'ct表现', 'dr表现', 'dr所见', '摄片所见', '胸片所见',
    '放射学表现', '放射学所见', '检查描述', '影像描述', '所见', '表现', '描述'
  ],
  impression: [
    '(?:final )?impressions?', 'conclusions?', 'diagnosis', 'opinion', 'summary', 'interpretation', 'assessment', 'comments?',
    '诊断意见', '影像诊断', '影像学诊断', '影像学意见', '影像结论', 'x线诊断', 'dr诊断', 'ct诊断', '放射学诊断', '检查结论', '检查意见',
    '诊断结论', '诊断结果', '诊断印象', '印象', '结论', '诊断', '意见'
  ],
  other: [
    'indications?', 'clinical (?:history|information|indication|details)', 'history', 'reason for (?:exam|examination|study)',
    'technique', 'comparison', 'recommendations?(?:\\(s\\))?', 'type of exam(?:ination)?', 'exam(?:ination)?', 'procedure', 'clinical data', 'notification',
    '临床诊断', '临床资料', '临床病史', '病史', '检查方法', '检查项目', '检查部位', '检查技术', '建议', '对比', '比较'
  ],
  preliminary: ['wet read', 'preliminary (?:report|reading|read)']
}

// Longest names first so that 临床诊断 wins over 诊断.
const allNames = (Object.entries(headerNames) as [HeaderKind, string[]][])
  .flatMap(([kind, names]) => names.map((name) => ({ kind, name })))
  .sort((a, b) => b.name.length - a.name.length)

const nameAlternation = allNames.map((n) => `(${n.name})`).join('|')
// "Findings:", "FINDINGS" alone on its line, or a bracketed name with or without a colon (【诊断意见】).
const lineHeader = new RegExp(
  `^[ \\t]*(?:[【\\[][ \\t]*(?:${nameAlternation})[ \\t]*[】\\]][ \\t]*[:：]?|(?:${nameAlternation})[ \\t]*(?:[:：]|(?=\\n)|$))`,
  'gm'
)
// After a sentence's end: a name with a colon, or a bracketed one (…结节。【诊断意见】…).
const inlineHeader = new RegExp(
  `(?<=[.;][ \\t]+|[。；][ \\t]*)(?:[【\\[][ \\t]*(?:${nameAlternation})[ \\t]*[】\\]][ \\t]*[:：]?|(?:${nameAlternation})[ \\t]*[:：])`,
  'g'
)

/** Names that head a report's conclusion but, as a RIS export's column, hold a clerk's note ("Comments: urgent"). */
const headerOnlyNames = new Set(['comments?'])

/**
 * The section a field or column name names, as a header would ("Findings", "IMPRESSION", 检查所见,
 * 诊断结论), or null: the JSON and CSV importers take findings and impression fields by these names.
 */
export function sectionOfName(name: string): 'findings' | 'impression' | null {
  const folded = foldForMatching(name.trim())
  const found = allNames.find(
    (n) => (n.kind === 'findings' || n.kind === 'impression') && !headerOnlyNames.has(n.name) && new RegExp(`^(?:${n.name})$`).test(folded)
  )
  return found ? (found.kind as 'findings' | 'impression') : null
}

/** The kind of the name that matched; the line pattern holds the names twice, hence the modulo. */
function kindOfMatch(match: RegExpExecArray): HeaderKind {
  const index = match.slice(1).findIndex((g) => g !== undefined)
  return allNames[index % allNames.length].kind
}

/**
 * The sections of a report in text order. Text before the first header (or the whole text when
 * there is no header) is findings unless a findings header exists, in which case it is 'other'
 * (a preamble such as patient and exam lines).
 */
export function splitSections(text: string): SectionRange[] {
  const folded = foldForMatching(text)
  const headers: { kind: HeaderKind; start: number; contentStart: number }[] = []
  for (const pattern of [lineHeader, inlineHeader]) {
    pattern.lastIndex = 0
    for (let m = pattern.exec(folded); m; m = pattern.exec(folded)) {
      if (m[0].length === 0) {
        pattern.lastIndex++
        continue
      }
      headers.push({ kind: kindOfMatch(m), start: m.index, contentStart: m.index + m[0].length })
    }
  }
  headers.sort((a, b) => a.start - b.start)
  const hasFindingsHeader = headers.some((h) => h.kind === 'findings')
  const hasFinalReading = hasFindingsHeader || headers.some((h) => h.kind === 'impression')
  const sections: SectionRange[] = []
  const firstStart = headers.length ? headers[0].start : text.length
  if (firstStart > 0) sections.push({ kind: hasFindingsHeader ? 'other' : 'findings', start: 0, end: firstStart })
  headers.forEach((h, i) => {
    const end = i + 1 < headers.length ? headers[i + 1].start : text.length
    const kind = h.kind === 'preliminary' ? (hasFinalReading ? 'other' : 'findings') : h.kind
    sections.push({ kind, start: h.contentStart, end })
  })
  return sections
}

/** The trimmed text of all sections of a kind, joined by new lines; null when there is none. */
export function sectionText(text: string, sections: SectionRange[], kind: SectionKind): string | null {
  const parts = sections
    .filter((s) => s.kind === kind)
    .map((s) => text.slice(s.start, s.end).trim())
    .filter((part) => part.length > 0)
  return parts.length ? parts.join('\n') : null
}

/** Why a text without such a heading (see hasReportHeading) is taken for no report, in words. */
export const NO_REPORT_HEADING = 'it has no Findings or Impression heading (检查所见, 诊断意见 …)'

/** Whether the text has a findings or impression heading: a section after a header starts past the text's start (text with none is all one findings section). */
export function hasReportHeading(text: string): boolean {
  return splitSections(text).some((s) => s.kind !== 'other' && s.start > 0)
}

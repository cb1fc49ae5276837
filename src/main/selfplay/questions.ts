import type { NoduleFinding, Side, Zone } from '../../shared/finding'

/**
 * The question-and-answer game's language: the questions a questioner may ask about nodules, how
 * a free-text question or answer is read (English or Chinese), and what the report's structured
 * findings say the answer is. A question the report does not settle has no expected answer.
 */
export type Question =
  | { kind: 'presence' }
  | { kind: 'presenceAt'; side: Exclude<Side, 'bilateral'>; zone: Zone }
  | { kind: 'side' }
  | { kind: 'zone' }
  | { kind: 'size' }
  | { kind: 'count' }

export type Answer = { kind: 'yesno'; value: boolean } | { kind: 'side'; value: Side } | { kind: 'zone'; value: Zone } | { kind: 'number'; value: number }

/** Sizes count as right within ±3 mm, as evaluation scores them. */
export const SIZE_TOLERANCE_MM = 3

const SIDE_WORDS: [RegExp, Exclude<Side, 'bilateral'>][] = [
  [/\bright\b|右/i, 'right'],
  [/\bleft\b|左/i, 'left']
]
const ZONE_WORDS: [RegExp, Zone][] = [
  [/\bupper\b|上/i, 'upper'],
  [/\b(?:mid|middle)\b|中/i, 'middle'],
  [/\blower\b|下/i, 'lower']
]

const firstMatch = <T>(text: string, table: [RegExp, T][]): T | null => table.find(([re]) => re.test(text))?.[1] ?? null

/** Reads a generated question; null when it is not one of the game's questions. */
export function parseQuestion(text: string): Question | null {
  const t = text.trim()
  if (!t) return null
  if (/how many|几个|几枚|多少个/i.test(t)) return { kind: 'count' }
  if (/how (?:large|big)|what size|\bsize\b|多大|大小|直径/i.test(t)) return { kind: 'size' }
  if (/which side|哪一?侧|哪边/i.test(t)) return { kind: 'side' }
  if (/which zone|what zone|哪个肺野|哪一肺野|哪个区/i.test(t)) return { kind: 'zone' }
  if (/\bis there\b|\bany\b|\bare there\b|是否|有没有|有无/i.test(t)) {
    // Lobes are not zones; a question about a lobe is not one the game can judge.
    if (/\blobe\b|\blingula|叶/i.test(t)) return null
    const side = firstMatch(t, SIDE_WORDS)
    const zone = firstMatch(t, ZONE_WORDS)
    if (side && zone) return { kind: 'presenceAt', side, zone }
    return { kind: 'presence' }
  }
  return null
}

/** Reads an answer to `question`; null when the text does not answer it. */
export function parseAnswer(question: Question, text: string): Answer | null {
  const t = text.trim()
  switch (question.kind) {
    case 'presence':
    case 'presenceAt': {
      if (/^(?:yes|是|有)\b|^(?:yes|是|有)/i.test(t)) return { kind: 'yesno', value: true }
      if (/^(?:no|否|无|没有)\b|^(?:no|否|无|没有)/i.test(t)) return { kind: 'yesno', value: false }
      return null
    }
    case 'side': {
      if (/both|bilateral|双|两/i.test(t)) return { kind: 'side', value: 'bilateral' }
      const side = firstMatch(t, SIDE_WORDS)
      return side ? { kind: 'side', value: side } : null
    }
    case 'zone': {
      const zone = firstMatch(t, ZONE_WORDS)
      return zone ? { kind: 'zone', value: zone } : null
    }
    case 'size':
    case 'count': {
      const m = /(\d+(?:\.\d+)?)\s*(cm|厘米)?/i.exec(t)
      if (!m) return null
      return { kind: 'number', value: Number(m[1]) * (m[2] ? 10 : 1) }
    }
  }
}

/** What the report's findings say; null when they do not settle the question (uncertain, unstated). */
export function expectedAnswer(question: Question, finding: NoduleFinding): Answer | null {
  if (finding.presence === 'uncertain') return null
  const present = finding.presence === 'present'
  const items = finding.items.filter((i) => i.certainty === 'definite')
  switch (question.kind) {
    case 'presence':
      return { kind: 'yesno', value: present }
    case 'presenceAt': {
      if (!present) return { kind: 'yesno', value: false }
      if (items.some((i) => sameSide(i.side, question.side) && i.zone === question.zone)) return { kind: 'yesno', value: true }
      // "No" only when every nodule's place is known and none is there.
      return items.every((i) => i.side && i.side !== 'bilateral' && i.zone) ? { kind: 'yesno', value: false } : null
    }
    case 'side': {
      const sides = new Set(items.map((i) => i.side))
      if (!present || sides.has(null) || sides.size === 0) return null
      return { kind: 'side', value: sides.size > 1 || sides.has('bilateral') ? 'bilateral' : [...sides][0]! }
    }
    case 'zone': {
      const zones = new Set(items.map((i) => i.zone))
      return present && zones.size === 1 && !zones.has(null) ? { kind: 'zone', value: [...zones][0]! } : null
    }
    case 'size': {
      const sizes = items.map((i) => i.sizeMm)
      return present && sizes.length > 0 && sizes.every((s) => s !== null) ? { kind: 'number', value: Math.max(...(sizes as number[])) } : null
    }
    case 'count':
      if (!present) return { kind: 'number', value: 0 }
      return finding.count !== null ? { kind: 'number', value: finding.count } : null
  }
}

function sameSide(side: Side | null, asked: Exclude<Side, 'bilateral'>): boolean {
  return side === asked || side === 'bilateral'
}

export function answersAgree(question: Question, given: Answer | null, expected: Answer): boolean {
  if (!given || given.kind !== expected.kind) return false
  if (question.kind === 'size') return Math.abs((given.value as number) - (expected.value as number)) <= SIZE_TOLERANCE_MM
  return given.value === expected.value
}

/** The canonical wording of a question and an answer, in English or Chinese (warm-up teaches it). */
export function questionText(q: Question, language: 'en' | 'zh'): string {
  const en: Record<Question['kind'], string> = {
    presence: 'Is there a nodule?',
    presenceAt: q.kind === 'presenceAt' ? `Is there a nodule in the ${q.side} ${q.zone === 'middle' ? 'mid' : q.zone} zone?` : '',
    side: 'Which side is the nodule on?',
    zone: 'Which zone is the nodule in?',
    size: 'How large is the largest nodule?',
    count: 'How many nodules are there?'
  }
  const zh: Record<Question['kind'], string> = {
    presence: '是否有结节？',
    presenceAt: q.kind === 'presenceAt' ? `${q.side === 'right' ? '右' : '左'}${{ upper: '上', middle: '中', lower: '下' }[q.zone]}肺野是否有结节？` : '',
    side: '结节在哪一侧？',
    zone: '结节位于哪个肺野？',
    size: '最大的结节多大？',
    count: '有几个结节？'
  }
  return (language === 'en' ? en : zh)[q.kind]
}

export function answerText(q: Question, a: Answer, language: 'en' | 'zh'): string {
  if (a.kind === 'yesno') return language === 'en' ? (a.value ? 'yes' : 'no') : a.value ? '是' : '否'
  if (a.kind === 'number') return q.kind === 'size' ? (language === 'en' ? `${a.value} mm` : `约${a.value}mm`) : `${a.value}`
  if (a.kind === 'side') return language === 'en' ? a.value : { right: '右侧', left: '左侧', bilateral: '双侧' }[a.value]
  return language === 'en' ? a.value : { upper: '上肺野', middle: '中肺野', lower: '下肺野' }[a.value]
}

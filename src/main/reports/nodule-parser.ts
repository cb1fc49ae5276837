/**
 * Nodule findings from report text, English or Chinese, in the shared schema (src/shared/finding.ts).
 *
 * The method follows NegEx/CheXpert: find mentions of nodule-like lesions, classify each as
 * negated, uncertain, hypothetical or definite by trigger phrases whose scope runs to the end of
 * the clause (termination terms and clause punctuation end it), read each mention's attributes
 * (count, size, side, zone or lobe, density) from the part of its sentence that belongs to it, merge
 * mentions of the same nodule across sentences and sections, and aggregate: any definite mention →
 * present; else any uncertain → uncertain; else absent. The decisions the README documents
 * (ranges, masses, granulomas, zones and lobes, counts) are made here and in vocabulary.ts.
 */
import {
  emptyNoduleItem,
  type Density,
  type EvidenceSpan,
  type NoduleFinding,
  type NoduleItem,
  type ParsedReport,
  type ReportLanguage
} from '../../shared/finding'
import { sectionText, splitSections } from './sections'
import { foldForMatching } from './text'
import {
  countPatterns,
  cuePatterns,
  densityPatterns,
  diffuseStatementPattern,
  dimensionsPattern,
  distinctPatterns,
  firmReadingCue,
  natureBeforeLesion,
  interpretationPatterns,
  largestPatterns,
  lobeOf,
  locationPatterns,
  mentionPatterns,
  notExcludedZh,
  notSeenWords,
  priorSizeLead,
  changedSizeLead,
  changeAmountLead,
  changeAmountTrail,
  shortAxisLead,
  shortAxisTrail,
  referencePatterns,
  millimetres,
  placeListGap,
  fieldCountGap,
  fieldLabelAfter,
  fieldLabelLead,
  attributeFieldLine,
  listItemMarker,
  normalStatementPatterns,
  rangePattern,
  sharedUnitSizesPattern,
  spelledSizeNumber,
  spelledSizePattern,
  sideOfLobe,
  solidComponentPatterns,
  terminatorPatterns,
  toldApartFrom,
  unmentionPatterns,
  type CueKind,
  type LocationValue,
  type MentionKind
} from './vocabulary'

interface Span {
  start: number
  end: number
}
interface Token<T> extends Span {
  value: T
}

interface Mention extends Span {
  kind: MentionKind
  plural: boolean
  /** Where its colon is when it names a structured report's field ("Lung nodule: …", 结节数目：…), else null. */
  fieldColon: number | null
  /** A list's line under a field that ends its line ("Nodules:" then "1. RUL, 5 mm"): the field's lesion, where the line's words begin. */
  listed: boolean
}

type Certainty = 'definite' | 'uncertain' | 'negated' | 'hypothetical'

interface Size {
  longMm: number
  shortMm: number | null
}

/** The text of one sentence with everything found in it, offsets into the whole text. */
interface Sentence extends Span {
  clauses: Span[]
  cues: Token<CueKind>[]
  terminators: Span[]
  mentions: Mention[]
  sizes: Token<Size>[]
  solidComponents: Span[]
  locations: Token<LocationValue>[]
  densities: Token<Density | null>[]
  counts: Token<number | null>[]
  distinctMarkers: Span[]
  largestMarkers: Span[]
  referenceMarkers: Span[]
}

/**
 * What an item stands for. A mention that gives no size, zone or lobe may speak of nodules the
 * report describes elsewhere rather than of nodules of its own:
 * - `count`: one of a stated number ("Two pulmonary nodules are seen.", 两肺见两枚结节：, 两肺多发结节（2枚）)
 *   — a heading or summary of that many described nodules, and a nodule of its own only for the
 *   part of the number that the described ones do not fill;
 * - `plural`: nodules without a number ("Pulmonary nodules as described above", 两肺结节, "bilateral
 *   nodules", "right upper zone nodules", and 两肺多发结节 when it says nothing more) — a summary
 *   when at least two described nodules fit it, else a group;
 * - `nodule`: anything else, one nodule or a described group ("multiple nodules in the right upper zone").
 */
type ItemRole = 'nodule' | 'count' | 'plural'

/** An item as the collector tracks it before aggregation. */
interface CollectedItem {
  item: NoduleItem
  role: ItemRole
  /** The number of nodules its mention states, for role `count`. */
  stated: number
  /** A group of unstated number ("multiple nodules"): makes the count unknown. */
  group: boolean
  /** Another nodule than those named before ("another", 另见): never merged into an earlier one. */
  distinct: boolean
  /** Refers to what was described ("as described above", 如上所述): takes their certainty, gives none. */
  reference: boolean
  sentenceIndex: number
  /** Offset of its mention: the items of one mention are one statement. */
  mentionStart: number
  /** Sentences whose items were merged into this one (an item takes at most one of each). */
  absorbed: Set<number>
  /** How a mimic read this mention ("may be a nipple shadow"): a later reading of an earlier lesion. */
  mimicReading: MimicReading | null
}

/**
 * Chinese when Han characters are at least as many as Latin words: a Chinese report keeps a few
 * Latin words (mm, CT, GGN), an English one may hold a Chinese name.
 */
export function detectLanguage(text: string): ReportLanguage {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0
  const latinWords = text.match(/[A-Za-z]+/g)?.length ?? 0
  return han > 0 && han >= latinWords ? 'zh' : 'en'
}

/**
 * More nodule statements than any report makes (a group is one statement): past it a text is a list or
 * a hostile file, and merging each statement with those before it costs the square of their number.
 */
const MAX_REPORT_ITEMS = 200

const wordCharacter = /[a-z\p{Script=Han}]/u

/**
 * A decimal comma in a size ("1,2 cm", "1,2 x 0,8 cm", as European reports write them) read as a
 * point, in place (the folded text keeps the text's offsets). A comma and a space is a list ("5, 7 mm").
 */
const decimalCommaInSize = /(?<![\d,.])(\d{1,2}),(\d{1,2})(?=\s*(?:(?:x|×|\*|by)\s*\d{1,2}(?:[,.]\d{1,2})?\s*)*(?:mm|cm|millimet|centimet))/g

export function parseReport(text: string): ParsedReport {
  const folded = foldForMatching(text).replace(decimalCommaInSize, '$1.$2')
  const sections = splitSections(text)
  const findings = sectionText(text, sections, 'findings')
  const impression = sectionText(text, sections, 'impression')
  // Header words (Findings:, Procedure:) do not decide the language; the sections' content does.
  const language = detectLanguage(findings || impression ? `${findings ?? ''}\n${impression ?? ''}` : text)
  const collected: CollectedItem[] = []
  const negativeEvidence: EvidenceSpan[] = []
  let sentenceIndex = 0
  for (const section of sections) {
    if (section.kind === 'other') continue
    for (const sentence of sentencesOf(text, folded, section, language)) {
      const index = sentenceIndex++
      const result = readSentence(text, folded, sentence, index)
      if (result.sizeOfBoth) sizeTheOneBefore(text, collected, index - 1, result.sizeOfBoth)
      negativeEvidence.push(...result.negativeEvidence)
      for (const item of result.items) if (collected.length < MAX_REPORT_ITEMS) collect(collected, item)
      for (const reading of result.readAsMimic) withdraw(collected, reading)
    }
  }
  return {
    language,
    sections: { findings, impression },
    nodules: aggregate(collected),
    negativeEvidence
  }
}

/** "Both" in a sentence that names one nodule: the other is the one nodule the sentence before named, if it has no size. */
function sizeTheOneBefore(text: string, collected: CollectedItem[], sentenceIndex: number, size: Token<Size>): void {
  const before = collected.filter((c) => c.sentenceIndex === sentenceIndex)
  if (before.length === 1 && before[0].role === 'nodule') giveSize(text, before, size)
}

/* ---------------------------------------------------------------- sentences */

/**
 * A section's sentences, each read with the sentences after it that go on about its lesion
 * (see continuesLesion): "There is a nodule in the right upper lobe. It measures 7 mm." is one
 * nodule of 7 mm, "Multiple bilateral nodules. The largest measures 12 mm in the right upper lobe."
 * a group and its largest.
 */
function sentencesOf(text: string, folded: string, section: Span, language: ReportLanguage): Sentence[] {
  const sentences: Sentence[] = []
  for (const span of splitSentences(text, folded, section.start, section.end)) {
    // punctuation alone ("?", "--") names nothing: no need to look for words in it
    if (!wordCharacter.test(folded.slice(span.start, span.end))) continue
    const sentence = analyseSentence(folded, span, language)
    // A field with no value heading a line that names its lesion ("Nodules:" then "Right upper lobe nodule, 5 mm.") says no more than the line.
    if (sentences.length > 0 && isBareField(folded, sentences[sentences.length - 1]) && sentence.mentions.some((m) => m.kind === 'lesion')) sentences.pop()
    const previous = sentences[sentences.length - 1]
    const listedField = previous ? fieldListedUnder(folded, previous, sentence) : null
    const continuation = previous && !listedField ? continuationOf(folded, previous, sentence) : null
    if (listedField) {
      // A field with no value says no more than its lines do: the lines are its lesions. A count stays, for the nodules not listed.
      if (isBareField(folded, previous)) sentences.pop()
      sentences.push(listedLine(folded, sentence, listedField))
    } else if (previous && continuation) {
      // A field's value is read as if written on the field's line: "结节：" then "未见" is 结节：未见.
      sentences[sentences.length - 1] =
        continuation === 'value' ? analyseSentence(folded, { start: previous.start, end: sentence.end }, language) : joined(previous, sentence, continuation)
    } else sentences.push(sentence)
  }
  return sentences
}

/**
 * The field a list's line belongs to: the line names no lesion, begins with a number or a bullet and
 * says where or how large, right after a field with no value or a number only ("Nodules:", 肺结节：, "Nodules: 2.")
 * or another of its lines.
 */
function fieldListedUnder(folded: string, previous: Sentence, line: Sentence): Mention | null {
  // "1." ends a sentence of its own before the line; "1、", "(1)", "- " begin it
  const numbered = listNumberBefore.test(folded.slice(previous.end, line.start)) || listItemMarker.test(folded.slice(line.start, line.end))
  if (line.mentions.length > 0 || line.sizes.length + line.locations.length === 0 || !numbered) return null
  const field = previous.mentions.at(-1)
  return field && (field.listed || fieldValue(folded, previous, field) !== null) ? field : null
}

/**
 * What a field that ends its sentence was given: '' for nothing ("Nodules:"), 'count' for a number only
 * ("Nodules: 2.", "Nodules (2):"). Null for any other value, or no field.
 */
function fieldValue(folded: string, sentence: Sentence, field: Mention): '' | 'count' | null {
  if (field.fieldColon === null) return null
  const value = folded.slice(field.fieldColon + 1, sentence.end).trim()
  if (/^\d{1,2}\.?$/.test(value)) return 'count'
  return value === '' ? (sentence.counts.length > 0 ? 'count' : '') : null
}

/** A sentence that is a field's name alone: "Nodules:", 肺结节：. */
function isBareField(folded: string, sentence: Sentence): boolean {
  const field = sentence.mentions.length === 1 ? sentence.mentions[0] : undefined
  return field !== undefined && fieldValue(folded, sentence, field) === ''
}

const listNumberBefore = /\d{1,2}\.\s*$/

/** A list's line read as naming its field's lesion, one of it, where the line's words begin. */
function listedLine(folded: string, line: Sentence, field: Mention): Sentence {
  const at = line.start + (listItemMarker.exec(folded.slice(line.start, line.end))?.[0].length ?? 0)
  return { ...line, mentions: [{ start: at, end: at, kind: field.kind, plural: false, fieldColon: null, listed: true }] }
}

/** Words that begin a sentence about the lesion(s) named just before: "It measures", "Both measure", "The largest is", 大小约, 其, 最大者. */
const continuationStart =
  /^(?:(?:it|its|this|these|they|which|both|each|measur(?:es|ing)|located|situated|size)(?![a-z])|两者|二者|(?:the\s+)?(?:largest|biggest|dominant|larger|bigger)(?![a-z])|大小|直径|其|最大|较大者?|大者|位于)/

/**
 * The lesion just named is gone: "It has resolved.", "…, which is no longer visualized.", 现已吸收. Its cue
 * (a negation after the lesion) reaches back over the sentence's end to the lesion it speaks of.
 */
const lesionGoneStatement = new RegExp(
  `^(?:(?:it|this|these|they|which)\\s+(?:has|have|is|are)\\s+(?:since\\s+|now\\s+)?(?:resolved|disappeared|no\\s+longer\\s+(?:${notSeenWords}))(?:\\s+(?:since|on|from|compared\\s+(?:with|to))\\s+the\\s+(?:prior|previous|last)\\s+[a-z]+)?|(?:现|现已|目前|本次|此次|复查)?(?:已|均已|基本)?(?:吸收|消失|未见(?:明确|明显|确切)?显示|未再显示|未再?见))(?![a-z])\\W*$`
)

/**
 * The lesion just named is in doubt, in a clause of its own: 右上肺野结节影，不除外 / 待排; 结节影，需与血管断面鉴别;
 * "right mid zone nodule, not excluded". Its cue reaches back over the comma to the lesion it speaks of.
 */
const lesionDoubtStatement = new RegExp(
  `^(?:(?:需|须|应|请)?(?:${notExcludedZh}|与${toldApartFrom}鉴别)|(?:(?:which|it)\\s+)?(?:is\\s+)?(?:not|cannot\\s+be|can\\s+not\\s+be)\\s+(?:excluded|ruled\\s+out))\\W*$`
)

type Continuation = 'describes' | 'gone' | 'value'

/**
 * How a sentence that names no lesion goes on about the lesion of the sentence before: it begins by
 * pointing back at it (or is a template's attribute field after the lesion's) and says where it is or
 * how large (its size, place or density) — read apart, those would belong to nothing —, it says the
 * lesion is gone, or it is the value of the lesion's field that ended the line before. Null when none.
 */
function continuationOf(folded: string, previous: Sentence, next: Sentence): Continuation | null {
  if (next.mentions.length > 0 || !previous.mentions.some((m) => m.kind !== 'mimic') || next.end - previous.start > MAX_SENTENCE_CHARS) return null
  const field = previous.mentions.at(-1)
  // "Nodules:" and, on the next line, "None." or "Right upper lobe, 5 mm.": the line is the field's value
  if (field && fieldValue(folded, previous, field) === '') return 'value'
  const text = folded.slice(next.start, next.end)
  if (lesionGoneStatement.test(text)) return 'gone'
  const pointsBack = continuationStart.test(text) || (attributeFieldLine.test(text) && previous.mentions.some((m) => m.fieldColon !== null))
  return next.sizes.length + next.locations.length + next.densities.length > 0 && pointsBack ? 'describes' : null
}

/**
 * Two sentences read as one: the first's clauses, then the second's. No cue's scope crosses from one
 * into the other, except the one that says the lesion is gone.
 */
function joined(first: Sentence, second: Sentence, continuation: 'describes' | 'gone'): Sentence {
  const sentenceEnd = continuation === 'gone' ? [] : [{ start: first.end, end: second.start }]
  return {
    start: first.start,
    end: second.end,
    clauses: [...first.clauses, ...second.clauses],
    cues: [...first.cues, ...second.cues],
    terminators: [...first.terminators, ...sentenceEnd, ...second.terminators],
    mentions: first.mentions,
    sizes: [...first.sizes, ...second.sizes],
    solidComponents: [...first.solidComponents, ...second.solidComponents],
    locations: [...first.locations, ...second.locations],
    densities: [...first.densities, ...second.densities],
    counts: [...first.counts, ...second.counts],
    distinctMarkers: [...first.distinctMarkers, ...second.distinctMarkers],
    largestMarkers: [...first.largestMarkers, ...second.largestMarkers],
    referenceMarkers: [...first.referenceMarkers, ...second.referenceMarkers]
  }
}

// c. is circa ("nodule c. 6 mm")
const abbreviations = /(?:^|[^a-z])(?:approx|vs|e\.g|i\.e|cf|dr|fig|etc|incl|rt|lt|r|l|c)$/

/**
 * Sentence spans: split at 。；;!！?？, new lines — but not a line a text wrapped mid-sentence (see
 * wrapsMidSentence) — and full stops that end a sentence (not 0.8, not "approx.").
 */
function splitSentences(text: string, folded: string, start: number, end: number): Span[] {
  const spans: Span[] = []
  let from = start
  for (let i = start; i < end; i++) {
    const ch = folded[i]
    let boundary = '。；;!！'.includes(ch) || (ch === '?' && !asksOfWordAfter(folded, i)) || (ch === '\n' && !wrapsMidSentence(text, i))
    if (ch === '.') {
      const next = folded[i + 1]
      const decimal = /\d/.test(folded[i - 1] ?? '') && /\d/.test(next ?? '')
      boundary = !decimal && (next === undefined || i + 1 >= end || /\s/.test(next)) && !abbreviations.test(folded.slice(Math.max(from, i - 6), i))
      const listStart = boundary ? listStartAfterColon(folded, from, i) : null
      if (listStart !== null) {
        // "Nodules: 1. RUL, 5 mm.": the field ends at its colon, and "1." is a sentence of its own, as at a line's start
        pushTrimmed(spans, folded, from, listStart)
        from = listStart
      }
    }
    if (boundary) {
      pushTrimmed(spans, folded, from, i + 1)
      from = i + 1
    }
  }
  pushTrimmed(spans, folded, from, end)
  return spans.flatMap((span) => withinSentenceLimit(folded, span))
}

/** Where a list numbered after a colon begins ("Nodules: 1. RUL …"; "Nodules: 2." is a count): the "1" before the full stop at `dot`. */
function listStartAfterColon(folded: string, from: number, dot: number): number | null {
  return /[:：]\s*1$/.test(folded.slice(from, dot)) && /^\s+[a-z\p{Script=Han}]/u.test(folded.slice(dot + 1, dot + 3)) ? dot - 1 : null
}

/**
 * A question mark before a word, not after one, queries that word ("right mid zone ?nodule",
 * "opacity - ? nodule": the British shorthand for a possible finding): it ends no sentence.
 */
function asksOfWordAfter(folded: string, at: number): boolean {
  return (at === 0 || /[\s,:;(\-–]/.test(folded[at - 1])) && /^ ?[a-z]/.test(folded.slice(at + 1, at + 3))
}

/** Longer than any sentence a radiologist writes: a run-on list or a hostile file, whose clauses each sentence step pairs. */
const MAX_SENTENCE_CHARS = 1000

/**
 * A span longer than a sentence, cut into parts of at most MAX_SENTENCE_CHARS at the last clause
 * mark (comma, colon, 、) or space before each limit: reading a sentence pairs its mentions with
 * its places and sizes, so a 100,000-character "sentence" of Chinese clauses without a 。 took seconds.
 */
function withinSentenceLimit(folded: string, span: Span): Span[] {
  const parts: Span[] = []
  let from = span.start
  while (span.end - from > MAX_SENTENCE_CHARS) {
    const window = folded.slice(from, from + MAX_SENTENCE_CHARS)
    const cut = Math.max(window.search(/[,，:：、\s][^,，:：、\s]*$/), 0)
    const end = from + (cut > 0 ? cut + 1 : MAX_SENTENCE_CHARS)
    pushTrimmed(parts, folded, from, end)
    from = end
  }
  pushTrimmed(parts, folded, from, span.end)
  return parts
}

/**
 * A line break a report's text was wrapped at (MIMIC-CXR and many RIS exports wrap at ~80 columns):
 * the line ends in a word, a number or a comma and the next begins with a lower-case letter —
 * "There is a 9 mm nodule in the right\n upper zone", "No\nnodule." Headers, list items and lines
 * ending in punctuation still end their sentence.
 */
function wrapsMidSentence(text: string, newline: number): boolean {
  const before = /[A-Za-z0-9,)-][ \t]*$/.test(text.slice(Math.max(0, newline - 40), newline))
  const after = /^[ \t]*[a-z]/.test(text.slice(newline + 1, newline + 40))
  return before && after
}

function pushTrimmed(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && /\s/.test(text[start])) start++
  while (end > start && /\s/.test(text[end - 1])) end--
  if (end > start) spans.push({ start, end })
}

/** Every match of a global pattern inside [start, end), offsets into the whole text. */
function matchesIn(folded: string, pattern: RegExp, span: Span): RegExpExecArray[] {
  const part = folded.slice(span.start, span.end)
  const found: RegExpExecArray[] = []
  pattern.lastIndex = 0
  for (let m = pattern.exec(part); m; m = pattern.exec(part)) {
    if (m[0].length === 0) {
      pattern.lastIndex++
      continue
    }
    m.index += span.start
    found.push(m)
  }
  return found
}

function spanOf(m: RegExpExecArray): Span {
  return { start: m.index, end: m.index + m[0].length }
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end
}

/** Longest matches win where matches overlap ("no evidence of" over "no", "part-solid" over "solid"). */
function longestFirst<T extends Span>(tokens: T[]): T[] {
  const kept: T[] = []
  const byLength = [...tokens].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
  for (const t of byLength) if (!kept.some((k) => overlaps(k, t))) kept.push(t)
  return kept.sort((a, b) => a.start - b.start)
}

const clausePunctuation = /[,，;；:：]/g
/**
 * In Chinese a comma ends a clause's negation (未见结节，右肺见…); English lists run over commas.
 * A colon ends none ("Nodules: none.").
 */
const scopeEndingPunctuation: Record<ReportLanguage, RegExp> = { en: /[;；]/g, zh: /[,，;；]/g }

const restOfClause = /[^,，;；。!！?？\n]*/y

/** The text from `at` to the clause's end, read in place (a long run of clauses is not copied once per comma). */
function clauseFrom(folded: string, at: number): string {
  restOfClause.lastIndex = at
  return restOfClause.exec(folded)?.[0] ?? ''
}

/** Between a lesion and a clause about "it": a second thing named, or a clause of its own ("…, adjacent to the effusion, which…"). */
const anotherThingNamed = /(?<![a-z])(?:and|or|with|plus|as\s+well\s+as)(?![a-z])|[及和与伴、,，;；:：]/
/** A gone statement about every lesion named before it (结节及积液，现均已吸收). */
const allOfThemGone = /均/

/**
 * The clause read from `clauseStart` only says the lesion named just before `at` is gone or in doubt
 * ("…nodule, which has resolved", 右肺上叶结节，现已吸收, 右上肺野结节影，待排), so `at` ends no cue's
 * scope: the cue is about that lesion. Not when something else was named in between ("nodule and
 * effusion, which has resolved" speaks of the effusion), unless the clause says they all are.
 */
function speaksOnlyOfLesionBefore(folded: string, mentions: Mention[], at: Span, clauseStart: number): boolean {
  const said = clauseFrom(folded, clauseStart).trimStart()
  if (!lesionGoneStatement.test(said) && !lesionDoubtStatement.test(said)) return false
  const lesionBefore = mentions.filter((m) => m.end <= at.start).at(-1)
  if (!lesionBefore || lesionBefore.kind === 'mimic') return false
  const between = folded.slice(lesionBefore.end, at.start).replace(/[\s,，]+$/, '')
  return allOfThemGone.test(said) || !anotherThingNamed.test(between)
}

function analyseSentence(folded: string, span: Span, language: ReportLanguage): Sentence {
  const cues = longestFirst(
    cuePatterns.flatMap((c) => matchesIn(folded, c.pattern, span).map((m) => ({ ...spanOf(m), value: c.kind })))
  )
  const unmentions = unmentionPatterns.flatMap((p) => matchesIn(folded, p, span).map(spanOf))
  const mentions = longestFirst(
    mentionPatterns.flatMap((p) =>
      matchesIn(folded, p.pattern, span).map((m) => ({
        ...spanOf(m),
        kind: p.kind,
        plural: p.pluralGroup !== undefined && m.slice(p.pluralGroup).some((g) => g !== undefined)
      }))
    )
  )
    .filter((m) => !unmentions.some((u) => overlaps(u, m)))
    .map((m) => ({ ...m, fieldColon: fieldColonOf(folded, span, m), listed: false }))
  const terminators = [
    // "which" reads from itself ("which has resolved"), a mark from after it (，现已吸收)
    ...terminatorPatterns
      .flatMap((p) => matchesIn(folded, p, span).map(spanOf))
      .filter((word) => !speaksOnlyOfLesionBefore(folded, mentions, word, word.start)),
    ...matchesIn(folded, scopeEndingPunctuation[language], span)
      .map(spanOf)
      .filter((mark) => !speaksOnlyOfLesionBefore(folded, mentions, mark, mark.end))
  ].filter((t) => !cues.some((c) => overlaps(c, t)))
  const statedSizes = readSizes(folded, span)
  const sizes = currentSizes(folded, span, statedSizes)
  const solidComponents = solidComponentPatterns.flatMap((p) => matchesIn(folded, p, span).map(spanOf))
  const counts = longestFirst(
    countPatterns.flatMap((c) => matchesIn(folded, c.pattern, span).map((m) => ({ ...spanOf(m), value: c.read(m[0]) })))
  ).filter((c) => !statedSizes.some((s) => overlaps(s, c)))
  const locations = longestFirst(
    locationPatterns.flatMap((l) => matchesIn(folded, l.pattern, span).map((m) => ({ ...spanOf(m), value: l.read(m.groups ?? {}) })))
  ).filter((l) => l.value.side !== null || l.value.zone !== null || l.value.lobe !== null || l.value.lobeLevel !== undefined)
  return {
    ...span,
    clauses: clauseSpans(folded, span, [locations, sizes], mentions),
    cues,
    terminators,
    mentions,
    sizes,
    solidComponents,
    locations,
    // "solid" in "a solid component" is not the nodule's density
    densities: longestFirst(
      densityPatterns.flatMap((d) => matchesIn(folded, d.pattern, span).map((m) => ({ ...spanOf(m), value: d.density })))
    ).filter((d) => !solidComponents.some((c) => overlaps(c, d))),
    counts,
    distinctMarkers: distinctPatterns.flatMap((p) => matchesIn(folded, p, span).map(spanOf)),
    largestMarkers: largestPatterns.flatMap((p) => matchesIn(folded, p, span).map(spanOf)),
    referenceMarkers: referencePatterns.flatMap((p) => matchesIn(folded, p, span).map(spanOf))
  }
}

/** A lesion word that begins its clause and is followed by a colon names a field ("Lung nodule: 6 mm …", "Nodules: 2"): the colon's offset. */
function fieldColonOf(folded: string, sentence: Span, mention: Span & { kind: MentionKind }): number | null {
  const tail = mention.kind === 'lesion' ? fieldLabelAfter.exec(folded.slice(mention.end, mention.end + 16)) : null
  if (!tail) return null
  let clauseStart = sentence.start
  for (const m of matchesIn(folded, clausePunctuation, { start: sentence.start, end: mention.start })) clauseStart = m.index + 1
  return fieldLabelLead.test(folded.slice(clauseStart, mention.start)) ? mention.end + tail[0].length - 1 : null
}

/**
 * Clauses end at clausePunctuation, except a comma inside a list of places ("the left upper, mid and
 * lower zones") or of sizes ("nodules of 5, 7 and 9 mm in the left lung"), and in a field's value: all of
 * it says what the field's lesion is ("Nodules: 2 mm and 3 mm in the right upper lobe", "Nodules: RUL 5 mm,
 * LLL 3 mm", 结节：右上肺野，约6mm).
 */
function clauseSpans(folded: string, span: Span, lists: Span[][], mentions: Mention[]): Span[] {
  const clauses: Span[] = []
  let from = span.start
  const listsItems = (comma: number): boolean =>
    lists.some((tokens) =>
      tokens.some((a, i) => {
        const b = tokens[i + 1]
        return b !== undefined && a.end <= comma && comma < b.start && /^\s*,\s*(?:(?:and|or)\s+)?$/.test(folded.slice(a.end, b.start))
      })
    )
  const fieldValueFrom = Math.min(...mentions.flatMap((m) => (m.fieldColon === null ? [] : [m.fieldColon])))
  for (const m of matchesIn(folded, clausePunctuation, span)) {
    if (listsItems(m.index) || m.index >= fieldValueFrom) continue
    clauses.push({ start: from, end: m.index })
    from = m.index + 1
  }
  clauses.push({ start: from, end: span.end })
  return clauses
}

/** Ranges first ("5-7 mm" → upper bound), then dimensions; a number without any unit is no size. */
function readSizes(folded: string, span: Span): Token<Size>[] {
  const sizes: Token<Size>[] = matchesIn(folded, rangePattern, span).map((m) => {
    const g = m.groups ?? {}
    const upper = millimetres(Number(g.b), g.ub ?? '')
    return { ...spanOf(m), value: { longMm: round(upper), shortMm: null } }
  })
  // "measuring 5 and 7 mm": each number is a size, at its own place (so that each nodule takes its own).
  for (const m of matchesIn(folded, sharedUnitSizesPattern, span)) {
    if (sizes.some((s) => overlaps(s, spanOf(m)))) continue
    for (const n of m[0].matchAll(/\d+(?:\.\d+)?/g)) {
      if (n.index >= m[0].length - (m.groups?.unit.length ?? 0)) break
      const start = m.index + n.index
      sizes.push({ start, end: start + n[0].length, value: { longMm: round(millimetres(Number(n[0]), m.groups?.unit ?? '')), shortMm: null } })
    }
  }
  for (const m of matchesIn(folded, dimensionsPattern, span)) {
    if (sizes.some((s) => overlaps(s, spanOf(m)))) continue
    const g = m.groups ?? {}
    const pairs: [string | undefined, string | undefined][] = [
      [g.a, g.ua],
      [g.b, g.ub],
      [g.c, g.uc]
    ]
    const stated = pairs.filter((pair): pair is [string, string | undefined] => pair[0] !== undefined)
    const lastUnit = [...stated].reverse().find(([, u]) => u !== undefined)?.[1]
    if (!lastUnit) continue
    // A number without its own unit takes the next stated unit: "0.8×0.6cm", "5.5 x 4.0 cm".
    const values = stated.map(([value, u], i) => {
      const unitWord = u ?? stated.slice(i + 1).find(([, next]) => next !== undefined)?.[1] ?? lastUnit
      return millimetres(Number(value), unitWord)
    })
    if (values.some((v) => !(v > 0))) continue
    const sorted = [...values].sort((a, b) => b - a)
    sizes.push({ ...spanOf(m), value: { longMm: round(sorted[0]), shortMm: sorted.length > 1 ? round(sorted[1]) : null } })
  }
  for (const m of matchesIn(folded, spelledSizePattern, span)) {
    const g = m.groups ?? {}
    const value = spelledSizeNumber(g.en ?? g.zh)
    if (value === null || sizes.some((s) => overlaps(s, spanOf(m)))) continue
    sizes.push({ ...spanOf(m), value: { longMm: round(millimetres(value, g.unit ?? g.zhUnit)), shortMm: null } })
  }
  joinShortAxes(folded, span, sizes)
  return sizes.sort((a, b) => a.start - b.start)
}

/**
 * The sizes that are the nodules' own, not a prior study's ("previously 8 mm", "from 8 mm", the 8 mm of
 * "the 8 mm nodule has decreased to 5 mm") — which only count when the sentence states no current one —
 * nor by how much one changed ("increased by 3 mm", 增大约2mm), which never counts. Both stay sizes for the
 * rest of the reading: their numbers are never counts.
 */
function currentSizes(folded: string, span: Span, stated: Token<Size>[]): Token<Size>[] {
  // "increased by 2 mm to 10 mm" reads as a range whose upper bound is the size it changed to
  const changeAmount = (s: Span): boolean =>
    (changeAmountLead.test(folded.slice(span.start, s.start)) && !/\bto\b/.test(folded.slice(s.start, s.end))) || changeAmountTrail.test(folded.slice(s.end, span.end))
  const sizes = stated.filter((s) => !changeAmount(s))
  const changedTo = sizes.filter((s) => changedSizeLead.test(folded.slice(span.start, s.start)))
  const changedFrom = (s: Span): boolean => changedTo.some((to) => s.end <= to.start && !clauseBreak.test(folded.slice(s.end, to.start)))
  const current = sizes.filter((s) => !priorSizeLead.test(folded.slice(span.start, s.start)) && !changedFrom(s))
  return current.length > 0 ? current : sizes
}

/** What parts two clauses between a size and the size a nodule changed to: another nodule's size is no prior one. */
const clauseBreak = /[,;，；、]|\band\b|和|及/

/** The most characters between a long and a short axis stated together ("8 mm in long axis and 5 mm"). */
const axesApart = 24

/**
 * A size stated as the short axis joins the single size stated next to it as one long × short size
 * (短径约5mm，长径约8mm; "long axis 8 mm, short axis 5 mm"): read apart, the short axis would be the
 * nodule's size, or a second nodule's. In place.
 */
function joinShortAxes(folded: string, span: Span, sizes: Token<Size>[]): void {
  const isShortAxis = (s: Span): boolean => shortAxisLead.test(folded.slice(span.start, s.start)) || shortAxisTrail.test(folded.slice(s.end, span.end))
  for (const short of sizes.filter(isShortAxis)) {
    const single = (s: Token<Size>): boolean => s !== short && s.value.shortMm === null && !isShortAxis(s) && distance(s, short) <= axesApart
    const long = nearest(sizes.filter(single), short)
    if (!long) continue
    const [a, b] = [long.value.longMm, short.value.longMm].sort((x, y) => y - x)
    sizes.splice(sizes.indexOf(long), 1)
    sizes.splice(sizes.indexOf(short), 1, { start: Math.min(long.start, short.start), end: Math.max(long.end, short.end), value: { longMm: a, shortMm: b } })
  }
}

function round(mm: number): number {
  return Math.round(mm * 100) / 100
}

/* ---------------------------------------------------------------- certainty */

function isTerminatedBetween(sentence: Sentence, from: number, to: number): boolean {
  return sentence.terminators.some((t) => t.start >= from && t.end <= to)
}

/** The cue nearest to a span whose scope covers it, or null. */
function coveringCue(sentence: Sentence, target: Span, accepts: (cue: Token<CueKind>) => boolean): Token<CueKind> | null {
  let best: Token<CueKind> | null = null
  let bestDistance = Infinity
  for (const cue of sentence.cues) {
    if (!accepts(cue)) continue
    const before = cue.end <= target.start
    const after = cue.start >= target.end
    const direction = cue.value.endsWith('-pre') ? 'pre' : cue.value.endsWith('-post') ? 'post' : 'both'
    let distance = Infinity
    if (before && direction !== 'post' && !isTerminatedBetween(sentence, cue.end, target.start)) distance = target.start - cue.end
    if (after && direction !== 'pre' && !isTerminatedBetween(sentence, target.end, cue.start)) distance = cue.start - target.end
    if (distance < bestDistance) {
      best = cue
      bestDistance = distance
    }
  }
  return best
}

function certaintyOf(sentence: Sentence, mention: Mention): Certainty {
  const cue = coveringCue(sentence, mention, (c) => c.value !== 'pseudo')
  if (!cue) return 'definite'
  if (cue.value.startsWith('neg')) return 'negated'
  if (cue.value.startsWith('unc')) return 'uncertain'
  return 'hypothetical'
}

const isNegation = (cue: Token<CueKind>): boolean => cue.value.startsWith('neg')

/* ---------------------------------------------------------------- attributes */

interface Anchor {
  mention: Mention
  certainty: Certainty
  /** Set when a mimic read the lesion (its certainty came from that reading): "is a nipple shadow", "may be a nipple shadow". */
  mimicReading: MimicReading | null
  segment: Span
}

type MimicReading = 'negated' | 'uncertain'

/**
 * The lesion mentions of a sentence, each with the part of the sentence that describes it. After a
 * lesion that is not negated, a characterisation (granuloma, 钙化灶) describes that lesion unless it is a
 * finding of its own (isFindingOfItsOwn), a mimic that interprets it (nipple shadow) makes it uncertain
 * or absent, and a lesion word that only interprets it ("opacity, likely a nodule", 结节状致密影，考虑结节)
 * is the same lesion.
 * Between two lesions the sentence is cut at the last separator (comma, "and", 及 …), so that
 * "8 mm nodule in the right upper zone and a 6 mm nodule in the left lower zone" gives each its own.
 */
function anchorsOf(folded: string, sentence: Sentence): Anchor[] {
  const anchors: { mention: Mention; certainty: Certainty; mimicReading: MimicReading | null }[] = []
  sentence.mentions.forEach((mention, i) => {
    const certainty = certaintyOf(sentence, mention)
    const previous = anchors[anchors.length - 1]
    const describesPrevious = previous !== undefined && previous.certainty !== 'negated'
    if (mention.kind === 'mimic') {
      if (describesPrevious && interprets(folded, sentence, previous.mention, mention, certainty)) {
        if (certainty === 'definite') previous.certainty = previous.mimicReading = 'negated'
        else if (certainty === 'uncertain' && previous.certainty === 'definite') previous.certainty = previous.mimicReading = 'uncertain'
      }
      return
    }
    const until = sentence.mentions[i + 1]?.start ?? sentence.end
    if (describesPrevious && mention.kind === 'characterisation' && !isFindingOfItsOwn(folded, sentence, previous.mention, mention, certainty, until)) return
    if (describesPrevious && isRestatement(folded, sentence, previous.mention, mention, certainty, until)) {
      // Read in doubt as a nodule, the lesion is in doubt: "nodular opacity …, possibly a nodule", 结节状影，结节可能 —
      // unless the doubt is about its nature (小结节，炎性结节可能: a nodule, perhaps inflammatory).
      const natureInDoubt = natureBeforeLesion.test(folded.slice(previous.mention.end, mention.start))
      if (previous.certainty === 'definite' && !natureInDoubt && isDoubted(folded, sentence, mention)) previous.certainty = 'uncertain'
      return
    }
    // A field's lesion named again in its value is one lesion: "Lung nodule: 6 mm solid nodule, RLL".
    if (previous !== undefined && previous.mention.fieldColon !== null && within(mention, clauseOf(sentence, previous.mention.start))) anchors.pop()
    anchors.push({ mention, certainty, mimicReading: null })
  })
  const cuts = anchors.slice(1).map((a, i) => lastSeparator(folded, anchors[i].mention.end, a.mention.start))
  return anchors.map((a, i) => ({
    ...a,
    segment: { start: i === 0 ? sentence.start : cuts[i - 1], end: i === anchors.length - 1 ? sentence.end : cuts[i] }
  }))
}

/** An uncertainty cue covers the mention, other than one that only gives the reader's reading (考虑). */
function isDoubted(folded: string, sentence: Sentence, mention: Span): boolean {
  return coveringCue(sentence, mention, (c) => c.value.startsWith('unc') && !firmReadingCue.test(folded.slice(c.start, c.end))) !== null
}

function interpretationWordsIn(folded: string, span: Span): Span[] {
  return interpretationPatterns.flatMap((p) => matchesIn(folded, p, span).map(spanOf))
}

/** A later phrase interprets a lesion when an interpretation word stands between them, or it is itself in doubt. */
function interprets(folded: string, sentence: Sentence, lesion: Span, later: Span, laterCertainty: Certainty): boolean {
  const gap = { start: lesion.end, end: later.start }
  if (sentence.distinctMarkers.some((d) => within(d, gap))) return false
  return laterCertainty === 'uncertain' || interpretationWordsIn(folded, gap).length > 0
}

/**
 * A characterisation after a lesion is another finding, not that lesion's nature, when nothing reads it
 * as the lesion ("…, likely a granuloma") and its own part of the sentence names a place: "6 mm nodule in
 * the right lower lobe and a calcified granuloma in the left upper lobe", 右肺下叶结节，左肺上叶见一钙化灶.
 */
function isFindingOfItsOwn(folded: string, sentence: Sentence, lesion: Span, later: Mention, certainty: Certainty, until: number): boolean {
  if (interprets(folded, sentence, lesion, later, certainty)) return false
  const own = { start: lastSeparator(folded, lesion.end, later.start), end: until }
  return sentence.locations.some((t) => within(t, own))
}

/**
 * A lesion word that interprets the lesion before it without a size or place of its own is the
 * same lesion ("nodular opacity … is likely a nodule"), not a second one.
 */
function isRestatement(folded: string, sentence: Sentence, lesion: Span, later: Mention, certainty: Certainty, until: number): boolean {
  if (certainty === 'negated' || !interprets(folded, sentence, lesion, later, certainty)) return false
  const gap = { start: lesion.end, end: later.start }
  const links = [...interpretationWordsIn(folded, gap), ...sentence.cues.filter((c) => within(c, gap))]
  // What comes before the last separator is the first lesion's ("opacity in the left mid zone, nodule versus …").
  const from = Math.max(lastSeparator(folded, lesion.end, later.start), ...links.map((l) => l.end))
  const own = { start: from, end: until }
  return !sentence.sizes.some((t) => within(t, own)) && !sentence.locations.some((t) => within(t, own))
}

const separatorPattern = /[,，;；:：、]|(?<![a-z])(?:and|as well as|plus|with)(?![a-z])|[及和与并另]/g

function lastSeparator(folded: string, from: number, to: number): number {
  let cut = from
  for (const m of matchesIn(folded, separatorPattern, { start: from, end: to })) cut = m.index
  return cut
}

function clauseOf(sentence: Sentence, position: number): Span {
  return sentence.clauses.find((c) => position >= c.start && position <= c.end) ?? sentence
}

function within(span: Span, outer: Span): boolean {
  return span.start >= outer.start && span.end <= outer.end
}

function distance(a: Span, b: Span): number {
  return a.end <= b.start ? b.start - a.end : a.start >= b.end ? a.start - b.end : 0
}

function nearest<T extends Span>(tokens: T[], target: Span): T | null {
  let best: T | null = null
  for (const t of tokens) if (!best || distance(t, target) < distance(best, target)) best = t
  return best
}

const locativeStart = /^(?:in|at|within|over|on|along|involving|located|situated|projecting|位于|于|在)(?![a-z])/
// a hedge on the place does not stop a clause from being about one (", probably in the lingula", ，可能位于…)
const leadingFiller = /^[\s(（]*(?:(?:most\s+)?(?:probably|possibly|likely|presumably)\s+|可能)?(?:the\s+)?/
/**
 * Words that point back at the lesion just named, before what the clause says of it: "it is (located in …)",
 * "(the) largest (one) (in the RUL …)", 最大者(位于…), 其. The place after them is that lesion's.
 */
const referringLead =
  /^(?:(?:it|this|these|they)\s+(?:is|are|was|were|lies|lie)\s+|(?:largest|biggest|dominant|larger|bigger)(?:\s+(?:one|of\s+(?:these|them|which)))?(?:\s+(?:is|lies))?[\s,]*|最大者?|较大者?|大者|其)/

/** "measuring", "approximately": words before the size a clause begins with. */
const sizeLead = /^(?:measur(?:es|ing)\s+)?(?:(?:approximately|approx\.?|about|up\s+to)\s+)?/

/**
 * The text after the size a clause begins with — "(measuring) (approximately) 12 mm in the right middle
 * lobe" gives "in the right middle lobe", whose place is the measured lesion's —, or '' when it begins with none.
 */
function afterLeadingSize(folded: string, sentence: Sentence, from: number, end: number): string {
  const lead = sizeLead.exec(folded.slice(from, end))![0]
  const size = sentence.sizes.find((s) => s.start === from + lead.length)
  return size ? folded.slice(size.end, end).replace(/^[\s,]+/, '') : ''
}

/**
 * A clause other than the mention's own lends it a location only when the clause is about a place:
 * it starts with a preposition ("In the right upper zone, there is …"), is little more than the
 * location and a size ("…, left upper lobe.", "Nodules: right upper lobe 6 mm"), or is an earlier
 * clause whose subject is the place of what the mention interprets (右肺门影增大，考虑肿块). A
 * clause about the lungs as a whole does not count:
 * "两肺纹理增多，见一结节" does not put the nodule in both lungs.
 */
function isLocativeClause(folded: string, sentence: Sentence, clause: Span, location: Span, mention: Span): boolean {
  const clauseText = folded.slice(clause.start, clause.end)
  const text = clauseText.replace(leadingFiller, '').replace(referringLead, '')
  const textStart = clause.end - text.length
  if (locativeStart.test(text) || locativeStart.test(afterLeadingSize(folded, sentence, textStart, clause.end))) return true
  const said = [location, ...sentence.sizes.filter((s) => within(s, clause))].sort((a, b) => a.start - b.start)
  const rest = [clause.start, ...said.map((s) => s.end)].map((from, i) => folded.slice(from, said[i]?.start ?? clause.end)).join('')
  if (rest.replace(/[\s.。()（）]|(?<![a-z])the(?![a-z])/g, '').length <= 2) return true
  const isSubject = clause.start + (clauseText.length - text.length) === location.start
  return (
    (isSubject || isInterpretedBy(folded, sentence, clause, mention)) &&
    clause.end <= mention.start &&
    // a lesion of its own keeps the clause's place; a mimic there is what the mention may be instead
    !sentence.mentions.some((m) => m.kind !== 'mimic' && within(m, clause)) &&
    !diffuseStatementPattern.test(clauseText)
  )
}

/**
 * The clause right before the mention's, which the mention's clause begins by reading ("Opacity in the
 * right mid zone, possibly a nodule"), or raises a doubted nodule against ("focal opacity at the right
 * base, although a nodule cannot be excluded").
 */
function isInterpretedBy(folded: string, sentence: Sentence, clause: Span, mention: Span): boolean {
  const own = clauseOf(sentence, mention.start)
  if (sentence.clauses[sentence.clauses.indexOf(own) - 1] !== clause) return false
  const lead = { start: own.start, end: mention.start }
  return (
    interpretationWordsIn(folded, lead).length > 0 ||
    sentence.cues.some((c) => c.value.startsWith('unc') && within(c, lead)) ||
    (concessiveLead.test(folded.slice(lead.start, lead.end)) && isDoubted(folded, sentence, mention))
  )
}

const concessiveLead = /(?<![a-z])(?:although|though|but|however)(?![a-z])/

function readSentence(
  text: string,
  folded: string,
  sentence: Sentence,
  sentenceIndex: number
): { items: CollectedItem[]; readAsMimic: CollectedItem[]; negativeEvidence: EvidenceSpan[]; sizeOfBoth: Token<Size> | null } {
  const items: CollectedItem[] = []
  const readAsMimic: CollectedItem[] = []
  const negativeEvidence: EvidenceSpan[] = []
  for (const pattern of normalStatementPatterns) {
    for (const m of matchesIn(folded, pattern, sentence)) negativeEvidence.push(evidence(text, [spanOf(m)]))
  }
  for (const anchor of anchorsOf(folded, sentence)) {
    if (anchor.certainty === 'negated') {
      const cue = coveringCue(sentence, anchor.mention, isNegation)
      negativeEvidence.push(evidence(text, cue ? [cue, anchor.mention] : [anchor.mention]))
      // A lesion read as a mimic may be one described before ("IMPRESSION: The right lower zone nodule is a nipple shadow").
      if (anchor.mimicReading === 'negated') readAsMimic.push(...itemsOf(text, folded, sentence, anchor, sentenceIndex))
      continue
    }
    if (anchor.certainty === 'hypothetical') continue
    items.push(...itemsOf(text, folded, sentence, anchor, sentenceIndex))
  }
  const shared = items.length > 0 ? sharedSizeOf(folded, sentence) : null
  const mentionsNamed = new Set(items.map((c) => c.mentionStart)).size
  if (shared && mentionsNamed > 1) giveSize(text, items, shared.size)
  // "Nodule in the RUL. Nodule in the LLL. Both measure 7 mm.": the other of the two is the sentence before's
  const sizeOfBoth = shared?.ofTwo && items.length === 1 ? shared.size : null
  return { items, readAsMimic, negativeEvidence, sizeOfBoth }
}

/** A size whose clause says it is every lesion's: "both measure 7 mm", "each measuring 4 mm", 两者大小均约7mm. */
const sharedSizeLead = /(?<![a-z])(?:both|each|all)(?![a-z])|两者|二者|均|皆|都/
const bothLead = /(?<![a-z])both(?![a-z])|两者|二者/

/**
 * Lesions named one by one and then sized together ("Right upper lobe nodule and left lower lobe
 * nodule, both measuring 7 mm"; "… Both measure about 7 mm."): the shared size is read with the last
 * lesion, so the ones named before it, with no size of their own, take it too. `ofTwo`: it is two lesions' ("both").
 */
function sharedSizeOf(folded: string, sentence: Sentence): { size: Token<Size>; ofTwo: boolean } | null {
  for (const size of sentence.sizes) {
    const lead = folded.slice(clauseOf(sentence, size.start).start, size.start)
    if (sharedSizeLead.test(lead)) return { size, ofTwo: bothLead.test(lead) }
  }
  return null
}

/** The size for each nodule named before it that has none of its own. */
function giveSize(text: string, items: CollectedItem[], size: Token<Size>): void {
  for (const c of items) {
    if (c.item.sizeMm !== null || c.mentionStart > size.start) continue
    c.item = {
      ...c.item,
      sizeMm: size.value.longMm,
      sizeShortMm: size.value.shortMm,
      evidence: evidence(text, c.item.evidence ? [c.item.evidence, size] : [size])
    }
  }
}

function evidence(text: string, spans: Span[]): EvidenceSpan {
  const start = Math.min(...spans.map((s) => s.start))
  const end = Math.max(...spans.map((s) => s.end))
  return { start, end, text: text.slice(start, end) }
}

/** What a mention's part of the sentence says about it. */
interface MentionAttributes {
  countToken: Token<number | null> | null
  /** Stated number, 1 for a singular mention, null for an unnumbered group. */
  count: number | null
  /**
   * Each nodule's place, in order, where the text gives one per nodule: with 各 or "each", the stated
   * number at every place (see placesEach, eachSide); with no number, one at each place listed (see listedPlaces).
   */
  placeOfEach: Token<LocationValue>[] | null
  /** A group of unstated number at places listed ("multiple nodules in the right upper and left lower zones"): one group at each. */
  placeOfEachGroup: Token<LocationValue>[] | null
  distinct: boolean
  reference: boolean
  /** "the largest …": the size and places stated after it belong to the largest of a group. */
  largest: Span | null
  sizes: Token<Size>[]
  size: Token<Size> | null
  density: Token<Density | null> | null
  /** Every usable place in the segment, and those the mention may take (see isLocativeClause). */
  locations: Token<LocationValue>[]
  locativeLocations: Token<LocationValue>[]
  ownClause: Span
}

function attributesOf(folded: string, sentence: Sentence, anchor: Anchor): MentionAttributes {
  const { mention, segment } = anchor
  const ownClause = clauseOf(sentence, mention.start)
  // Attributes under a negation that does not negate the mention itself ("without calcification").
  const usable = <T extends Span>(tokens: T[]): T[] =>
    tokens.filter((t) => within(t, segment) && !coveringCue(sentence, t, isNegation))
  const inOwnClause = <T extends Span>(tokens: T[]): T[] => tokens.filter((t) => within(t, ownClause))
  const before = <T extends Span>(tokens: T[]): T[] => inOwnClause(tokens).filter((t) => t.end <= mention.start)
  const pick = <T extends Span>(tokens: T[]): T | null => nearest(inOwnClause(tokens), mention) ?? nearest(tokens, mention)

  const counts = usable(sentence.counts)
  // A number right after the mention states it too, and outranks a count word: 多发结节（2枚）, 结节2枚, "nodules (3)",
  // "nodules x3", a field's "Nodules: 2".
  const countAfter = inOwnClause(counts).find((c) => {
    const gap = folded.slice(mention.end, c.start)
    return c.value !== null && c.start >= mention.end && (/^[\s(（x×]*$/.test(gap) || (mention.fieldColon !== null && fieldCountGap.test(gap)))
  })
  const countToken = countAfter ?? nearest(before(counts), mention)
  const sizes = usable(sentence.sizes)
  const locations = usable(sentence.locations)
  // Plural with no number, or a field, and two or more sizes after it in its clause ("nodules measuring 4 mm and 6 mm",
  // 结节：右肺上叶5mm，左肺下叶3mm): one each.
  const sizesListed = countToken === null && (mention.plural || mention.fieldColon !== null) ? inOwnClause(sizes).filter((s) => s.start >= mention.end) : []
  const stated = countToken ? countToken.value : sizesListed.length > 1 ? sizesListed.length : mention.plural ? null : 1
  const each = stated === null ? null : ((countToken && placesEach(folded, countToken, before(locations))) ?? eachSide(folded, inOwnClause(locations)))
  const bothLobes = lobesOfBothSides(inOwnClause(locations))
  const placeOfEach =
    each && stated !== null
      ? each.flatMap((place) => Array.from({ length: stated }, () => place))
      : countToken
        ? stated === 2 ? bothLobes : null
        : listedPlaces(folded, inOwnClause(locations))
  const unnumbered = countToken === null || countToken.value === null
  return {
    countToken,
    count: placeOfEach?.length ?? stated,
    placeOfEach,
    placeOfEachGroup: unnumbered ? ((countToken && listedPlaces(folded, inOwnClause(locations))) ?? bothLobes) : null,
    distinct: before(sentence.distinctMarkers.filter((d) => within(d, segment))).length > 0,
    reference: sentence.referenceMarkers.some((r) => within(r, segment)),
    largest: sentence.largestMarkers.find((m) => within(m, segment)) ?? null,
    sizes: sizesListed.length > 1 ? sizesListed : sizes,
    size: pick(sizes),
    density: densityOf(pick(usable(sentence.densities).filter((d) => !isAnotherOpacitysDensity(folded, d, mention))), usable(sentence.solidComponents)[0] ?? null),
    locations,
    locativeLocations: locations.filter(
      (l) => within(l, ownClause) || isLocativeClause(folded, sentence, clauseOf(sentence, l.start), l, mention)
    ),
    ownClause
  }
}

const opacityNounAfter = /^[\s-]*(?:opacit|densit|attenuation|shadow|foc|area|patch|(?:样|密度)*(?:阴?影|灶))/

/**
 * A density word before the mention that has an opacity noun of its own and a separator after it is
 * that opacity's, not the nodule's: "ground-glass opacity in the right upper lobe and a 6 mm nodule".
 */
function isAnotherOpacitysDensity(folded: string, density: Span, mention: Span): boolean {
  return density.end <= mention.start && opacityNounAfter.test(folded.slice(density.end, mention.start)) && lastSeparator(folded, density.end, mention.start) > density.end
}

/**
 * The places a count is stated for when 各 ("each") comes right before it: those named before it
 * (zones and lobes, else sides), both sides for a bilateral one (右肺上野及左肺下野各见一结节,
 * 两上肺野各见一结节 and 两肺各见一结节 are two nodules, one at each). Null without 各, or when
 * fewer than two places are named.
 */
function placesEach(folded: string, countToken: Span, placesBefore: Token<LocationValue>[]): Token<LocationValue>[] | null {
  if (!/各(?:可?见|有|发现)?$/.test(folded.slice(0, countToken.start))) return null
  const finer = placesBefore.filter((l) => l.value.zone !== null || l.value.lobe !== null || l.value.lobeLevel)
  const places = (finer.length > 0 ? finer : placesBefore.filter((l) => l.value.side !== null)).flatMap((l) =>
    l.value.side === 'bilateral' ? bothSides(l) : [l]
  )
  return places.length > 1 ? places : null
}

/** "A nodule in each upper zone", "one in each lung": the place, once on each side. */
function eachSide(folded: string, inClause: Token<LocationValue>[]): Token<LocationValue>[] | null {
  const place = inClause.find((l) => folded.startsWith('each', l.start))
  return place ? bothSides(place) : null
}

/**
 * A lobe named for both sides (双肺上叶, "both upper lobes") is the two lobes: no lobe is both sides'.
 * Null unless it is the clause's one place.
 */
function lobesOfBothSides(inClause: Token<LocationValue>[]): Token<LocationValue>[] | null {
  const places = inClause.filter((l) => l.value.zone !== null || l.value.lobe !== null || l.value.lobeLevel)
  return places.length === 1 && places[0].value.side === 'bilateral' && places[0].value.lobeLevel ? bothSides(places[0]) : null
}

/** A place named for both sides as one place on each: the right and left upper zones, lobes (the lobe of a level on that side). */
function bothSides(place: Token<LocationValue>): Token<LocationValue>[] {
  return (['right', 'left'] as const).map((side) => ({
    ...place,
    value: { side, zone: place.value.zone, lobe: place.value.lobe ?? lobeOf(side, place.value.lobeLevel ?? null) }
  }))
}

/**
 * Places listed for a mention with no number ("nodules in the right upper zone and left lower zone",
 * 右上肺野及左下肺野结节): one nodule at each when its clause lists two or more zones, or two or
 * more lobes, all different, one after the other. A zone and a lobe together are one place named
 * twice (右中肺野（右肺中叶）); places apart are not a list ("a nodule in the right upper zone and
 * there is atelectasis at the left base").
 */
function listedPlaces(folded: string, inClause: Token<LocationValue>[]): Token<LocationValue>[] | null {
  const zones = inClause.filter((l) => l.value.zone !== null && l.value.lobe === null)
  const lobes = inClause.filter((l) => l.value.lobe !== null && l.value.zone === null)
  const places = zones.length > 0 && lobes.length > 0 ? [] : zones.length > 0 ? zones : lobes
  const keys = new Set(places.map((l) => `${l.value.side}/${l.value.zone ?? l.value.lobe}`))
  const listed = places.every((l, i) => i === 0 || placeListGap.test(folded.slice(places[i - 1].end, l.start).replace(/[(（][^)）]*[)）]/g, '')))
  return places.length > 1 && keys.size === places.length && listed ? places : null
}

/** A solid component in a ground-glass (or unqualified) nodule makes it part-solid. */
function densityOf(stated: Token<Density | null> | null, solidComponent: Span | null): Token<Density | null> | null {
  if (solidComponent && (stated === null || stated.value === 'ground-glass' || stated.value === null)) {
    return { ...solidComponent, value: 'part-solid' }
  }
  return stated
}

function itemsOf(text: string, folded: string, sentence: Sentence, anchor: Anchor, sentenceIndex: number): CollectedItem[] {
  const { mention } = anchor
  const a = attributesOf(folded, sentence, anchor)
  const certainty = anchor.certainty === 'uncertain' ? 'uncertain' : 'definite'
  const make = (size: Token<Size> | null, location: { value: LocationValue; used: Span[] }): NoduleItem => ({
    ...emptyNoduleItem(),
    sizeMm: size?.value.longMm ?? null,
    sizeShortMm: size?.value.shortMm ?? null,
    ...location.value,
    density: a.density?.value ?? null,
    certainty,
    evidence: evidence(
      text,
      [mention, a.countToken, a.density, size, ...location.used].filter((s): s is Span => s !== null)
    )
  })

  const collected = (item: NoduleItem, role: ItemRole, stated: number, group: boolean): CollectedItem => ({
    item,
    role,
    stated,
    group,
    distinct: a.distinct,
    reference: a.reference,
    sentenceIndex,
    mentionStart: mention.start,
    absorbed: new Set(),
    mimicReading: anchor.mimicReading
  })

  // Places with a zone or lobe, one per nodule or group, get the side of the nearest place that names one.
  const sides = a.locativeLocations.filter((l) => l.value.zone === null && l.value.lobe === null && l.value.lobeLevel === undefined)
  if (a.count !== null && a.count > 1 && a.count <= 20) {
    const count = a.count
    // An enumerated group: one item each; sizes and places listed in order go one to each.
    // After "the largest" (大者), the size and places are the largest one's.
    const largest = a.largest
    const groupLocations = ofGroup(a, a.locations)
    // A lobe named without its side ("one in the upper lobe") is a place too: the side said of the group is its.
    const places = groupLocations.filter((l) => l.value.zone !== null || l.value.lobe !== null || l.value.lobeLevel !== undefined)
    const enumerated = a.placeOfEach ?? (places.length === count ? places : groupLocations.length === count ? groupLocations : null)
    const shared = resolveLocation(ofGroup(a, a.locativeLocations), mention, a.ownClause)
    return Array.from({ length: count }, (_, i) => {
      const size = a.sizes.length === count ? a.sizes[i] : largest && i > 0 ? null : a.size
      const location = enumerated
        ? resolveLocation([enumerated[i], ...sides], mention, a.ownClause)
        : largest && i === 0
          ? resolveLocation([...a.locativeLocations, ...a.locations.filter((l) => l.start >= largest.end)], mention, a.ownClause)
          : shared
      const item = make(size, location)
      return collected(item, isUnspecific(item) ? 'count' : 'nodule', count, false)
    })
  }
  if (a.placeOfEachGroup) {
    const places = a.placeOfEachGroup
    const largest = largestAtPlace(a, places)
    return places.map((place, i) => {
      const size = a.sizes.length === places.length ? a.sizes[i] : i === largest?.placeIndex ? largest.size : null
      const item = make(size, resolveLocation([place, ...sides], mention, a.ownClause))
      return collected(item, 'nodule', 0, true)
    })
  }
  // A group on both sides whose largest is placed on one (两肺多发结节，最大者位于左肺下叶，约21mm): the
  // group, and its largest where it is — a group's one item cannot hold both places. A group on one side
  // or none takes its largest's place (右肺多发结节，最大者位于右肺上叶).
  const largestPlace = placeAfterLargest(a)
  const groupLocation = resolveLocation(ofGroup(a, a.locativeLocations), mention, a.ownClause)
  const bothSidesAndLargest = largestPlace !== null && groupLocation.value.side === 'bilateral'
  const location = bothSidesAndLargest ? groupLocation : resolveLocation(a.locativeLocations, mention, a.ownClause)
  const item = make(bothSidesAndLargest ? null : a.size, location)
  // Nodules on both sides are more than one even where the language has no plural (两肺结节).
  const unnumberedPlural = a.countToken === null && (mention.plural || location.value.side === 'bilateral')
  const countWordOnly = a.countToken !== null && a.count === null && isUnspecific(item)
  const group = collected(item, unnumberedPlural || countWordOnly ? 'plural' : 'nodule', 0, a.count === null || unnumberedPlural)
  if (!bothSidesAndLargest) return [group]
  return [group, collected(make(sizeAfterLargest(a) ?? a.size, resolveLocation([largestPlace], mention, a.ownClause)), 'nodule', 1, false)]
}

/** The tokens said of the whole group: those before "the largest" (all of them when there is none). */
function ofGroup<T extends Span>(a: MentionAttributes, tokens: T[]): T[] {
  const largest = a.largest
  return largest ? tokens.filter((t) => t.end <= largest.start) : tokens
}

/** The zone or lobe said after "the largest" (最大者位于…), if any. */
function placeAfterLargest(a: MentionAttributes): Token<LocationValue> | null {
  const marker = a.largest
  return (marker && a.locations.find((l) => l.start >= marker.end && (l.value.zone !== null || l.value.lobe !== null))) || null
}

function sizeAfterLargest(a: MentionAttributes): Token<Size> | null {
  const marker = a.largest
  return (marker && a.sizes.find((s) => s.start >= marker.end)) || null
}

/** "…, the largest measuring 9 mm in the left lower zone": the size of the group at the place said after "the largest". */
function largestAtPlace(a: MentionAttributes, places: Token<LocationValue>[]): { placeIndex: number; size: Token<Size> } | null {
  const size = sizeAfterLargest(a)
  const place = placeAfterLargest(a)
  const samePlace = (l: Token<LocationValue>): boolean =>
    place !== null && l.value.side === place.value.side && l.value.zone === place.value.zone && l.value.lobe === place.value.lobe
  const placeIndex = places.findIndex(samePlace)
  return size && placeIndex >= 0 ? { placeIndex, size } : null
}

/** No size and no place finer than a side: it cannot be told from another nodule of that side. */
function isUnspecific(item: NoduleItem): boolean {
  return item.sizeMm === null && item.zone === null && item.lobe === null
}

/**
 * Side, zone and lobe for a mention: the nearest place that names a zone or lobe (own clause
 * first), with the zone or lobe of another place on the same side when that one names both
 * ("the left mid zone, probably in the lingula", 右中肺野（右肺中叶）), a side from the nearest
 * place that names one when the place has none, and the side of a lobe when no side is written.
 * A zone is never derived from a lobe (the projections overlap).
 */
function resolveLocation(locations: Token<LocationValue>[], mention: Span, ownClause: Span): { value: LocationValue; used: Span[] } {
  const pickBy = (has: (l: LocationValue) => boolean): Token<LocationValue> | null => {
    const candidates = locations.filter((l) => has(l.value))
    return nearest(candidates.filter((l) => within(l, ownClause)), mention) ?? nearest(candidates, mention)
  }
  const picked = pickBy((l) => l.zone !== null || l.lobe !== null || l.lobeLevel !== undefined)
  const sameSide = (l: LocationValue): boolean => !l.side || !picked?.value.side || l.side === picked.value.side
  // A zone an anterior rib implies gives way to a zone the clause names (左上肺野第2前肋间 is upper).
  const named = picked?.value.zoneByRib ? nearest(locations.filter((l) => within(l, ownClause) && l.value.zone !== null && !l.value.zoneByRib && sameSide(l.value)), mention) : null
  const place = named ?? picked
  const otherPlace = place && pickBy((l) => sameSide(l) && (place.value.zone === null ? l.zone !== null : l.lobe !== null))
  const zone = place?.value.zone ?? otherPlace?.value.zone ?? null
  const namedLobe = place?.value.lobe ?? otherPlace?.value.lobe ?? null
  const sided = place?.value.side ? place : (pickBy((l) => l.side !== null) ?? null)
  const side = sided?.value.side ?? (namedLobe ? sideOfLobe(namedLobe) : null) ?? place?.value.sideUnsaid ?? null
  // A lobe named with no side takes the side said elsewhere ("Right lung: nodule in the upper lobe").
  const lobe = namedLobe ?? lobeOf(side, place?.value.lobeLevel ?? null)
  const used = [place, otherPlace, sided].filter((s): s is Token<LocationValue> => s !== null)
  return { value: { side, zone, lobe }, used }
}

/* ---------------------------------------------------------------- merging and aggregation */

const mergedFields = ['sizeMm', 'sizeShortMm', 'side', 'zone', 'lobe', 'density'] as const

function compatible(a: NoduleItem, b: NoduleItem): boolean {
  return mergedFields.every((f) => a[f] === null || b[f] === null || a[f] === b[f])
}

/**
 * Adds an item, merging it into a compatible item of an earlier sentence (the impression repeating
 * a finding, "the nodule" named again): the same nodule is one item. Headings and summaries
 * (roles `count` and `plural`) wait for the whole report (see resolveStatements).
 */
function collect(collected: CollectedItem[], next: CollectedItem): void {
  const earlier = next.role === 'nodule' ? mergeTarget(collected, next) : null
  if (earlier) absorb(earlier, next)
  else collected.push(next)
}

/**
 * The nodule of an earlier sentence that the item may be a restatement of: the latest that fits,
 * preferring one stated with the same certainty — "right upper zone nodule" in the impression is
 * the nodule seen there, not the one beside it that "may be a nipple shadow".
 */
function mergeTarget(collected: CollectedItem[], next: CollectedItem): CollectedItem | null {
  if (next.distinct) return null
  const candidates = collected.filter(
    (c) =>
      c !== next &&
      c.role === 'nodule' &&
      c.sentenceIndex !== next.sentenceIndex &&
      !c.absorbed.has(next.sentenceIndex) &&
      compatible(c.item, next.item)
  )
  const alike = candidates.filter((c) => c.item.certainty === next.item.certainty)
  return alike[alike.length - 1] ?? candidates[candidates.length - 1] ?? null
}

/**
 * The same nodule named again: the merged item keeps the first evidence, fills empty fields, and
 * is definite when either mention is — unless the later one only refers back ("as described above").
 */
function absorb(into: CollectedItem, restatement: CollectedItem): void {
  for (const f of mergedFields) if (into.item[f] === null) (into.item[f] as unknown) = restatement.item[f]
  // A later reading as a possible mimic ("…, possibly a nipple shadow") puts the lesion in doubt.
  if (restatement.mimicReading === 'uncertain') into.item.certainty = 'uncertain'
  else restate(restatement, [into])
  into.group ||= restatement.group
  into.absorbed.add(restatement.sentenceIndex)
}

/**
 * A later sentence reads a lesion as a mimic ("The nodule described above represents a nipple
 * shadow", an addendum's correction): the earlier nodule it fits (as a restatement would merge) is
 * no nodule after all. A lesion of its own (another side, "another") withdraws nothing.
 */
function withdraw(collected: CollectedItem[], reading: CollectedItem): void {
  const earlier = mergeTarget(collected, reading)
  if (earlier) collected.splice(collected.indexOf(earlier), 1)
}

/** A definite statement about nodules described elsewhere makes them definite; a reference back does not. */
function restate(statement: CollectedItem, nodules: CollectedItem[]): void {
  if (statement.item.certainty === 'definite' && !statement.reference) for (const n of nodules) n.item.certainty = 'definite'
}

/**
 * Headings and summaries, once the whole report is read. A stated number (role `count`) covers the
 * described nodules that fit it — "Two pulmonary nodules are seen." before two descriptions, or
 * 两肺多发结节（2枚） in the impression after them — and stands for nodules of its own only for the
 * part of the number they leave; it makes them definite only when it covers all of them (else it
 * is not known which). An unnumbered plural (role `plural`) is a summary of the described nodules
 * that fit it when there are two or more or when a stated number fits it too, the group of the one
 * described nodule that fits when it says nothing that one does not, or else a group of its own.
 */
function resolveStatements(collected: CollectedItem[]): CollectedItem[] {
  const described = collected.filter((c) => c.role === 'nodule' && !isUnspecific(c.item))
  const statements = new Map<number, CollectedItem[]>()
  for (const c of collected) if (c.role !== 'nodule') statements.set(c.mentionStart, [...(statements.get(c.mentionStart) ?? []), c])
  const dropped = new Set<CollectedItem>()
  // Stated numbers first: an unnumbered summary may restate one.
  const ordered = [...statements.values()].sort((a, b) => Number(a[0].role !== 'count') - Number(b[0].role !== 'count'))
  for (const items of ordered) {
    const [statement] = items
    const covered = described.filter((d) => fits(statement, d))
    if (statement.role === 'count') {
      for (const extra of items.slice(Math.max(0, statement.stated - covered.length))) dropped.add(extra)
      if (covered.length <= statement.stated) restate(statement, covered)
      continue
    }
    // The nodules a stated number stands for count too ("Two pulmonary nodules. … Impression: pulmonary nodules.").
    const counted = collected.filter((c) => c.role === 'count' && !dropped.has(c) && fits(statement, c))
    if (covered.length >= 2 || counted.length > 0) {
      restate(statement, [...covered, ...counted])
      dropped.add(statement)
      continue
    }
    // One described nodule: the plural is its group, unless it says more ("nodules in both lungs", then one in the right).
    // Else it may name an earlier group again (右肺多发结节。诊断：右肺多发结节。) — and does when that group shares more of
    // what it says ("Calcified granulomas." names the calcified granulomas, not the one nodule of no stated density).
    const nodule = covered.length === 1 ? (compatible(covered[0].item, statement.item) ? covered[0] : null) : mergeTarget(collected, statement)
    const group = earlierGroup(collected, statement, dropped)
    const target = nodule && (!group || sharedFields(statement, nodule) >= sharedFields(statement, group)) ? nodule : group
    if (target) {
      absorb(target, statement)
      dropped.add(statement)
    }
  }
  return collected.filter((c) => !dropped.has(c))
}

/** How many of what a statement says (side, zone, size, density …) an item says the same. */
function sharedFields(statement: CollectedItem, item: CollectedItem): number {
  return mergedFields.filter((f) => statement.item[f] !== null && statement.item[f] === item.item[f]).length
}

/** The group of an earlier sentence, still standing, that an unnumbered plural names again. */
function earlierGroup(collected: CollectedItem[], statement: CollectedItem, dropped: Set<CollectedItem>): CollectedItem | null {
  const earlier = collected.filter(
    (c) =>
      c.group &&
      !dropped.has(c) &&
      c.sentenceIndex < statement.sentenceIndex &&
      !c.absorbed.has(statement.sentenceIndex) &&
      compatible(c.item, statement.item)
  )
  return earlier[earlier.length - 1] ?? null
}

/** A described nodule fits a heading or summary that says nothing else of it ("bilateral" fits either side); "another" looks only ahead. */
function fits(statement: CollectedItem, nodule: CollectedItem): boolean {
  const s = statement.item
  const n = nodule.item
  return (
    mergedFields.every((f) => s[f] === null || n[f] === null || s[f] === n[f] || (f === 'side' && s.side === 'bilateral')) &&
    (!statement.distinct || nodule.mentionStart >= statement.mentionStart)
  )
}

/** CheXpert aggregation; the count is that of the items at the finding's certainty, null for an unnumbered group. */
function aggregate(all: CollectedItem[]): NoduleFinding {
  const collected = resolveStatements(all)
  const definite = collected.filter((c) => c.item.certainty === 'definite')
  const uncertain = collected.filter((c) => c.item.certainty === 'uncertain')
  if (definite.length) {
    return { presence: 'present', count: countOf(definite), items: collected.map((c) => c.item) }
  }
  if (uncertain.length) return { presence: 'uncertain', count: countOf(uncertain), items: uncertain.map((c) => c.item) }
  return { presence: 'absent', count: 0, items: [] }
}

function countOf(items: CollectedItem[]): number | null {
  return items.some((c) => c.group) ? null : items.length
}

import type { EvidenceSpan, ParsedReport } from '../../shared/finding'
import type { Generation } from './generation'
import type { Tokenizer } from './tokenizer'

/**
 * How sure the model was of the words that state its finding, for a reader deciding what to look at
 * first: the geometric mean of the probabilities it gave, writing greedily, to the tokens of the
 * parser's evidence — the nodule statements of a finding that names one, the "no nodule" or "lungs
 * clear" statements of one that does not — or to all its words when the finding rests on silence.
 * 0–1; null when nothing was written.
 */
export function findingCertainty(
  written: Pick<Generation, 'tokens' | 'logProbs' | 'text'>,
  tokenizer: Tokenizer,
  report: Pick<ParsedReport, 'nodules' | 'negativeEvidence'>
): number | null {
  const { tokens, spellsText } = tokenBytes(written, tokenizer)
  if (tokens.length === 0) return null
  // a token that split a character badly leaves the text with U+FFFD: its offsets no longer map
  const spans = spellsText ? evidenceOf(report).map((span) => byteSpan(written.text, span)) : []
  const stating = tokens.filter((t) => spans.some((s) => t.start < s.end && t.end > s.start))
  const counted = stating.length > 0 ? stating : tokens
  return Math.exp(counted.reduce((sum, t) => sum + t.logProb, 0) / counted.length)
}

/** The finding's own statements: its nodules', or where it says there is none. */
function evidenceOf(report: Pick<ParsedReport, 'nodules' | 'negativeEvidence'>): EvidenceSpan[] {
  if (report.nodules.presence === 'absent') return report.negativeEvidence
  return report.nodules.items.flatMap((item) => (item.evidence ? [item.evidence] : []))
}

interface TokenBytes {
  start: number
  end: number
  logProb: number
}

/**
 * Each text token's byte range in the UTF-8 text (a byte-level token may hold part of a character);
 * special tokens (the stop token) are no text. `spellsText`: the ranges end where the text does.
 */
function tokenBytes(written: Pick<Generation, 'tokens' | 'logProbs' | 'text'>, tokenizer: Tokenizer): { tokens: TokenBytes[]; spellsText: boolean } {
  const tokens: TokenBytes[] = []
  let at = 0
  written.tokens.forEach((id, i) => {
    const length = tokenizer.byteLength(id)
    if (length > 0) tokens.push({ start: at, end: at + length, logProb: written.logProbs[i] })
    at += length
  })
  return { tokens, spellsText: at === utf8Length(written.text) }
}

function byteSpan(text: string, span: EvidenceSpan): { start: number; end: number } {
  return { start: utf8Length(text.slice(0, span.start)), end: utf8Length(text.slice(0, span.end)) }
}

const encoder = new TextEncoder()
const utf8Length = (text: string): number => encoder.encode(text).length

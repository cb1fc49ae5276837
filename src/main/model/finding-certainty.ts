import type { EvidenceSpan, ParsedReport } from '../../shared/finding'
import type { Generation } from './generation'
import type { Tokenizer } from './tokenizer'

/**
 * How sure the model was of its finding, for a reader deciding what to look at first: the lowest
 * probability it gave, writing greedily, to any token on its way to the finding — from the start of
 * its text to the end of the parser's evidence (the last nodule statement of a finding that names
 * one, the last "no nodule" or "lungs clear" statement of one that does not; the whole text when the
 * finding rests on silence). The weakest choice on that way is where the text could have gone
 * another way; words after the finding do not bear on it. 0–1; null when nothing was written.
 * Why this and not the mean over the statement's own words: `npm run bench:certainty`.
 */
export function findingCertainty(
  written: Pick<Generation, 'tokens' | 'logProbs' | 'text'>,
  tokenizer: Tokenizer,
  report: Pick<ParsedReport, 'nodules' | 'negativeEvidence'>
): number | null {
  const { tokens, spellsText } = tokenBytes(written, tokenizer)
  if (tokens.length === 0) return null
  const evidence = evidenceOf(report)
  // a token that split a character badly leaves the text with U+FFFD: its offsets no longer map
  const findingEnd = spellsText && evidence.length > 0 ? Math.max(...evidence.map((span) => utf8Length(written.text.slice(0, span.end)))) : Infinity
  const onTheWay = tokens.filter((t) => t.start < findingEnd)
  return Math.exp(Math.min(...onTheWay.map((t) => t.logProb)))
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

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8')

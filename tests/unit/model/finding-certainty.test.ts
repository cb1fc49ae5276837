import { describe, expect, it } from 'vitest'
import { findingCertainty } from '../../../src/main/model/finding-certainty'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { parseReport } from '../../../src/main/reports/nodule-parser'

const tokenizer = Tokenizer.train(['Heart size normal. There is a 9 mm nodule in the right upper zone. No nodule.', '心影不大。右上肺野见一结节影，大小约9毫米。两肺未见结节。'], 300)
const eos = tokenizer.special('<eos>')

/**
 * What a greedy writer gives: the text's tokens and a stop token, each token's probability `sure`
 * when its text lies inside `statement` (a part of the text), else `elsewhere`.
 */
function written(text: string, statement: string, sure: number, elsewhere: number) {
  const ids = tokenizer.encode(text)
  const from = Buffer.byteLength(text.slice(0, text.indexOf(statement)))
  const to = from + Buffer.byteLength(statement)
  let at = 0
  const logProbs = ids.map((id) => {
    const start = at
    at += tokenizer.byteLength(id)
    return Math.log(start >= from && at <= to ? sure : elsewhere)
  })
  return { text, tokens: [...ids, eos], logProbs: [...logProbs, Math.log(0.01)] }
}

describe("a finding's certainty", () => {
  it("is the model's certainty of the words stating the nodule, not of the rest of the text or its stop", () => {
    const text = 'Heart size normal. There is a 9 mm nodule in the right upper zone.'
    const generation = written(text, ' a 9 mm nodule in the right upper zone', 0.5, 0.99)
    expect(findingCertainty(generation, tokenizer, parseReport(text))).toBeCloseTo(0.5, 6)
    // a sure statement among unsure words is sure
    expect(findingCertainty(written(text, ' a 9 mm nodule in the right upper zone', 0.9, 0.2), tokenizer, parseReport(text))).toBeCloseTo(0.9, 6)
  })

  it('of a finding of no nodule, is the certainty of the words saying there is none', () => {
    const text = 'Heart size normal. No nodule.'
    expect(findingCertainty(written(text, 'No nodule', 0.7, 0.99), tokenizer, parseReport(text))).toBeCloseTo(0.7, 6)
  })

  it('reads Chinese, whose characters a byte-level token may split', () => {
    const text = '心影不大。右上肺野见一结节影，大小约9毫米。'
    const report = parseReport(text)
    expect(report.nodules.presence).toBe('present')
    const statement = report.nodules.items[0].evidence!.text
    expect(findingCertainty(written(text, statement, 0.6, 0.95), tokenizer, report)).toBeCloseTo(0.6, 6)
  })

  it("is every word's when the finding rests on silence, and none when nothing was written", () => {
    const text = 'Heart size normal.'
    const generation = written(text, 'Heart', 0.8, 0.8)
    expect(parseReport(text).negativeEvidence).toEqual([])
    expect(findingCertainty(generation, tokenizer, parseReport(text))).toBeCloseTo(0.8, 6)
    expect(findingCertainty({ text: '', tokens: [eos], logProbs: [0] }, tokenizer, parseReport(''))).toBeNull()
  })
})

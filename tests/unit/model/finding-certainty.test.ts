import { describe, expect, it } from 'vitest'
import { findingCertainty } from '../../../src/main/model/finding-certainty'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { parseReport } from '../../../src/main/reports/nodule-parser'

const tokenizer = Tokenizer.train(['Heart size normal. There is a 9 mm nodule in the right upper zone. No nodule. Lungs clear.', '心影不大。右上肺野见一结节影，大小约9毫米。两肺未见结节。'], 300)
const eos = tokenizer.special('<eos>')

/**
 * What a greedy writer gives: the text's tokens and a stop token; the token that begins at `weakAt`
 * (a part of the text) has probability `weak`, every other 0.95, the stop 0.01.
 */
function written(text: string, weakAt: string, weak: number) {
  const ids = tokenizer.encode(text)
  const from = Buffer.byteLength(text.slice(0, text.indexOf(weakAt)))
  let at = 0
  const logProbs = ids.map((id) => {
    const start = at
    at += tokenizer.byteLength(id)
    return Math.log(start <= from && from < at ? weak : 0.95)
  })
  return { text, tokens: [...ids, eos], logProbs: [...logProbs, Math.log(0.01)] }
}

/** The certainty of `text`'s finding when the token at `weakAt` had probability `weak`. */
const certaintyOf = (text: string, weakAt: string, weak: number) => findingCertainty(written(text, weakAt, weak), tokenizer, parseReport(text))

describe("a finding's certainty", () => {
  const nodule = 'Heart size normal. There is a 9 mm nodule in the right upper zone. Lungs clear.'

  it('is the weakest choice the model made on its way to stating the nodule', () => {
    // the choice of the nodule sentence, before the statement, and of the size within it
    expect(certaintyOf(nodule, 'There', 0.4)).toBeCloseTo(0.4, 6)
    expect(certaintyOf(nodule, '9 mm', 0.3)).toBeCloseTo(0.3, 6)
  })

  it('is not lowered by words after the finding, nor by the stop token', () => {
    expect(certaintyOf(nodule, 'Lungs', 0.05)).toBeCloseTo(0.95, 6)
  })

  it('of a finding of no nodule, is the weakest choice up to the words saying there is none', () => {
    const text = 'Heart size normal. No nodule. Bones intact.'
    expect(certaintyOf(text, 'No', 0.6)).toBeCloseTo(0.6, 6)
    expect(certaintyOf(text, 'Bones', 0.1)).toBeCloseTo(0.95, 6)
  })

  it('reads Chinese, whose characters a byte-level token may split', () => {
    const text = '心影不大。右上肺野见一结节影，大小约9毫米。两肺未见结节。'
    const report = parseReport(text)
    expect(report.nodules.presence).toBe('present')
    expect(certaintyOf(text, '右上', 0.5)).toBeCloseTo(0.5, 6)
    // 两肺未见结节 comes after the nodule's statement
    expect(certaintyOf(text, '两肺', 0.2)).toBeCloseTo(0.95, 6)
  })

  it("is every word's weakest when the finding rests on silence, and none when nothing was written", () => {
    const text = 'Heart size normal.'
    expect(parseReport(text).negativeEvidence).toEqual([])
    expect(certaintyOf(text, 'normal', 0.7)).toBeCloseTo(0.7, 6)
    expect(findingCertainty({ text: '', tokens: [eos], logProbs: [0] }, tokenizer, parseReport(''))).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { Tokenizer } from '../../../src/main/model/tokenizer'
import { specialTokens } from '../../../src/main/model/special-tokens'

const corpus = [
  'FINDINGS: A 12 mm solid nodule in the right upper zone. No pleural effusion.',
  'IMPRESSION: No pulmonary nodule. Lungs are clear.',
  'There is an 8 mm ground-glass nodule in the left lower zone; cannot exclude a second 5 mm nodule.',
  '检查所见：右上肺野见一约12mm实性结节，边界清。两肺未见明显结节。',
  '诊断意见：左下肺结节，建议胸部CT进一步检查。',
  '两肺纹理清晰，肺野内未见明显实质性病变。心影大小形态正常。'
]
const texts = Array.from({ length: 40 }, (_, i) => corpus[i % corpus.length])

describe('the byte-level BPE tokenizer', () => {
  const tok = Tokenizer.train(texts, 512)

  it('learns merges up to the vocabulary size and places the special tokens after them', () => {
    expect(tok.vocabSize).toBeLessThanOrEqual(512)
    expect(tok.merges.length).toBeGreaterThan(100)
    expect(tok.special('<pad>')).toBe(256 + tok.merges.length)
    expect(tok.special('<vote:na>')).toBe(tok.vocabSize - 1)
    expect(() => tok.special('<vote:99>')).toThrow(/Unknown special token/)
  })

  it('round-trips English and Chinese exactly, including text never seen in training', () => {
    for (const text of [...corpus, 'Unseen words: pneumothorax 3.5 cm × 2 cm, Ünïcödé and emoji 🫁', '右肺中叶见磨玻璃结节，大小约0.8×0.6cm。', '  leading and trailing  spaces\n\tand tabs  ']) {
      expect(tok.decode(tok.encode(text))).toBe(text)
    }
  })

  it('compresses the report language it was trained on', () => {
    const text = corpus[0]
    expect(tok.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2.5)
  })

  it('keeps digits apart so sizes are spelled digit by digit', () => {
    const ids = tok.encode(' 128 mm')
    const pieces = ids.map((id) => tok.decode([id]))
    expect(pieces.join('')).toBe(' 128 mm')
    expect(pieces.filter((p) => /\d/.test(p)).every((p) => p.replace(/\D/g, '').length === 1)).toBe(true)
  })

  it('turns special-token strings into ids only when allowed', () => {
    const prompt = '<bos><role:spy><task:clue>small nodule<eos>'
    const withSpecial = tok.encode(prompt, { allowSpecial: true })
    expect(withSpecial[0]).toBe(tok.special('<bos>'))
    expect(withSpecial.at(-1)).toBe(tok.special('<eos>'))
    expect(tok.decode(withSpecial)).toBe(prompt)
    expect(tok.decode(withSpecial, { skipSpecial: true })).toBe('small nodule')
    // From report text, "<eos>" is just characters: a report cannot inject control tokens.
    expect(tok.encode(prompt).some((id) => tok.isSpecial(id))).toBe(false)
  })

  it('is deterministic and survives a JSON round trip', () => {
    const again = Tokenizer.train(texts, 512)
    expect(again.merges).toEqual(tok.merges)
    const loaded = Tokenizer.fromJson(JSON.parse(JSON.stringify(tok.toJson())))
    expect(loaded.encode(corpus[3])).toEqual(tok.encode(corpus[3]))
    expect(loaded.specials).toEqual(specialTokens)
  })

  it('refuses a vocabulary too small for bytes and specials, and corrupt merges', () => {
    expect(() => Tokenizer.train(texts, 260)).toThrow(/smaller than 256 bytes/)
    expect(() => Tokenizer.fromJson({ version: 1, kind: 'byte-bpe', merges: [[300, 1]], specials: [] })).toThrow(/not yet defined/)
  })
})

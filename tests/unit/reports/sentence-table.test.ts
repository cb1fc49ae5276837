import { describe, expect, it } from 'vitest'
import { ParsedReport } from '../../../src/shared/finding'
import { parseReport } from '../../../src/main/reports/nodule-parser'
import { chineseCases, englishCases, type SentenceCase } from './sentence-table'

function check(c: SentenceCase): void {
  const parsed = parseReport(c.text)
  expect(() => ParsedReport.parse(parsed)).not.toThrow()
  const items = parsed.nodules.items.map(({ evidence: _evidence, ...fields }) => fields)
  expect({ presence: parsed.nodules.presence, count: parsed.nodules.count, items }).toEqual({
    presence: c.presence,
    count: c.count,
    items: c.items
  })
  for (const item of parsed.nodules.items) {
    expect(item.evidence).not.toBeNull()
    expect(c.text.slice(item.evidence!.start, item.evidence!.end)).toBe(item.evidence!.text)
  }
}

describe('report parser sentence table', () => {
  it('has at least 60 sentences in each language', () => {
    expect(englishCases.length).toBeGreaterThanOrEqual(60)
    expect(chineseCases.length).toBeGreaterThanOrEqual(60)
  })
  it.each(englishCases.map((c) => [c.text, c]))('en: %s', (_text, c) => {
    check(c as SentenceCase)
    expect(parseReport((c as SentenceCase).text).language).toBe('en')
  })
  it.each(chineseCases.map((c) => [c.text, c]))('zh: %s', (_text, c) => {
    check(c as SentenceCase)
    expect(parseReport((c as SentenceCase).text).language).toBe('zh')
  })
})

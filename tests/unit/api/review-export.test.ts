import { describe, expect, it } from 'vitest'
import { reviewCsv } from '../../../src/main/api/review-export'
import type { ExportRow } from '../../../src/main/store/review-repository'

const row: ExportRow = {
  findingId: 7,
  pseudonym: 'CXR-ABCDEFGH',
  studyDate: '20260105',
  viewPosition: 'PA',
  decision: 'reject',
  reason: 'other: looks like a "button"',
  comment: 'seen on the prior too',
  originalText: '=HYPERLINK("http://x","nodule")',
  originalStructured: { presence: 'present', count: 1, items: [] },
  certainty: 0.62,
  finalText: '右上肺野结节, 12 mm',
  finalStructured: { presence: 'present', count: 1, items: [] },
  reviewer: 'Dr Reader',
  secondsOnTask: 3.5,
  reviewedAt: '2026-11-29T08:00:00.000Z'
}

describe('review CSV', () => {
  it('quotes every cell, doubles quotes, keeps UTF-8 (with a BOM for spreadsheets) and defuses formulas', () => {
    const csv = reviewCsv([row])
    expect(csv.startsWith('\uFEFFfindingId,pseudonym,')).toBe(true)
    const [, line] = csv.slice(1).split('\r\n')
    expect(line).toContain('"other: looks like a ""button"""')
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""nodule"")"`)
    expect(line).toContain('"右上肺野结节, 12 mm"')
    expect(line).toContain('"other: looks like a ""button""","seen on the prior too"')
    expect(line).toContain('"{""presence"":""present"",""count"":1,""items"":[]}"')
    // the model's certainty of the finding it wrote, beside its text
    expect(csv.slice(1).split('\r\n')[0]).toContain('originalText,certainty,finalText')
    expect(line).toContain('"\'=HYPERLINK(""http://x"",""nodule"")","0.62",')
  })
})

import { describe, expect, it } from 'vitest'
import { parseReport, detectLanguage, decodeReportBytes } from '../../../src/main/reports'
import { sectionOfName, splitSections } from '../../../src/main/reports/sections'

describe('sections', () => {
  it('reads headers on their own line, with brackets, full-width colons and inline after a sentence', () => {
    const text = 'Patient: X\nFINDINGS\nNodule in the right upper zone.\nIMPRESSION:\nRight upper zone nodule.'
    expect(parseReport(text).sections).toEqual({ findings: 'Nodule in the right upper zone.', impression: 'Right upper zone nodule.' })
    const zh = '【影像所见】右上肺野见一结节。\n【诊断意见】右上肺结节。'
    expect(parseReport(zh).sections).toEqual({ findings: '右上肺野见一结节。', impression: '右上肺结节。' })
    const inline = '8 mm nodule, left lower zone. Impression: left lower zone nodule.'
    expect(parseReport(inline).sections).toEqual({ findings: '8 mm nodule, left lower zone.', impression: 'left lower zone nodule.' })
    expect(splitSections('临床诊断：肺结节待排\n检查所见：未见异常').map((s) => s.kind)).toEqual(['other', 'findings'])
  })

  it('reads the headers Chinese radiograph templates use: X线/DR/摄片所见 and 诊断, and a bracketed header after a sentence', () => {
    expect(parseReport('X线表现：两肺未见实质性病变。\nX线诊断：心肺未见异常。').sections).toEqual({ findings: '两肺未见实质性病变。', impression: '心肺未见异常。' })
    expect(parseReport('摄片所见：右下肺野见小结节影。\nDR诊断：右下肺野结节。').sections).toEqual({ findings: '右下肺野见小结节影。', impression: '右下肺野结节。' })
    expect(parseReport('放射学表现：两肺清晰。\n放射学诊断：未见异常。').sections).toEqual({ findings: '两肺清晰。', impression: '未见异常。' })
    expect(parseReport('【检查所见】右上肺野结节。【诊断意见】右上肺野结节。').sections).toEqual({ findings: '右上肺野结节。', impression: '右上肺野结节。' })
  })

  it('reads the conclusion under the names English reports give it: Comment (British), Interpretation, Assessment, Final impression', () => {
    for (const name of ['Comment', 'INTERPRETATION', 'Assessment', 'FINAL IMPRESSION'])
      expect(parseReport(`Report: 8 mm nodule, right upper zone.\n${name}: Right upper zone nodule.`).sections).toEqual({
        findings: '8 mm nodule, right upper zone.',
        impression: 'Right upper zone nodule.'
      })
    // a RIS export's "Comments" column is a clerk's note, not the conclusion
    expect(['Interpretation', 'Comments', 'Comment'].map(sectionOfName)).toEqual(['impression', null, null])
  })

  it('treats a text without headers as findings', () => {
    expect(parseReport('No nodule.').sections).toEqual({ findings: 'No nodule.', impression: null })
  })

  it('reads MIMIC-CXR reports: FINDINGS AND IMPRESSION is read, a wet read gives way to the final report, notifications are skipped', () => {
    const text =
      'WET READ: ___ ___ 4:02 PM\n  No nodule seen.\n\n                                 FINAL REPORT\n REASON FOR EXAMINATION:  Eval for nodule.\n \n' +
      ' FINDINGS AND IMPRESSION:  8 mm nodule in the right upper lobe.\n \n NOTIFICATION:  Discussed with Dr. ___; no other nodule.\n \n RECOMMENDATION(S):  CT chest.'
    expect(parseReport(text).sections).toEqual({ findings: '8 mm nodule in the right upper lobe.', impression: null })
    expect(parseReport(text).nodules).toMatchObject({ presence: 'present', count: 1 })
    // a wet read alone is the reading there is
    expect(parseReport('WET READ: ___ 4:02 PM  8 mm nodule in the right upper zone.').nodules.presence).toBe('present')
  })

  it('does not read nodules from the indication or the recommendation', () => {
    const text = 'Indication: nodule follow-up.\nFindings: Lungs are clear.\nRecommendation: CT in 3 months for the nodule.'
    expect(parseReport(text).nodules).toEqual({ presence: 'absent', count: 0, items: [] })
  })
})

describe('report bytes', () => {
  it('reads BOM-less UTF-16 of either byte order, even Chinese with no ASCII to tell the order by', () => {
    const onlyChinese = '右上肺野见一结节'
    expect(decodeReportBytes(Buffer.from(onlyChinese, 'utf16le'))).toEqual({ text: onlyChinese, encoding: 'utf-16le' })
    expect(decodeReportBytes(Buffer.from(onlyChinese, 'utf16le').swap16())).toEqual({ text: onlyChinese, encoding: 'utf-16be' })
    // no report character and every other byte NUL the "wrong" way: the order that reads as text wins
    expect(decodeReportBytes(Buffer.from('一二三', 'utf16le'))).toEqual({ text: '一二三', encoding: 'utf-16le' })
  })
})

describe('language', () => {
  it('is Chinese when Han characters outnumber Latin words', () => {
    expect(detectLanguage('右上肺野见一约8mm实性结节，建议CT复查。')).toBe('zh')
    expect(detectLanguage('Findings: nodule in the right upper zone (patient 张三).')).toBe('en')
    expect(detectLanguage('')).toBe('en')
  })
})

describe('evidence', () => {
  it('gives offsets into the input for items, negations and normal statements', () => {
    const text = 'Heart normal. The lungs are clear. No pleural effusion.\nA 6 mm nodule projects over the left mid zone.'
    const parsed = parseReport(text)
    const [item] = parsed.nodules.items
    expect(item.evidence).toEqual({ start: text.indexOf('A 6 mm'), end: text.indexOf(' zone.') + 5, text: 'A 6 mm nodule projects over the left mid zone' })
    expect(parsed.negativeEvidence.map((e) => e.text)).toEqual(['The lungs are clear'])

    const negated = parseReport('两肺纹理清晰，未见明显结节。')
    expect(negated.nodules.presence).toBe('absent')
    expect(negated.negativeEvidence.map((e) => e.text)).toEqual(['两肺纹理清晰', '未见明显结节'])
    for (const e of negated.negativeEvidence) expect('两肺纹理清晰，未见明显结节。'.slice(e.start, e.end)).toBe(e.text)
  })

  it('tells an explicit negative from silence', () => {
    expect(parseReport('Cardiomegaly.').negativeEvidence).toEqual([])
    expect(parseReport('Cardiomegaly.').nodules.presence).toBe('absent')
  })

  it('keeps offsets exact when the text has full-width characters', () => {
    const text = '左上肺野见一约８ｍｍ磨玻璃结节。'
    const [item] = parseReport(text).nodules.items
    expect(item).toMatchObject({ sizeMm: 8, density: 'ground-glass' })
    expect(text.slice(item.evidence!.start, item.evidence!.end)).toBe(item.evidence!.text)
    expect(item.evidence!.text).toContain('８ｍｍ')
  })
})

describe('merging across sentences', () => {
  it('keeps the findings nodule and the impression nodule as one, and definite wins over uncertain', () => {
    const parsed = parseReport('Findings: 8 mm nodule in the right upper zone.\nImpression: Possible right upper zone nodule.')
    expect(parsed.nodules).toMatchObject({ presence: 'present', count: 1, items: [{ sizeMm: 8, certainty: 'definite' }] })
  })

  it('lists a definite and an uncertain nodule when present, counting the definite', () => {
    const parsed = parseReport('8 mm nodule in the right upper zone. A second nodule in the left lower zone cannot be excluded.')
    expect(parsed.nodules.presence).toBe('present')
    expect(parsed.nodules.count).toBe(1)
    expect(parsed.nodules.items.map((i) => [i.side, i.certainty])).toEqual([
      ['right', 'definite'],
      ['left', 'uncertain']
    ])
  })
})

describe('text no report holds', () => {
  it('reads a run-on "sentence" longer than any sentence in parts cut at its clauses, a place kept whole', () => {
    // the nodule's clause begins 994 characters in: a cut at exactly 1,000 would split 右肺上叶
    const text = '两肺纹理增多，'.repeat(142) + '右肺上叶见一结节，约8mm'
    expect(parseReport(text).nodules).toMatchObject({ presence: 'present', count: 1, items: [{ side: 'right', lobe: 'RUL', sizeMm: 8 }] })
  })

  it('keeps no more nodule statements than any report makes, and reads punctuation alone as nothing', () => {
    // a thousand nodules, each of its own size (so that none merges with another)
    const listed = Array.from({ length: 1000 }, (_, i) => `A ${i + 4} mm nodule in the ${i % 2 ? 'right' : 'left'} upper zone.`).join(' ')
    const parsed = parseReport(listed).nodules
    expect(parsed.presence).toBe('present')
    expect(parsed.items).toHaveLength(200)
    expect(parsed.items[199]).toMatchObject({ sizeMm: 203, side: 'right', zone: 'upper' })
    expect(parseReport('?'.repeat(5000)).nodules).toMatchObject({ presence: 'absent', items: [] })
  })
})

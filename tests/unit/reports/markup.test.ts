import { describe, expect, it } from 'vitest'
import { normaliseReportText } from '../../../src/main/reports/text'
import { parseReport } from '../../../src/main/reports'
import { encodeGb18030 } from './fixtures'

describe('report text stored as HTML (RIS databases, web exports)', () => {
  it('is read as its text: blocks and breaks are lines, entities are characters, tags and scripts are gone', () => {
    const html =
      '<html><head><style>p { color: red }</style><title>Report 17</title></head><body>' +
      '<p><b>FINDINGS:</b> A 1.2&nbsp;cm &times; 0.9&nbsp;cm nodule in the right upper zone.</p>' +
      '<div>IMPRESSION:<br/>Right upper zone nodule &amp; no effusion.<script>track()</script></div></body></html>'
    expect(normaliseReportText(html)).toBe('FINDINGS: A 1.2 cm × 0.9 cm nodule in the right upper zone.\nIMPRESSION:\nRight upper zone nodule & no effusion.')
    expect(normaliseReportText('<div>影像所见：&#x53F3;上肺野见一结节影，约8mm。</div><div>诊断意见：右上肺结节。</div>')).toBe(
      '影像所见：右上肺野见一结节影，约8mm。\n诊断意见：右上肺结节。'
    )
    expect(normaliseReportText('<table><tr><td>Findings</td><td>No nodule.</td></tr></table>')).toBe('Findings No nodule.')
  })

  it('reads the sections and sentences a plain text would have', () => {
    const html = '<p><b>FINDINGS:</b> 8 mm nodule in the right upper zone.</p><p><b>IMPRESSION:</b> Right upper zone nodule.</p>'
    const parsed = parseReport(normaliseReportText(html))
    expect(parsed.sections.impression).toBe('Right upper zone nodule.')
    expect(parsed.nodules.count).toBe(1)
  })

  it('reads hostile markup in one pass: openings without a close leave the text after them', () => {
    expect(normaliseReportText('<p>No nodule.</p><script>never closed<p>Impression: normal.</p>')).toBe('No nodule.\nnever closed\nImpression: normal.')
    expect(normaliseReportText('<p>No nodule.</p><!-- open comment<p>Normal.</p>')).toBe('No nodule.\n<!-- open comment\nNormal.')
    // a hundred thousand unclosed openings: a scan per opening would not end within the test's time
    const hostile = `<p>No nodule.</p>${'<script><!--<style '.repeat(100_000)}`
    expect(normaliseReportText(hostile).startsWith('No nodule.')).toBe(true)
  })

  it('leaves text that only looks like markup alone', () => {
    for (const text of ['Nodule <5 mm in the right upper zone, >2 years stable.', 'A & B: no nodule.', 'Size <8mm>', '右上肺结节<1cm']) {
      expect(normaliseReportText(text)).toBe(text)
    }
  })
})

describe('report text stored as RTF (word processors, RIS report columns)', () => {
  /** Chinese text as a Chinese Word writes it: GBK bytes as \'hh escapes in an \ansicpg936 document. */
  const escaped = (text: string): string => [...encodeGb18030(text)].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\'${b.toString(16)}`)).join('')

  it('is read as its text in the document code page, without its tables, info or hidden groups', () => {
    const rtf =
      '{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 ' + escaped('宋体') + ';}}\r\n' +
      '{\\colortbl ;\\red0\\green0\\blue0;}{\\*\\generator Riched20 10.0.19041;}{\\info{\\author ' + escaped('张医生') + '}}\\viewkind4\\uc1\r\n' +
      '\\pard\\sa200\\f0\\fs22 ' + escaped('影像所见：右上肺野见一结节影，约8mm。') + '\\par\r\n' +
      escaped('诊断意见：右上肺结节。') + '\\par\r\n}'
    expect(normaliseReportText(rtf)).toBe('影像所见：右上肺野见一结节影，约8mm。\n诊断意见：右上肺结节。')
  })

  it('reads \\u characters (skipping their stand-ins), symbols and escaped braces', () => {
    const rtf = '{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 FINDINGS:\\tab A 1.2 \\u215\\\'d7 0.9 cm nodule \\{RUZ\\} \\endash  stable.\\line IMPRESSION: Nodule.\\par}'
    expect(normaliseReportText(rtf)).toBe('FINDINGS: A 1.2 × 0.9 cm nodule {RUZ} – stable.\nIMPRESSION: Nodule.')
    expect(parseReport(normaliseReportText(rtf)).nodules.items[0]).toMatchObject({ sizeMm: 12, sizeShortMm: 9 })
  })
})

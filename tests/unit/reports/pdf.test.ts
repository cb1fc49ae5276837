import { describe, expect, it } from 'vitest'
import { MAX_REPORT_PDF_PAGES, pdfReportText, pdfText } from '../../../src/main/reports/pdf'
import { parseReport } from '../../../src/main/reports'
import { writePdf } from '../../helpers/pdf-writer'

describe('pdfText', () => {
  it('reads an English report line by line, its pages one after the other', async () => {
    const pdf = writePdf([['FINDINGS:', 'A 12 mm nodule in the right upper zone (see image 3).'], ['IMPRESSION:', 'Right upper zone nodule.']])
    expect(await pdfText(pdf)).toBe('FINDINGS:\nA 12 mm nodule in the right upper zone (see image 3).\nIMPRESSION:\nRight upper zone nodule.')
  })

  it('reads Chinese written in a font the PDF does not embed (STSong-Light, UniGB-UCS2-H) through the character maps', async () => {
    const text = await pdfReportText(writePdf([['检查所见：', '右上肺野见一结节影，大小约12mm。', '诊断意见：', '右上肺结节。']]))
    expect(text).toBe('检查所见：\n右上肺野见一结节影，大小约12mm。\n诊断意见：\n右上肺结节。')
    expect(parseReport(text).nodules).toMatchObject({ presence: 'present', count: 1, items: [{ side: 'right', zone: 'upper', sizeMm: 12 }] })
  })

  it('leaves the bytes it was given whole', async () => {
    const pdf = writePdf([['FINDINGS:', 'No nodule.']])
    const copy = Buffer.from(pdf)
    await pdfText(pdf)
    expect(pdf.equals(copy)).toBe(true)
  })
})

describe('pdfReportText refuses, in words', () => {
  it('a password-protected PDF, a file that is no PDF, and a PDF of more pages than any report', async () => {
    await expect(pdfReportText(writePdf([['FINDINGS:', 'No nodule.']], { passwordProtected: true }))).rejects.toThrow(
      'the PDF is password-protected, so its text cannot be read'
    )
    await expect(pdfReportText(Buffer.from('FINDINGS: No nodule.'))).rejects.toThrow(/^it is not a readable PDF \(/)
    const pages = Array.from({ length: MAX_REPORT_PDF_PAGES + 1 }, () => ['FINDINGS:', 'No nodule.'])
    await expect(pdfReportText(writePdf(pages))).rejects.toThrow(`it has ${MAX_REPORT_PDF_PAGES + 1} pages, more than a report (limit ${MAX_REPORT_PDF_PAGES})`)
  })

  it('a PDF with no text (a scanned page) and one that reads as no report (a request form)', async () => {
    await expect(pdfReportText(writePdf([[]]))).rejects.toThrow('the PDF holds no text (a scanned page?')
    await expect(pdfReportText(writePdf([['Request for examination', 'Chest PA: cough for 3 weeks, rule out nodule.']]))).rejects.toThrow(
      'the PDF reads as no report: it has no Findings or Impression heading'
    )
  })
})

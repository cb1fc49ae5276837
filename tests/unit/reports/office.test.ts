import { beforeAll, describe, expect, it } from 'vitest'
import { strToU8, zipSync } from 'fflate'
import { documentText, openDocumentSpreadsheetSheets, openDocumentText, workbookSheets } from '../../../src/main/reports/office'
import { flatOdt, sofficeAvailable, sofficeMissingReason, textBoxOdt, writeWordDocuments } from '../../helpers/doc-writer'
import { docx, xlsx } from './fixtures'

describe('the sheets of an .xlsx workbook', () => {
  const workbookRows = (bytes: Uint8Array): string[][] => workbookSheets(bytes)[0].rows

  it('reads shared and inline strings, numbers, date-styled numbers and gaps (rows keep their place); its sheets named, in the order the workbook lists them', () => {
    const sheet =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>' +
      '<row r="2" spans="1:4"><c r="A2"><v>1234567</v></c><c r="B2" s="1"><v>46027</v></c><c r="C2"/>' +
      '<c r="D2" t="inlineStr"><is><r><t>右上肺野结节</t></r><r><t xml:space="preserve">，约8mm &amp; 稳定</t></r></is></c></row>' +
      '<row r="3"/>' +
      '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" s="2"><v>46028.75</v></c><c r="D4" t="s"><v>4</v></c></row>'
    expect(workbookRows(xlsx(sheet, ['检查号', 'Exam date', 'Report', '0001234', 'A <5 mm nodule.']))).toEqual([
      ['检查号', 'Exam date', '', 'Report'],
      ['1234567', '2026-01-05', '', '右上肺野结节，约8mm & 稳定'],
      [],
      ['0001234', '2026-01-06', '', 'A <5 mm nodule.']
    ])
    expect(workbookSheets(xlsx(sheet, ['检查号'])).map((s) => [s.name, s.rows.length])).toEqual([
      ['报告', 4],
      ['Other', 1]
    ])
  })

  it('counts dates of a Mac workbook from 1904', () => {
    expect(workbookRows(xlsx('<row r="1"><c r="A1" s="1"><v>44565</v></c></row>', [], { date1904: true }))).toEqual([['2026-01-05']])
  })

  it('reads a hostile sheet in one pass and refuses cells beyond Excel\'s limits', () => {
    // a hundred thousand rows opened and never closed: a scan per opening would not end within the test's time
    const unclosed = `<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>${'<row r="2"><c r="A2">'.repeat(100_000)}`
    expect(workbookRows(xlsx(unclosed, []))).toEqual([['a']])
    expect(() => workbookRows(xlsx('<row r="999999999"><c r="A999999999"><v>1</v></c></row>', []))).toThrow(/a row is numbered 999999999, beyond Excel's 1048576 rows/)
    expect(() => workbookRows(xlsx('<row r="1"><c r="ZZZZ1"><v>1</v></c></row>', []))).toThrow(/a cell lies in column 475254, beyond Excel's 16384/)
    // a workbook that lists one sheet a hundred thousand times holds one sheet (read once, not once a listing)
    const listed = zipSync({
      'xl/workbook.xml': strToU8(`<workbook><sheets>${'<sheet name="S" r:id="rId1"/>'.repeat(100_000)}</sheets></workbook>`),
      'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
      'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${'<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(10_000)}</sheetData></worksheet>`)
    })
    expect(workbookSheets(listed).map((sheet) => [sheet.name, sheet.rows.length])).toEqual([['S', 10_000]])
  })

  it('says what is wrong with a file that is no workbook', () => {
    expect(() => workbookRows(new Uint8Array([0x50, 0x4b, 1, 2, 3]))).toThrow(/not a readable .xlsx workbook/)
    expect(() => workbookRows(zipSync({ 'word/document.xml': strToU8('<w/>') }))).toThrow(/not an .xlsx workbook: it holds no worksheet/)
    // a sheet that says it unpacks to 1.5 GB (a zip bomb's headers) is refused before it is unpacked
    const bomb = Buffer.from(zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(1 << 16) }, { level: 9 }))
    for (const [signature, sizeAt] of [[0x04034b50, 22], [0x02014b50, 24]]) bomb.writeUInt32LE(3 << 29, bomb.indexOf(Buffer.from(new Uint32Array([signature]).buffer)) + sizeAt)
    expect(() => workbookRows(bomb)).toThrow(/its parts unpack to 1536 MB, more than a workbook of reports holds/)
  })

  it('refuses a sheet of more empty rows or cells than a sheet of reports holds as it reads them, not when memory runs out', () => {
    // a few hundred kilobytes of zip that unpack under the limit to tens of millions of empty elements
    const header = '<row r="1"><c t="inlineStr"><is><t>Accession</t></is></c><c t="inlineStr"><is><t>Report</t></is></c></row>'
    expect(() => workbookRows(xlsx(header + '<row/>'.repeat(20_000_001), []))).toThrow('it holds more than 20,000,000 <row> elements in one part, more than a file of reports holds')
    expect(() => workbookRows(xlsx(header + `<row>${'<c/>'.repeat(21)}</row>`.repeat(1_000_000), []))).toThrow('it holds more than 20,000,000 cells, more than a sheet of reports holds')
  })
})

describe('the sheets of an OpenDocument spreadsheet (.ods)', () => {
  const ods = (tables: string) =>
    zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'),
      'content.xml': strToU8(`<office:document-content><office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`)
    })
  const text = (value: string) => `<table:table-cell office:value-type="string"><text:p>${value}</text:p></table:table-cell>`

  it('keeps every cell at its place: repeated and covered cells, repeated rows, and not the empty rows Calc writes to the sheet\'s end', () => {
    const sheet =
      '<table:table table:name="Reports"><table:table-column table:number-columns-repeated="4"/>' +
      `<table:table-row>${text('Accession')}<table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>Report</text:p></table:table-cell><table:covered-table-cell/>${text('Signed')}</table:table-row>` +
      '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>' +
      `<table:table-row><table:table-cell office:value-type="float" office:value="1001"><text:p>1,001</text:p></table:table-cell>` +
      `<table:table-cell office:value-type="string"><text:p>FINDINGS:<text:tab/>8 mm<text:s text:c="2"/>nodule &amp; more.</text:p><text:p>IMPRESSION: nodule.</text:p>` +
      '<office:annotation><dc:creator>Dr Li</dc:creator><text:p>check the size</text:p></office:annotation></table:table-cell>' +
      '<table:table-cell/><table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p></table:table-cell></table:table-row>' +
      `<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2"/>${text('same')}</table:table-row>` +
      '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>' +
      `<table:table table:name="Other"><table:table-row>${text('not this sheet')}</table:table-row></table:table>`
    const [reports, other] = openDocumentSpreadsheetSheets(ods(sheet))
    expect(other).toEqual({ name: 'Other', rows: [['not this sheet']] })
    expect(reports.name).toBe('Reports')
    expect(reports.rows).toEqual([
      ['Accession', 'Report', '', 'Signed'],
      [],
      [],
      ['1001', 'FINDINGS:\t8 mm  nodule & more.\nIMPRESSION: nodule.', '', 'TRUE'],
      ['', '', 'same'],
      ['', '', 'same']
    ])
  })

  it('refuses repeat counts that would make billions of cells, and says what a package without a sheet is', () => {
    const bomb = `<table:table><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>`
    expect(() => openDocumentSpreadsheetSheets(ods(bomb))).toThrow(/^its repeated rows and cells make more than 20000000 cells/)
    expect(() => openDocumentSpreadsheetSheets(ods(''))).toThrow('it is not an OpenDocument spreadsheet: it holds no sheet')
    expect(() => openDocumentSpreadsheetSheets(Buffer.from('not a zip'))).toThrow(/^it is not a readable \.ods spreadsheet/)
  })
})

describe('the text of a .docx document', () => {
  it('is its paragraphs as lines, with runs joined, tabs and breaks kept, deleted text and field codes left out', () => {
    const run = (text: string) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${text}</w:t></w:r>`
    const body =
      `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>${run('影像所见：')}</w:p>` +
      `<w:p>${run('右上肺野见一结节影，')}<w:proofErr w:type="spellStart"/>${run('约8mm')}<w:del><w:r><w:delText>约6mm</w:delText></w:r></w:del>${run('。')}</w:p>` +
      `<w:tbl><w:tr><w:tc><w:p>${run('诊断意见：')}<w:r><w:tab/></w:r>${run('右上肺结节 &amp; 随访。')}</w:p></w:tc></w:tr></w:tbl>` +
      `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>${run('Dr. A')}<w:r><w:br/></w:r>${run('2026-01-05')}</w:p><w:p/>`
    expect(documentText(docx(body))).toBe('影像所见：\n右上肺野见一结节影，约8mm。\n诊断意见：\t右上肺结节 & 随访。\nDr. A\n2026-01-05\n')
  })

  it('says what is wrong with a file that is no document', () => {
    expect(() => documentText(zipSync({ 'xl/workbook.xml': strToU8('<w/>') }))).toThrow(/not a .docx document: it holds no word\/document.xml/)
    expect(() => documentText(new Uint8Array([1, 2, 3]))).toThrow(/not a readable .docx document/)
  })
})

describe.skipIf(!sofficeAvailable)(`the text of an OpenDocument text (.odt written by LibreOffice)${sofficeAvailable ? '' : ` — skipped: ${sofficeMissingReason}`}`, () => {
  let written: ReturnType<typeof writeWordDocuments>
  beforeAll(() => {
    const report = flatOdt(
      '<text:h text:outline-level="1">胸部正位片报告</text:h>' +
        '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/><table:table-row>' +
        '<table:table-cell><text:p>检查号：A123</text:p></table:table-cell><table:table-cell><text:p>姓名：张三</text:p></table:table-cell>' +
        '</table:table-row></table:table>' +
        '<text:p>检查所见：<text:tab/>右上肺野见一结节影<text:line-break/>大小约8mm。<office:annotation><dc:creator>Dr Li</dc:creator><text:p>recheck the size</text:p></office:annotation></text:p>' +
        '<text:list><text:list-item><text:p>诊断意见：右上肺野结节， <text:s/>建议CT。</text:p></text:list-item></text:list>',
      'City Hospital radiology'
    )
    // a text box anchored inside the findings' paragraph, holding the patient's fields
    const boxed = flatOdt(`<text:p>检查所见：右上肺野见一结节影，${textBoxOdt(['检查号：A123', '姓名：张三'])}大小约8mm。</text:p><text:p>诊断意见：右上肺野结节。</text:p>`)
    written = writeWordDocuments({ report, boxed })
  }, 180_000)

  it('is what the .docx of the same document reads: headings, table cells and list items as lines, tabs, line breaks and runs of spaces kept, no comment, no page header', () => {
    const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '')
    const text = openDocumentText(written.report.odt)
    expect(lines(text)).toEqual(['胸部正位片报告', '检查号：A123', '姓名：张三', '检查所见：\t右上肺野见一结节影', '大小约8mm。', '诊断意见：右上肺野结节，  建议CT。'])
    expect(lines(text)).toEqual(lines(documentText(written.report.docx)))
  })

  it('reads a text box once, as lines of their own after the paragraph that anchors it (a .docx stores the box twice: for Word 2010 and for older readers)', () => {
    const expected = '检查所见：右上肺野见一结节影，大小约8mm。\n检查号：A123\n姓名：张三\n诊断意见：右上肺野结节。'
    const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '').join('\n')
    expect(lines(openDocumentText(written.boxed.odt))).toBe(expected)
    expect(lines(documentText(written.boxed.docx))).toBe(expected)
  })

  it('says what is wrong with a package that is no OpenDocument text', () => {
    expect(() => openDocumentText(zipSync({ 'mimetype': strToU8('application/vnd.oasis.opendocument.text') }))).toThrow('it is not an OpenDocument text: it holds no content.xml')
    expect(() => openDocumentText(Buffer.from('not a zip'))).toThrow(/^it is not a readable \.odt document/)
  })
})

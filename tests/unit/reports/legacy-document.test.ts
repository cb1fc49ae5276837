import { beforeAll, describe, expect, it } from 'vitest'
import { legacyDocumentText } from '../../../src/main/reports/legacy-document'
import { documentText, openDocumentText } from '../../../src/main/reports/office'
import { seededRandom } from '../../helpers/dicom-corpus'
import { flatOdt, paragraphsOdt, sofficeAvailable, sofficeMissingReason, textBoxOdt, writeWordDocuments } from '../../helpers/doc-writer'

const english = 'FINDINGS:\nThere is a 7 mm nodule in the right upper zone.\n\nIMPRESSION:\nRight upper zone nodule.'
const chinese = '检查所见：\n右上肺野見一結節影，大小约8mm。\n诊断意见：\n右上肺野结节。'
const western = 'Findings: Café-au-lait – a 7 mm nodule, right upper zone.'
const rich = flatOdt(
  '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/><table:table-row>' +
    '<table:table-cell><text:p>检查号：A123</text:p></table:table-cell><table:table-cell><text:p>姓名：张三</text:p></table:table-cell>' +
    '</table:table-row></table:table>' +
    '<text:p>检查所见：<text:tab/>右上肺野见一结节影<text:line-break/>大小约8mm。</text:p>' +
    '<text:p>Page <text:page-number text:select-page="current">1</text:page-number> of the report</text:p>',
  'City Hospital radiology'
)
// a report edited with changes tracked: "No nodule." deleted, not yet accepted
const tracked = flatOdt(
  '<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Dr Li</dc:creator>' +
    '<dc:date>2026-01-05T10:00:00</dc:date></office:change-info><text:p>No nodule. </text:p></text:deletion></text:changed-region></text:tracked-changes>' +
    '<text:p>FINDINGS: <text:change text:change-id="ct1"/>An 8 mm nodule in the right upper zone.</text:p><text:p>IMPRESSION: Right upper zone nodule.</text:p>'
)
// text boxes: two of the patient's fields anchored in the findings' paragraph, a signature in the impression's
const boxed = flatOdt(
  `<text:p>检查所见：右上肺野见一结节影，${textBoxOdt(['检查号：A123'])}大小约8mm。${textBoxOdt(['姓名：张三'])}</text:p>` +
    `<text:p>诊断意见：右上肺野结节。${textBoxOdt(['报告医师：李医生'])}</text:p><text:p>2026-01-05</text:p>`
)
const longReport = Array.from({ length: 1500 }, (_, i) => `${i}. 两肺纹理清晰，未见结节。No nodule in line ${i}.`).join('\n')

let written: ReturnType<typeof writeWordDocuments>
beforeAll(() => {
  if (sofficeAvailable)
    written = writeWordDocuments({ english: paragraphsOdt(english), chinese: paragraphsOdt(chinese), western: paragraphsOdt(western), rich, tracked, boxed, longReport: paragraphsOdt(longReport) })
}, 180_000)

const lines = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '')

/** The offset of the WordDocument stream in the file (LibreOffice writes it in one run of sectors): its FIB's wIdent. */
function fibAt(doc: Buffer): number {
  const at = doc.indexOf(Buffer.from([0xec, 0xa5]))
  if (at < 0) throw new Error('no FIB')
  return at
}

/**
 * The document as Word writes Western text: its one piece turned into 8-bit Windows-1252 characters
 * ("compressed", MS-DOC 2.4.1), which LibreOffice never writes. The piece table (one piece from CP 0)
 * is found by its bytes; the text is written over the start of its UTF-16 form.
 */
function withCompressedPiece(doc: Buffer, text: string): Buffer {
  const patched = Buffer.from(doc)
  const pcdt = patched.indexOf(Buffer.from([0x02, 16, 0, 0, 0, 0, 0, 0, 0]))
  if (pcdt < 0) throw new Error('not a one-piece document')
  const fcAt = pcdt + 1 + 4 + 8 + 2
  const fc = patched.readUInt32LE(fcAt)
  patched.writeUInt32LE((fc * 2) | 0x40000000, fcAt)
  const cp1252: Record<string, number> = { é: 0xe9, '–': 0x96 }
  const utf16 = patched.subarray(fibAt(patched) + fc, fibAt(patched) + fc + 2 * (text.length + 1)).toString('utf16le')
  Buffer.from([...utf16].map((ch) => cp1252[ch] ?? ch.charCodeAt(0))).copy(patched, fibAt(patched) + fc)
  return patched
}

describe.skipIf(!sofficeAvailable)(`legacyDocumentText (Word 97–2003 .doc written by LibreOffice)${sofficeAvailable ? '' : ` — skipped: ${sofficeMissingReason}`}`, () => {
  it('reads an English and a Chinese report a line per paragraph, in the pieces\' UTF-16', () => {
    expect(lines(legacyDocumentText(written.english.doc).text)).toEqual(lines(english))
    const read = legacyDocumentText(written.chinese.doc)
    expect(lines(read.text)).toEqual(lines(chinese))
    expect(read.encoding).toBe('utf-16le')
  })

  it('reads what the .docx of the same document reads: table cells as lines, tabs, line breaks, a field\'s result and not its code, no page header', () => {
    const { text } = legacyDocumentText(written.rich.doc)
    expect(lines(text)).toEqual(lines(documentText(written.rich.docx)))
    expect(lines(text)).toEqual(['检查号：A123', '姓名：张三', '检查所见：\t右上肺野见一结节影', '大小约8mm。', 'Page 1 of the report'])
  })

  it('leaves out the text a tracked change deleted, as the .docx and the .odt of the same document do', () => {
    const expected = ['FINDINGS: An 8 mm nodule in the right upper zone.', 'IMPRESSION: Right upper zone nodule.']
    expect(lines(legacyDocumentText(written.tracked.doc).text)).toEqual(expected)
    expect(lines(documentText(written.tracked.docx))).toEqual(expected)
    expect(lines(openDocumentText(written.tracked.odt))).toEqual(expected)
  })

  it('reads a text box as lines of their own after the paragraph that anchors it, as the .docx and the .odt of the same document do', () => {
    const expected = ['检查所见：右上肺野见一结节影，大小约8mm。', '检查号：A123', '姓名：张三', '诊断意见：右上肺野结节。', '报告医师：李医生', '2026-01-05']
    expect(lines(legacyDocumentText(written.boxed.doc).text)).toEqual(expected)
    expect(lines(documentText(written.boxed.docx))).toEqual(expected)
    expect(lines(openDocumentText(written.boxed.odt))).toEqual(expected)
  })

  it('reads a document too large for the mini stream', () => {
    expect(written.longReport.doc.length).toBeGreaterThan(64 * 1024)
    expect(lines(legacyDocumentText(written.longReport.doc).text)).toEqual(lines(longReport))
  })

  it('reads 8-bit pieces as Windows-1252, as Word stores Western text', () => {
    const read = legacyDocumentText(withCompressedPiece(written.western.doc, western))
    expect(read.text.trim()).toBe(western)
    expect(read.encoding).toBe('windows-1252')
  })

  it('refuses in words what it does not read: no compound file, no Word document, Word 6.0/95, a password, a damaged file', () => {
    expect(() => legacyDocumentText(Buffer.from('FINDINGS: no nodule.'))).toThrow('it is not a Word 97–2003 document (no OLE compound file signature)')
    const doc = written.english.doc
    const fib = fibAt(doc)
    const word95 = Buffer.from(doc)
    word95.writeUInt16LE(0x65, fib + 2)
    expect(() => legacyDocumentText(word95)).toThrow('it is a Word 6.0/95 (or older) document, which is not read: save it as .docx, PDF or text')
    const encrypted = Buffer.from(doc)
    encrypted.writeUInt16LE(encrypted.readUInt16LE(fib + 0x0a) | 0x0100, fib + 0x0a)
    expect(() => legacyDocumentText(encrypted)).toThrow('it is protected by a password, so its text cannot be read')
    const renamed = Buffer.from(doc)
    const name = renamed.indexOf(Buffer.from('WordDocument', 'utf16le'))
    Buffer.from('WordDocumenX', 'utf16le').copy(renamed, name)
    expect(() => legacyDocumentText(renamed)).toThrow('it is not a Word document: its compound file holds no WordDocument stream')
    expect(() => legacyDocumentText(doc.subarray(0, 3000))).toThrow(/compound file|truncated|damaged/)
  })

  it('answers every damaged copy of a document with text or a reason in words', () => {
    const rand = seededRandom(9)
    for (const doc of [written.chinese.doc, written.rich.doc, written.boxed.doc]) {
      for (let i = 0; i < 200; i++) {
        const damaged = Buffer.from(doc)
        for (let k = 0; k < 1 + Math.floor(rand() * 8); k++) damaged[Math.floor(rand() * damaged.length)] = Math.floor(rand() * 256)
        try {
          expect(typeof legacyDocumentText(damaged).text).toBe('string')
        } catch (err) {
          expect((err as Error).constructor).toBe(Error)
          expect((err as Error).message).toMatch(/^(its|it is|the|a) /)
        }
      }
    }
  })
})

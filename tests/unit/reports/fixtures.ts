/**
 * Fixtures made by code for the report tests: GB18030 bytes (Node encodes only UTF-8, so the
 * two-byte table is built by inverting the GB18030 decoder) and a minimal DICOM SR writer
 * (explicit VR little endian, defined-length sequences) whose output dicom-parser reads; a minimal .xlsx and .docx.
 */
import { strToU8, zipSync } from 'fflate'

let gbTable: Map<string, number[]> | null = null

/** GB18030 bytes of text made of ASCII and characters of the two-byte (GBK) range. */
export function encodeGb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map()
    const decoder = new TextDecoder('gb18030')
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue
        const ch = decoder.decode(Uint8Array.of(lead, trail))
        if (ch.length === 1 && ch !== '\uFFFD' && !gbTable.has(ch)) gbTable.set(ch, [lead, trail])
      }
    }
  }
  const bytes: number[] = []
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (code < 0x80) bytes.push(code)
    else {
      const pair = gbTable.get(ch)
      if (!pair) throw new Error(`no two-byte GB18030 code for ${ch}`)
      bytes.push(...pair)
    }
  }
  return Buffer.from(bytes)
}

type DicomValue = { vr: 'SQ'; items: DicomElements[] } | { vr: string; bytes: Buffer }
/** Elements by tag "ggggeeee" (hex). */
export type DicomElements = Record<string, DicomValue>

export const str = (vr: string, value: string): DicomValue => ({ vr, bytes: Buffer.from(value, 'latin1') })
export const bytesOf = (vr: string, bytes: Buffer): DicomValue => ({ vr, bytes })
export const seq = (...items: DicomElements[]): DicomValue => ({ vr: 'SQ', items })

const longLengthVrs = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR'])

function pad(vr: string, bytes: Buffer): Buffer {
  if (bytes.length % 2 === 0) return bytes
  return Buffer.concat([bytes, Buffer.from([vr === 'UI' || vr === 'OB' ? 0 : 0x20])])
}

function encodeElements(elements: DicomElements): Buffer {
  const parts: Buffer[] = []
  for (const tag of Object.keys(elements).sort()) {
    const value = elements[tag]
    const group = parseInt(tag.slice(0, 4), 16)
    const element = parseInt(tag.slice(4), 16)
    const body =
      value.vr === 'SQ'
        ? Buffer.concat(
            (value as { items: DicomElements[] }).items.map((item) => {
              const content = encodeElements(item)
              const header = Buffer.alloc(8)
              header.writeUInt16LE(0xfffe, 0)
              header.writeUInt16LE(0xe000, 2)
              header.writeUInt32LE(content.length, 4)
              return Buffer.concat([header, content])
            })
          )
        : pad(value.vr, (value as { bytes: Buffer }).bytes)
    const long = longLengthVrs.has(value.vr)
    const header = Buffer.alloc(long ? 12 : 8)
    header.writeUInt16LE(group, 0)
    header.writeUInt16LE(element, 2)
    header.write(value.vr, 4, 'latin1')
    if (long) header.writeUInt32LE(body.length, 8)
    else header.writeUInt16LE(body.length, 6)
    parts.push(header, body)
  }
  return Buffer.concat(parts)
}

/** A Part 10 file: preamble, DICM, file meta (explicit VR little endian) and the data set. */
export function dicomFile(dataSet: DicomElements, sopClassUid: string, sopInstanceUid: string): Buffer {
  const metaBody = encodeElements({
    '00020001': bytesOf('OB', Buffer.from([0, 1])),
    '00020002': str('UI', sopClassUid),
    '00020003': str('UI', sopInstanceUid),
    '00020010': str('UI', '1.2.840.10008.1.2.1')
  })
  const groupLength = encodeElements({ '00020000': bytesOf('UL', Buffer.from(Uint32Array.of(metaBody.length).buffer)) })
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, metaBody, encodeElements(dataSet)])
}

/** A content item of an SR tree with a concept name. */
export type TextEncoding = (s: string) => Buffer
const latin1: TextEncoding = (s) => Buffer.from(s, 'latin1')

export function contentItem(valueType: string, conceptName: string, value: DicomElements = {}, encode: TextEncoding = latin1): DicomElements {
  return {
    '0040a010': str('CS', 'CONTAINS'),
    '0040a040': str('CS', valueType),
    '0040a043': seq({ '00080100': str('SH', '121071'), '00080102': str('SH', 'DCM'), '00080104': bytesOf('LO', encode(conceptName)) }),
    ...value
  }
}

/** A minimal .xlsx as Excel writes one: shared strings, an inline string, a date-styled number, a gap. */
export function xlsx(sheetXml: string, sharedStrings: string[], options: { date1904?: boolean } = {}): Uint8Array {
  const si = sharedStrings.map((s) => `<si><t xml:space="preserve">${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t></si>`).join('')
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'xl/workbook.xml': strToU8(
      `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${options.date1904 ? '<workbookPr date1904="1"/>' : ''}` +
        '<sheets><sheet name="报告" sheetId="1" r:id="rId3"/><sheet name="Other" sheetId="2" r:id="rId1"/></sheets></workbook>'
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Target="/xl/worksheets/sheet2.xml"/></Relationships>'
    ),
    'xl/sharedStrings.xml': strToU8(`<sst>${si}</sst>`),
    'xl/styles.xml': strToU8(
      '<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>' +
        '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>'
    ),
    'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not this sheet</t></is></c></row></sheetData></worksheet>'),
    'xl/worksheets/sheet2.xml': strToU8(`<worksheet><sheetData>${sheetXml}</sheetData></worksheet>`)
  })
}

/** A minimal .docx as Word writes one: paragraphs of runs, a table cell, a tab, a tracked deletion, a field code. */
export function docx(paragraphsXml: string): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'word/document.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:body>${paragraphsXml}<w:sectPr/></w:body></w:document>`
    )
  })
}

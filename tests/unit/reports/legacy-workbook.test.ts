import { describe, expect, it } from 'vitest'
import { legacyWorkbookSheets } from '../../../src/main/reports/legacy-workbook'
import { seededRandom } from '../../helpers/dicom-corpus'
import { writeXls } from '../../helpers/xls-writer'

/** The rows of the workbook's first sheet. */
const firstSheetRows = (bytes: Buffer): string[][] => legacyWorkbookSheets(bytes)[0].rows

const small = (): Buffer => writeXls([{ name: '报告', rows: [['检查号', '报告'], ['ACC1', '右上肺野见一约8mm结节。'], ['ACC2', 12.5], [{ date: '2026-01-05' }, true]] }])

/** The offset of a BIFF record of `type` in the workbook stream (xlwt writes the stream in one run of sectors). */
function recordAt(bytes: Buffer, type: number, length: number): number {
  const head = Buffer.from([type & 0xff, type >> 8, length & 0xff, length >> 8])
  const at = bytes.indexOf(head)
  if (at < 0) throw new Error(`no record ${type.toString(16)} of length ${length}`)
  return at
}

describe('legacyWorkbookSheets', () => {
  it('reads every worksheet, named, in the order the workbook lists them', () => {
    const book = writeXls([
      { name: '2026年1月', rows: [['检查号', '报告'], ['ACC1', '右上肺野见一约8mm结节。']] },
      { name: '2026年2月', rows: [['检查号', '报告'], ['ACC2', '两肺未见结节。']] },
      { name: 'Notes', rows: [] }
    ])
    expect(legacyWorkbookSheets(book)).toEqual([
      { name: '2026年1月', rows: [['检查号', '报告'], ['ACC1', '右上肺野见一约8mm结节。']] },
      { name: '2026年2月', rows: [['检查号', '报告'], ['ACC2', '两肺未见结节。']] },
      { name: 'Notes', rows: [] }
    ])
  })

  it('reads cells as text: shared strings, numbers, dates, booleans, gaps kept', () => {
    expect(firstSheetRows(small())).toEqual([
      ['检查号', '报告'],
      ['ACC1', '右上肺野见一约8mm结节。'],
      ['ACC2', '12.5'],
      ['2026-01-05', 'TRUE']
    ])
  })

  it('reads a workbook whose shared strings run on over many CONTINUE records, from its regular (not mini) stream', () => {
    const text = (i: number): string => '两肺纹理清晰，未见结节。'.repeat(1 + (i % 7)) + (i % 2 ? 'No nodule.' : 'Ünïcödé') + i
    const rows = Array.from({ length: 2000 }, (_, i) => [`ACC${i}`, text(i), 100000 + i])
    const read = firstSheetRows(writeXls([{ name: 'export', rows }]))
    expect(read).toHaveLength(2000)
    expect(read.every((row, i) => row[0] === `ACC${i}` && row[1] === text(i) && row[2] === String(100000 + i))).toBe(true)
  })

  it('refuses in words what it does not read: no workbook, Excel 95, a password, a damaged file', () => {
    expect(() => firstSheetRows(Buffer.from('Accession\tReport\n'))).toThrow('it is not an Excel 97–2003 workbook (no OLE compound file signature)')
    const book = small()
    const excel95 = Buffer.from(book)
    // the directory entry's name "Workbook" (UTF-16) becomes "Book"
    const name = excel95.indexOf(Buffer.from('Workbook', 'utf16le'))
    Buffer.from('Book\0\0\0\0\0\0\0\0\0\0\0\0', 'utf16le').copy(excel95, name)
    excel95.writeUInt16LE(10, name + 0x40)
    expect(() => firstSheetRows(excel95)).toThrow('it is an Excel 5.0/95 workbook, which is not read: save it as .xlsx or CSV')
    const encrypted = Buffer.from(book)
    encrypted.writeUInt16LE(0x002f, recordAt(encrypted, 0x0022, 2)) // DATEMODE becomes FILEPASS
    expect(() => firstSheetRows(encrypted)).toThrow('the workbook is password-protected (encrypted)')
    expect(() => firstSheetRows(book.subarray(0, 1000))).toThrow(/compound file|truncated/)
  })

  it('refuses a sector chain that loops instead of following it', () => {
    const looped = Buffer.from(small())
    const fatSector = looped.readUInt32LE(0x4c)
    const fat = (fatSector + 1) * 512
    // every FAT entry points back to sector 0
    for (let i = 0; i < 128; i++) looped.writeUInt32LE(0, fat + 4 * i)
    expect(() => firstSheetRows(looped)).toThrow(/broken sector chain|loop/)
  })

  it('answers every damaged copy of a workbook with rows or a reason in words, quickly', () => {
    const rand = seededRandom(5)
    const book = small()
    for (let i = 0; i < 300; i++) {
      const damaged = Buffer.from(book)
      for (let k = 0; k < 1 + Math.floor(rand() * 8); k++) damaged[Math.floor(rand() * damaged.length)] = Math.floor(rand() * 256)
      try {
        expect(Array.isArray(legacyWorkbookSheets(damaged))).toBe(true)
      } catch (err) {
        expect(err).toBeInstanceOf(Error)
        expect((err as Error).constructor).toBe(Error)
        expect((err as Error).message).toMatch(/^(its|it is|the|a) /)
      }
    }
  })
})

import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { readDisplayTags, readInstanceHeader, readPixelLayout } from '../../../src/main/dicom/header'
import { parseDicomFile } from '../../../src/main/dicom/parse'
import { notChestRadiograph, readProjection } from '../../../src/main/dicom/projection'
import { dcmtk, dcmtkAvailable, dcmtkMissingReason, image } from '../../helpers/dicom-corpus'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-header-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const spec = { rows: 8, columns: 8, bitsAllocated: 16, bitsStored: 12 } as const
const voiLut = Array.from({ length: 4096 }, (_, i) => Math.min(255, i >> 4))

function withLuts(): Buffer {
  return image(spec, {
    extra: {
      VOILUTFunction: 'SIGMOID',
      WindowCenter: [1000, 2000],
      WindowWidth: [500, 800],
      VOILUTSequence: [{ LUTDescriptor: [4096, 0, 8], LUTExplanation: 'NORMAL', LUTData: voiLut, _vrMap: { LUTDescriptor: 'US', LUTData: 'US' } }],
      PresentationLUTShape: 'INVERSE',
      PresentationIntentType: 'FOR PROCESSING',
      ViewPosition: 'AP',
      EstimatedRadiographicMagnificationFactor: '1.15'
    }
  }).bytes
}

function check(bytes: Buffer): void {
  const dataSet = parseDicomFile(bytes)
  const layout = readPixelLayout(dataSet)
  const tags = readDisplayTags(dataSet, layout)
  expect(tags.windows).toEqual([
    { center: 1000, width: 500, explanation: null },
    { center: 2000, width: 800, explanation: null }
  ])
  expect(tags.voiLutFunction).toBe('SIGMOID')
  expect(tags.voiLuts).toHaveLength(1)
  expect(tags.voiLuts[0]).toMatchObject({ firstMapped: 0, bitsPerEntry: 8, explanation: 'NORMAL' })
  expect(Array.from(tags.voiLuts[0].data)).toEqual(voiLut)
  expect(tags.invert).toBe(true)
  const header = readInstanceHeader(dataSet)
  expect(header.forProcessing).toBe(true)
  expect(header.viewPosition).toBe('AP')
  expect(header.spacing).toEqual({ rowMm: 0.143, colMm: 0.143, kind: 'pixel' })
  expect(header.magnification).toBe(1.15)
}

describe('display tags from real files', () => {
  it('reads window pairs, the VOI LUT sequence, the VOI function and Presentation LUT Shape', () => check(withLuts()))

  it('reads the pixel padding as modality values (through the rescale), or none', () => {
    const padded = image(spec, {
      extra: { PixelPaddingValue: 0, PixelPaddingRangeLimit: 10, RescaleIntercept: '-1024', RescaleSlope: '2', _vrMap: { PixelPaddingValue: 'US', PixelPaddingRangeLimit: 'US' } }
    }).bytes
    const dataSet = parseDicomFile(padded)
    expect(readDisplayTags(dataSet, readPixelLayout(dataSet)).padding).toEqual({ low: -1024, high: -1004 })
    const plain = parseDicomFile(image(spec).bytes)
    expect(readDisplayTags(plain, readPixelLayout(plain)).padding).toBeNull()
  })

  it.skipIf(!dcmtkAvailable)(`reads the same from implicit VR and big endian files${dcmtkAvailable ? '' : ` — skipped: ${dcmtkMissingReason}`}`, () => {
    check(dcmtk('dcmconv', ['+ti'], withLuts(), scratch))
    check(dcmtk('dcmconv', ['+tb'], withLuts(), scratch))
  })
})

describe('decimal strings a device wrote against the standard', () => {
  /** A film whose decimal strings are written as given, byte for byte, over values of their length (found by their tags). */
  function withDecimals(values: { pixelSpacing: string; windowCenter?: string; rescaleIntercept?: string }): Buffer {
    const raw: [number, string][] = [
      [0x00280030, values.pixelSpacing],
      [0x00281050, values.windowCenter ?? '100'],
      [0x00281052, values.rescaleIntercept ?? '0']
    ]
    const placeholder = (text: string): string => '1'.repeat(text.length)
    const bytes = image(spec, {
      extra: {
        PixelSpacing: placeholder(raw[0][1]),
        ImagerPixelSpacing: undefined,
        WindowCenter: placeholder(raw[1][1]),
        WindowWidth: '400',
        RescaleIntercept: placeholder(raw[2][1]),
        _vrMap: { PixelSpacing: 'DS', WindowCenter: 'DS', RescaleIntercept: 'DS' }
      }
    }).bytes
    for (const [tag, text] of raw) {
      // explicit VR little endian: group, element, "DS", a 2-byte length, the value
      const head = Buffer.from([(tag >> 16) & 0xff, tag >>> 24, tag & 0xff, (tag >> 8) & 0xff, 0x44, 0x53])
      const at = bytes.indexOf(head)
      if (at < 0) throw new Error(`no DS element ${tag.toString(16)}`)
      Buffer.from(text, 'latin1').copy(bytes, at + 8)
    }
    return bytes
  }
  const read = (bytes: Buffer) => {
    const dataSet = parseDicomFile(bytes)
    return { header: readInstanceHeader(dataSet), tags: readDisplayTags(dataSet, readPixelLayout(dataSet)) }
  }

  it('reads a comma as the decimal point where a locale wrote one (0,143\\0,143)', () => {
    const { header, tags } = read(withDecimals({ pixelSpacing: '0,143\\0,139', windowCenter: '2047,5', rescaleIntercept: '-1024,5' }))
    expect(header.spacing).toEqual({ rowMm: 0.143, colMm: 0.139, kind: 'pixel' })
    expect(tags.windows[0].center).toBe(2047.5)
    expect(tags.rescaleIntercept).toBe(-1024.5)
  })

  it('reads two spacings a comma separates (0.148,0.150), and one spacing as both', () => {
    expect(read(withDecimals({ pixelSpacing: '0.148,0.150' })).header.spacing).toEqual({ rowMm: 0.148, colMm: 0.15, kind: 'pixel' })
    expect(read(withDecimals({ pixelSpacing: '0.16' })).header.spacing).toEqual({ rowMm: 0.16, colMm: 0.16, kind: 'pixel' })
  })

  it('reads no spacing from a value that is no number, or zero', () => {
    expect(read(withDecimals({ pixelSpacing: 'N/A' })).header.spacing).toEqual({ rowMm: null, colMm: null, kind: 'none' })
    expect(read(withDecimals({ pixelSpacing: '0\\0' })).header.spacing).toEqual({ rowMm: null, colMm: null, kind: 'none' })
  })
})

describe('text a device writes without declaring its character set, or declaring Latin-1', () => {
  /** A film whose descriptions hold GB 2312 bytes under no Specific Character Set, as many older Chinese CR units write (or under ISO_IR 100). */
  function undeclaredGb(seriesDescription: string, bodyPart: string, characterSet?: string): Buffer {
    const gb = (text: string): Buffer => Buffer.from(new Uint8Array([...text].flatMap((c) => gb2312[c])))
    const placeholders = { SeriesDescription: 'S'.repeat(gb(seriesDescription).length), BodyPartExamined: 'B'.repeat(gb(bodyPart).length) }
    const bytes = image(spec, { characterSet, extra: { ...placeholders, ViewPosition: undefined } }).bytes
    for (const [name, placeholder] of Object.entries(placeholders)) {
      const at = bytes.indexOf(placeholder)
      gb(name === 'SeriesDescription' ? seriesDescription : bodyPart).copy(bytes, at)
    }
    return bytes
  }
  const gb2312: Record<string, number[]> = { 胸: [0xd0, 0xd8], 部: [0xb2, 0xbf], 侧: [0xb2, 0xe0], 位: [0xce, 0xbb], 膝: [0xcf, 0xa5], 关: [0xb9, 0xd8], 节: [0xbd, 0xda] }

  it('reads the words of a chest lateral film, and a knee film is no chest film', () => {
    const chest = readInstanceHeader(parseDicomFile(undeclaredGb('胸部侧位', '胸部')))
    expect(chest.characterSet).toEqual([''])
    expect(chest.seriesDescription).toBe('胸部侧位')
    expect(chest.bodyPart).toBe('胸部')
    expect(readProjection(chest.projectionTags).projection).toBe('lateral')
    expect(notChestRadiograph('DX', chest.bodyPart)).toBeNull()
    const knee = readInstanceHeader(parseDicomFile(undeclaredGb('膝关节', '膝关节')))
    expect(notChestRadiograph('DX', knee.bodyPart)).toMatch(/膝关节 is not the chest/)
  })

  it('reads GB 2312 declared as ISO_IR 100 as the words it is', () => {
    const chest = readInstanceHeader(parseDicomFile(undeclaredGb('胸部侧位', '胸部', 'ISO_IR 100')))
    expect(chest.characterSet).toEqual(['ISO_IR 100'])
    expect(readProjection(chest.projectionTags).projection).toBe('lateral')
    expect(notChestRadiograph('DX', readInstanceHeader(parseDicomFile(undeclaredGb('膝关节', '膝关节', 'ISO_IR 100'))).bodyPart)).toMatch(/膝关节 is not the chest/)
  })
})

describe('dates as devices write them', () => {
  /** A film whose study and birth dates are the values given (dcmjs writes only 8-character dates: the elements are rewritten). */
  function header(dates: { study: string; birth?: string }): ReturnType<typeof readInstanceHeader> {
    let bytes = image(spec, { extra: { StudyDate: '20991231', PatientBirthDate: '18991231' } }).bytes
    for (const [placeholder, value] of [['20991231', dates.study], ['18991231', dates.birth ?? '19600101']]) {
      const padded = value.length % 2 ? `${value} ` : value
      const at = bytes.indexOf(Buffer.from(placeholder, 'latin1'))
      const length = Buffer.alloc(2)
      length.writeUInt16LE(padded.length)
      bytes = Buffer.concat([bytes.subarray(0, at - 2), length, Buffer.from(padded, 'latin1'), bytes.subarray(at + placeholder.length)])
    }
    return readInstanceHeader(parseDicomFile(bytes))
  }

  it('reads a study or birth date written with separators (ACR-NEMA yyyy.mm.dd, yyyy-mm-dd) as DICOM writes it', () => {
    const read = header({ study: '2026.01.05', birth: '1948-12-10' })
    expect(read.studyDate).toBe('20260105')
    expect(read.patient.birthDate).toBe('19481210')
    expect(header({ study: '20260105' }).studyDate).toBe('20260105')
  })

  it('reads a birth date of the 19th century as written (an old record, or a system\'s 1899-12-30 "no date"): reports are cleaned of the date stored', () => {
    expect(header({ study: '20260105', birth: '18990417' }).patient.birthDate).toBe('18990417')
    expect(header({ study: '20260105', birth: '1899.12.30' }).patient.birthDate).toBe('18991230')
  })

  it('reads no date from a value that is none (a placeholder, an impossible day)', () => {
    for (const value of ['UNKNOWN', '00000000', '20261345']) expect(header({ study: value }).studyDate, value).toBeNull()
  })
})

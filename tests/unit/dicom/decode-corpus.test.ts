import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { readPixelLayout } from '../../../src/main/dicom/header'
import { DicomFileError, parseDicomFile, transferSyntaxOf } from '../../../src/main/dicom/parse'
import { decodeFirstFrame } from '../../../src/main/dicom/pixels'
import { TransferSyntax } from '../../../src/main/dicom/uids'
import { dcmtk, dcmtkAvailable, dcmtkMissingReason, encapsulatedImage, encodeWithWasm, image, syntheticPixels, type Built, type ImageSpec } from '../../helpers/dicom-corpus'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-decode-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const u12: ImageSpec = { rows: 80, columns: 96, bitsAllocated: 16, bitsStored: 12 }
const s12: ImageSpec = { ...u12, signed: true, seed: 11 }
const s16: ImageSpec = { ...u12, bitsStored: 16, signed: true, seed: 12 }
const u16: ImageSpec = { ...u12, bitsStored: 16, seed: 13 }
const u8: ImageSpec = { rows: 80, columns: 96, bitsAllocated: 8, bitsStored: 8, seed: 14 }

async function decode(built: Built) {
  const dataSet = parseDicomFile(built.bytes)
  const frame = await decodeFirstFrame(dataSet, readPixelLayout(dataSet), transferSyntaxOf(dataSet))
  return { syntax: transferSyntaxOf(dataSet), values: Int32Array.from(frame.values) }
}

function maxAbsError(a: Int32Array, b: Int32Array): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
  return worst
}

function converted(tool: string, args: string[], spec: ImageSpec): () => Built {
  return () => {
    const original = image(spec)
    return { ...original, bytes: dcmtk(tool, args, original.bytes, scratch) }
  }
}

const lossless: [string, string, () => Built | Promise<Built>][] = [
  ['explicit VR little endian, 12 in 16 bits', TransferSyntax.explicitLittle, () => image(u12)],
  ['junk bits above High Bit are masked', TransferSyntax.explicitLittle, () => image({ ...u12, junkHighBits: true })],
  ['signed 12 in 16 bits', TransferSyntax.explicitLittle, () => image(s12)],
  ['signed 16 bits', TransferSyntax.explicitLittle, () => image(s16)],
  ['8-bit', TransferSyntax.explicitLittle, () => image(u8)],
  ['MONOCHROME1', TransferSyntax.explicitLittle, () => image({ ...u12, photometric: 'MONOCHROME1' })],
  ['JPEG 2000 lossless (openjpeg WASM encoder)', TransferSyntax.jpeg2000Lossless, async () => {
    const expected = syntheticPixels(u16)
    return encapsulatedImage(u16, TransferSyntax.jpeg2000Lossless, await encodeWithWasm('openjpeg', expected, u16), expected)
  }],
  ['JPEG 2000 lossless, signed', TransferSyntax.jpeg2000Lossless, async () => {
    const expected = syntheticPixels(s12)
    return encapsulatedImage(s12, TransferSyntax.jpeg2000Lossless, await encodeWithWasm('openjpeg', expected, s12), expected)
  }],
  ['encapsulated uncompressed (a frame a fragment)', TransferSyntax.encapsulatedUncompressed, () => {
    const expected = syntheticPixels(s12)
    return encapsulatedImage(s12, TransferSyntax.encapsulatedUncompressed, new Uint8Array(Int16Array.from(expected).buffer), expected)
  }],
  ['HTJ2K lossless (openjph WASM encoder)', TransferSyntax.htj2kLossless, async () => {
    const expected = syntheticPixels(u12)
    return encapsulatedImage(u12, TransferSyntax.htj2kLossless, await encodeWithWasm('openjph', expected, u12), expected)
  }]
]

/** A file whose meta header declares `declared` while its data set is written as `built`'s is. */
function misdeclared(declared: string, written: string): Built {
  const start = (bytes: Buffer) => 132 + 12 + bytes.readUInt32LE(132 + 8)
  const header = image(u12, { transferSyntax: declared }).bytes
  const built = image({ ...u12, seed: 15 }, { transferSyntax: written })
  return { ...built, bytes: Buffer.concat([header.subarray(0, start(header)), built.bytes.subarray(start(built.bytes))]) }
}
/** A whole file with bytes after its Pixel Data that are no element (an odd pad byte, text a tool appended). */
function trailed(bytes: Buffer): Built {
  const built = image({ ...u12, seed: 16 })
  return { ...built, bytes: Buffer.concat([built.bytes, bytes]) }
}
lossless.push(
  ['a stray byte after the Pixel Data', TransferSyntax.explicitLittle, () => trailed(Buffer.from([0]))],
  ['text appended after the Pixel Data', TransferSyntax.explicitLittle, () => trailed(Buffer.from('EOF marker written by an export tool'))],
  ['implicit VR data set under a meta header declaring explicit VR', TransferSyntax.implicitLittle, () => misdeclared(TransferSyntax.explicitLittle, TransferSyntax.implicitLittle)],
  ['explicit VR data set under a meta header declaring implicit VR', TransferSyntax.explicitLittle, () => misdeclared(TransferSyntax.implicitLittle, TransferSyntax.explicitLittle)]
)

const losslessDcmtk: [string, string, () => Built][] = [
  ['implicit VR little endian', TransferSyntax.implicitLittle, converted('dcmconv', ['+ti'], u12)],
  ['explicit VR big endian', TransferSyntax.explicitBig, converted('dcmconv', ['+tb'], u12)],
  ['big endian, signed', TransferSyntax.explicitBig, converted('dcmconv', ['+tb'], s16)],
  ['deflated explicit little endian', TransferSyntax.deflatedExplicitLittle, converted('dcmconv', ['+td'], u12)],
  ['JPEG lossless process 14', TransferSyntax.jpegLossless, converted('dcmcjpeg', ['+el'], u12)],
  ['JPEG lossless SV1', TransferSyntax.jpegLosslessSV1, converted('dcmcjpeg', ['+e1'], u12)],
  ['JPEG lossless SV1, 16 bits', TransferSyntax.jpegLosslessSV1, converted('dcmcjpeg', ['+e1'], u16)],
  ['JPEG lossless SV1, 8 bits', TransferSyntax.jpegLosslessSV1, converted('dcmcjpeg', ['+e1'], u8)],
  ['RLE lossless', TransferSyntax.rle, converted('dcmcrle', [], u12)],
  ['RLE lossless, signed 16 bits', TransferSyntax.rle, converted('dcmcrle', [], s16)],
  ['RLE lossless, 8 bits', TransferSyntax.rle, converted('dcmcrle', [], u8)],
  ['JPEG-LS lossless', TransferSyntax.jpegLs, converted('dcmcjpls', [], u12)],
  ['JPEG-LS lossless, 16 bits', TransferSyntax.jpegLs, converted('dcmcjpls', [], u16)]
]

describe('pixel decoding of every lossless syntax equals the uncompressed original', () => {
  for (const [name, syntax, build] of lossless) {
    it(name, async () => {
      const built = await build()
      const { syntax: got, values } = await decode(built)
      expect(got).toBe(syntax)
      expect(maxAbsError(values, built.expected)).toBe(0)
    })
  }
  for (const [name, syntax, build] of losslessDcmtk) {
    it.skipIf(!dcmtkAvailable)(`${name} (dcmtk)${dcmtkAvailable ? '' : ` — skipped: ${dcmtkMissingReason}`}`, async () => {
      const built = build()
      const { syntax: got, values } = await decode(built)
      expect(got).toBe(syntax)
      expect(maxAbsError(values, built.expected)).toBe(0)
    })
  }
})

describe('a frame larger than any radiograph', () => {
  it('is refused before its codestream is decoded, with its size in the reason', async () => {
    // A JPEG 2000 codestream whose SIZ marker, like the header, declares 40000×40000: a few hundred
    // bytes that would have the decoder allocate 3.2 GB.
    const codestream = Buffer.from(await encodeWithWasm('openjpeg', syntheticPixels(u16), u16))
    const siz = codestream.indexOf(Buffer.from([0xff, 0x51]))
    for (const offset of [6, 10, 22, 26]) codestream.writeUInt32BE(40000, siz + offset)
    const built = encapsulatedImage({ ...u16, rows: 40000, columns: 40000 }, TransferSyntax.jpeg2000Lossless, codestream, new Int32Array(0))
    await expect(decode(built)).rejects.toThrow(/declares 40000×40000 pixels \(1600 megapixels\), more than any radiograph/)
    await expect(decode(built)).rejects.toBeInstanceOf(DicomFileError)
  })
})

describe.skipIf(!dcmtkAvailable)(`lossy syntaxes stay within the codec's error${dcmtkAvailable ? '' : ` — skipped: ${dcmtkMissingReason}`}`, () => {
  it('JPEG-LS near-lossless keeps every pixel within NEAR=2', async () => {
    const built = converted('dcmcjpls', ['+en', '+md', '2'], u12)()
    const { syntax, values } = await decode(built)
    expect(syntax).toBe(TransferSyntax.jpegLsNearLossless)
    expect(maxAbsError(values, built.expected)).toBeLessThanOrEqual(2)
  })

  // Spectral selection and full progression are retired (PS3.5 Annex A.4.1) but still in old archives.
  for (const [name, args, syntax] of [
    ['JPEG baseline', ['+eb'], TransferSyntax.jpegBaseline],
    ['JPEG extended, 8 bits', ['+ee'], TransferSyntax.jpegExtended],
    ['JPEG spectral selection (retired), 8 bits', ['+es'], TransferSyntax.jpegSpectralSelection],
    ['JPEG full progression (retired), 8 bits', ['+ep'], TransferSyntax.jpegProgressive]
  ] as const) {
    it(`${name} at quality 90: mean error under 4 of 255 levels`, async () => {
      const built = converted('dcmcjpeg', [...args], u8)()
      const { syntax: got, values } = await decode(built)
      expect(got).toBe(syntax)
      let sum = 0
      for (let i = 0; i < values.length; i++) sum += Math.abs(values[i] - built.expected[i])
      expect(sum / values.length).toBeLessThan(4)
      expect(maxAbsError(values, built.expected)).toBeLessThan(40)
    })
  }

  // dcmtk writes 12-bit JPEG Extended with IJG's 12-bit encoder (signed films it makes unsigned, adding
  // 2048, so only unsigned ones come out); our decoder is another build of IJG.
  for (const [name, args, expectedSyntax] of [
    ['JPEG extended', ['+ee'], TransferSyntax.jpegExtended],
    ['JPEG spectral selection (retired)', ['+es'], TransferSyntax.jpegSpectralSelection],
    ['JPEG full progression (retired)', ['+ep'], TransferSyntax.jpegProgressive]
  ] as const)
  it(`${name} 12-bit at quality 90: unbiased, mean error under 8 of 4096 levels`, async () => {
    const built = converted('dcmcjpeg', [...args], u12)()
    const { syntax, values } = await decode(built)
    expect(syntax).toBe(expectedSyntax)
    let sum = 0
    let bias = 0
    for (let i = 0; i < values.length; i++) {
      sum += Math.abs(values[i] - built.expected[i])
      bias += values[i] - built.expected[i]
    }
    expect(sum / values.length).toBeLessThan(8)
    // A decoder with the 8-bit level shift rescaled (the pdf.js one) is off by +15 everywhere.
    expect(Math.abs(bias / values.length)).toBeLessThan(1)
    expect(maxAbsError(values, built.expected)).toBeLessThan(64)
  })

  it('a damaged 12-bit JPEG frame is refused with a reason naming it', async () => {
    const built = converted('dcmcjpeg', ['+ee'], u12)()
    const bytes = Buffer.from(built.bytes)
    // Overwrite the stream's SOI marker (the first FF D8 after the pixel data's first fragment header).
    const soi = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xd8)
    bytes[soi] = 0x07
    bytes[soi + 1] = 0x07
    await expect(decode({ ...built, bytes })).rejects.toThrow(/12-bit JPEG pixel data cannot be decoded: .*Not a JPEG file/)
    await expect(decode({ ...built, bytes })).rejects.toBeInstanceOf(DicomFileError)
  })
})

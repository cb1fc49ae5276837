import os from 'node:os'
import path from 'node:path'
import fs from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { readPixelLayout } from '../../../src/main/dicom/header'
import { DicomFileError, parseDicomFile, transferSyntaxOf } from '../../../src/main/dicom/parse'
import { decodeFirstFrame } from '../../../src/main/dicom/pixels'
import { TransferSyntax } from '../../../src/main/dicom/uids'
import { loadCodec, type CodecFrameInfo } from '../../../src/main/dicom/codecs'
import { dcmtk, dcmtkAvailable, dcmtkMissingReason, encapsulatedPixelData, imageAttributes, syntheticPixels, writeDicom, type ImageSpec } from '../../helpers/dicom-corpus'

/**
 * Colour films: secondary captures of a scanned or screen-grabbed chest film come as RGB, YBR or
 * PALETTE COLOR. Each is read as the luminance a viewer would show (BT.601 weights), whatever the
 * sample layout, the palette or the codec.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-colour-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

const spec: ImageSpec = { rows: 80, columns: 96, bitsAllocated: 8, bitsStored: 8, seed: 21 }
const pixels = spec.rows * spec.columns
const grey = syntheticPixels(spec)

/** A tinted film: three different channels, so reading the wrong one or the wrong layout shows. */
function rgbOf(p: number): [number, number, number] {
  const v = grey[p]
  return [v, Math.round(v * 0.8 + 40 * ((p % spec.columns) / spec.columns)), 255 - v]
}

function luminance([r, g, b]: readonly number[]): number {
  return 0.299 * r + 0.587 * g + 0.114 * b
}

const clamp = (v: number) => Math.min(255, Math.max(0, Math.round(v)))

/** PS3.3 C.7.6.3.1.2, YBR_FULL from 8-bit RGB. */
function ybrOf(rgb: [number, number, number]): [number, number, number] {
  const [r, g, b] = rgb
  return [clamp(luminance(rgb)), clamp(-0.1687 * r - 0.3313 * g + 0.5 * b + 128), clamp(0.5 * r - 0.4187 * g - 0.0813 * b + 128)]
}

const expectedLuminance = Float64Array.from({ length: pixels }, (_, p) => luminance(rgbOf(p)))

function colourFile(photometric: string, samples: Uint8Array, extra: Record<string, unknown> = {}): Buffer {
  return writeDicom({
    extra: { ...imageAttributes(spec), SamplesPerPixel: 3, PhotometricInterpretation: photometric, PlanarConfiguration: 0, ...extra },
    pixelData: Buffer.from(samples)
  }).bytes
}

function interleaved(sampleOf: (p: number) => readonly number[]): Uint8Array {
  const out = new Uint8Array(3 * pixels)
  for (let p = 0; p < pixels; p++) out.set(sampleOf(p), 3 * p)
  return out
}

function planar(sampleOf: (p: number) => readonly number[]): Uint8Array {
  const out = new Uint8Array(3 * pixels)
  for (let p = 0; p < pixels; p++) sampleOf(p).forEach((v, s) => (out[s * pixels + p] = v))
  return out
}

const rgbFile = () => colourFile('RGB', interleaved(rgbOf))

async function decode(bytes: Buffer) {
  const dataSet = parseDicomFile(bytes)
  const frame = await decodeFirstFrame(dataSet, readPixelLayout(dataSet), transferSyntaxOf(dataSet))
  return { syntax: transferSyntaxOf(dataSet), values: frame.values }
}

function errors(values: Float32Array, expected: ArrayLike<number>): { max: number; mean: number } {
  let max = 0
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const e = Math.abs(values[i] - expected[i])
    max = Math.max(max, e)
    sum += e
  }
  return { max, mean: sum / values.length }
}

describe('uncompressed colour films are read as their luminance', () => {
  it('RGB, samples interleaved', async () => {
    const { values } = await decode(rgbFile())
    expect(errors(values, expectedLuminance).max).toBeLessThan(1e-3)
  })

  it('RGB, one plane per colour (Planar Configuration 1)', async () => {
    const { values } = await decode(colourFile('RGB', planar(rgbOf), { PlanarConfiguration: 1 }))
    expect(errors(values, expectedLuminance).max).toBeLessThan(1e-3)
  })

  it('YBR_FULL: the luminance is the Y sample', async () => {
    const { values } = await decode(colourFile('YBR_FULL', interleaved((p) => ybrOf(rgbOf(p)))))
    expect(errors(values, expectedLuminance).max).toBeLessThanOrEqual(0.5)
  })

  it('YBR_FULL_422: two pixels share one Cb and one Cr (Y Y Cb Cr), two bytes a pixel', async () => {
    const samples = new Uint8Array(2 * pixels)
    for (let p = 0; p < pixels; p += 2) {
      const [y0, cb, cr] = ybrOf(rgbOf(p))
      samples.set([y0, ybrOf(rgbOf(p + 1))[0], cb, cr], 2 * p)
    }
    const { values } = await decode(colourFile('YBR_FULL_422', samples))
    expect(errors(values, expectedLuminance).max).toBeLessThanOrEqual(0.5)
  })

  it('PALETTE COLOR: each stored index is looked up in the red, green and blue palettes', async () => {
    // A 16-bit palette over indices 16…271 (first mapped 16); stored values below it take the first entry.
    const entries = 256
    const first = 16
    const palette = (scale: (i: number) => number) => Buffer.from(Uint16Array.from({ length: entries }, (_, i) => scale(i)).buffer)
    const red = (i: number) => i * 257
    const green = (i: number) => ((i * 7) % 256) * 257
    const blue = (i: number) => (255 - i) * 257
    const index = Uint8Array.from(grey, (v) => v)
    const bytes = writeDicom({
      extra: {
        ...imageAttributes(spec),
        PhotometricInterpretation: 'PALETTE COLOR',
        RedPaletteColorLookupTableDescriptor: [entries, first, 16],
        GreenPaletteColorLookupTableDescriptor: [entries, first, 16],
        BluePaletteColorLookupTableDescriptor: [entries, first, 16],
        RedPaletteColorLookupTableData: [palette(red).buffer],
        GreenPaletteColorLookupTableData: [palette(green).buffer],
        BluePaletteColorLookupTableData: [palette(blue).buffer]
      },
      pixelData: Buffer.from(index)
    }).bytes
    const at = (v: number) => Math.min(entries - 1, Math.max(0, v - first))
    const expected = Float64Array.from(index, (v) => luminance([red(at(v)), green(at(v)), blue(at(v))]))
    const { values } = await decode(bytes)
    expect(errors(values, expected).max).toBeLessThan(0.5)
  })

  it('PALETTE COLOR without its palettes is refused, naming what is missing', async () => {
    const bytes = writeDicom({ extra: { ...imageAttributes(spec), PhotometricInterpretation: 'PALETTE COLOR' }, pixelData: Buffer.from(grey.map((v) => v)) }).bytes
    const failure = decode(Buffer.from(bytes))
    await expect(failure).rejects.toBeInstanceOf(DicomFileError)
    await expect(failure).rejects.toThrow(/PALETTE COLOR.*Red Palette Color Lookup Table/)
  })
})

/** JPEG 2000 lossless with the reversible colour transform, as PACS store colour captures (YBR_RCT). */
async function jpeg2000ColourFile(): Promise<Buffer> {
  const module = await loadCodec('openjpeg')
  const encoder = new module.J2KEncoder()
  try {
    const info: CodecFrameInfo = { width: spec.columns, height: spec.rows, bitsPerSample: 8, componentCount: 3, isSigned: false, isUsingColorTransform: true }
    encoder.getDecodedBuffer(info).set(interleaved(rgbOf))
    encoder.encode()
    const codestream = encoder.getEncodedBuffer().slice()
    const header = writeDicom({
      transferSyntax: TransferSyntax.jpeg2000Lossless,
      extra: { ...imageAttributes(spec), SamplesPerPixel: 3, PhotometricInterpretation: 'YBR_RCT', PlanarConfiguration: 0 }
    }).bytes
    return Buffer.concat([header, encapsulatedPixelData(codestream)])
  } finally {
    encoder.delete()
  }
}

describe('compressed colour films', () => {
  it('JPEG 2000 lossless with the reversible colour transform (YBR_RCT) equals the uncompressed film', async () => {
    const { values } = await decode(await jpeg2000ColourFile())
    expect(errors(values, expectedLuminance).max).toBeLessThan(1e-3)
  })
})

describe.skipIf(!dcmtkAvailable)(`compressed colour films (dcmtk)${dcmtkAvailable ? '' : ` — skipped: ${dcmtkMissingReason}`}`, () => {
  for (const [name, tool, args, syntax] of [
    ['RLE (one segment per colour plane)', 'dcmcrle', [], TransferSyntax.rle],
    ['JPEG-LS lossless', 'dcmcjpls', [], TransferSyntax.jpegLs],
    ['JPEG lossless SV1', 'dcmcjpeg', ['+e1'], TransferSyntax.jpegLosslessSV1]
  ] as const) {
    it(`${name} equals the uncompressed film`, async () => {
      const { syntax: got, values } = await decode(dcmtk(tool, [...args], rgbFile(), scratch))
      expect(got).toBe(syntax)
      expect(errors(values, expectedLuminance).max).toBeLessThan(1e-3)
    })
  }

  it('JPEG baseline (YBR_FULL_422 in the stream) at quality 90: mean error under 4 of 255 levels', async () => {
    const { syntax, values } = await decode(dcmtk('dcmcjpeg', ['+eb'], rgbFile(), scratch))
    expect(syntax).toBe(TransferSyntax.jpegBaseline)
    const { mean } = errors(values, expectedLuminance)
    expect(mean).toBeLessThan(4)
  })
})

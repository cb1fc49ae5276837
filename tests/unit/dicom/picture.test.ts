import { describe, expect, it } from 'vitest'
import { readInstanceHeader, readPixelLayout } from '../../../src/main/dicom/header'
import { DicomFileError, parseDicomFile } from '../../../src/main/dicom/parse'
import { jpegFrame, pictureAsDicom, pictureFormat, type PictureIdentity, type PictureReading } from '../../../src/main/dicom/picture'
import { decodeFirstFrame } from '../../../src/main/dicom/pixels'
import { readProjection } from '../../../src/main/dicom/projection'
import { TransferSyntax } from '../../../src/main/dicom/uids'
import { jpegPicture, pictureValues, pngPicture, type PictureSpec } from '../../helpers/picture-files'

const identity: PictureIdentity = {
  studyUid: '2.25.1',
  seriesUid: '2.25.2',
  sopInstanceUid: '2.25.3',
  studyDescription: 'study1',
  seriesDescription: 'view1_frontal'
}

const film = (reading: PictureReading): Uint8Array => {
  if (reading.kind !== 'film') throw new Error(`not read as a film: ${reading.reason}`)
  return reading.dicom
}

/** The film's stored values as the import's decoder reads them, and its header. */
async function decoded(dicom: Uint8Array) {
  const dataSet = parseDicomFile(dicom)
  const syntax = dataSet.string('x00020010')!
  const frame = await decodeFirstFrame(dataSet, readPixelLayout(dataSet), syntax)
  return { syntax, header: readInstanceHeader(parseDicomFile(dicom, { headerOnly: true })), frame }
}

const meanDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

describe('pictures read as films', () => {
  it('knows a PNG and a JPEG by their first bytes, whatever their name', async () => {
    expect(pictureFormat(pngPicture({ width: 300, height: 300 }))).toBe('png')
    expect(pictureFormat(await jpegPicture({ width: 300, height: 300 }))).toBe('jpeg')
    expect(pictureFormat(Buffer.from('DICM and more bytes'))).toBeNull()
  })

  it('keeps every value of a 16-bit grey PNG, as a Secondary Capture of the given study that names the view by the file name', async () => {
    const spec: PictureSpec = { width: 320, height: 280, depth: 16, seed: 1 }
    const { syntax, header, frame } = await decoded(film(await pictureAsDicom(pngPicture(spec), 'png', identity)))
    expect(syntax).toBe(TransferSyntax.explicitLittle)
    expect([frame.width, frame.height]).toEqual([320, 280])
    expect(Array.from(frame.values)).toEqual(Array.from(pictureValues(spec)))
    expect(header.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.7')
    expect([header.studyUid, header.seriesUid, header.sopInstanceUid]).toEqual(['2.25.1', '2.25.2', '2.25.3'])
    expect(header.seriesDescription).toBe('view1_frontal')
    expect(header.patient.id).toBeFalsy()
  })

  it('keeps a file name in any language as its view\'s words (胸部正位: a frontal chest film)', async () => {
    const named = { ...identity, studyDescription: '张三的胸片', seriesDescription: '胸部正位' }
    const { header } = await decoded(film(await pictureAsDicom(pngPicture({ width: 300, height: 300 }), 'png', named)))
    expect([header.studyDescription, header.seriesDescription]).toEqual(['张三的胸片', '胸部正位'])
    expect(readProjection(header.projectionTags).projection).toBe('frontal')
  })

  it('reads a grey film saved in RGB as its grey values', async () => {
    const spec: PictureSpec = { width: 300, height: 260, channels: 3, seed: 2 }
    const { frame } = await decoded(film(await pictureAsDicom(pngPicture(spec), 'png', identity)))
    expect(Array.from(frame.values)).toEqual(Array.from(pictureValues(spec)))
  })

  it('passes over a colour picture and an icon, saying why', async () => {
    const logo = await pictureAsDicom(pngPicture({ width: 400, height: 300, channels: 3, tint: [1, 0.3, 0.6] }), 'png', identity)
    expect(logo).toEqual({ kind: 'not-a-film', reason: expect.stringMatching(/^a colour picture \(\d+ % of its pixels in colour\), not a radiograph$/) })
    const icon = await pictureAsDicom(pngPicture({ width: 128, height: 400 }), 'png', identity)
    expect(icon).toEqual({ kind: 'not-a-film', reason: '128×400 pixels is too small for a film (an icon or a thumbnail)' })
    // a film downsampled for machine learning is still a film
    expect((await pictureAsDicom(pngPicture({ width: 224, height: 224 }), 'png', identity)).kind).toBe('film')
    const colourJpeg = await pictureAsDicom(await jpegPicture({ width: 300, height: 300, channels: 3, tint: [1, 0.2, 0.5] }), 'jpeg', identity)
    expect(colourJpeg.kind).toBe('not-a-film')
  })

  it('keeps a grey JPEG as it is, under the transfer syntax of its coding process, and decodes it to the picture', async () => {
    const spec: PictureSpec = { width: 300, height: 340, seed: 3 }
    const jpeg = await jpegPicture(spec)
    const dicom = film(await pictureAsDicom(jpeg, 'jpeg', identity))
    const { syntax, frame } = await decoded(dicom)
    expect(syntax).toBe(jpegFrame(jpeg).syntax)
    expect(Buffer.from(dicom).includes(jpeg)).toBe(true)
    expect(meanDifference(frame.values, pictureValues(spec))).toBeLessThan(2)
  })

  it('reads a grey film saved as a colour JPEG as its luminance', async () => {
    const spec: PictureSpec = { width: 300, height: 300, channels: 3, seed: 4 }
    const { syntax, frame } = await decoded(film(await pictureAsDicom(await jpegPicture(spec), 'jpeg', identity)))
    expect(syntax).toBe(TransferSyntax.explicitLittle)
    expect(meanDifference(frame.values, pictureValues(spec))).toBeLessThan(2)
  })

  it('names the coding process of a JPEG from its frame header, and what is wrong with one it cannot read', () => {
    const frameHeader = (marker: number) => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, marker, 0, 11, 12, 0x04, 0x00, 0x03, 0x00, 1, 1, 0x11, 0])
    expect(jpegFrame(frameHeader(0xc0))).toEqual({ syntax: TransferSyntax.jpegBaseline, precision: 12, rows: 1024, columns: 768, components: 1 })
    expect(jpegFrame(frameHeader(0xc1)).syntax).toBe(TransferSyntax.jpegExtended)
    expect(jpegFrame(frameHeader(0xc3)).syntax).toBe(TransferSyntax.jpegLossless)
    expect(() => jpegFrame(frameHeader(0xc9))).toThrow(/coded in a way no decoder here reads \(start-of-frame marker FFC9: arithmetic or hierarchical\)/)
    expect(() => jpegFrame(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))).toThrow(/damaged: it ends before its frame header/)
    expect(() => jpegFrame(Buffer.from([0xff, 0xd8, 0x12, 0x34, 0, 0]))).toThrow(/damaged: no marker at byte 2/)
  })

  it('refuses a picture that declares more pixels than any film before decoding it', async () => {
    const bomb = Buffer.from(pngPicture({ width: 300, height: 300 }))
    bomb.writeUInt32BE(100_000, 16)
    bomb.writeUInt32BE(100_000, 20)
    await expect(pictureAsDicom(bomb, 'png', identity)).rejects.toThrow('The picture declares 100000×100000 pixels, more than any radiograph (at most 36 million)')
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0xea, 0x60, 0xea, 0x60, 0x03, 1, 0x11, 0, 0xff, 0xd9])
    await expect(pictureAsDicom(jpeg, 'jpeg', identity)).rejects.toThrow('The picture declares 60000×60000 pixels')
  })

  it('names a PNG that cannot be read', async () => {
    const png = pngPicture({ width: 300, height: 300 })
    const cut = png.subarray(0, 100)
    await expect(pictureAsDicom(cut, 'png', identity)).rejects.toThrow(DicomFileError)
    await expect(pictureAsDicom(cut, 'png', identity)).rejects.toThrow('The PNG picture cannot be read: it ends before its image data (the file is cut short)')
  })
})

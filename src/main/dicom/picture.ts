/**
 * Chest films kept as pictures — PNG or JPEG files, as public datasets hold them (NIH ChestX-ray14,
 * CheXpert, MIMIC-CXR-JPG, IU X-ray) and as teaching files are exported — read as DICOM Secondary
 * Captures, so that every step after the import's read (header, projection, display and model
 * images, the rows) is the one DICOM films take. A picture says nothing of the patient, the date,
 * the pixel spacing or the view: the view is read from its file name ("view1_frontal.jpg"), as a
 * series description is; the rest stays unknown unless a dataset's table of films says it
 * (reports/report-import.ts, storeFilmIndexOf).
 */
import { PNG } from 'pngjs'
import { decodeWithWasm } from './codecs'
import { DicomFileError } from './parse'
import { writePart10 } from './part10-writer'
import { readPlainGrayPng, type GrayPng } from './png'
import { SopClass, TransferSyntax } from './uids'

export type PictureFormat = 'png' | 'jpeg'

/** A picture's format by its first bytes (its name may say anything). */
export function pictureFormat(head: Uint8Array): PictureFormat | null {
  if (head.length >= 8 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png'
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  return null
}

/**
 * The short side below which a picture is an icon or a viewer's button, not a film. Films are
 * downsampled to 224 pixels for machine learning (and CheXpert's small set is 320 across): those
 * stay films. (A CD viewer's thumbnails lie under a folder of DICOM films: scan.ts passes them over.)
 */
export const MIN_FILM_SIDE = 200

/** What the picture is filed under: the import derives these from its file and folder. */
export interface PictureIdentity {
  studyUid: string
  seriesUid: string
  sopInstanceUid: string
  /** The study folder's name ("study1", "s50414267"), or the file's for a picture that is a study alone. */
  studyDescription: string
  /** The file's name without extension: where the view is written ("view1_frontal"). */
  seriesDescription: string
}

export type PictureReading = { kind: 'film'; dicom: Uint8Array } | { kind: 'not-a-film'; reason: string }

const IMPLEMENTATION = { classUid: '2.25.223436893651285766410287458263851624873', versionName: 'VZW_PICTURE_1' }

interface GrayRaster {
  kind: 'gray'
  width: number
  height: number
  bits: 8 | 16
  pixels: Uint8Array | Uint16Array
}

/**
 * The picture as a Secondary Capture file, or why it is not a film: too small, or in colour (a
 * photograph, a logo, a screenshot of a report). A picture that cannot be read throws a
 * DicomFileError naming the problem.
 */
export async function pictureAsDicom(bytes: Uint8Array, format: PictureFormat, identity: PictureIdentity): Promise<PictureReading> {
  if (format === 'png') {
    const raster = readPng(bytes)
    return raster.kind === 'not-a-film' ? raster : { kind: 'film', dicom: nativeCapture(raster, identity) }
  }
  const frame = jpegFrame(bytes)
  const small = sizeProblem(frame.columns, frame.rows)
  if (small) return small
  if (frame.components === 1) return { kind: 'film', dicom: encapsulatedCapture(bytes, frame, identity) }
  if (frame.components !== 3 || frame.precision !== 8) return { kind: 'not-a-film', reason: `a JPEG of ${frame.components} ${frame.precision}-bit components is not a radiograph` }
  const rgb = await decodeWithWasm('libjpeg-turbo', bytes)
  const gray = grayOfColour(rgb.bytes, 3, frame.columns, frame.rows, 255)
  return gray.kind === 'not-a-film' ? gray : { kind: 'film', dicom: nativeCapture({ kind: 'gray', width: frame.columns, height: frame.rows, bits: 8, pixels: gray.pixels }, identity) }
}

/**
 * The most pixels a picture may declare: a detector's film is at most about 4,300 pixels a side
 * (18 megapixels). A few bytes of PNG or JPEG may declare billions, which decoding would try to hold.
 */
export const MAX_PICTURE_PIXELS = 36_000_000

/** Why a picture of this size is not read as a film, or null when it may be one. */
function sizeProblem(width: number, height: number): Extract<PictureReading, { kind: 'not-a-film' }> | null {
  if (width * height > MAX_PICTURE_PIXELS) throw new DicomFileError(`The picture declares ${width}×${height} pixels, more than any radiograph (at most ${MAX_PICTURE_PIXELS / 1e6} million)`)
  return Math.min(width, height) < MIN_FILM_SIDE ? { kind: 'not-a-film', reason: `${width}×${height} pixels is too small for a film (an icon or a thumbnail)` } : null
}

function readPng(bytes: Uint8Array): GrayRaster | Extract<PictureReading, { kind: 'not-a-film' }> {
  // The size in the header chunk (IHDR, first after the signature) is checked before anything is decoded.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length >= 24) {
    const declared = sizeProblem(view.getUint32(16), view.getUint32(20))
    if (declared) return declared
  }
  let png: GrayPng | ReturnType<typeof PNG.sync.read>
  try {
    png = readPlainGrayPng(bytes) ?? PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true })
  } catch (err) {
    throw new DicomFileError(`The PNG picture cannot be read: ${pngProblem(err)}`)
  }
  if ('pixels' in png) return { kind: 'gray', width: png.width, height: png.height, bits: png.pixels instanceof Uint16Array ? 16 : 8, pixels: png.pixels }
  // pngjs gives every picture as RGBA: 16-bit ones as 16-bit samples (skipRescale), the rest as bytes.
  const wide = png.depth === 16
  const rgba = png.data as unknown as Uint8Array | Uint16Array
  const gray = grayOfColour(rgba, 4, png.width, png.height, wide ? 65535 : 255)
  if (gray.kind === 'not-a-film') return gray
  return { kind: 'gray', width: png.width, height: png.height, bits: wide ? 16 : 8, pixels: gray.pixels }
}

/** pngjs's reasons, in words: a cut-off file leaves its stream reader waiting. */
function pngProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  if (/finished stream|unexpected end/i.test(message)) return 'it ends before its image data (the file is cut short)'
  if (/crc/i.test(message)) return `a chunk's checksum is wrong (the file is damaged): ${message}`
  return message
}

/** How far a pixel's channels may differ (of full scale), and the share of pixels that may, before a picture counts as colour: JPEG's chroma noise stays well below. */
const COLOUR_DIFFERENCE = 0.08
const COLOUR_SHARE = 0.01

/**
 * A grey picture's luminance, or why it is not a film: a radiograph saved in colour (RGB, a palette)
 * has its channels equal, a photograph or a screenshot does not.
 */
function grayOfColour(samples: Uint8Array | Uint16Array, channels: 3 | 4, width: number, height: number, max: number): { kind: 'gray'; pixels: Uint8Array | Uint16Array } | Extract<PictureReading, { kind: 'not-a-film' }> {
  const pixels = max > 255 ? new Uint16Array(width * height) : new Uint8Array(width * height)
  const limit = COLOUR_DIFFERENCE * max
  let coloured = 0
  for (let p = 0, s = 0; p < pixels.length; p++, s += channels) {
    const r = samples[s]
    const g = samples[s + 1]
    const b = samples[s + 2]
    if (Math.abs(r - g) > limit || Math.abs(g - b) > limit || Math.abs(r - b) > limit) coloured++
    pixels[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
  }
  if (coloured > COLOUR_SHARE * pixels.length) {
    return { kind: 'not-a-film', reason: `a colour picture (${Math.round((100 * coloured) / pixels.length)} % of its pixels in colour), not a radiograph` }
  }
  return { kind: 'gray', pixels }
}

/** The data set every picture gets: a Secondary Capture of a workstation, nothing said of the patient. */
function captureDataset(identity: PictureIdentity): Record<string, unknown> {
  return {
    // file and folder names are any language's ("胸部正位.png"): dcmjs writes text as UTF-8
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: SopClass.secondaryCapture,
    SOPInstanceUID: identity.sopInstanceUid,
    StudyInstanceUID: identity.studyUid,
    SeriesInstanceUID: identity.seriesUid,
    ImageType: ['DERIVED', 'SECONDARY'],
    Modality: 'OT',
    ConversionType: 'WSD',
    StudyDescription: identity.studyDescription,
    SeriesDescription: identity.seriesDescription,
    PatientName: '',
    PatientID: '',
    SeriesNumber: '1',
    InstanceNumber: '1',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PixelRepresentation: 0
  }
}

function nativeCapture(raster: GrayRaster, identity: PictureIdentity): Uint8Array {
  const { pixels } = raster
  return writePart10(
    {
      ...captureDataset(identity),
      Rows: raster.height,
      Columns: raster.width,
      BitsAllocated: raster.bits,
      BitsStored: raster.bits,
      HighBit: raster.bits - 1,
      PixelData: [pixels.buffer.slice(pixels.byteOffset, pixels.byteOffset + pixels.byteLength)],
      _vrMap: { PixelData: raster.bits === 16 ? 'OW' : 'OB' }
    },
    TransferSyntax.explicitLittle,
    IMPLEMENTATION
  )
}

/** A grey JPEG goes in as it is, its stream the one fragment of the transfer syntax its frame header names. */
function encapsulatedCapture(bytes: Uint8Array, frame: JpegFrame, identity: PictureIdentity): Uint8Array {
  const bitsAllocated = frame.precision > 8 ? 16 : 8
  return writePart10(
    {
      ...captureDataset(identity),
      Rows: frame.rows,
      Columns: frame.columns,
      BitsAllocated: bitsAllocated,
      BitsStored: frame.precision,
      HighBit: frame.precision - 1,
      LossyImageCompression: frame.syntax === TransferSyntax.jpegLossless ? '00' : '01',
      PixelData: [bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)],
      _vrMap: { PixelData: 'OB' }
    },
    frame.syntax,
    IMPLEMENTATION
  )
}

interface JpegFrame {
  syntax: string
  precision: number
  rows: number
  columns: number
  components: number
}

/** The DICOM transfer syntax of each Huffman-coded JPEG process (ITU T.81 start-of-frame markers). */
const frameSyntax: Record<number, string> = {
  0xc0: TransferSyntax.jpegBaseline,
  0xc1: TransferSyntax.jpegExtended,
  0xc2: TransferSyntax.jpegProgressive,
  0xc3: TransferSyntax.jpegLossless
}

/** The frame header of a JPEG stream: its markers are walked segment by segment up to the first start-of-frame. */
export function jpegFrame(bytes: Uint8Array): JpegFrame {
  let at = 2
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new DicomFileError(`The JPEG picture is damaged: no marker at byte ${at}`)
    const marker = bytes[at + 1]
    // fill bytes and markers without a length
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += marker === 0xff ? 1 : 2
      continue
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3]
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const syntax = frameSyntax[marker]
      if (!syntax) throw new DicomFileError(`The JPEG picture is coded in a way no decoder here reads (start-of-frame marker FF${marker.toString(16).toUpperCase()}: arithmetic or hierarchical)`)
      if (at + 10 > bytes.length) break
      const frame = { syntax, precision: bytes[at + 4], rows: (bytes[at + 5] << 8) | bytes[at + 6], columns: (bytes[at + 7] << 8) | bytes[at + 8], components: bytes[at + 9] }
      if (frame.rows === 0 || frame.columns === 0) throw new DicomFileError('The JPEG picture gives no size in its frame header')
      return frame
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) break
    at += 2 + length
  }
  throw new DicomFileError('The JPEG picture is damaged: it ends before its frame header')
}

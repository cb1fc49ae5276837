import { writePart10 } from '../dicom/part10-writer'
import { encodeGb18030 } from './gb18030'
import { encodeJpegLossless, JPEG_LOSSLESS_SV1_TRANSFER_SYNTAX } from './jpeg-lossless'
import type { DisplayWindow } from './radiograph'

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
const CR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.1'
const DX_FOR_PRESENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.1.1'
/** Implementation Class UID of this generator (a fixed 2.25 UID so files are reproducible). */
const IMPLEMENTATION_CLASS_UID = '2.25.160394719213962287314569826839553178212'

export type CharacterSet = 'ISO_IR 100' | 'ISO_IR 192' | 'GB18030'

export interface SyntheticDicomInput {
  studyInstanceUid: string
  seriesInstanceUid: string
  sopInstanceUid: string
  patientId: string
  patientName: string
  patientSex: 'F' | 'M'
  patientBirthDate: string
  patientAge: string
  characterSet: CharacterSet
  accessionNumber: string
  studyId: string
  studyDate: string
  studyTime: string
  modality: 'CR' | 'DX'
  photometric: 'MONOCHROME1' | 'MONOCHROME2'
  transferSyntaxUid: typeof EXPLICIT_VR_LITTLE_ENDIAN | typeof JPEG_LOSSLESS_SV1_TRANSFER_SYNTAX
  /** Write PixelSpacing as well as ImagerPixelSpacing (DX files often carry only the latter). */
  calibratedSpacing: boolean
  rows: number
  columns: number
  spacingMm: number
  bitsStored: number
  /** Display values (higher is whiter); MONOCHROME1 files store them inverted. */
  displayPixels: Uint16Array
  /** The window written as the file's first, in display values. */
  window: DisplayWindow
}

/** The pixel values as stored in the file for this photometric interpretation. */
function storedPixels(input: Pick<SyntheticDicomInput, 'photometric' | 'bitsStored' | 'displayPixels'>): Uint16Array {
  if (input.photometric === 'MONOCHROME2') return input.displayPixels
  const max = (1 << input.bitsStored) - 1
  const out = new Uint16Array(input.displayPixels.length)
  for (let i = 0; i < out.length; i++) out[i] = max - input.displayPixels[i]
  return out
}

/**
 * A window from display values: their 1st–99th percentile range (every 7th pixel is enough), as a
 * reader's auto window would choose. The generator draws nodules against this window's width.
 */
export function percentileDisplayWindow(display: ArrayLike<number>, whiteLevel: number): DisplayWindow {
  const histogram = new Uint32Array(whiteLevel + 1)
  for (let i = 0; i < display.length; i += 7) histogram[Math.min(whiteLevel, Math.max(0, Math.round(display[i])))]++
  const total = Math.ceil(display.length / 7)
  let low = 0
  let high = whiteLevel
  for (let seen = 0; low < whiteLevel && seen + histogram[low] < total * 0.01; low++) seen += histogram[low]
  for (let seen = 0; high > 0 && seen + histogram[high] < total * 0.01; high--) seen += histogram[high]
  return { center: Math.round((low + high) / 2), width: Math.max(2, high - low) }
}

/** The display window in stored values: MONOCHROME1 stores max − display, so the centre mirrors. */
function storedWindow(input: Pick<SyntheticDicomInput, 'photometric' | 'bitsStored' | 'window'>): DisplayWindow {
  if (input.photometric === 'MONOCHROME2') return input.window
  return { center: (1 << input.bitsStored) - 1 - input.window.center, width: input.window.width }
}

/**
 * Writes one frontal chest image as a DICOM Part 10 file (CR Image or DX For Presentation), with
 * uncompressed or JPEG lossless pixel data.
 */
export function writeSyntheticDicom(input: SyntheticDicomInput): Uint8Array {
  const stored = storedPixels(input)
  const window = storedWindow(input)
  const jpeg = input.transferSyntaxUid === JPEG_LOSSLESS_SV1_TRANSFER_SYNTAX
  const sopClassUid = input.modality === 'CR' ? CR_IMAGE_STORAGE : DX_FOR_PRESENTATION_STORAGE
  const gbName = input.characterSet === 'GB18030' ? encodeGb18030(input.patientName) : null
  // dcmjs writes every text value as UTF-8; a GB18030 name is written as an ASCII placeholder of
  // the same byte length and its bytes are put in place afterwards.
  const namePlaceholder = gbName ? 'Z'.repeat(gbName.length) : input.patientName
  const spacing = [input.spacingMm, input.spacingMm]
  const pixelBytes = jpeg
    ? encodeJpegLossless(stored, input.rows, input.columns, input.bitsStored)
    : new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength)
  const pixelBuffer = pixelBytes.buffer.slice(pixelBytes.byteOffset, pixelBytes.byteOffset + pixelBytes.byteLength)
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: input.characterSet,
    ImageType: ['ORIGINAL', 'PRIMARY'],
    SOPClassUID: sopClassUid,
    SOPInstanceUID: input.sopInstanceUid,
    StudyDate: input.studyDate,
    SeriesDate: input.studyDate,
    ContentDate: input.studyDate,
    StudyTime: input.studyTime,
    SeriesTime: input.studyTime,
    ContentTime: input.studyTime,
    AccessionNumber: input.accessionNumber,
    Modality: input.modality,
    Manufacturer: 'Vision-Zero Phantom',
    ManufacturerModelName: 'Synthetic Chest',
    InstitutionName: 'Phantom Hospital',
    ReferringPhysicianName: '',
    StudyDescription: 'CHEST PA',
    SeriesDescription: 'PA',
    PatientName: namePlaceholder,
    PatientID: input.patientId,
    PatientBirthDate: input.patientBirthDate,
    PatientSex: input.patientSex,
    PatientAge: input.patientAge,
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    ImagerPixelSpacing: spacing,
    StudyInstanceUID: input.studyInstanceUid,
    SeriesInstanceUID: input.seriesInstanceUid,
    StudyID: input.studyId,
    SeriesNumber: '1',
    InstanceNumber: '1',
    PatientOrientation: ['L', 'F'],
    SamplesPerPixel: 1,
    PhotometricInterpretation: input.photometric,
    Rows: input.rows,
    Columns: input.columns,
    BitsAllocated: 16,
    BitsStored: input.bitsStored,
    HighBit: input.bitsStored - 1,
    PixelRepresentation: 0,
    WindowCenter: String(window.center),
    WindowWidth: String(window.width),
    RescaleIntercept: '0',
    RescaleSlope: '1',
    BurnedInAnnotation: 'NO',
    LossyImageCompression: '00',
    PixelData: [pixelBuffer],
    _vrMap: { PixelData: jpeg ? 'OB' : 'OW' }
  }
  if (input.calibratedSpacing) dataset.PixelSpacing = spacing
  if (input.modality === 'DX') {
    dataset.PresentationIntentType = 'FOR PRESENTATION'
    dataset.PixelIntensityRelationship = 'LOG'
    // −1: higher stored values mean less X-ray intensity (MONOCHROME2 shows dense parts white).
    dataset.PixelIntensityRelationshipSign = input.photometric === 'MONOCHROME2' ? -1 : 1
    dataset.PresentationLUTShape = input.photometric === 'MONOCHROME2' ? 'IDENTITY' : 'INVERSE'
    dataset.RescaleType = 'US'
  }
  const bytes = writePart10(dataset, input.transferSyntaxUid, { classUid: IMPLEMENTATION_CLASS_UID, versionName: 'VZW_SYNTH_1' })
  if (gbName) spliceTextValue(bytes, 0x0010, 0x0010, 'PN', gbName)
  return bytes
}

/** Overwrites the start of an explicit-VR little-endian text element's value in place. */
function spliceTextValue(bytes: Uint8Array, group: number, element: number, vr: string, value: Uint8Array): void {
  const header = [group & 0xff, group >> 8, element & 0xff, element >> 8, vr.charCodeAt(0), vr.charCodeAt(1)]
  for (let i = 132; i + 8 <= bytes.length; i++) {
    if (header.every((b, k) => bytes[i + k] === b)) {
      const length = bytes[i + 6] | (bytes[i + 7] << 8)
      if (length < value.length) throw new Error(`spliceTextValue: element is ${length} bytes, value needs ${value.length}`)
      bytes.set(value, i + 8)
      return
    }
  }
  throw new Error(`spliceTextValue: element (${group.toString(16)},${element.toString(16)}) not found`)
}

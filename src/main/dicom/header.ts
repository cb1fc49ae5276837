import type { DataSet, Element } from 'dicom-parser'
import { characterSetTerms, decodeDicomText } from './charset'
import { yearFirstDate } from './dates'
import { DicomFileError, transferSyntaxOf } from './parse'
import { applyModalityTransform } from './display'
import type { OriginTags, ProjectionTags } from './projection'
import { isForProcessingSopClass } from './uids'

/** A lookup table (Modality or VOI LUT, PS3.3 C.11.1/C.11.2): input `firstMapped + i` maps to `data[i]`. */
export interface Lut {
  firstMapped: number
  bitsPerEntry: number
  data: Uint16Array
  explanation: string | null
}

export interface WindowPreset {
  center: number
  width: number
  explanation: string | null
}

export type VoiLutFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID'
export type SpacingKind = 'pixel' | 'imager' | 'none'

/** How stored pixels are laid out: what the decoders and the display pipeline need. */
export interface PixelLayout {
  rows: number
  columns: number
  samplesPerPixel: number
  photometric: string
  bitsAllocated: number
  bitsStored: number
  highBit: number
  /** 1 = two's complement. */
  pixelRepresentation: number
  planarConfiguration: number
  numberOfFrames: number
}

/** How modality values become display values (PS3.3 C.11). */
export interface DisplayTags {
  rescaleSlope: number
  rescaleIntercept: number
  rescaleType: string | null
  modalityLut: Lut | null
  windows: WindowPreset[]
  voiLutFunction: VoiLutFunction
  voiLuts: Lut[]
  /** MONOCHROME1, or Presentation LUT Shape INVERSE: the lowest value is shown white. */
  invert: boolean
  /**
   * Pixel Padding Value (0028,0120) and Range Limit (0028,0121), as modality values: the pixels
   * outside the exposed area (collimation, a non-rectangular detector) that no window should see.
   */
  padding: { low: number; high: number } | null
}

export interface Person {
  name: string | null
  id: string | null
  birthDate: string | null
  sex: string | null
}

/** Everything the importer reads from one instance, text decoded by its character set. */
export interface InstanceHeader {
  transferSyntaxUid: string
  sopClassUid: string
  sopInstanceUid: string
  studyUid: string
  seriesUid: string
  patient: Person
  studyDate: string | null
  accessionNumber: string | null
  studyDescription: string | null
  seriesDescription: string | null
  modality: string | null
  bodyPart: string | null
  viewPosition: string | null
  /** What the projection and the film's orientation are read from (see projection.ts). */
  projectionTags: ProjectionTags
  /** What tells the film as acquired from an image made from one (see projection.ts). */
  originTags: OriginTags
  forProcessing: boolean
  spacing: { rowMm: number | null; colMm: number | null; kind: SpacingKind }
  /** Estimated Radiographic Magnification Factor (0018,1114): divides imager spacing to get anatomy size. */
  magnification: number | null
  burnedInAnnotation: boolean
  lossyCompressed: boolean
  hasPixelData: boolean
  characterSet: string[]
}

function text(dataSet: DataSet, tag: string, charset: string[]): string | null {
  const el = dataSet.elements[tag]
  if (!el || el.length <= 0) return null
  const bytes = dataSet.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)
  const value = decodeDicomText(bytes, charset).replace(/[\0 ]+$/, '').trim()
  return value || null
}

/** ASCII-only values (CS, UI, DA, AS, DS, IS): no character set applies. */
function ascii(dataSet: DataSet, tag: string): string | null {
  const el = dataSet.elements[tag]
  if (!el || el.length <= 0) return null
  return dataSet.string(tag)?.replace(/\0/g, '').trim() || null
}

/**
 * A DA value as YYYYMMDD: also as ACR-NEMA and some devices write it (2026.01.05, 2026-01-05); null
 * for a value that is no date (UNKNOWN, 00000000, a 13th month), so no report is matched by it.
 */
function dateOf(dataSet: DataSet, tag: string): string | null {
  const value = ascii(dataSet, tag)
  return value ? yearFirstDate(value) : null
}

/** A text value in the first item of a sequence ((0054,0220) View Code Sequence > Code Meaning). */
function itemText(dataSet: DataSet, sequenceTag: string, tag: string, charset: string[]): string | null {
  const item = dataSet.elements[sequenceTag]?.items?.[0]?.dataSet
  return item ? text(item, tag, charset) : null
}

function required(dataSet: DataSet, tag: string, name: string): string {
  const value = ascii(dataSet, tag)
  if (!value) throw new DicomFileError(`Required attribute ${name} (${tag.slice(1, 5)},${tag.slice(5)}) is missing or empty`)
  return value
}

/**
 * A DS value's numbers. A comma is no DS character, yet devices set to a European locale write one for
 * the decimal point (0,143\\0,143, 2047,5) and some write one between values (0.148,0.150): read as meant.
 */
function decimals(dataSet: DataSet, tag: string): number[] {
  const raw = ascii(dataSet, tag)
  if (!raw) return []
  const commaSeparated = raw.includes(',') && !raw.includes('\\') && raw.split(',').every((v) => v.includes('.'))
  return raw.split(commaSeparated ? ',' : '\\').map((v) => Number.parseFloat(v.includes('.') ? v : v.replace(',', '.')))
}

/** Row and column spacing; one value (some devices write only one for square pixels) is both. */
function spacingPair(values: number[]): [number, number] | null {
  const pair = values.length === 1 ? [values[0], values[0]] : values
  return pair.length === 2 && pair.every((v) => Number.isFinite(v) && v > 0) ? [pair[0], pair[1]] : null
}

function spacingOf(dataSet: DataSet): InstanceHeader['spacing'] {
  const pixel = spacingPair(decimals(dataSet, 'x00280030'))
  if (pixel) return { rowMm: pixel[0], colMm: pixel[1], kind: 'pixel' }
  const imager = spacingPair(decimals(dataSet, 'x00181164'))
  if (imager) return { rowMm: imager[0], colMm: imager[1], kind: 'imager' }
  return { rowMm: null, colMm: null, kind: 'none' }
}

export function readInstanceHeader(dataSet: DataSet): InstanceHeader {
  const charset = characterSetTerms(ascii(dataSet, 'x00080005') ?? undefined)
  const sopClassUid = ascii(dataSet, 'x00080016') ?? ascii(dataSet, 'x00020002')
  if (!sopClassUid) throw new DicomFileError('Required attribute SOP Class UID (0008,0016) is missing or empty')
  const presentationIntent = ascii(dataSet, 'x00080068')
  const viewPosition = ascii(dataSet, 'x00185101')
  const descriptions = [
    { name: 'SeriesDescription', text: text(dataSet, 'x0008103e', charset) },
    { name: 'ProtocolName', text: text(dataSet, 'x00181030', charset) },
    { name: 'AcquisitionDeviceProcessingDescription', text: text(dataSet, 'x00181400', charset) }
  ]
  return {
    transferSyntaxUid: transferSyntaxOf(dataSet),
    sopClassUid,
    sopInstanceUid: ascii(dataSet, 'x00080018') ?? required(dataSet, 'x00020003', 'SOP Instance UID'),
    studyUid: required(dataSet, 'x0020000d', 'Study Instance UID'),
    seriesUid: required(dataSet, 'x0020000e', 'Series Instance UID'),
    patient: {
      name: text(dataSet, 'x00100010', charset),
      id: text(dataSet, 'x00100020', charset),
      birthDate: dateOf(dataSet, 'x00100030'),
      sex: ascii(dataSet, 'x00100040')
    },
    studyDate: dateOf(dataSet, 'x00080020'),
    accessionNumber: text(dataSet, 'x00080050', charset),
    studyDescription: text(dataSet, 'x00081030', charset),
    seriesDescription: text(dataSet, 'x0008103e', charset),
    modality: ascii(dataSet, 'x00080060'),
    // a CS value, but devices write 胸部 there in their own character set
    bodyPart: text(dataSet, 'x00180015', charset),
    viewPosition,
    projectionTags: {
      viewPosition,
      viewCodeMeaning: itemText(dataSet, 'x00540220', 'x00080104', charset),
      patientOrientation: ascii(dataSet, 'x00200020'),
      descriptions
    },
    originTags: {
      sopClassUid,
      imageType: ascii(dataSet, 'x00080008'),
      descriptions: [...descriptions, { name: 'DerivationDescription', text: text(dataSet, 'x00082111', charset) }]
    },
    forProcessing: presentationIntent?.toUpperCase() === 'FOR PROCESSING' || isForProcessingSopClass(sopClassUid),
    spacing: spacingOf(dataSet),
    magnification: decimals(dataSet, 'x00181114').find((v) => Number.isFinite(v) && v > 0) ?? null,
    burnedInAnnotation: ascii(dataSet, 'x00280301')?.toUpperCase() === 'YES',
    lossyCompressed: ascii(dataSet, 'x00282110') === '01',
    hasPixelData: dataSet.elements.x7fe00010 !== undefined,
    characterSet: charset
  }
}

function positiveInt(dataSet: DataSet, tag: string, name: string): number {
  const value = dataSet.uint16(tag)
  if (value === undefined || value <= 0) throw new DicomFileError(`${name} (${tag.slice(1, 5)},${tag.slice(5)}) is missing or zero`)
  return value
}

export function readPixelLayout(dataSet: DataSet): PixelLayout {
  const bitsAllocated = positiveInt(dataSet, 'x00280100', 'Bits Allocated')
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated
  const layout: PixelLayout = {
    rows: positiveInt(dataSet, 'x00280010', 'Rows'),
    columns: positiveInt(dataSet, 'x00280011', 'Columns'),
    samplesPerPixel: dataSet.uint16('x00280002') ?? 1,
    photometric: ascii(dataSet, 'x00280004')?.toUpperCase() ?? 'MONOCHROME2',
    bitsAllocated,
    bitsStored,
    highBit: dataSet.uint16('x00280102') ?? bitsStored - 1,
    pixelRepresentation: dataSet.uint16('x00280103') ?? 0,
    planarConfiguration: dataSet.uint16('x00280006') ?? 0,
    numberOfFrames: Math.max(1, Number.parseInt(ascii(dataSet, 'x00280008') ?? '1', 10) || 1)
  }
  if (![1, 8, 16, 32].includes(bitsAllocated)) throw new DicomFileError(`Bits Allocated ${bitsAllocated} is not supported (1, 8, 16 or 32)`)
  if (bitsStored < 1 || bitsStored > bitsAllocated)
    throw new DicomFileError(`Bits Stored ${bitsStored} does not fit in Bits Allocated ${bitsAllocated}`)
  if (layout.samplesPerPixel !== 1 && layout.samplesPerPixel !== 3)
    throw new DicomFileError(`Samples per Pixel ${layout.samplesPerPixel} is not supported (1 or 3)`)
  return layout
}

/** Where a table's descriptor (entries, first mapped, bits per entry) and its data are. */
interface LutTags {
  descriptor: string
  data: string
}

const modalityOrVoiLut: LutTags = { descriptor: 'x00283002', data: 'x00283006' }

function readLut(item: DataSet, signedInput: boolean, tags: LutTags = modalityOrVoiLut): Lut | null {
  const descriptor = item.elements[tags.descriptor]
  const dataElement = item.elements[tags.data]
  if (!descriptor || !dataElement || descriptor.length < 6) return null
  const entries = item.uint16(tags.descriptor, 0) || 65536
  const rawFirst = item.uint16(tags.descriptor, 1) ?? 0
  const firstMapped = signedInput && rawFirst > 32767 ? rawFirst - 65536 : rawFirst
  const bitsPerEntry = item.uint16(tags.descriptor, 2) ?? 16
  const data = lutData(item, tags.data, dataElement, entries, bitsPerEntry)
  if (!data) return null
  const explanation = ascii(item, 'x00283003')
  return { firstMapped, bitsPerEntry, data, explanation }
}

/** LUT Data is US/OW: one 16-bit word per entry; some writers pack 8-bit entries two per word. */
function lutData(item: DataSet, tag: string, el: Element, entries: number, bitsPerEntry: number): Uint16Array | null {
  const words = el.length >> 1
  const data = new Uint16Array(entries)
  if (words >= entries) {
    for (let i = 0; i < entries; i++) data[i] = item.uint16(tag, i) ?? 0
  } else if (bitsPerEntry === 8 && el.length >= entries) {
    for (let i = 0; i < entries; i++) data[i] = item.byteArray[el.dataOffset + i]
  } else return null
  return data
}

/** PALETTE COLOR's lookup tables (PS3.3 C.7.6.3.1.5): a stored value indexes each of the three. */
export interface ColourPalette {
  red: Lut
  green: Lut
  blue: Lut
}

const paletteTags = (group: number): LutTags => ({ descriptor: `x0028${1101 + group}`, data: `x0028${1201 + group}` })

export function readColourPalette(dataSet: DataSet, layout: PixelLayout): ColourPalette {
  const [red, green, blue] = ['Red', 'Green', 'Blue'].map((colour, group) => {
    const tags = paletteTags(group)
    const lut = readLut(dataSet, layout.pixelRepresentation === 1, tags)
    if (lut) return lut
    const where = `(0028,${tags.descriptor.slice(5)}) and (0028,${tags.data.slice(5)})`
    // Segmented palettes (0028,1221–1223) compress the table into runs; no chest film has been seen with one.
    const segmented = dataSet.elements[`x0028${1221 + group}`] ? '; segmented palettes are not supported' : ''
    throw new DicomFileError(`The image is PALETTE COLOR but its ${colour} Palette Color Lookup Table ${where} is missing or unreadable${segmented}`)
  })
  return { red, green, blue }
}

function sequenceItems(dataSet: DataSet, tag: string): DataSet[] {
  return (dataSet.elements[tag]?.items ?? []).flatMap((item) => (item.dataSet ? [item.dataSet] : []))
}

export function readDisplayTags(dataSet: DataSet, layout: PixelLayout): DisplayTags {
  const centers = decimals(dataSet, 'x00281050')
  const widths = decimals(dataSet, 'x00281051')
  const explanations = (text(dataSet, 'x00281055', ['']) ?? '').split('\\')
  const windows: WindowPreset[] = []
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    if (Number.isFinite(centers[i]) && Number.isFinite(widths[i]) && widths[i] > 0)
      windows.push({ center: centers[i], width: widths[i], explanation: explanations[i]?.trim() || null })
  }
  const fn = ascii(dataSet, 'x00281056')?.toUpperCase()
  const voiLutFunction: VoiLutFunction = fn === 'SIGMOID' || fn === 'LINEAR_EXACT' ? fn : 'LINEAR'
  const signed = layout.pixelRepresentation === 1
  const slope = decimals(dataSet, 'x00281053')[0] ?? 1
  const intercept = decimals(dataSet, 'x00281052')[0] ?? 0
  const modalityLut = sequenceItems(dataSet, 'x00283000').map((item) => readLut(item, signed))[0] ?? null
  // After a Modality LUT the VOI input is unsigned; after rescale it may be negative.
  const voiLuts = sequenceItems(dataSet, 'x00283010').flatMap((item) => readLut(item, modalityLut === null && (signed || intercept < 0)) ?? [])
  const modality = { modalityLut, rescaleSlope: Number.isFinite(slope) && slope !== 0 ? slope : 1, rescaleIntercept: Number.isFinite(intercept) ? intercept : 0 }
  return {
    ...modality,
    rescaleType: ascii(dataSet, 'x00281054'),
    windows,
    voiLutFunction,
    voiLuts,
    invert: layout.photometric === 'MONOCHROME1' || ascii(dataSet, 'x20500020')?.toUpperCase() === 'INVERSE',
    padding: paddingOf(dataSet, signed, modality)
  }
}

/** The padding range in modality values; its stored values are US or SS as the pixels are (PS3.3 C.7.5.1.1.2). */
function paddingOf(dataSet: DataSet, signed: boolean, modality: Parameters<typeof applyModalityTransform>[1]): DisplayTags['padding'] {
  const read = (tag: string): number | undefined => (dataSet.elements[tag]?.length === 2 ? (signed ? dataSet.int16(tag) : dataSet.uint16(tag)) : undefined)
  const value = read('x00280120')
  if (value === undefined) return null
  const [a, b] = applyModalityTransform(Float32Array.of(value, read('x00280121') ?? value), modality)
  return { low: Math.min(a, b), high: Math.max(a, b) }
}

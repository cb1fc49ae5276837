import { createHash } from 'node:crypto'

/** Transfer syntaxes and SOP classes the importer tells apart (PS3.6 Annex A). */
export const TransferSyntax = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  encapsulatedUncompressed: '1.2.840.10008.1.2.1.98',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegSpectralSelection: '1.2.840.10008.1.2.4.53',
  jpegProgressive: '1.2.840.10008.1.2.4.55',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLs: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kLosslessRpcl: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  rle: '1.2.840.10008.1.2.5'
} as const

const transferSyntaxNames: Record<string, string> = {
  [TransferSyntax.implicitLittle]: 'Implicit VR Little Endian',
  [TransferSyntax.explicitLittle]: 'Explicit VR Little Endian',
  [TransferSyntax.encapsulatedUncompressed]: 'Encapsulated Uncompressed Explicit VR Little Endian',
  [TransferSyntax.deflatedExplicitLittle]: 'Deflated Explicit VR Little Endian',
  [TransferSyntax.explicitBig]: 'Explicit VR Big Endian',
  [TransferSyntax.jpegBaseline]: 'JPEG Baseline',
  [TransferSyntax.jpegExtended]: 'JPEG Extended (12-bit)',
  [TransferSyntax.jpegSpectralSelection]: 'JPEG Spectral Selection (retired)',
  [TransferSyntax.jpegProgressive]: 'JPEG Full Progression (retired)',
  [TransferSyntax.jpegLossless]: 'JPEG Lossless (Process 14)',
  [TransferSyntax.jpegLosslessSV1]: 'JPEG Lossless SV1',
  [TransferSyntax.jpegLs]: 'JPEG-LS Lossless',
  [TransferSyntax.jpegLsNearLossless]: 'JPEG-LS Near-Lossless',
  [TransferSyntax.jpeg2000Lossless]: 'JPEG 2000 Lossless',
  [TransferSyntax.jpeg2000]: 'JPEG 2000',
  [TransferSyntax.htj2kLossless]: 'HTJ2K Lossless',
  [TransferSyntax.htj2kLosslessRpcl]: 'HTJ2K Lossless RPCL',
  [TransferSyntax.htj2k]: 'HTJ2K',
  [TransferSyntax.rle]: 'RLE Lossless'
}

export function transferSyntaxName(uid: string): string {
  return transferSyntaxNames[uid] ? `${transferSyntaxNames[uid]} (${uid})` : `transfer syntax ${uid}`
}

export const SopClass = {
  secondaryCapture: '1.2.840.10008.5.1.4.1.1.7',
  dxForPresentation: '1.2.840.10008.5.1.4.1.1.1.1',
  dxForProcessing: '1.2.840.10008.5.1.4.1.1.1.1.1',
  mammoForProcessing: '1.2.840.10008.5.1.4.1.1.1.2.1',
  intraoralForProcessing: '1.2.840.10008.5.1.4.1.1.1.3.1',
  mediaStorageDirectory: '1.2.840.10008.1.3.10',
  encapsulatedPdf: '1.2.840.10008.5.1.4.1.1.104.1',
  encapsulatedCda: '1.2.840.10008.5.1.4.1.1.104.2'
} as const

const forProcessingClasses = new Set<string>([SopClass.dxForProcessing, SopClass.mammoForProcessing, SopClass.intraoralForProcessing])

export function isForProcessingSopClass(uid: string): boolean {
  return forProcessingClasses.has(uid)
}

/** Structured Report storage classes (1.2.840.10008.5.1.4.1.1.88.*). */
export function isStructuredReportSopClass(uid: string): boolean {
  return uid.startsWith('1.2.840.10008.5.1.4.1.1.88.')
}

const nonImageClassNames: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
  [SopClass.encapsulatedPdf]: 'Encapsulated PDF',
  [SopClass.encapsulatedCda]: 'Encapsulated CDA',
  '1.2.840.10008.5.1.4.1.1.88.59': 'Key Object Selection',
  '1.2.840.10008.5.1.4.1.1.66': 'Raw Data',
  [SopClass.mediaStorageDirectory]: 'Media Storage Directory (DICOMDIR)'
}

const structuredReportClassNames: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR',
  '1.2.840.10008.5.1.4.1.1.88.35': 'Extensible SR',
  '1.2.840.10008.5.1.4.1.1.88.65': 'Chest CAD SR',
  '1.2.840.10008.5.1.4.1.1.88.67': 'X-Ray Radiation Dose SR'
}

/** A report document kept in DICOM, as a sentence names it: "an Encapsulated PDF", "a Basic Text SR". */
export function reportDocumentName(uid: string): string {
  if (uid === SopClass.encapsulatedPdf || uid === SopClass.encapsulatedCda) return `an ${nonImageClassNames[uid]}`
  return `a ${structuredReportClassNames[uid] ?? 'Structured Report'}`
}

export function sopClassName(uid: string): string {
  return nonImageClassNames[uid] ? `${nonImageClassNames[uid]} (${uid})` : uid
}

/**
 * A UID for something that has none of its own (a picture imported as a film), the same for the
 * same name every time: a name-based UUID (version 5, SHA-1, PS3.5 B.2) under the 2.25 root.
 */
export function nameBasedUid(name: string): string {
  const digest = createHash('sha1').update(`vision-zero-workstation:${name}`).digest()
  digest[6] = (digest[6] & 0x0f) | 0x50
  digest[8] = (digest[8] & 0x3f) | 0x80
  return `2.25.${BigInt('0x' + digest.subarray(0, 16).toString('hex')).toString()}`
}

/** The study UID of pictures (PNG, JPEG films) whose study is this place: their study folder, or the file of a picture that is a study alone. */
export const pictureStudyUid = (place: string): string => nameBasedUid(`picture-study:${place}`)

/** The series UID of those pictures: one series a study. */
export const pictureSeriesUid = (place: string): string => nameBasedUid(`picture-series:${place}`)

import dicomParser, { type DataSet } from 'dicom-parser'
import { TransferSyntax } from './uids'

/** A file that cannot be imported, with a reason a person understands (it names the problem). */
export class DicomFileError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'DicomFileError'
  }
}

const PREAMBLE = 128

/** Whether the bytes carry the Part 10 marker `DICM` after the 128-byte preamble. */
export function hasDicmMarker(bytes: Uint8Array): boolean {
  return bytes.length >= PREAMBLE + 4 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
}

// The elements an image's data set begins with, and their VRs: (0008,0000) group length (old
// ACR-NEMA files), SpecificCharacterSet, ImageType, InstanceCreationDate, SOPClassUID.
const firstElements: Record<number, string> = { 0x0000: 'UL', 0x0005: 'CS', 0x0008: 'CS', 0x0012: 'DA', 0x0016: 'UI' }

/**
 * The transfer syntax of a raw data set — one written without preamble and meta header, as old
 * archives and some exports hold them — told from how its first element is written (explicit VR
 * letters or an implicit 4-byte length); null when the bytes do not begin like an image's data set.
 */
export function rawDataSetSyntax(bytes: Uint8Array): string | null {
  if (bytes.length < 8 || bytes[0] !== 0x08 || bytes[1] !== 0x00) return null
  const vr = firstElements[bytes[2] | (bytes[3] << 8)]
  if (vr === undefined) return null
  if (String.fromCharCode(bytes[4], bytes[5]) === vr) return TransferSyntax.explicitLittle
  const implicitLength = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16)) + bytes[7] * 0x1000000
  return implicitLength <= 64 ? TransferSyntax.implicitLittle : null
}

/**
 * Parses a DICOM file (deflated ones are inflated with Node's zlib): Part 10, or a raw data set
 * without preamble or meta header (see rawDataSetSyntax), or one with the preamble but no meta
 * header. `headerOnly` stops before Pixel Data, for indexing and dedup. Failures of dicom-parser
 * (it throws strings, Errors or `{exception, dataSet}`) become a DicomFileError with a plain reason.
 */
export function parseDicomFile(bytes: Uint8Array, options: { headerOnly?: boolean } = {}): DataSet {
  if (bytes.length === 0) throw new DicomFileError('The file is empty (0 bytes)')
  const until = options.headerOnly ? { untilTag: 'x7fe00010' } : {}
  if (!hasDicmMarker(bytes)) {
    const raw = rawDataSetSyntax(bytes)
    if (raw) return parseOrExplain(bytes, { ...until, TransferSyntaxUID: raw })
    throw new DicomFileError(
      bytes.length < PREAMBLE + 4
        ? `The file is too short to be DICOM (${bytes.length} bytes; a DICOM file has a 132-byte preamble and marker)`
        : 'Not a DICOM file: no "DICM" marker at byte 128, and it does not begin like a data set'
    )
  }
  const afterMarker = bytes.subarray(PREAMBLE + 4)
  const raw = afterMarker[0] === 0x02 ? null : rawDataSetSyntax(afterMarker)
  if (raw) return parseOrExplain(afterMarker, { ...until, TransferSyntaxUID: raw })
  const misdeclared = misdeclaredDataSet(bytes)
  return misdeclared ? parseOrExplain(misdeclared.dataSet, { ...until, TransferSyntaxUID: misdeclared.syntax }) : parseOrExplain(bytes, until)
}

const uncompressedLittleEndian: readonly string[] = [TransferSyntax.implicitLittle, TransferSyntax.explicitLittle]

/**
 * The data set of a Part 10 file whose meta header declares one VR encoding (implicit or explicit
 * little endian) while the data set is written in the other — an export that rewrote one and not the
 * other; pydicom and DCMTK read such files too — with the encoding it is written in. null for any
 * other file, and for a meta header that cannot be read (the whole parse then says why).
 */
function misdeclaredDataSet(bytes: Uint8Array): { dataSet: Uint8Array; syntax: string } | null {
  let meta: DataSet & { position?: number }
  try {
    meta = dicomParser.readPart10Header(bytes)
  } catch {
    return null
  }
  const declared = meta.string('x00020010')?.replace(/\0/g, '').trim()
  if (!declared || !uncompressedLittleEndian.includes(declared) || meta.position === undefined) return null
  const dataSet = bytes.subarray(meta.position)
  const written = rawDataSetSyntax(dataSet)
  return written && written !== declared ? { dataSet, syntax: written } : null
}

function parseOrExplain(bytes: Uint8Array, options: { untilTag?: string; TransferSyntaxUID?: string }): DataSet {
  try {
    return dicomParser.parseDicom(bytes, options)
  } catch (thrown) {
    const imageEnd = endOfWholePixelData(thrown, bytes)
    if (imageEnd !== null) return parseOrExplain(bytes.subarray(0, imageEnd), options)
    throw new DicomFileError(explainParseFailure(thrown))
  }
}

/**
 * Where the Pixel Data ends when a parse failed only after reading all of it: bytes after the image
 * that are no element (an odd pad byte, text an export tool appended). pydicom stops at such bytes
 * too; the file is read up to the end of its image. null when the failure is anywhere else (a
 * truncated image, a broken header) or the data set was inflated (its offsets are not the file's).
 */
function endOfWholePixelData(thrown: unknown, bytes: Uint8Array): number | null {
  const partial = thrown !== null && typeof thrown === 'object' && 'dataSet' in thrown ? (thrown as { dataSet: DataSet }).dataSet : null
  const pixels = partial?.byteArray === bytes ? partial.elements.x7fe00010 : undefined
  if (!pixels || !(pixels.length >= 0)) return null
  // an encapsulated image of undefined length ends with its 8-byte sequence delimiter
  const end = pixels.dataOffset + pixels.length + (pixels.hadUndefinedLength ? 8 : 0)
  return end < bytes.length ? end : null
}

function explainParseFailure(thrown: unknown): string {
  const inner = thrown !== null && typeof thrown === 'object' && 'exception' in thrown ? (thrown as { exception: unknown }).exception : thrown
  const message = inner instanceof Error ? inner.message : String(inner)
  if (/missing required meta header attribute 0002,0010/.test(message))
    return 'The DICOM meta header is missing or incomplete: no Transfer Syntax UID (0002,0010)'
  if (/buffer overr(ead|un)|attempt to read past end|eof|index out of range|offset is outside/i.test(message))
    return `The file is truncated or an element length is wrong (${message.replace(/^dicomParser\.\w+: /, '')})`
  if (/inflat|incorrect header check|invalid (block|stored|distance|code)|code lengths|unexpected end of file/i.test(message))
    return `The deflated data set cannot be inflated (${message})`
  return `The file cannot be parsed as DICOM: ${message.replace(/^dicomParser\.\w+: /, '')}`
}

/** The transfer syntax of a parsed file; dicom-parser itself has already refused files without one. */
export function transferSyntaxOf(dataSet: DataSet): string {
  return dataSet.string('x00020010')?.replace(/\0/g, '').trim() || TransferSyntax.implicitLittle
}

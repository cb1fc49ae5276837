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

/**
 * Parses a DICOM Part 10 file (deflated ones are inflated with Node's zlib). `headerOnly` stops
 * before Pixel Data, for indexing and dedup. Failures of dicom-parser (it throws strings, Errors
 * or `{exception, dataSet}`) become a DicomFileError with a plain reason.
 */
export function parseDicomFile(bytes: Uint8Array, options: { headerOnly?: boolean } = {}): DataSet {
  if (bytes.length === 0) throw new DicomFileError('The file is empty (0 bytes)')
  if (!hasDicmMarker(bytes)) {
    throw new DicomFileError(
      bytes.length < PREAMBLE + 4
        ? `The file is too short to be DICOM (${bytes.length} bytes; a DICOM file has a 132-byte preamble and marker)`
        : 'Not a DICOM Part 10 file: the "DICM" marker at byte 128 is missing'
    )
  }
  try {
    return dicomParser.parseDicom(bytes, options.headerOnly ? { untilTag: 'x7fe00010' } : undefined)
  } catch (thrown) {
    throw new DicomFileError(explainParseFailure(thrown))
  }
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

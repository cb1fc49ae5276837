/**
 * Builds DICOM test files: written with dcmjs (explicit VR little endian), converted with dcmtk
 * into the other transfer syntaxes, and encoded with the cornerstone WASM encoders where Debian's
 * dcmtk has no codec (JPEG 2000, HTJ2K). Also the broken files the importer must name.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import dcmjs from 'dcmjs'
import { loadCodec, type CodecFrameInfo } from '../../src/main/dicom/codecs'

const { DicomMetaDictionary, DicomDict } = dcmjs.data

export const dcmtkAvailable = spawnSync('dcmconv', ['--version']).status === 0
export const dcmtkMissingReason = 'dcmtk is not installed (apt-get install dcmtk); CI installs it'

export interface ImageSpec {
  rows: number
  columns: number
  bitsAllocated: 8 | 16
  bitsStored: number
  signed?: boolean
  photometric?: 'MONOCHROME1' | 'MONOCHROME2'
  /** Set bits above High Bit (overlay planes of old files) that the reader must mask away. */
  junkHighBits?: boolean
  seed?: number
}

export interface Built {
  bytes: Buffer
  /** The stored values a correct reader recovers (masked, sign-extended). */
  expected: Int32Array
  sopInstanceUid: string
  studyUid: string
}

/** A small deterministic generator, so every corpus is the same from run to run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 2 ** 32
  }
}

/** A radiograph-like pattern: smooth anatomy-ish gradient, a bright disc, and noise, over the full range. */
export function syntheticPixels(spec: ImageSpec): Int32Array {
  const rand = seededRandom(spec.seed ?? 7)
  const { rows, columns, bitsStored } = spec
  const lo = spec.signed ? -(2 ** (bitsStored - 1)) : 0
  const hi = spec.signed ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1
  const out = new Int32Array(rows * columns)
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const r = Math.hypot(x - columns * 0.6, y - rows * 0.4) / Math.max(rows, columns)
      const base = 0.15 + 0.5 * (x / columns) * (1 - y / (2 * rows)) + (r < 0.12 ? 0.3 : 0)
      const v = lo + Math.round((base + 0.05 * (rand() - 0.5)) * (hi - lo))
      out[y * columns + x] = Math.min(hi, Math.max(lo, v))
    }
  }
  // The extremes are present so every codec has to carry the full range.
  out[0] = lo
  out[1] = hi
  return out
}

function storedBytes(values: Int32Array, spec: ImageSpec): Buffer {
  if (spec.bitsAllocated === 8) return Buffer.from(Uint8Array.from(values))
  const junk = spec.junkHighBits ? 0xf000 & ~((1 << spec.bitsStored) - 1) : 0
  const words = new Uint16Array(values.length)
  for (let i = 0; i < values.length; i++) words[i] = (values[i] & 0xffff) | junk
  return Buffer.from(words.buffer)
}

export interface WriteOptions {
  transferSyntax?: string
  sopClassUid?: string
  characterSet?: string
  /** Attributes added to (or overriding) the default radiograph header. */
  extra?: Record<string, unknown>
  /** Native Pixel Data bytes; `null` writes no Pixel Data; omitted writes none either (set by `image`). */
  pixelData?: Buffer | null
  studyUid?: string
}

/** Writes a Part 10 file with dcmjs. */
export function writeDicom(options: WriteOptions): { bytes: Buffer; sopInstanceUid: string; studyUid: string } {
  const sopInstanceUid = DicomMetaDictionary.uid()
  const studyUid = options.studyUid ?? DicomMetaDictionary.uid()
  const sopClassUid = options.sopClassUid ?? '1.2.840.10008.5.1.4.1.1.1.1'
  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: options.characterSet?.split('\\'),
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: studyUid,
    SeriesInstanceUID: DicomMetaDictionary.uid(),
    StudyDate: '20260105',
    AccessionNumber: 'ACC' + sopInstanceUid.slice(-6),
    PatientName: 'Doe^Jane',
    PatientID: 'PID-' + sopInstanceUid.slice(-4),
    PatientBirthDate: '19600101',
    PatientSex: 'F',
    Modality: 'DX',
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    ...options.extra
  }
  for (const key of Object.keys(dataset)) if (dataset[key] === undefined) delete dataset[key]
  if (options.pixelData) {
    dataset.PixelData = [options.pixelData.buffer.slice(options.pixelData.byteOffset, options.pixelData.byteOffset + options.pixelData.byteLength)]
    dataset._vrMap = { PixelData: dataset.BitsAllocated === 8 ? 'OB' : 'OW' }
  }
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: options.transferSyntax ?? '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1'
  }
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta))
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset)
  return { bytes: Buffer.from(dict.write()), sopInstanceUid, studyUid }
}

export function imageAttributes(spec: ImageSpec): Record<string, unknown> {
  return {
    Rows: spec.rows,
    Columns: spec.columns,
    BitsAllocated: spec.bitsAllocated,
    BitsStored: spec.bitsStored,
    HighBit: spec.bitsStored - 1,
    PixelRepresentation: spec.signed ? 1 : 0,
    SamplesPerPixel: 1,
    PhotometricInterpretation: spec.photometric ?? 'MONOCHROME2',
    PixelSpacing: [0.143, 0.143],
    ImagerPixelSpacing: [0.15, 0.15]
  }
}

/** An uncompressed radiograph in explicit VR little endian. */
export function image(spec: ImageSpec, options: WriteOptions = {}): Built {
  const expected = syntheticPixels(spec)
  const written = writeDicom({ ...options, extra: { ...imageAttributes(spec), ...options.extra }, pixelData: storedBytes(expected, spec) })
  return { ...written, expected }
}

/** Converts a file with a dcmtk tool (dcmconv, dcmcjpeg, dcmcrle, dcmcjpls) and returns the new bytes. */
export function dcmtk(tool: string, args: string[], input: Buffer, scratch: string): Buffer {
  fs.mkdirSync(scratch, { recursive: true })
  const stem = path.join(scratch, `${tool}-${process.pid}-${Math.random().toString(36).slice(2)}`)
  fs.writeFileSync(`${stem}.in`, input)
  execFileSync(tool, [...args, `${stem}.in`, `${stem}.out`], { stdio: ['ignore', 'ignore', 'pipe'] })
  const out = fs.readFileSync(`${stem}.out`)
  fs.rmSync(`${stem}.in`)
  fs.rmSync(`${stem}.out`)
  return out
}

function u16le(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(n)
  return b
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}

/** Pixel Data (7FE0,0010) OB, undefined length: an empty offset table, one fragment, the delimiter. */
export function encapsulatedPixelData(fragment: Uint8Array): Buffer {
  const padded = fragment.length % 2 ? Buffer.concat([Buffer.from(fragment), Buffer.alloc(1)]) : Buffer.from(fragment)
  return Buffer.concat([
    u16le(0x7fe0), u16le(0x0010), Buffer.from('OB'), Buffer.alloc(2), u32le(0xffffffff),
    u16le(0xfffe), u16le(0xe000), u32le(0),
    u16le(0xfffe), u16le(0xe000), u32le(padded.length), padded,
    u16le(0xfffe), u16le(0xe0dd), u32le(0)
  ])
}

/** Encodes a 16-bit grayscale image with a cornerstone WASM encoder (JPEG 2000 or HTJ2K, lossless). */
export async function encodeWithWasm(codec: 'openjpeg' | 'openjph', values: Int32Array, spec: ImageSpec): Promise<Uint8Array> {
  const module = await loadCodec(codec)
  const encoder = new module[codec === 'openjpeg' ? 'J2KEncoder' : 'HTJ2KEncoder']()
  try {
    const info: CodecFrameInfo = {
      width: spec.columns,
      height: spec.rows,
      bitsPerSample: spec.bitsStored,
      componentCount: 1,
      isSigned: spec.signed === true,
      isUsingColorTransform: false
    }
    const input = encoder.getDecodedBuffer(info)
    const samples = spec.signed ? Int16Array.from(values) : Uint16Array.from(values)
    input.set(new Uint8Array(samples.buffer))
    encoder.encode()
    return encoder.getEncodedBuffer().slice()
  } finally {
    encoder.delete()
  }
}

/** A compressed radiograph whose Pixel Data is the given codestream. */
export function encapsulatedImage(spec: ImageSpec, transferSyntax: string, codestream: Uint8Array, expected: Int32Array, extra: Record<string, unknown> = {}): Built {
  const written = writeDicom({ transferSyntax, extra: { ...imageAttributes(spec), ...extra } })
  return { ...written, bytes: Buffer.concat([written.bytes, encapsulatedPixelData(codestream)]), expected }
}

/** Replaces an ASCII placeholder in a file by raw bytes of the same length (for non-ASCII text). */
export function patchText(bytes: Buffer, placeholder: string, replacement: Uint8Array): Buffer {
  if (replacement.length !== placeholder.length) throw new Error('patchText: lengths differ')
  const at = bytes.indexOf(Buffer.from(placeholder, 'latin1'))
  if (at < 0) throw new Error(`patchText: ${placeholder} not found`)
  const out = Buffer.from(bytes)
  out.set(replacement, at)
  return out
}

import dicomParser, { type DataSet, type Element } from 'dicom-parser'
import { decodeJpeg12, decodeJpegLossless, decodeWithWasm, type DecodedFrame, type WasmCodecName } from './codecs'
import { lutValue } from './display'
import { readColourPalette, type ColourPalette, type PixelLayout } from './header'
import { DicomFileError } from './parse'
import { decodeRle } from './rle'
import { TransferSyntax, transferSyntaxName } from './uids'

/** One grayscale frame of stored pixel values: masked to Bits Stored and sign-extended. */
export interface StoredFrame {
  width: number
  height: number
  values: Float32Array
}

const wasmCodecFor: Record<string, WasmCodecName> = {
  [TransferSyntax.jpegBaseline]: 'libjpeg-turbo',
  [TransferSyntax.jpegLs]: 'charls',
  [TransferSyntax.jpegLsNearLossless]: 'charls',
  [TransferSyntax.jpeg2000Lossless]: 'openjpeg',
  [TransferSyntax.jpeg2000]: 'openjpeg',
  [TransferSyntax.htj2kLossless]: 'openjph',
  [TransferSyntax.htj2kLosslessRpcl]: 'openjph',
  [TransferSyntax.htj2k]: 'openjph'
}

/**
 * The DCT processes that allow 12-bit samples (PS3.5 A.4.1): IJG's 12-bit build reads those films,
 * libjpeg-turbo the 8-bit ones. Spectral selection and full progression are retired but in old archives.
 */
const twelveBitJpegSyntaxes = new Set<string>([TransferSyntax.jpegExtended, TransferSyntax.jpegSpectralSelection, TransferSyntax.jpegProgressive])

const nativeSyntaxes = new Set<string>([
  TransferSyntax.implicitLittle,
  TransferSyntax.explicitLittle,
  TransferSyntax.deflatedExplicitLittle,
  TransferSyntax.explicitBig
])

function pixelDataElement(dataSet: DataSet): Element {
  const el = dataSet.elements.x7fe00010
  if (!el) throw new DicomFileError('The file has no Pixel Data (7FE0,0010)')
  return el
}

/** The first frame's compressed bytes (the importer keeps frame 1 of multi-frame files). */
function encapsulatedFirstFrame(dataSet: DataSet, el: Element, frames: number): Uint8Array {
  const fragments = el.fragments ?? []
  if (fragments.length === 0) throw new DicomFileError('The encapsulated Pixel Data has no fragments (zero-length pixel data)')
  if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, 0, fragments.length)
  if ((el.basicOffsetTable ?? []).length > 0) return dicomParser.readEncapsulatedImageFrame(dataSet, el, 0)
  if (fragments.length === frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, el, 0, 1)
  throw new DicomFileError(`A ${frames}-frame image has ${fragments.length} fragments and no offset table: frame 1 cannot be located`)
}

function bytesPerSampleOf(layout: PixelLayout): 1 | 2 | 4 {
  return layout.bitsAllocated <= 8 ? 1 : layout.bitsAllocated === 16 ? 2 : 4
}

/** YBR_FULL_422 stores one Cb and one Cr for each two pixels, Y Y Cb Cr (PS3.3 C.7.6.3.1.2). */
function isSubsampledYbr(layout: PixelLayout): boolean {
  return layout.photometric === 'YBR_FULL_422' && layout.samplesPerPixel === 3
}

/** The samples a native frame stores. */
function storedSampleCount(layout: PixelLayout): number {
  const pixels = layout.rows * layout.columns
  return isSubsampledYbr(layout) ? 4 * Math.ceil(pixels / 2) : pixels * layout.samplesPerPixel
}

/** Y Y Cb Cr runs as Y Cb Cr for every pixel: the interleaved layout storedValues reads. */
function expandSubsampledYbr(samples: Uint8Array, pixels: number, size: number): Uint8Array {
  const out = new Uint8Array(3 * pixels * size)
  for (let p = 0; p < pixels; p++) {
    const pair = (p >> 1) * 4 * size
    const y = pair + (p & 1) * size
    out.set(samples.subarray(y, y + size), 3 * p * size)
    out.set(samples.subarray(pair + 2 * size, pair + 4 * size), (3 * p + 1) * size)
  }
  return out
}

function nativeFrame(dataSet: DataSet, el: Element, layout: PixelLayout, bigEndian: boolean): Uint8Array {
  if (el.length <= 0) throw new DicomFileError('Pixel Data is empty (zero length)')
  const need = storedByteCount(layout)
  if (el.length < need) throw sizeMismatch(el.length, need, layout)
  if (el.dataOffset + need > dataSet.byteArray.length)
    throw new DicomFileError(`The file is truncated: Pixel Data needs ${need} bytes but the file ends ${dataSet.byteArray.length - el.dataOffset} bytes into it`)
  return nativeSamples(dataSet.byteArray.subarray(el.dataOffset, el.dataOffset + need), layout, bigEndian)
}

/** Encapsulated Uncompressed Explicit VR Little Endian (PS3.5 A.4.11): the frame's fragments hold its native bytes. */
function uncompressedFragmentFrame(frame: Uint8Array, layout: PixelLayout): Uint8Array {
  const need = storedByteCount(layout)
  if (frame.length < need) throw sizeMismatch(frame.length, need, layout)
  return nativeSamples(frame.subarray(0, need), layout, false)
}

/** The bytes a native frame stores: 1-bit samples packed eight a byte. */
function storedByteCount(layout: PixelLayout): number {
  const samples = storedSampleCount(layout)
  return layout.bitsAllocated === 1 ? Math.ceil(samples / 8) : samples * bytesPerSampleOf(layout)
}

/** A native frame's samples from its stored bytes: bits unpacked, big endian swapped, YBR_FULL_422 spread to every pixel. */
function nativeSamples(stored: Uint8Array, layout: PixelLayout, bigEndian: boolean): Uint8Array {
  const samples = storedSampleCount(layout)
  if (layout.bitsAllocated === 1) {
    const out = new Uint8Array(samples)
    for (let i = 0; i < samples; i++) out[i] = (stored[i >> 3] >> (i & 7)) & 1
    return out
  }
  const size = bytesPerSampleOf(layout)
  // A copy (Buffer#slice would be a view): big endian samples are swapped in place.
  const bytes = new Uint8Array(stored)
  if (bigEndian && size > 1) swapBytes(bytes, size)
  return isSubsampledYbr(layout) ? expandSubsampledYbr(bytes, layout.rows * layout.columns, size) : bytes
}

function sizeMismatch(have: number, need: number, layout: PixelLayout): DicomFileError {
  const samples = isSubsampledYbr(layout) ? 'YBR_FULL_422 (2 samples a pixel)' : `${layout.samplesPerPixel} samples`
  return new DicomFileError(
    `Pixel Data holds ${have} bytes, but ${layout.rows} rows × ${layout.columns} columns × ${samples} at ` +
      `${layout.bitsAllocated} bits allocated need ${need}`
  )
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) bytes.subarray(i, i + size).reverse()
}

async function compressedFrame(encoded: Uint8Array, syntax: string, layout: PixelLayout): Promise<Uint8Array> {
  const size = bytesPerSampleOf(layout)
  const pixels = layout.rows * layout.columns
  if (syntax === TransferSyntax.rle) return decodeRle(encoded, pixels, layout.samplesPerPixel, size)
  if (size === 4) throw new DicomFileError(`${transferSyntaxName(syntax)} with 32 bits allocated is not supported`)
  if (syntax === TransferSyntax.jpegLossless || syntax === TransferSyntax.jpegLosslessSV1) return decodeJpegLossless(encoded, size)
  const twelveBitCapable = twelveBitJpegSyntaxes.has(syntax)
  if (twelveBitCapable && layout.bitsStored > 8) {
    if (layout.samplesPerPixel !== 1) throw new DicomFileError(`12-bit ${transferSyntaxName(syntax)} with ${layout.samplesPerPixel} samples per pixel is not supported (grayscale only)`)
    // IJG takes the frame's size from the stream and reports no other: the sample count is the check.
    const samples = await decodeJpeg12(encoded, { ...layout, signed: layout.pixelRepresentation === 1 })
    if (samples.length !== pixels * 2)
      throw new DicomFileError(`The 12-bit JPEG frame holds ${samples.length / 2} samples but the header says ${layout.columns}×${layout.rows}`)
    return samples
  }
  const codec = wasmCodecFor[syntax] ?? (twelveBitCapable ? 'libjpeg-turbo' : undefined)
  if (!codec) throw new DicomFileError(`Unsupported transfer syntax: ${transferSyntaxName(syntax)}`)
  const decoded = await decodeWithWasm(codec, encoded)
  checkDecodedSize(decoded, layout)
  return decoded.bytes
}

function checkDecodedSize({ info, bytes }: DecodedFrame, layout: PixelLayout): void {
  if (info.width !== layout.columns || info.height !== layout.rows)
    throw new DicomFileError(`The compressed frame is ${info.width}×${info.height} but the header says ${layout.columns}×${layout.rows}`)
  const need = layout.rows * layout.columns * layout.samplesPerPixel * bytesPerSampleOf(layout)
  if (bytes.length < need) throw new DicomFileError(`The codec returned ${bytes.length} bytes where ${need} were expected`)
}

/**
 * The most pixels a frame may declare. A film digitised at 50 µm is ~60 megapixels; a few hundred
 * bytes of JPEG 2000 can declare billions, which the decoder would try to allocate.
 */
export const MAX_FRAME_PIXELS = 100_000_000

/** Decodes frame 1 of a full data set into grayscale stored values (mask, sign; colour → luminance). */
export async function decodeFirstFrame(dataSet: DataSet, layout: PixelLayout, syntax: string): Promise<StoredFrame> {
  const el = pixelDataElement(dataSet)
  if (layout.rows * layout.columns > MAX_FRAME_PIXELS)
    throw new DicomFileError(
      `The image declares ${layout.columns}×${layout.rows} pixels (${Math.round((layout.rows * layout.columns) / 1e6)} megapixels), more than any radiograph (limit ${MAX_FRAME_PIXELS / 1e6})`
    )
  let samples: Uint8Array
  if (el.encapsulatedPixelData) {
    if (nativeSyntaxes.has(syntax)) throw new DicomFileError(`Pixel Data is encapsulated but the transfer syntax ${transferSyntaxName(syntax)} is not compressed`)
    const frame = encapsulatedFirstFrame(dataSet, el, layout.numberOfFrames)
    samples = syntax === TransferSyntax.encapsulatedUncompressed ? uncompressedFragmentFrame(frame, layout) : await compressedFrame(frame, syntax, layout)
  } else {
    if (!nativeSyntaxes.has(syntax)) throw new DicomFileError(`Pixel Data is not encapsulated but the transfer syntax is ${transferSyntaxName(syntax)}`)
    samples = nativeFrame(dataSet, el, layout, syntax === TransferSyntax.explicitBig)
  }
  // Codecs already hand back values in their sample precision; masking to Bits Stored is harmless there.
  const decodedByColourCodec = el.encapsulatedPixelData === true && syntax !== TransferSyntax.rle && syntax !== TransferSyntax.encapsulatedUncompressed
  const values = storedValues(samples, layout, layout.bitsAllocated === 1 ? 1 : bytesPerSampleOf(layout), decodedByColourCodec)
  if (layout.photometric === 'PALETTE COLOR') paletteLuminance(values, readColourPalette(dataSet, layout))
  return { width: layout.columns, height: layout.rows, values }
}

/**
 * Stored values from little-endian samples. Bits above High Bit (old overlay planes) are
 * dropped, then the value is sign-extended when Pixel Representation is 1.
 */
export function storedValues(samples: Uint8Array, layout: PixelLayout, bytesPerSample: 1 | 2 | 4, colourConverted: boolean): Float32Array {
  const pixels = layout.rows * layout.columns
  const spp = layout.samplesPerPixel
  const shift = Math.max(0, layout.highBit + 1 - layout.bitsStored)
  const bits = layout.bitsStored
  const mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1
  const signBit = 2 ** (bits - 1)
  const signed = layout.pixelRepresentation === 1
  const view = new DataView(samples.buffer, samples.byteOffset, samples.byteLength)
  const narrow = bits <= 16 && bytesPerSample <= 2
  const signShift = 32 - bits
  const read = narrow
    ? (index: number): number => {
        const raw = bytesPerSample === 1 ? samples[index] : samples[2 * index] | (samples[2 * index + 1] << 8)
        const v = (raw >> shift) & mask
        return signed ? (v << signShift) >> signShift : v
      }
    : (index: number): number => {
        const raw = bytesPerSample === 4 ? view.getUint32(index * 4, true) : view.getUint16(index * 2, true)
        const v = Math.floor(raw / 2 ** shift) % (mask + 1)
        return signed && v >= signBit ? v - 2 * signBit : v
      }
  const out = new Float32Array(pixels)
  if (spp === 1 && narrow && bytesPerSample === 2) {
    // The common radiograph case, without a call per pixel (typed arrays are little-endian on every target).
    const words = samples.byteOffset % 2 === 0 ? new Uint16Array(samples.buffer, samples.byteOffset, pixels) : new Uint16Array(samples.slice(0, 2 * pixels).buffer)
    if (signed) for (let i = 0; i < pixels; i++) out[i] = (((words[i] >> shift) & mask) << signShift) >> signShift
    else for (let i = 0; i < pixels; i++) out[i] = (words[i] >> shift) & mask
    return out
  }
  if (spp === 1) {
    for (let i = 0; i < pixels; i++) out[i] = read(i)
    return out
  }
  const planar = layout.planarConfiguration === 1 && !colourConverted
  const at = (p: number, s: number) => (planar ? s * pixels + p : p * spp + s)
  // YBR data that no codec converted keeps luminance in its first sample.
  const lumaOnly = layout.photometric.startsWith('YBR') && !colourConverted
  for (let p = 0; p < pixels; p++) {
    out[p] = lumaOnly ? read(at(p, 0)) : luminance(read(at(p, 0)), read(at(p, 1)), read(at(p, 2)))
  }
  return out
}

/** BT.601 luma, the weights of DICOM's YBR_FULL (PS3.3 C.7.6.3.1.2). */
function luminance(red: number, green: number, blue: number): number {
  return 0.299 * red + 0.587 * green + 0.114 * blue
}

/** Stored palette indices → the luminance of their colours, in place. */
function paletteLuminance(indices: Float32Array, { red, green, blue }: ColourPalette): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i]
    indices[i] = luminance(lutValue(red, v), lutValue(green, v), lutValue(blue, v))
  }
}

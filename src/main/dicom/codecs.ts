import { Decoder as JpegLosslessDecoder } from '@cornerstonejs/jpeg-lossless-decoder-js'
import { Context as NativeFrame, NativeCodecs } from 'dcmjs-codecs'
import { DicomFileError } from './parse'

/**
 * The compressed-pixel codecs: cornerstone's WASM builds (loaded once per process, their console
 * output silenced through the Emscripten print hooks), the JS JPEG-lossless decoder, and
 * dcmjs-codecs' IJG build for 12-bit lossy JPEG.
 */

export interface CodecFrameInfo {
  width: number
  height: number
  bitsPerSample: number
  componentCount: number
  isSigned: boolean
  isUsingColorTransform?: boolean
}

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array
  getDecodedBuffer(): Uint8Array
  decode(): void
  getFrameInfo(): CodecFrameInfo
  delete(): void
}

export interface WasmEncoder {
  getDecodedBuffer(info: CodecFrameInfo): Uint8Array
  getEncodedBuffer(): Uint8Array
  encode(): void
  delete(): void
  [setting: string]: unknown
}

export type CodecModule = Record<string, new () => WasmDecoder & WasmEncoder>
export type EmscriptenFactory = (options: { print(text: string): void; printErr(text: string): void }) => Promise<CodecModule>

export type WasmCodecName = 'openjpeg' | 'openjph' | 'charls' | 'libjpeg-turbo'

const loaders: Record<WasmCodecName, () => Promise<{ default: EmscriptenFactory }>> = {
  openjpeg: () => import('@cornerstonejs/codec-openjpeg/wasmjs'),
  openjph: () => import('@cornerstonejs/codec-openjph/wasmjs'),
  charls: () => import('@cornerstonejs/codec-charls/wasmjs'),
  'libjpeg-turbo': () => import('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs')
}

const modules = new Map<WasmCodecName, Promise<CodecModule>>()

/** One instance of a codec module per process; the encoders are used by the test corpus. */
export function loadCodec(name: WasmCodecName): Promise<CodecModule> {
  let loaded = modules.get(name)
  if (!loaded) {
    const silent = () => {}
    loaded = loaders[name]().then((m) => m.default({ print: silent, printErr: silent }))
    modules.set(name, loaded)
  }
  return loaded
}

const decoderClass: Record<WasmCodecName, string> = {
  openjpeg: 'J2KDecoder',
  openjph: 'HTJ2KDecoder',
  charls: 'JpegLSDecoder',
  'libjpeg-turbo': 'JPEGDecoder'
}

export interface DecodedFrame {
  info: CodecFrameInfo
  /** Samples as little-endian bytes, interleaved, 1 or 2 bytes each. */
  bytes: Uint8Array
}

export async function decodeWithWasm(name: WasmCodecName, encoded: Uint8Array): Promise<DecodedFrame> {
  const codec = await loadCodec(name)
  const decoder = new codec[decoderClass[name]]()
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded)
    decoder.decode()
    // The decoded buffer is a view into WASM memory: copy it before the decoder is freed.
    return { info: decoder.getFrameInfo(), bytes: decoder.getDecodedBuffer().slice() }
  } catch (err) {
    // An Emscripten module that aborted stays dead: load a fresh one for the next file.
    modules.delete(name)
    throw new DicomFileError(`The compressed pixel data cannot be decoded by ${name}: ${codecMessage(err)}`)
  } finally {
    try {
      decoder.delete()
    } catch {
      // The instance is already gone with its aborted module.
    }
  }
}

function codecMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  // Emscripten throws bare numbers (pointers to C++ exceptions) or strings.
  return typeof err === 'number' ? 'the codec rejected the data' : String(err)
}

/** JPEG Lossless, Non-Hierarchical (Process 14, and its selection value 1 form). */
export function decodeJpegLossless(encoded: Uint8Array, bytesPerSample: 1 | 2): Uint8Array {
  try {
    // A fresh array: Buffer#slice would share (and expose) the whole pooled ArrayBuffer.
    const copy = new Uint8Array(encoded)
    const samples = new JpegLosslessDecoder().decode(copy.buffer, 0, copy.byteLength, bytesPerSample)
    return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength)
  } catch (err) {
    throw new DicomFileError(`The JPEG Lossless pixel data cannot be decoded: ${codecMessage(err)}`)
  }
}

let nativeCodecs: Promise<void> | null = null

/**
 * JPEG Extended (Process 2 & 4) with 12-bit samples, as some CR and DX archives store films:
 * libjpeg-turbo's 8-bit build cannot read them, and the pdf.js-derived JS decoder viewers use for
 * them adds 15 of 4096 to every value (its level shift is the 8-bit one rescaled). dcmjs-codecs
 * carries IJG's 12-bit decoder. Returns little-endian 16-bit samples.
 */
export async function decodeJpeg12(encoded: Uint8Array, frame: { rows: number; columns: number; bitsStored: number; signed: boolean }): Promise<Uint8Array> {
  nativeCodecs ??= NativeCodecs.initializeAsync().catch((err: unknown) => {
    nativeCodecs = null
    throw new Error(`The 12-bit JPEG codec (dcmjs-codecs) cannot be loaded: ${codecMessage(err)}`)
  })
  await nativeCodecs
  try {
    // Grayscale: the photometric interpretation only tells the codec not to convert colour.
    const context = new NativeFrame({
      width: frame.columns,
      height: frame.rows,
      bitsAllocated: 16,
      bitsStored: frame.bitsStored,
      samplesPerPixel: 1,
      pixelRepresentation: frame.signed ? 1 : 0,
      planarConfiguration: 0,
      photometricInterpretation: 'MONOCHROME2',
      encodedBuffer: new Uint8Array(encoded)
    })
    const decoded = NativeCodecs.decodeJpeg(context).getDecodedBuffer()
    if (!decoded) throw new Error('no samples came back')
    return decoded
  } catch (err) {
    throw new DicomFileError(`The 12-bit JPEG pixel data cannot be decoded: ${codecMessage(err)}`)
  }
}

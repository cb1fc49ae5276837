/** PNG and JPEG films for the picture import's tests: written with pngjs and cornerstone's libjpeg-turbo encoder. */
import { PNG } from 'pngjs'
import { loadCodec } from '../../src/main/dicom/codecs'

export interface PictureSpec {
  width: number
  height: number
  /** 8 or 16 bits a sample (JPEG: 8 only). */
  depth?: 8 | 16
  /** Samples a pixel: 1 grey, 3 colour. */
  channels?: 1 | 3
  /** Each channel's share of the grey value: [1, 1, 1] is a grey picture saved in RGB. */
  tint?: [number, number, number]
  /** Moves the pattern, so that two pictures of one spec differ. */
  seed?: number
}

/** A film-like pattern, 0–1: smooth bands and a bright disc, different for each seed. */
function shade(x: number, y: number, spec: PictureSpec): number {
  const seed = spec.seed ?? 0
  const dx = x - spec.width / 2
  const dy = y - spec.height / 2
  const disc = Math.hypot(dx - 30, dy + 20) < 25 ? 0.3 : 0
  return Math.min(1, 0.3 + 0.25 * (1 + Math.cos(dx / 37 + seed) * Math.sin(dy / 53 + seed / 3)) + disc)
}

/** The grey values each pixel of a spec holds (before any tint), at the spec's depth. */
export function pictureValues(spec: PictureSpec): Uint16Array {
  const max = spec.depth === 16 ? 65535 : 255
  const values = new Uint16Array(spec.width * spec.height)
  for (let y = 0; y < spec.height; y++) for (let x = 0; x < spec.width; x++) values[y * spec.width + x] = Math.round(shade(x, y, spec) * max)
  return values
}

export function pngPicture(spec: PictureSpec): Buffer {
  const depth = spec.depth ?? 8
  const channels = spec.channels ?? 1
  const tint = spec.tint ?? [1, 1, 1]
  const grey = pictureValues(spec)
  const samples = depth === 16 ? new Uint16Array(grey.length * channels) : new Uint8Array(grey.length * channels)
  for (let p = 0; p < grey.length; p++) for (let c = 0; c < channels; c++) samples[p * channels + c] = Math.round(grey[p] * tint[c])
  return pngOfSamples(samples, spec.width, spec.height, depth, channels)
}

/** A PNG of these samples (`channels` a pixel, row by row). */
export function pngOfSamples(samples: Uint8Array | Uint16Array, width: number, height: number, depth: 8 | 16, channels: 1 | 3 = 1): Buffer {
  const colorType = channels === 3 ? 2 : 0
  const png = new PNG({ width, height, bitDepth: depth, colorType, inputColorType: colorType, inputHasAlpha: false })
  png.data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)
  return PNG.sync.write(png, { bitDepth: depth, colorType, inputColorType: colorType, inputHasAlpha: false })
}

/** A JPEG (progressive, as cornerstone's encoder writes it) of the spec's pattern. */
export async function jpegPicture(spec: PictureSpec): Promise<Buffer> {
  const channels = spec.channels ?? 1
  const tint = spec.tint ?? [1, 1, 1]
  const grey = pictureValues({ ...spec, depth: 8 })
  const module = await loadCodec('libjpeg-turbo')
  const encoder = new module.JPEGEncoder()
  try {
    const input = encoder.getDecodedBuffer({ width: spec.width, height: spec.height, bitsPerSample: 8, componentCount: channels, isSigned: false })
    for (let p = 0; p < grey.length; p++) for (let c = 0; c < channels; c++) input[p * channels + c] = Math.round(grey[p] * tint[c])
    encoder.encode()
    return Buffer.from(encoder.getEncodedBuffer())
  } finally {
    encoder.delete()
  }
}

import { DicomFileError } from './parse'

/**
 * DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment
 * per byte plane, most significant plane first, for each sample in turn. Returns the samples
 * interleaved as little-endian bytes, the layout the native path reads.
 */
export function decodeRle(frame: Uint8Array, pixels: number, samplesPerPixel: number, bytesPerSample: number): Uint8Array {
  if (frame.length < 64) throw new DicomFileError(`The RLE frame is ${frame.length} bytes, shorter than its 64-byte header`)
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  const segments = view.getUint32(0, true)
  const expected = samplesPerPixel * bytesPerSample
  if (segments !== expected) throw new DicomFileError(`The RLE header lists ${segments} segments; this image needs ${expected}`)
  const out = new Uint8Array(pixels * expected)
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true)
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length
    if (start < 64 || start > end || end > frame.length)
      throw new DicomFileError(`RLE segment ${s + 1} has offsets ${start}–${end} outside the ${frame.length}-byte frame`)
    const sample = Math.floor(s / bytesPerSample)
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample)
    unpackSegment(frame.subarray(start, end), out, sample * bytesPerSample + byteInSample, expected, pixels)
  }
  return out
}

/** PackBits: n ≥ 0 copies n+1 literal bytes, n in −127…−1 repeats the next byte 1−n times, −128 is a no-op. */
function unpackSegment(segment: Uint8Array, out: Uint8Array, first: number, stride: number, pixels: number): void {
  let i = 0
  let p = 0
  while (i < segment.length && p < pixels) {
    const n = (segment[i++] << 24) >> 24
    if (n >= 0) {
      for (let k = 0; k <= n && p < pixels && i < segment.length; k++) out[first + stride * p++] = segment[i++]
    } else if (n !== -128) {
      const value = segment[i++]
      for (let k = 0; k < 1 - n && p < pixels; k++) out[first + stride * p++] = value
    }
  }
  if (p < pixels) throw new DicomFileError(`An RLE segment ends after ${p} of ${pixels} pixels: the data is truncated`)
}

/**
 * Frontal and lateral chest films for the tests of reading a study's view from its pixels, as DICOM
 * files whose header names no view. The frontal film is the synthetic cohort's phantom; the lateral
 * one is drawn here (the cohort draws frontal films only): display values 0–4095, higher is whiter, the patient facing the
 * viewer's left as laterals are hung: soft tissue from the sternum (left) to the back (right), the two
 * lungs laid over each other in one lucent field, the heart in front and below, the thoracic spine
 * along the back with its vertebral bodies, the diaphragm sloping down to the posterior recess, the
 * raised arms over the top, the trachea, and detector noise.
 */
import { renderStudy } from '../../src/main/synth'
import { imageAttributes, seededRandom, writeDicom } from './dicom-corpus'
import { pngOfSamples } from './picture-files'

export interface LateralSpec {
  width: number
  height: number
  seed: number
}

function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): number {
  const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2
  return d >= 1 ? 0 : Math.min(1, (1 - d) * 4)
}

export function lateralFilmPixels(spec: LateralSpec): Uint16Array {
  const { width, height } = spec
  const rand = seededRandom(spec.seed)
  // Each film its own patient: body depth, lung height and where the chest lies on the detector.
  const depth = 0.62 + 0.1 * rand()
  const front = 0.5 - depth / 2 + 0.06 * (rand() - 0.5)
  const back = front + depth
  const lungBottom = 0.7 + 0.06 * rand()
  const out = new Uint16Array(width * height)
  for (let py = 0; py < height; py++) {
    const y = py / height
    for (let px = 0; px < width; px++) {
      const x = px / width
      // Body: narrower at the neck, the back straighter than the front.
      const frontEdge = front + 0.08 * Math.max(0, 0.25 - y) * 4
      const inBody = x > frontEdge && x < back ? 1 : 0
      let value = inBody * 0.55
      // Raised arms over the upper chest and neck.
      value += 0.3 * inEllipse(x, y, front + 0.3 * depth, 0.05, 0.2 * depth, 0.14)
      // Lungs: one field from behind the sternum to before the spine, its floor sloping down backwards.
      const floor = lungBottom + 0.1 * ((x - front) / depth)
      const lung = inBody * inEllipse(x, y, front + 0.5 * depth, (0.12 + floor) / 2, 0.42 * depth, (floor - 0.12) / 2)
      value -= 0.38 * lung
      // Heart: in front, resting on the diaphragm.
      value += 0.22 * inEllipse(x, y, front + 0.33 * depth, lungBottom - 0.12, 0.2 * depth, 0.17)
      // Trachea down to the hilum.
      value -= 0.1 * inEllipse(x, y, front + 0.45 * depth + 0.05 * y, 0.2, 0.025, 0.2)
      // Thoracic spine: vertebral bodies with discs between them, along the back.
      const spineX = back - 0.16 * depth + 0.03 * Math.sin(y * 3)
      const body = Math.abs(x - spineX) < 0.055 * depth ? 1 : 0
      const disc = Math.abs(((y * 14) % 1) - 0.5) < 0.08 ? 0.5 : 1
      value += 0.35 * body * disc * inBody
      // Sternum: a thin band behind the front skin.
      value += 0.2 * (Math.abs(x - (frontEdge + 0.03)) < 0.012 && y > 0.18 && y < 0.55 ? 1 : 0)
      value += 0.03 * (rand() - 0.5)
      out[py * width + px] = Math.round(Math.min(1, Math.max(0, value + 0.1)) * 4095)
    }
  }
  return out
}

const FILM = { width: 280, height: 300 }

/** The cohort's phantom PA film `seed` at the test size, in display values 0–4095. */
export function frontalFilmPixels(seed: number): Uint16Array {
  const study = renderStudy(
    { seed, studies: 1, language: 'en', reportFraction: 0, imperfectReportRate: 0, detector: { rows: FILM.height, columns: FILM.width, spacingMm: 1.4 } },
    0
  )
  return study.image.pixels
}

/** A 12-bit film of these display values whose header says nothing of its view (no ViewPosition, description or orientation). */
export function filmOfUnnamedView(pixels: Uint16Array, studyUid: string): { bytes: Buffer; sopInstanceUid: string } {
  const spec = { rows: FILM.height, columns: FILM.width, bitsAllocated: 16, bitsStored: 12 } as const
  return writeDicom({ studyUid, extra: { ...imageAttributes(spec), ViewPosition: undefined }, pixelData: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength) })
}

/** One study's lateral and frontal films as 8-bit PNG pictures (IU X-ray's download): nothing in them names the view. */
export function viewPictures(seed: number): { lateral: Buffer; frontal: Buffer } {
  const picture = (display: Uint16Array) => pngOfSamples(Uint8Array.from(display, (v) => v >> 4), FILM.width, FILM.height, 8)
  return { lateral: picture(lateralFilmPixels({ ...FILM, seed })), frontal: picture(frontalFilmPixels(seed)) }
}

/** One study's lateral and frontal films of unnamed view, the lateral first. */
export function unnamedViews(seed: number, studyUid: string): { lateral: { bytes: Buffer; sopInstanceUid: string }; frontal: { bytes: Buffer; sopInstanceUid: string } } {
  return {
    lateral: filmOfUnnamedView(lateralFilmPixels({ ...FILM, seed }), studyUid),
    frontal: filmOfUnnamedView(frontalFilmPixels(seed), studyUid)
  }
}

import type { DataSet } from 'dicom-parser'
import { applyModalityTransform, defaultVoi, renderVoi, type Voi } from './display'
import { readDisplayTags, readPixelLayout, type DisplayTags, type PixelLayout, type WindowPreset } from './header'
import { decodeFirstFrame } from './pixels'
import { encodeGrayPng } from './png'
import { asStored, type Reorientation } from '../../shared/orientation'
import { fitWithin, modelImageContent, padToSquare, resampleArea } from './resample'
import { frontalLikeness } from './frontal-likeness'

export const DISPLAY_MAX_SIDE = 1024
export const MODEL_SIDE = 256

/**
 * What a viewer needs to window a stored display image: modality value = offset + scale × pixel,
 * then the VOI presets of the file (windows and VOI LUT tables), then inversion.
 */
export interface DisplayParams {
  width: number
  height: number
  sourceWidth: number
  sourceHeight: number
  valueOffset: number
  valueScale: number
  windows: WindowPreset[]
  voiLutFunction: DisplayTags['voiLutFunction']
  voiLuts: { firstMapped: number; bitsPerEntry: number; explanation: string | null; data: number[] }[]
  defaultVoi: { source: 'file' | 'auto' | 'user'; kind: 'window'; center: number; width: number } | { source: 'file'; kind: 'lut'; index: 0 }
  invert: boolean
  /** Modality values that are padding, not image (see DisplayTags.padding); absent in files written before. */
  padding?: DisplayTags['padding']
}

export interface ImageProducts {
  layout: PixelLayout
  display: { png: Buffer; params: DisplayParams }
  /**
   * null when no model image was asked for (the film is not one the model reads). `frontalLikeness`
   * ranks a study's films by how frontal they look (frontal-likeness.ts), for a header that does not say.
   */
  model: { png: Buffer; side: number; frontalLikeness: number } | null
}

/** Modality values squeezed into 16 bits: exact when they are integers spanning ≤ 65 536 levels. */
export function quantise16(values: Float32Array): { pixels: Uint16Array; offset: number; scale: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v < min) min = v
    if (v > max) max = v
  }
  const offset = Number.isFinite(min) ? Math.floor(min) : 0
  const span = Number.isFinite(max) ? max - offset : 0
  const scale = span > 65535 ? span / 65535 : 1
  const pixels = new Uint16Array(values.length)
  const inverse = 1 / scale
  for (let i = 0; i < values.length; i++) pixels[i] = Math.round((values[i] - offset) * inverse)
  return { pixels, offset, scale }
}

function describeVoi(voi: Voi): DisplayParams['defaultVoi'] {
  return voi.kind === 'lut' ? { source: 'file', kind: 'lut', index: 0 } : { source: voi.source, kind: 'window', center: voi.center, width: voi.width }
}

/**
 * Decodes frame 1 and makes the stored products: a display image (long side ≤ 1024, 16-bit
 * modality values) with its windowing parameters, and — unless `model` is null — the 256×256
 * 8-bit model image rendered through the default VOI. The display image keeps the film as stored
 * (a reader sees what the device wrote); the model image is turned by `model.reorientation` into
 * the standard frame, since the model reads sides from where things lie.
 */
export async function buildImageProducts(
  dataSet: DataSet,
  transferSyntax: string,
  model: { reorientation: Reorientation } | null = { reorientation: asStored }
): Promise<ImageProducts> {
  const layout = readPixelLayout(dataSet)
  const tags = readDisplayTags(dataSet, layout)
  const frame = await decodeFirstFrame(dataSet, layout, transferSyntax)
  const modality = applyModalityTransform(frame.values, tags)
  const size = fitWithin(frame.width, frame.height, DISPLAY_MAX_SIDE)
  const display = resampleArea(modality, frame.width, frame.height, size.width, size.height)
  // The default window is measured on the full-resolution values, as a reader would see them.
  const voi = defaultVoi(tags, modality, frame.width, frame.height)
  const rendered = renderVoi(display, voi, tags.invert)
  const q = quantise16(display)
  const params: DisplayParams = {
    width: size.width,
    height: size.height,
    sourceWidth: frame.width,
    sourceHeight: frame.height,
    valueOffset: q.offset,
    valueScale: q.scale,
    windows: tags.windows,
    voiLutFunction: tags.voiLutFunction,
    voiLuts: tags.voiLuts.map((l) => ({ firstMapped: l.firstMapped, bitsPerEntry: l.bitsPerEntry, explanation: l.explanation, data: Array.from(l.data) })),
    defaultVoi: describeVoi(voi),
    invert: tags.invert,
    padding: tags.padding
  }
  return {
    layout,
    display: { png: encodeGrayPng(q.pixels, size.width, size.height), params },
    model: model && modelProducts(rendered, size.width, size.height, model.reorientation)
  }
}

/** The model image, padded square, and how frontal its content looks. */
function modelProducts(rendered: Uint8Array, width: number, height: number, reorientation: Reorientation): NonNullable<ImageProducts['model']> {
  const content = modelImageContent(rendered, width, height, MODEL_SIDE, reorientation)
  const png = encodeGrayPng(padToSquare(content.pixels, content.width, content.height, MODEL_SIDE), MODEL_SIDE, MODEL_SIDE)
  return { png, side: MODEL_SIDE, frontalLikeness: frontalLikeness(content.pixels, content.width, content.height) }
}

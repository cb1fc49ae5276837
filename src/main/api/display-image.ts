import fs from 'node:fs'
import path from 'node:path'
import type { DisplayImage } from '../../shared/contract'
import type { DisplayParams } from '../dicom/image-products'
import { decodeGrayPng } from '../dicom/png'
import type { DisplayImageRecord } from '../store/study-repository'

/** Tags kept out of the tag browser: internal file locations, not facts about the image. */
const INTERNAL_TAGS = new Set(['displayParamsPath'])

/**
 * The stored display image of one radiograph with its windowing parameters, for the viewer. The
 * files are found from the database row (never from a path the renderer sends).
 */
export function loadDisplayImage(dataDir: string, record: DisplayImageRecord): DisplayImage {
  const pngFile = path.join(dataDir, record.displayPath)
  const paramsFile = pngFile.replace(/\.png$/, '.json')
  let png: Buffer
  let params: DisplayParams
  try {
    png = fs.readFileSync(pngFile)
    params = JSON.parse(fs.readFileSync(paramsFile, 'utf8')) as DisplayParams
  } catch (err) {
    throw new Error(`The display image of image ${record.id} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}): re-import its folder`)
  }
  const decoded = decodeGrayPng(png)
  const words = decoded.pixels instanceof Uint16Array ? decoded.pixels : Uint16Array.from(decoded.pixels)
  const bytes = Buffer.alloc(words.length * 2)
  for (let i = 0; i < words.length; i++) bytes.writeUInt16LE(words[i], 2 * i)
  const tags = Object.fromEntries(Object.entries(record.tags).filter(([k]) => !INTERNAL_TAGS.has(k)))
  return {
    imageId: record.id,
    width: decoded.width,
    height: decoded.height,
    pixels: bytes.toString('base64'),
    valueOffset: params.valueOffset,
    valueScale: params.valueScale,
    sourceWidth: params.sourceWidth,
    sourceHeight: params.sourceHeight,
    windows: params.windows,
    voiLutFunction: params.voiLutFunction,
    voiLuts: params.voiLuts,
    invert: params.invert,
    spacing: { rowMm: record.spacingRowMm, colMm: record.spacingColMm, kind: record.spacingKind },
    padding: params.padding ?? null,
    patientOrientation: typeof record.tags.patientOrientation === 'string' ? record.tags.patientOrientation : null,
    tags
  }
}

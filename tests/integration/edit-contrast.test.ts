import { describe, expect, it } from 'vitest'
import { buildImageProducts } from '../../src/main/dicom/image-products'
import { parseDicomFile, transferSyntaxOf } from '../../src/main/dicom/parse'
import { decodeGrayPng } from '../../src/main/dicom/png'
import { modelContentBox } from '../../src/main/dicom/resample'
import { noduleLayer, renderStudy, type RenderedStudy } from '../../src/main/synth'

// The spy game inserts nodules into the imported 8-bit model image; the cohort's own nodules are
// drawn into the 12-bit film and reach the model image through the file's window. Both must add
// the same brightness, or the model learns that inserted nodules are a different, fainter thing.

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
const detector = { rows: 384, columns: 320, spacingMm: 1.1 }

/** The model image the importer makes from a DICOM file. */
async function importedModelImage(bytes: Uint8Array): Promise<Uint8Array> {
  const dataSet = parseDicomFile(bytes)
  const products = await buildImageProducts(dataSet, transferSyntaxOf(dataSet))
  return decodeGrayPng(products.model!.png).pixels as Uint8Array
}

/** The file's first window, in display values (MONOCHROME1 stores white low, so its centre mirrors). */
function fileWindow(study: RenderedStudy): { center: number; width: number } {
  const dataSet = parseDicomFile(study.dicom, { headerOnly: true })
  const center = Number(dataSet.string('x00281050'))
  return { center: study.truth.photometric === 'MONOCHROME1' ? 4095 - center : center, width: Number(dataSet.string('x00281051')) }
}

/** The same file with its nodules taken out of the stored pixels (MONOCHROME1 stores white low). */
function withoutNodules(study: RenderedStudy): Uint8Array {
  const bytes = study.dicom.slice()
  const pixelData = parseDicomFile(bytes).elements.x7fe00010
  const stored = new Uint16Array(bytes.buffer, bytes.byteOffset + pixelData.dataOffset, study.image.pixels.length)
  const sign = study.truth.photometric === 'MONOCHROME1' ? 1 : -1
  for (const nodule of study.truth.nodules) {
    const layer = noduleLayer(study.image, nodule.spec)
    for (let i = 0; i < stored.length; i++) if (layer[i] !== 0) stored[i] = Math.min(4095, Math.max(0, Math.round(stored[i] + sign * layer[i])))
  }
  return bytes
}

describe('a nodule in the cohort and a nodule the spy edits draw', () => {
  it('add the same brightness to the imported model image (through the file’s window)', async () => {
    const ratios: number[] = []
    for (let index = 0; ratios.length < 12 && index < 80; index++) {
      const study = renderStudy({ seed: 31, studies: 80, language: 'en', reportFraction: 1, imperfectReportRate: 0, detector }, index)
      if (study.truth.transferSyntaxUid !== EXPLICIT_VR_LITTLE_ENDIAN || study.truth.nodules.length === 0) continue
      expect(fileWindow(study)).toEqual(study.image.window)
      const withThem = await importedModelImage(study.dicom)
      const without = await importedModelImage(withoutNodules(study))
      // The edits work on the model image with its own spacing: the film's long side over 256 pixels.
      const spacing = (Math.max(detector.rows, detector.columns) * detector.spacingMm) / 256
      const model = { rows: 256, columns: 256, spacingMm: [spacing, spacing] as const, whiteLevel: 255 }
      const film = modelContentBox(detector.columns, detector.rows, 256)
      let imported = 0
      let drawn = 0
      for (const nodule of study.truth.nodules) {
        const centerMm = {
          x: (film.x0 + (nodule.spec.centerMm.x / (detector.columns * detector.spacingMm)) * film.width) * spacing,
          y: (film.y0 + (nodule.spec.centerMm.y / (detector.rows * detector.spacingMm)) * film.height) * spacing
        }
        for (const v of noduleLayer(model, { ...nodule.spec, centerMm })) drawn += v
      }
      for (let i = 0; i < withThem.length; i++) imported += withThem[i] - without[i]
      ratios.push(imported / drawn)
    }
    expect(ratios.length).toBe(12)
    for (const ratio of ratios) {
      expect(ratio).toBeGreaterThan(0.9)
      expect(ratio).toBeLessThan(1.1)
    }
  })
})

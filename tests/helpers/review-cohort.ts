/**
 * A small reading cohort for the Library/Viewer/Review tests: chest radiographs written with dcmjs
 * (with window presets and known patient identifiers), each with a plain-text report named by its
 * accession number, as a site would drop them in a folder.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { NoduleFinding } from '../../src/shared/finding'
import { emptyNoduleItem } from '../../src/shared/finding'
import { renderStudy, type CohortOptions } from '../../src/main/synth'
import { imageAttributes, writeDicom, type ImageSpec } from './dicom-corpus'

export interface CohortStudy {
  accession: string
  patientName: string
  patientId: string
  birthDate: string
  report: string
  /** Spacing stored: PixelSpacing, or only ImagerPixelSpacing (lengths "at detector"). */
  spacing: 'pixel' | 'imager'
}

export const cohortStudies: CohortStudy[] = [
  {
    accession: 'ACC1001',
    patientName: 'Lovelace^Ada',
    patientId: 'MRN-900001',
    birthDate: '19481210',
    spacing: 'pixel',
    report: 'FINDINGS:\nHeart size normal.\nThere is a 12 mm solid nodule in the right upper zone.\n\nIMPRESSION:\nRight upper zone nodule, CT recommended.\n'
  },
  {
    accession: 'ACC1002',
    patientName: 'Turing^Alan',
    patientId: 'MRN-900002',
    birthDate: '19520623',
    spacing: 'imager',
    report: 'FINDINGS:\nLungs are clear. No pulmonary nodule.\n\nIMPRESSION:\nNormal chest.\n'
  },
  {
    accession: 'ACC1003',
    patientName: 'Hopper^Grace',
    patientId: 'MRN-900003',
    birthDate: '19461209',
    spacing: 'pixel',
    report: '检查所见：\n左肺下野见一结节影，大小约8毫米。\n\n诊断意见：\n左肺下野结节，建议CT复查。\n'
  }
]

const spec: ImageSpec = { rows: 320, columns: 256, bitsAllocated: 16, bitsStored: 12 }
/** Detector pixel size of the small films: 320 × 1.4 mm is a 45 cm plate, as on a real chest film. */
const SPACING_MM = 1.4

/** A phantom chest film (12-bit) at the cohort's size, so the pages show what a reader would see. */
function phantomPixelData(index: number): Buffer {
  const options: CohortOptions = { seed: 11, studies: cohortStudies.length, language: 'en', reportFraction: 1, imperfectReportRate: 0, detector: { rows: spec.rows, columns: spec.columns, spacingMm: SPACING_MM } }
  return Buffer.from(Uint16Array.from(renderStudy(options, index).image.pixels).buffer)
}

/** Writes the cohort under `root` (DICOM in per-study folders, reports in reports/). */
export function writeReviewCohort(root: string): void {
  cohortStudies.forEach((s, i) => {
    const built = writeDicom({
      pixelData: phantomPixelData(i),
      extra: {
        ...imageAttributes(spec),
        AccessionNumber: s.accession,
        PatientName: s.patientName,
        PatientID: s.patientId,
        PatientBirthDate: s.birthDate,
        WindowCenter: [2048, 1500],
        WindowWidth: [4096, 1200],
        WindowCenterWidthExplanation: ['FULL', 'LUNG'],
        PixelSpacing: s.spacing === 'pixel' ? [SPACING_MM, SPACING_MM] : undefined,
        ImagerPixelSpacing: [SPACING_MM, SPACING_MM],
        PatientOrientation: ['L', 'F']
      }
    })
    const dir = path.join(root, 'dicom', `study-${i + 1}`)
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'IM0001.dcm'), built.bytes)
  })
  fs.mkdirSync(path.join(root, 'reports'), { recursive: true })
  for (const s of cohortStudies) fs.writeFileSync(path.join(root, 'reports', `${s.accession}.txt`), s.report)
}

/** A generated finding in the shared schema: one nodule at a side and zone. */
export function noduleFinding(side: 'right' | 'left', zone: 'upper' | 'middle' | 'lower', sizeMm: number): NoduleFinding {
  return { presence: 'present', count: 1, items: [{ ...emptyNoduleItem(), side, zone, sizeMm, density: 'solid' }] }
}

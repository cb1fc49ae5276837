import fs from 'node:fs'
import path from 'node:path'
import type { NoduleItem, ReportLanguage } from '../../shared/finding'
import { EXPLICIT_VR_LITTLE_ENDIAN, percentileDisplayWindow, writeSyntheticDicom, type CharacterSet, type SyntheticDicomInput } from './dicom-writer'
import { paintNodule, planNodule, type PlacedNodule } from './edits'
import { encodeGb18030 } from './gb18030'
import { JPEG_LOSSLESS_SV1_TRANSFER_SYNTAX } from './jpeg-lossless'
import { PhantomChest, samplePhantomAnatomy, type DetectorSize } from './chest-geometry'
import { renderPhantom } from './phantom'
import { Rng, hashSeed } from '../random'
import { derivedUid } from './prng'
import type { ChestLayout, DisplayWindow, Radiograph } from './radiograph'
import { generateReport, type ReportImperfection } from './reports'
import { thumbnail, type Thumbnail } from './contact-sheet'

/**
 * One synthetic study: a phantom PA chest radiograph with 0–3 nodules, written as a DICOM file
 * under OUT/import/dicom/, maybe a report under OUT/import/reports/<accession>.txt, and its hidden
 * truth (returned, and gathered by the caller into OUT/truth.json, outside the import folder).
 * Everything is drawn from (seed, study index), so studies can be made in any order or worker.
 */

export type LanguageChoice = ReportLanguage | 'mixed'

export interface CohortOptions {
  seed: number
  studies: number
  language: LanguageChoice
  /** Fraction of studies that get a report (0–1). */
  reportFraction: number
  /** Fraction of reports that are imperfect (a small nodule left out, a size rounded). */
  imperfectReportRate: number
  /** Overrides the realistic detector sizes (tests use small images). */
  detector?: DetectorSize
}

export interface StudyTruth {
  index: number
  accessionNumber: string
  patientId: string
  studyInstanceUid: string
  seriesInstanceUid: string
  sopInstanceUid: string
  /** Paths relative to the cohort folder. */
  dicomFile: string
  reportFile: string | null
  modality: 'CR' | 'DX'
  photometric: 'MONOCHROME1' | 'MONOCHROME2'
  transferSyntaxUid: string
  characterSet: CharacterSet
  rows: number
  columns: number
  spacingMm: number
  layout: ChestLayout
  /** What is in the image: how each nodule was drawn, its description, and whether a rib or clavicle overlies it. */
  nodules: TruthNodule[]
  report: {
    language: ReportLanguage
    encoding: 'utf-8' | 'gb18030'
    /** The nodules as the report states them (it may leave one out or round a size). */
    stated: NoduleItem[]
    imperfection: ReportImperfection
  } | null
}

export interface TruthNodule extends PlacedNodule {
  overBone: boolean
}

export interface CohortTruth {
  generator: 'vzw synth'
  version: 1
  seed: number
  options: Omit<CohortOptions, 'detector'> & { detector: DetectorSize | null }
  studies: StudyTruth[]
}

const DETECTORS: ReadonlyArray<{ modality: 'CR' | 'DX'; size: DetectorSize }> = [
  { modality: 'DX', size: { rows: 2500, columns: 2048, spacingMm: 0.175 } },
  { modality: 'DX', size: { rows: 2048, columns: 2048, spacingMm: 0.2 } },
  { modality: 'CR', size: { rows: 2140, columns: 1760, spacingMm: 0.2 } }
]

const CHINESE_DIGITS = '零一二三四五六七八九'

/** A study rendered in memory: its display pixels (as generated) and everything written about it. */
export interface RenderedStudy {
  truth: StudyTruth
  image: Radiograph & { pixels: Uint16Array; window: DisplayWindow }
  dicom: Uint8Array
  report: Uint8Array | null
}

function cohortTag(seed: number): string {
  return (hashSeed('cohort', seed) & 0xffff).toString(16).toUpperCase().padStart(4, '0')
}

/** Who and how: the identifiers and acquisition choices of one study, drawn before any pixels. */
interface StudyPlan {
  number: string
  accessionNumber: string
  patientId: string
  patientName: string
  characterSet: CharacterSet
  sex: 'F' | 'M'
  age: number
  birthDate: string
  studyDate: string
  studyTime: string
  modality: 'CR' | 'DX'
  photometric: 'MONOCHROME1' | 'MONOCHROME2'
  transferSyntaxUid: SyntheticDicomInput['transferSyntaxUid']
  calibratedSpacing: boolean
  size: DetectorSize
  language: ReportLanguage
  report: { encoding: 'utf-8' | 'gb18030' } | null
}

function planStudy(options: CohortOptions, index: number, rng: Rng): StudyPlan {
  const number = String(index + 1).padStart(5, '0')
  const tag = cohortTag(options.seed)
  const sex = rng.chance(0.5) ? 'F' : 'M'
  const age = rng.int(25, 85)
  const studyDay = new Date(Date.UTC(2023, 0, 1) + rng.int(0, 1000) * 86_400_000)
  const studyDate = studyDay.toISOString().slice(0, 10).replaceAll('-', '')
  const clock = [rng.int(7, 19), rng.int(0, 59), rng.int(0, 59)]
  const detector = rng.pick(DETECTORS)
  const modality = detector.modality
  const language: ReportLanguage = options.language === 'mixed' ? (rng.chance(0.5) ? 'en' : 'zh') : options.language
  const chineseName = language === 'zh' && rng.chance(0.5)
  return {
    number,
    accessionNumber: `SYN${tag}${number}`,
    patientId: `PHANTOM-${tag}-${number}`,
    patientName: chineseName ? `模体^${[...number].map((d) => CHINESE_DIGITS[Number(d)]).join('')}` : `PHANTOM^${number}`,
    characterSet: chineseName ? 'GB18030' : rng.chance(0.3) ? 'ISO_IR 192' : 'ISO_IR 100',
    sex,
    age,
    birthDate: `${studyDay.getUTCFullYear() - age}${studyDate.slice(4)}`,
    studyDate,
    studyTime: clock.map((n) => String(n).padStart(2, '0')).join(''),
    modality,
    photometric: rng.chance(modality === 'CR' ? 0.35 : 0.12) ? 'MONOCHROME1' : 'MONOCHROME2',
    transferSyntaxUid: rng.chance(0.4) ? JPEG_LOSSLESS_SV1_TRANSFER_SYNTAX : EXPLICIT_VR_LITTLE_ENDIAN,
    calibratedSpacing: modality === 'CR' || rng.chance(0.5),
    size: options.detector ?? detector.size,
    language,
    report: rng.chance(options.reportFraction) ? { encoding: language === 'zh' && rng.chance(0.4) ? 'gb18030' : 'utf-8' } : null
  }
}

/**
 * The phantom with its nodules and detector noise, as 12-bit display values, and the window the
 * file offers. Nodules are painted as the spy-game edits paint them, contrast a fraction of the
 * displayed range: here the window's width, there the windowed model image's 0–255, so a nodule
 * an edit inserts looks like one of the cohort's once both are on screen or in the model.
 */
function renderStudyImage(plan: StudyPlan, rng: Rng): { image: RenderedStudy['image']; layout: ChestLayout; nodules: TruthNodule[] } {
  const size = plan.size
  const chest = new PhantomChest(samplePhantomAnatomy(rng.fork('anatomy'), plan.sex), size)
  const spacing = [size.spacingMm, size.spacingMm] as const
  const phantom = renderPhantom(chest)
  const window = percentileDisplayWindow(phantom.display, 4095)
  let film: Radiograph = { pixels: phantom.display, rows: size.rows, columns: size.columns, spacingMm: spacing, whiteLevel: 4095, window }
  const nodules = placeNodules(rng.fork('nodules'), { rows: size.rows, columns: size.columns, spacingMm: spacing }, chest).map((n) => ({
    ...n,
    overBone: phantom.boneMmAt(n.spec.centerMm.x, n.spec.centerMm.y) > 2
  }))
  for (const nodule of nodules) film = paintNodule(film, nodule.spec, 1)
  const pixels = addDetectorNoise(film.pixels, rng.fork('noise'), rng.uniform(30, 60))
  return { image: { pixels, rows: size.rows, columns: size.columns, spacingMm: spacing, whiteLevel: 4095, window }, layout: chest.layout(), nodules }
}

function dicomInput(plan: StudyPlan, truth: StudyTruth, image: RenderedStudy['image']): SyntheticDicomInput {
  return {
    studyInstanceUid: truth.studyInstanceUid,
    seriesInstanceUid: truth.seriesInstanceUid,
    sopInstanceUid: truth.sopInstanceUid,
    patientId: plan.patientId,
    patientName: plan.patientName,
    patientSex: plan.sex,
    patientBirthDate: plan.birthDate,
    patientAge: `${String(plan.age).padStart(3, '0')}Y`,
    characterSet: plan.characterSet,
    accessionNumber: plan.accessionNumber,
    studyId: plan.number,
    studyDate: plan.studyDate,
    studyTime: plan.studyTime,
    modality: plan.modality,
    photometric: plan.photometric,
    transferSyntaxUid: plan.transferSyntaxUid,
    calibratedSpacing: plan.calibratedSpacing,
    rows: plan.size.rows,
    columns: plan.size.columns,
    spacingMm: plan.size.spacingMm,
    bitsStored: 12,
    displayPixels: image.pixels,
    window: image.window
  }
}

/** Draws, renders and encodes study `index` of the cohort (no files are written). */
export function renderStudy(options: CohortOptions, index: number): RenderedStudy {
  const rng = new Rng(hashSeed(options.seed, 'study', index))
  const plan = planStudy(options, index, rng.fork('plan'))
  const { image, layout, nodules } = renderStudyImage(plan, rng.fork('image'))
  const uidParts = ['vzw-synth', options.seed, index] as const
  const truth: StudyTruth = {
    index,
    accessionNumber: plan.accessionNumber,
    patientId: plan.patientId,
    studyInstanceUid: derivedUid(...uidParts, 'study'),
    seriesInstanceUid: derivedUid(...uidParts, 'series'),
    sopInstanceUid: derivedUid(...uidParts, 'instance'),
    dicomFile: `import/dicom/${plan.patientId}/${plan.accessionNumber}.dcm`,
    reportFile: plan.report ? `import/reports/${plan.accessionNumber}.txt` : null,
    modality: plan.modality,
    photometric: plan.photometric,
    transferSyntaxUid: plan.transferSyntaxUid,
    characterSet: plan.characterSet,
    rows: plan.size.rows,
    columns: plan.size.columns,
    spacingMm: plan.size.spacingMm,
    layout,
    nodules,
    report: null
  }
  let report: Uint8Array | null = null
  if (plan.report) {
    const items = nodules.map((n) => n.item)
    const generated = generateReport(items, rng.fork('report'), { language: plan.language, imperfectRate: options.imperfectReportRate })
    report = plan.report.encoding === 'gb18030' ? encodeGb18030(generated.text) : new TextEncoder().encode(generated.text)
    truth.report = { language: plan.language, encoding: plan.report.encoding, stated: generated.stated, imperfection: generated.imperfection }
  }
  return { truth, image, dicom: writeSyntheticDicom(dicomInput(plan, truth, image)), report }
}

/** 0–3 nodules inside the lungs, apart from each other. */
function placeNodules(rng: Rng, image: Pick<Radiograph, 'rows' | 'columns' | 'spacingMm'>, chest: PhantomChest): PlacedNodule[] {
  const count = rng.weighted([
    [0, 0.45],
    [1, 0.33],
    [2, 0.14],
    [3, 0.08]
  ] as const)
  const context = { layout: chest.layout(), insideLung: (x: number, y: number) => chest.insideLung(x, y) }
  const placed: PlacedNodule[] = []
  for (let attempt = 0; placed.length < count && attempt < 20; attempt++) {
    const candidate = planNodule(image, rng, context)
    const apart = placed.every((other) => {
      const distance = Math.hypot(candidate.spec.centerMm.x - other.spec.centerMm.x, candidate.spec.centerMm.y - other.spec.centerMm.y)
      return distance > (candidate.spec.diameterMm + other.spec.diameterMm) / 2 + 15
    })
    if (apart && chest.insideLung(candidate.spec.centerMm.x / (image.columns * image.spacingMm[1]), candidate.spec.centerMm.y / (image.rows * image.spacingMm[0]))) {
      placed.push(candidate)
    }
  }
  return placed
}

/**
 * Quantum noise at full resolution (stronger where less radiation reached the detector, i.e. in
 * bright regions), then rounding to 12 bits. Normal deviates come from a per-image table indexed
 * by a xorshift stream, which is fast enough for millions of pixels.
 */
function addDetectorNoise(display: ArrayLike<number>, rng: Rng, sigma: number): Uint16Array {
  const table = new Float32Array(1 << 16)
  for (let i = 0; i < table.length; i++) table[i] = rng.normal()
  let state = rng.int(1, 0x7fffffff)
  const out = new Uint16Array(display.length)
  for (let i = 0; i < display.length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    const v = display[i]
    const noisy = v + table[state & 0xffff] * sigma * (0.55 + 0.9 * (v / 4095))
    out[i] = noisy < 0 ? 0 : noisy > 4095 ? 4095 : Math.round(noisy)
  }
  return out
}

export interface WrittenStudy {
  truth: StudyTruth
  /** A small grey copy for a contact sheet, when one was asked for. */
  thumbnail: Thumbnail | null
}

/**
 * Renders study `index` and writes its DICOM file and report under `outDir`; returns its truth
 * (and a thumbnail of `thumbnailSide` pixels when asked).
 */
export function writeStudy(options: CohortOptions, index: number, outDir: string, thumbnailSide: number | null = null): WrittenStudy {
  const study = renderStudy(options, index)
  writeFile(path.join(outDir, study.truth.dicomFile), study.dicom)
  if (study.report && study.truth.reportFile) writeFile(path.join(outDir, study.truth.reportFile), study.report)
  return { truth: study.truth, thumbnail: thumbnailSide ? thumbnail(study.image, thumbnailSide) : null }
}

function writeFile(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, bytes)
}

export function cohortTruth(options: CohortOptions, studies: StudyTruth[]): CohortTruth {
  const { detector, ...rest } = options
  return { generator: 'vzw synth', version: 1, seed: options.seed, options: { ...rest, detector: detector ?? null }, studies }
}

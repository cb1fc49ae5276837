import type { NoduleFinding, ParsedReport } from '../../shared/finding'
import { isHeldOut, isReportWithheld, loadExamples, reportTarget, type Example } from '../model/warmup'
import { parseReport } from '../reports/nodule-parser'
import type { Db } from '../store/database'
import { sourceGeometryOfModelImage } from '../store/selfplay-repository'
import { imageReportPairs, imagesWithoutReport, type UnreportedImage } from '../store/training-repository'
import { modelContentBox } from '../dicom/resample'
import { DEFAULT_CHEST_LAYOUT, layoutWithin, type ChestContext, type Radiograph } from '../synth'

/**
 * What self-play plays on: each training study's model image as a radiograph the spy edits work
 * on (8-bit, with the pixel spacing the model image has), and for the QA game the report text the
 * questioner reads and the report's parsed findings that judge the answers. Held-out studies (the
 * warm-up's evaluation split) are never played on.
 */
export interface SelfPlayFilm {
  studyId: number
  pseudonym: string
  radiograph: Radiograph
  /** Where the lungs lie in the model image, for the spy edits. */
  chest: ChestContext
}

/** A training film with its report. */
export interface SelfPlayStudy extends SelfPlayFilm {
  reportText: string
  finding: NoduleFinding | null
  /**
   * The report's own words on nodules: where it describes each nodule, else where it says there is
   * none (empty when the report is silent). The game-format phase teaches clues from them.
   */
  findingStatements: string[]
}

/**
 * A detector's long side when the DICOM had no pixel spacing: 430 mm, the common 43 cm flat
 * panel. Only nodule sizes drawn by the spy edits depend on it.
 */
const FALLBACK_LONG_SIDE_MM = 430

/**
 * A model image's geometry: its pixel spacing (its long side is the source's long side, aspect
 * kept by padding) and where the lungs lie in it — the typical layout placed on the film, not on
 * the padding, else inserted nodules land beside the lungs of a portrait film.
 */
export function modelGeometry(db: Db, modelPath: string, side: number): { spacingMm: [number, number]; chest: ChestContext } {
  const g = sourceGeometryOfModelImage(db, modelPath)
  const longSideMm = g?.rows && g.columns && g.spacingRowMm && g.spacingColMm ? Math.max(g.rows * g.spacingRowMm, g.columns * g.spacingColMm) : FALLBACK_LONG_SIDE_MM
  const film = g?.rows && g.columns ? modelContentBox(g.columns, g.rows, side) : { x0: 0, y0: 0, width: side, height: side }
  const layout = layoutWithin(DEFAULT_CHEST_LAYOUT, { left: film.x0 / side, top: film.y0 / side, width: film.width / side, height: film.height / side })
  return { spacingMm: [longSideMm / side, longSideMm / side], chest: { layout } }
}

/** What the rounds play on: the training films with their reports, and those without one. */
export interface PlayedFilms {
  reported: readonly SelfPlayStudy[]
  unreported: readonly SelfPlayFilm[]
}

/**
 * The training films a run plays on, as it sees them: studies with a report (less those whose
 * report `withheldReportFraction` has the run treat as absent), and with `unreported` the films
 * without one — those with none and the withheld ones. Only the QA game plays on those, judged by
 * the answers' majority (DESIGN §9's option), so they are read only when asked for.
 */
export function loadPlayedFilms(db: Db, dataDir: string, split: { heldOutFraction: number; withheldReportFraction?: number }, options: { unreported: boolean }): PlayedFilms {
  const training = (s: { studyUid: string }) => !isHeldOut(s.studyUid, split.heldOutFraction)
  const withheld = (s: { studyUid: string }) => isReportWithheld(s.studyUid, split.withheldReportFraction ?? 0)
  const pairs = imageReportPairs(db).filter(training)
  const reported = loadExamples(dataDir, pairs.filter((pair) => !withheld(pair))).map((example) => selfPlayStudy(db, example))
  if (!options.unreported) return { reported, unreported: [] }
  // Only the image of a withheld study is kept: its report's text must not reach the run.
  const withheldImages = pairs.filter(withheld).map(({ studyId, studyUid, pseudonym, modelPath }): UnreportedImage => ({ studyId, studyUid, pseudonym, modelPath }))
  const films = [...imagesWithoutReport(db).filter(training), ...withheldImages].sort((a, b) => a.studyId - b.studyId)
  return { reported, unreported: loadExamples(dataDir, films).map((example) => selfPlayFilm(db, example)) }
}

/** One study as self-play plays on it (held out or not); null when it has no model image and report. */
export function loadSelfPlayStudy(db: Db, dataDir: string, studyId: number): SelfPlayStudy | null {
  const [pair] = imageReportPairs(db, studyId)
  return pair ? selfPlayStudy(db, loadExamples(dataDir, [pair])[0]) : null
}

function selfPlayFilm(db: Db, { pair, pixels, side }: Example<UnreportedImage>): SelfPlayFilm {
  const geometry = modelGeometry(db, pair.modelPath, side)
  return {
    studyId: pair.studyId,
    pseudonym: pair.pseudonym,
    radiograph: { pixels, rows: side, columns: side, spacingMm: geometry.spacingMm, whiteLevel: 255 },
    chest: geometry.chest
  }
}

function selfPlayStudy(db: Db, example: Example): SelfPlayStudy {
  const pair = example.pair
  const stored = pair.findingsJson ? (JSON.parse(pair.findingsJson) as Partial<Pick<ParsedReport, 'nodules' | 'negativeEvidence'>>) : null
  // Reports stored before the parser ran are read now, by the same parser.
  const parsed = stored?.nodules && stored.negativeEvidence ? { nodules: stored.nodules, negativeEvidence: stored.negativeEvidence } : parseReport(pair.rawText)
  return {
    ...selfPlayFilm(db, example),
    reportText: reportTarget(pair),
    finding: parsed.nodules,
    findingStatements: findingStatements(parsed)
  }
}

/** A parsed report's statements on nodules: each described nodule's words, else its words that there is none. */
export function findingStatements(report: Pick<ParsedReport, 'nodules' | 'negativeEvidence'>): string[] {
  const described = report.nodules.items.flatMap((item) => (item.evidence ? [item.evidence.text] : []))
  return described.length > 0 ? described : report.negativeEvidence.map((span) => span.text)
}

import fs from 'node:fs'
import path from 'node:path'
import type { NoduleFinding } from '../../shared/finding'
import type { TruthSource } from '../../shared/evaluation'
import { parseReport } from '../reports/nodule-parser'
import type { Db } from '../store/database'
import { evaluationStudies, importRoots, type EvaluationStudy } from '../store/evaluation-repository'
import type { CohortTruth } from '../synth'

/**
 * What a held-out image is scored against. A synthetic cohort's truth.json (written by `vzw synth`
 * beside its import/ folder) knows every nodule drawn, also in images without a report and where
 * a report left one out; it is used when found. Otherwise a study's truth is its own report, read
 * by the report parser (studies without a report are then not scored).
 */
export interface StudyTruths {
  source: TruthSource
  /** The truth.json file(s) used, when the source is synthetic. */
  file: string | null
  byStudyUid: ReadonlyMap<string, NoduleFinding>
}

/** A truth.json named explicitly, else every one beside (or in) a folder an import job read. */
export function findTruthFiles(db: Db, explicit?: string): string[] {
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`Truth file ${explicit} does not exist`)
    return [explicit]
  }
  const found = importRoots(db).flatMap((root) => [path.join(root, 'truth.json'), path.join(path.dirname(root), 'truth.json')].filter((f) => fs.existsSync(f)))
  return [...new Set(found)]
}

export function readCohortTruth(file: string): CohortTruth {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`Truth file ${file} cannot be read as JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const truth = parsed as Partial<CohortTruth>
  if (truth.generator !== 'vzw synth' || !Array.isArray(truth.studies)) throw new Error(`Truth file ${file} is not a synthetic cohort's truth (no "generator": "vzw synth" with "studies")`)
  return truth as CohortTruth
}

/** The nodules drawn in a synthetic study, as a finding. */
export function syntheticFinding(study: CohortTruth['studies'][number]): NoduleFinding {
  const items = study.nodules.map((n) => n.item)
  return { presence: items.length > 0 ? 'present' : 'absent', count: items.length, items }
}

function reportFinding(study: EvaluationStudy): NoduleFinding | null {
  if (study.findingsJson) {
    const stored = JSON.parse(study.findingsJson) as { nodules?: NoduleFinding }
    if (stored.nodules) return stored.nodules
  }
  return study.reportText === null ? null : parseReport(study.reportText).nodules
}

/** Synthetic truth when a truth.json is found (several cohorts imported: all of them), else the reports. */
export function loadStudyTruths(db: Db, explicitFile?: string): StudyTruths {
  const files = findTruthFiles(db, explicitFile)
  if (files.length > 0) {
    const byStudyUid = new Map(files.flatMap((file) => readCohortTruth(file).studies.map((s) => [s.studyInstanceUid, syntheticFinding(s)] as const)))
    return { source: 'synthetic', file: files.join(', '), byStudyUid }
  }
  const byStudyUid = new Map<string, NoduleFinding>()
  for (const study of evaluationStudies(db)) {
    const finding = reportFinding(study)
    if (finding) byStudyUid.set(study.studyUid, finding)
  }
  return { source: 'reports', file: null, byStudyUid }
}

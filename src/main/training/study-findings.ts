import type { Presence } from '../../shared/finding'
import { greedyReports } from '../evaluation/greedy-reports'
import type { VlmModel } from '../model/vlm'
import type { Db } from '../store/database'
import { findingCountOfCheckpoint, insertFindings, studiesWithModelImage } from '../store/selfplay-repository'
import type { NewFinding } from '../store/review-repository'

/**
 * Findings for every study with a model image, written by a run's final policy: greedy report
 * text, read by the report parser into the finding schema, stored for review with the checkpoint
 * that wrote them and the model's certainty of each. All in one transaction, and skipped when that checkpoint already wrote them, so
 * a run killed here and resumed writes each study's finding once.
 */
export interface FindingsSummary {
  studies: number
  presence: Record<Presence, number>
  /** False when this checkpoint's findings were already stored. */
  written: boolean
}

export async function writeStudyFindings(
  db: Db,
  dataDir: string,
  model: VlmModel,
  checkpointId: number,
  onProgress?: (done: number, total: number) => Promise<void>
): Promise<FindingsSummary> {
  const studies = studiesWithModelImage(db)
  const presence: Record<Presence, number> = { present: 0, absent: 0, uncertain: 0 }
  if (findingCountOfCheckpoint(db, checkpointId) > 0) return { studies: studies.length, presence, written: false }
  const written = await greedyReports(model, dataDir, studies, onProgress)
  const findings: NewFinding[] = studies.map((s, i) => {
    const { text, report, certainty } = written[i]
    presence[report.nodules.presence]++
    return { studyId: s.studyId, imageId: s.imageId, checkpointId, text, structured: report.nodules, certainty }
  })
  insertFindings(db, findings)
  return { studies: studies.length, presence, written: true }
}

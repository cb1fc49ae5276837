import type { Presence } from '../../shared/finding'
import { greedyReports } from '../evaluation/greedy-reports'
import type { VlmModel } from '../model/vlm'
import type { Db } from '../store/database'
import { insertFindings, studiesNotDescribedBy } from '../store/selfplay-repository'
import type { NewFinding } from '../store/review-repository'

/** What a checkpoint wrote now: findings for this many studies, by the presence it read in them. */
export interface FindingsSummary {
  studies: number
  presence: Record<Presence, number>
}

/** Studies whose findings are stored together: a kill loses at most these, and the count moves between them. */
const STUDIES_PER_TRANSACTION = 64

/**
 * Findings for every study with a model image that this checkpoint has not described yet — all of
 * them at the end of a run, the studies imported since afterwards: greedy report text, read by the
 * report parser into the finding schema, stored for review with the checkpoint that wrote them and
 * the model's certainty of each. Stored a part of the studies at a time, each part in one
 * transaction, so a task killed here and started again writes each study's finding once.
 */
export async function writeStudyFindings(
  db: Db,
  dataDir: string,
  model: VlmModel,
  checkpointId: number,
  onProgress?: (done: number, total: number) => Promise<void>
): Promise<FindingsSummary> {
  const studies = studiesNotDescribedBy(db, checkpointId)
  const presence: Record<Presence, number> = { present: 0, absent: 0, uncertain: 0 }
  await onProgress?.(0, studies.length)
  for (let from = 0; from < studies.length; from += STUDIES_PER_TRANSACTION) {
    const part = studies.slice(from, from + STUDIES_PER_TRANSACTION)
    const written = await greedyReports(model, dataDir, part, (done) => onProgress?.(from + done, studies.length))
    const findings: NewFinding[] = part.map((s, i) => {
      const { text, report, certainty } = written[i]
      presence[report.nodules.presence]++
      return { studyId: s.studyId, imageId: s.imageId, checkpointId, text, structured: report.nodules, certainty }
    })
    insertFindings(db, findings)
  }
  return { studies: studies.length, presence }
}

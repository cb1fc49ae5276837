import path from 'node:path'
import { withCheckpointOnCpu } from '../model/checkpoint'
import { databasePath, openDatabase } from '../store/database'
import { reviewedCheckpoint } from '../store/training-repository'
import { phaseProgress } from '../tasks/progress'
import type { TaskContext } from '../tasks/registry'
import { writeStudyFindings, type FindingsSummary } from './study-findings'

export interface NewFindingsResult extends FindingsSummary {
  /** The checkpoint that wrote them (its path in the data folder). */
  checkpoint: string
}

/** Why there is no model to write findings with yet, in words a user can act on. */
export const NO_REVIEWED_MODEL = 'no model has written findings yet: train one first (a self-play run on the Training page, or vzw selfplay)'

/**
 * Task body 'findings.write': findings for the studies imported since the model the Review page shows
 * wrote its findings (reviewedCheckpoint), by that model, with a count of studies as progress. A
 * study it already described is not described again; killed, it goes on from the studies not stored.
 */
export async function writeNewFindingsTask(_params: Record<string, never>, ctx: TaskContext): Promise<NewFindingsResult> {
  const db = openDatabase(databasePath(ctx.dataDir))
  try {
    const checkpoint = reviewedCheckpoint(db)
    if (!checkpoint) throw new Error(NO_REVIEWED_MODEL)
    const described = phaseProgress(ctx, 'studies described')
    const summary = await withCheckpointOnCpu(path.join(ctx.dataDir, checkpoint.path), 0, (model) =>
      writeStudyFindings(db, ctx.dataDir, model, checkpoint.id, async (done, total) => {
        ctx.signal.throwIfAborted()
        await described(done, total, 'findings for the studies this model has not described')
      })
    )
    return { ...summary, checkpoint: checkpoint.path }
  } finally {
    db.close()
  }
}

import { databasePath, openDatabase } from '../store/database'
import type { TaskContext } from '../tasks/registry'
import { importFolders, validateImportRoots, type ImportSummary } from './import-folders'
import * as reports from '../reports'

/** Task body of 'import.folders': runs in the task child with its own database connection. */
export async function importFoldersTask(params: { roots: string[] }, ctx: TaskContext): Promise<ImportSummary> {
  const roots = validateImportRoots(params.roots)
  const db = openDatabase(databasePath(ctx.dataDir))
  try {
    return await importFolders(db, ctx.dataDir, roots, {
      signal: ctx.signal,
      progress: ctx.progress,
      yieldToEvents: ctx.yieldToEvents,
      reports
    })
  } finally {
    db.close()
  }
}

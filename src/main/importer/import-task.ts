import { databasePath, openDatabase } from '../store/database'
import type { TaskContext } from '../tasks/registry'
import { importFolders, validateImportRoots, type ImportSummary } from './import-folders'
import type { ReportImporter } from './report-importer'

/**
 * The report room (src/main/reports, another branch) is wired here when it is merged:
 * `import * as reports from '../reports'` and `const reportImporter: ReportImporter | null = reports`.
 * Until then report files and DICOM SR are found and counted, not imported.
 */
const reportImporter: ReportImporter | null = null

/** Task body of 'import.folders': runs in the task child with its own database connection. */
export async function importFoldersTask(params: { roots: string[] }, ctx: TaskContext): Promise<ImportSummary> {
  const roots = validateImportRoots(params.roots)
  const db = openDatabase(databasePath(ctx.dataDir))
  try {
    return await importFolders(db, ctx.dataDir, roots, {
      signal: ctx.signal,
      progress: ctx.progress,
      yieldToEvents: ctx.yieldToEvents,
      reports: reportImporter
    })
  } finally {
    db.close()
  }
}

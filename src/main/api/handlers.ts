import fs from 'node:fs'
import { ApiError, type AppInfo } from '../../shared/contract'
import type { Services } from '../app/services'
import { validateImportRoots } from '../importer/import-folders'
import { databasePath, schemaVersion } from '../store/database'
import { readSettings, writeSettings } from '../store/settings-repository'
import { importJobExists, libraryCounts, listImportErrors, listImportJobs, listStudies } from '../store/import-repository'
import { getTask, listTasks } from '../store/task-repository'
import { chosenExecutionProvider, compiledExecutionProviders } from '../tensor/execution-providers'
import type { Handlers } from './dispatch'

/** One handler per contract method. Inputs arrive validated; handlers never trust paths or SQL. */
export function createHandlers(services: Services): Handlers {
  const { db } = services
  return {
    'app.info': () => appInfo(services),
    'settings.get': () => readSettings(db),
    'settings.set': (patch) => writeSettings(db, patch),
    'tasks.startDemo': ({ upTo }) => ({ taskId: services.tasks.start('demo.countPrimes', { upTo }) }),
    'tasks.cancel': ({ taskId }) => {
      if (!getTask(db, taskId)) throw new ApiError('not_found', `No task ${taskId}`)
      return { cancelled: services.tasks.cancel(taskId) }
    },
    'tasks.get': ({ taskId }) => getTask(db, taskId),
    'tasks.list': () => listTasks(db),
    'import.start': ({ roots }) => {
      let valid: string[]
      try {
        valid = validateImportRoots(roots)
      } catch (err) {
        throw new ApiError('invalid_input', (err as Error).message)
      }
      return { taskId: services.tasks.start('import.folders', { roots: valid }) }
    },
    'import.jobs': () => listImportJobs(db),
    'import.errors': ({ jobId, limit, offset }) => {
      if (!importJobExists(db, jobId)) throw new ApiError('not_found', `No import job ${jobId}`)
      return listImportErrors(db, jobId, limit, offset)
    },
    'studies.list': ({ limit, offset, ...filter }) => ({ ...listStudies(db, { ...filter, limit, offset }), counts: libraryCounts(db) })
  }
}

async function appInfo(services: Services): Promise<AppInfo> {
  const { db, config } = services
  const file = databasePath(config.dataDir)
  const preferred = readSettings(db).executionProvider
  return {
    name: 'Vision-Zero Workstation',
    version: config.version,
    dataDir: config.dataDir,
    schemaVersion: schemaVersion(db),
    database: {
      state: 'ok',
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      sizeBytes: fs.existsSync(file) ? fs.statSync(file).size : 0,
      studies: (db.prepare('SELECT count(*) AS n FROM studies').get() as { n: number }).n
    },
    executionProviders: { available: compiledExecutionProviders(), preferred, chosen: await chosenExecutionProvider(preferred) },
    runtime: { node: process.versions.node, platform: process.platform, arch: process.arch, shell: config.shell }
  }
}

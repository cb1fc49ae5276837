import fs from 'node:fs'
import { ApiError, type AppInfo, type Output } from '../../shared/contract'
import type { Services } from '../app/services'
import { validateImportRoots } from '../importer/import-folders'
import { databasePath, schemaVersion } from '../store/database'
import { readSettings, writeSettings } from '../store/settings-repository'
import { importJobExists, libraryCounts, listImportErrors, listImportJobs, listStudies } from '../store/import-repository'
import { findingExists, listReviewQueue, recordDecision, reviewedFindingsForExport, undoLastDecision } from '../store/review-repository'
import { displayImageRecord, getStudyDetail, otherStudiesOfPatient, setFilmProjection, studyCount, studyIdentities, studyIdentity } from '../store/study-repository'
import { containedFolder, listFolders, normaliseDataRoots } from './data-roots'
import { loadDisplayImage } from './display-image'
import { writeReviewExport, writeReviewSr, type ExportFile } from './review-export'
import { getTask, listTasks } from '../store/task-repository'
import { runHandlers } from './run-handlers'
import { evaluationsOfRun, listExperiments } from '../store/evaluation-repository'
import { reviewAgreement } from '../evaluation/review-agreement'
import { writeAuditExport } from './audit-export'
import { countStudiesNotDescribedBy, runsWithRoundCounts } from '../store/selfplay-repository'
import { reviewedCheckpoint } from '../store/training-repository'
import { NO_REVIEWED_MODEL } from '../training/findings-task'
import { chosenExecutionProvider, compiledExecutionProviders } from '../tensor/execution-providers'
import type { Handlers } from './dispatch'

/** One handler per contract method. Inputs arrive validated; handlers never trust paths or SQL. */
export function createHandlers(services: Services): Handlers {
  const { db, config } = services
  /** Folders the user picked in the native dialog this session: importable like data roots. */
  const chosenFolders = new Set<string>()
  const reviewer = () => {
    const name = readSettings(db).reviewerName
    if (!name) throw new ApiError('invalid_input', 'Enter your name as reviewer in Settings first: every decision is signed in the audit log')
    return name
  }
  return {
    'app.info': () => appInfo(services),
    'settings.get': () => readSettings(db),
    'settings.set': (patch) =>
      writeSettings(db, patch.dataRoots ? { ...patch, dataRoots: asInvalidInput(() => normaliseDataRoots(patch.dataRoots!)) } : patch),
    'tasks.startDemo': ({ upTo }) => ({ taskId: services.tasks.start('demo.countPrimes', { upTo }) }),
    'tasks.cancel': ({ taskId }) => {
      if (!getTask(db, taskId)) throw new ApiError('not_found', `No task ${taskId}`)
      return { cancelled: services.tasks.cancel(taskId) }
    },
    'tasks.get': ({ taskId }) => getTask(db, taskId),
    'tasks.list': () => listTasks(db),
    'import.start': ({ roots }) => {
      // A page may import only inside the data roots or what the native dialog gave it; the CLI
      // imports whatever its user names.
      const allowed = [...readSettings(db).dataRoots, ...chosenFolders]
      const valid = asInvalidInput(() => validateImportRoots(config.shell === 'cli' ? roots : roots.map((r) => containedFolder(r, allowed))))
      return { taskId: services.tasks.start('import.folders', { roots: valid }) }
    },
    'import.jobs': () => listImportJobs(db),
    'import.chooseFolders': async () => {
      if (!config.chooseFolders) return { available: false, folders: [] }
      const folders = await config.chooseFolders()
      for (const f of folders) chosenFolders.add(f)
      return { available: true, folders }
    },
    'library.folders': ({ path }) => asInvalidInput(() => listFolders(path, readSettings(db).dataRoots)),
    'import.errors': ({ jobId, limit, offset }) => {
      if (jobId !== undefined && !importJobExists(db, jobId)) throw new ApiError('not_found', `No import job ${jobId}`)
      return listImportErrors(db, jobId ?? null, limit, offset)
    },
    'studies.list': ({ limit, offset, ...filter }) => ({ ...listStudies(db, { ...filter, limit, offset }), counts: libraryCounts(db) }),
    'studies.get': ({ studyId, withPatientNames }) => found(getStudyDetail(db, studyId, withPatientNames), `No study ${studyId}`),
    'studies.otherStudiesOfPatient': ({ studyId }) => {
      found(studyIdentity(db, studyId), `No study ${studyId}`)
      return otherStudiesOfPatient(db, studyId)
    },
    'images.display': ({ imageId }) => loadDisplayImage(config.dataDir, found(displayImageRecord(db, imageId), `No displayable image ${imageId}`)),
    'images.setProjection': ({ imageId, projection }) => {
      const studyId = found(setFilmProjection(db, imageId, projection, reviewer()), `No image ${imageId}`)
      return found(getStudyDetail(db, studyId), `No study ${studyId}`)
    },
    'review.queue': ({ studyId }) => listReviewQueue(db, studyId),
    'findings.pending': () => {
      const checkpoint = reviewedCheckpoint(db)
      return { checkpoint: checkpoint?.path ?? null, studies: checkpoint ? countStudiesNotDescribedBy(db, checkpoint.id) : 0 }
    },
    'findings.start': () => {
      if (!reviewedCheckpoint(db)) throw new ApiError('invalid_input', NO_REVIEWED_MODEL)
      return { taskId: services.tasks.start('findings.write', {}) }
    },
    'review.decide': ({ secondsOnTask, ...decision }) => {
      const name = reviewer()
      if (!findingExists(db, decision.findingId)) throw new ApiError('not_found', `No finding ${decision.findingId}`)
      return { reviewId: asInvalidInput(() => recordDecision(db, { ...decision, secondsOnTask, reviewer: name })) }
    },
    'review.undo': () => {
      const name = readSettings(db).reviewerName
      return name ? undoLastDecision(db, name) : null
    },
    'review.agreement': () => reviewAgreement(db),
    'audit.export': () => {
      const file = writeAuditExport(config.dataDir, db)
      return asDownload(file, file.rows)
    },
    'review.export': ({ format, studyId }) => {
      if (studyId !== undefined && !studyIdentity(db, studyId)) throw new ApiError('not_found', `No study ${studyId}`)
      const rows = reviewedFindingsForExport(db, studyId)
      let file: ExportFile
      if (format === 'sr') {
        if (studyId === undefined) throw new ApiError('invalid_input', 'A DICOM SR export is one document per study: name the study')
        file = asInvalidInput(() => writeReviewSr(config.dataDir, studyIdentity(db, studyId)!, rows))
      } else file = writeReviewExport(config.dataDir, format, rows, studyIdentities(db, rows.map((r) => r.pseudonym)))
      return asDownload(file, rows.length)
    },
    ...runHandlers(services),

    // Evaluation
    'evaluation.experiments': () => listExperiments(db),
    'runs.evaluations': ({ runId }) => {
      found(runsWithRoundCounts(db).find((r) => r.id === runId) ?? null, `No run ${runId}`)
      return evaluationsOfRun(db, runId)
    }
  }
}

/** A written export file as the renderer downloads it. */
function asDownload(file: ExportFile, rows: number): Output<'review.export'> {
  return { fileName: file.fileName, mediaType: file.mediaType, base64: file.bytes.toString('base64'), rows }
}

/** Runs a check whose Error message is meant for the user; it crosses as invalid_input. */
function asInvalidInput<T>(check: () => T): T {
  try {
    return check()
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw new ApiError('invalid_input', err instanceof Error ? err.message : String(err))
  }
}

function found<T>(value: T | null, message: string): T {
  if (value === null) throw new ApiError('not_found', message)
  return value
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
      studies: studyCount(db)
    },
    executionProviders: { available: compiledExecutionProviders(), preferred, chosen: await chosenExecutionProvider(preferred) },
    runtime: { node: process.versions.node, platform: process.platform, arch: process.arch, shell: config.shell }
  }
}

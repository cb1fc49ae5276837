import path from 'node:path'
import { CliProgressBar } from '../app/cli-progress'
import { printResultLine } from '../app/result-line'
import { dispatch, type Handlers } from '../api/dispatch'
import type { Output } from '../../shared/contract'
import type { ImportSummary } from '../importer/import-folders'
import type { CliCommand } from './command'

const ERRORS_SHOWN = 20

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import folders of DICOM radiographs (any depth, DICOMDIR or not), films kept as PNG or JPEG, and their reports',
  usage: 'vzw import <folder or file…>',
  options: {},
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new Error('Name at least one folder or file: vzw import <folder or file…>')
    const services = ctx.services()
    const bar = new CliProgressBar('import')
    services.events.on('task.progress', (e) => bar.update(e.progress))
    const started = await dispatch(services.handlers, 'import.start', { roots: ctx.positionals.map((p) => path.resolve(p)) })
    if (!started.ok) {
      services.close()
      throw new Error(started.error.message)
    }
    const id = (started.value as Output<'import.start'>).taskId
    const onInterrupt = () => services.tasks.cancel(id)
    process.once('SIGINT', onInterrupt)
    const summary = await services.tasks.whenFinished(id)
    process.off('SIGINT', onInterrupt)
    bar.finish()
    try {
      if (summary?.status !== 'done') {
        console.error(`Import ${summary?.status ?? 'lost'}${summary?.error ? `: ${summary.error}` : ''}; files imported before it stopped are kept`)
        return 1
      }
      const result = summary.result as ImportSummary
      await reportErrors(services.handlers, result)
      console.log(
        `Imported ${result.imported} image(s), ${result.already} already in the library, ${result.failed} failed ` +
          `(${result.newErrors} new error rows), ${result.skipped} other file(s) skipped; ${result.megabytes.toFixed(1)} MB in ` +
          `${result.seconds.toFixed(1)} s (${result.mbPerSecond.toFixed(1)} MB/s)`
      )
      if (result.reportsMatched + result.reportsUnmatched + result.reportsFailed.length > 0) {
        console.log(
          `Reports: ${result.reportsMatched} matched to a study, ${result.reportsUnmatched} kept without one (matched when their study is imported), ` +
            `${result.reportsFailed.length} not read`
        )
      }
      if (result.picturesAmongDicom > 0) {
        console.log(
          `${result.picturesAmongDicom} PNG/JPEG picture(s) passed over: they lie in a folder you imported that holds DICOM films, ` +
            'where pictures are copies of those films (a viewer’s images, previews); to import a folder of pictures, import it on its own'
        )
      }
      if (result.filmsIndexed > 0) console.log(`Tables of films: ${result.filmsIndexed} film(s) given what the table names (view, patient, date, pixel spacing, case)`)
      if (result.studiesWithoutModelImage > 0) {
        console.log(
          `${result.studiesWithoutModelImage} stud${result.studiesWithoutModelImage === 1 ? 'y has' : 'ies have'} no frontal chest film: ` +
            'the model neither trains on nor describes them (a lateral view alone, another kind of film, or For Processing only)'
        )
      }
      printResultLine('import-job', {
        imported: result.imported,
        failed: result.failed,
        already: result.already,
        reports_matched: result.reportsMatched,
        reports_unmatched: result.reportsUnmatched,
        studies_without_model_image: result.studiesWithoutModelImage
      })
      return 0
    } finally {
      services.close()
    }
  }
}

async function reportErrors(handlers: Handlers, result: ImportSummary): Promise<void> {
  const envelope = await dispatch(handlers, 'import.errors', { jobId: result.jobId, limit: ERRORS_SHOWN })
  if (!envelope.ok) throw new Error(envelope.error.message)
  const errors = envelope.value as Output<'import.errors'>
  for (const e of errors.rows) console.log(`  failed: ${e.file}: ${e.reason}`)
  // the report files that could not be read are among them (report_errors), after the DICOM files
  if (errors.total > errors.rows.length) console.log(`  … and ${errors.total - errors.rows.length} more (import.errors for job ${result.jobId})`)
}

import type { TaskKind, TaskSummary } from '../../shared/contract'
import { CliProgressBar } from '../app/cli-progress'
import type { Services } from '../app/services'

/**
 * Runs a long task in the task child process with a progress bar; Ctrl-C cancels it. Returns the
 * finished summary, or null after printing why the task did not finish. The services stay open.
 */
export async function runTaskWithBar(services: Services, kind: TaskKind, params: unknown, label: string, hint = ''): Promise<TaskSummary | null> {
  const bar = new CliProgressBar(label)
  const unsubscribe = services.events.on('task.progress', (e) => bar.update(e.progress))
  const id = services.tasks.start(kind, params)
  const onInterrupt = () => services.tasks.cancel(id)
  process.once('SIGINT', onInterrupt)
  const summary = await services.tasks.whenFinished(id)
  process.off('SIGINT', onInterrupt)
  unsubscribe()
  bar.finish()
  if (summary?.status !== 'done') {
    console.error(`${label}: ${summary?.status ?? 'lost'}${summary?.error ? `: ${summary.error}` : ''}${hint}`)
    return null
  }
  return summary
}

/** `runTaskWithBar`, then closes the services. */
export async function runTaskWithProgress(services: Services, kind: TaskKind, params: unknown, label: string, hint = ''): Promise<TaskSummary | null> {
  try {
    return await runTaskWithBar(services, kind, params, label, hint)
  } finally {
    services.close()
  }
}

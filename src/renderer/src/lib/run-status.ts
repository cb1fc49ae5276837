import type { RunSummary } from '../../../shared/contract'

/**
 * What a run's stored status means to the user right now: a run paused while its task still plays
 * is pausing after its round; one stored as training with no task here was interrupted (the app
 * closed, or it runs in another process).
 */
export function runStatusKey(run: RunSummary): string {
  const playing = run.taskId !== null
  if (run.status === 'paused' && playing) return 'pausing'
  if ((run.status === 'running' || run.status === 'created') && !playing) return 'interrupted'
  return run.status
}

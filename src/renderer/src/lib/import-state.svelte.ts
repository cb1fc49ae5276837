import type { TaskProgress, TaskStatus } from '../../../shared/contract'
import { api } from './api'

/**
 * The import in progress, or the last one: kept for the whole session (not per page), so the
 * reader can look at studies while an import runs and find its progress when coming back.
 */
export const importState = $state<{ task: { id: number; progress: TaskProgress | null; status: TaskStatus; error: string | null } | null }>({ task: null })

const finishedListeners = new Set<() => void>()

/** Called when an import task ends (the Library reloads its lists). */
export function onImportFinished(listener: () => void): () => void {
  finishedListeners.add(listener)
  return () => finishedListeners.delete(listener)
}

export function importStarted(taskId: number): void {
  importState.task = { id: taskId, progress: null, status: 'running', error: null }
}

/** Subscribes once, for the life of the app; picks up an import already running. */
export function watchImports(): void {
  void api.tasks.list().then((tasks) => {
    const live = tasks.find((x) => x.kind === 'import.folders' && x.status === 'running')
    if (live && !importState.task) importState.task = { id: live.id, progress: live.progress, status: 'running', error: null }
  })
  api.on('task.progress', (e) => {
    if (e.kind !== 'import.folders') return
    if (importState.task?.id === e.taskId) importState.task.progress = e.progress
    else importState.task = { id: e.taskId, progress: e.progress, status: 'running', error: null }
  })
  api.on('task.finished', (s) => {
    if (s.kind !== 'import.folders') return
    const progress = s.progress ?? (importState.task?.id === s.id ? importState.task.progress : null)
    importState.task = { id: s.id, progress, status: s.status, error: s.status === 'failed' ? s.error : null }
    finishedListeners.forEach((l) => l())
  })
}

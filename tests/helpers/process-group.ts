import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'

/**
 * Starts a command as the leader of its own process group. The CLI wrappers (bin/vzw.mjs, tsx)
 * run the real work in a child process of their own, so SIGKILL sent to the wrapper alone leaves
 * that child running: a kill test must kill the whole group (`killGroup`).
 */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true })
}

/** SIGKILL to every process of the group `spawnGroup` started (the wrapper and the worker it runs). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch (err) {
    // The group is gone already: the work finished before the kill point.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

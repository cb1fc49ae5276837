import { fork } from 'node:child_process'
import { moduleEntry, type ModuleEntry } from './module-entry'
import type { FromChild, SpawnTaskProcess, TaskProcess } from './protocol'

/**
 * Where the task child's entry is: the bundled `task-child.js` beside the running bundle
 * (out/main), else the TypeScript source run through tsx (CLI from a checkout, tests).
 */
export function taskChildEntry(moduleDir: string): ModuleEntry {
  const entry = moduleEntry('task-child', [moduleDir])
  if (!entry) throw new Error(`The task child entry is missing: neither task-child.js nor task-child.ts is in ${moduleDir}`)
  return entry
}

/** Spawns task children with Node's child_process.fork (CLI, web host, tests). */
export function forkTaskProcess(entry: ModuleEntry): SpawnTaskProcess {
  return (): TaskProcess => {
    const child = fork(entry.file, [], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced'
    })
    return {
      send: (message) => {
        if (child.connected) child.send(message)
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as FromChild)),
      onExit: (listener) => child.once('close', (code) => listener(code)),
      kill: () => {
        child.kill('SIGKILL')
      }
    }
  }
}

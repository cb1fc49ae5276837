import { fork } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { FromChild, SpawnTaskProcess, TaskProcess } from './protocol'

export interface ChildEntry {
  file: string
  execArgv: string[]
}

/**
 * Where the task child's entry is: the bundled `task-child.js` beside the running bundle
 * (out/main), else the TypeScript source run through tsx (CLI from a checkout, tests).
 */
export function taskChildEntry(moduleDir: string): ChildEntry {
  const bundled = path.join(moduleDir, 'task-child.js')
  if (fs.existsSync(bundled)) return { file: bundled, execArgv: [] }
  const source = path.join(moduleDir, 'task-child.ts')
  if (fs.existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] }
  throw new Error(`The task child entry is missing: neither ${bundled} nor ${source} exists`)
}

/** Spawns task children with Node's child_process.fork (CLI, web host, tests). */
export function forkTaskProcess(entry: ChildEntry): SpawnTaskProcess {
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

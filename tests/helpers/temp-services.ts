import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServices, type Services } from '../../src/main/app/services'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'

/** A fresh data folder under the OS temp dir; removed by the returned cleanup. */
export function tempDataDir(prefix = 'vzw-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** Real services on a temp data folder, with task children forked from the TypeScript source. */
export function tempServices(shell: 'web' | 'cli' = 'cli'): { services: Services; dataDir: string; cleanup(): void } {
  const temp = tempDataDir()
  const services = createServices({
    dataDir: temp.dir,
    shell,
    spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main')))
  })
  return {
    services,
    dataDir: temp.dir,
    cleanup() {
      services.close()
      temp.cleanup()
    }
  }
}

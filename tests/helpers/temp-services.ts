import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach } from 'vitest'
import { createServices, type Services } from '../../src/main/app/services'
import { databasePath, openDatabase, type Db } from '../../src/main/store/database'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'

/** A fresh data folder under the OS temp dir; removed by the returned cleanup. */
export function tempDataDir(prefix = 'vzw-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/**
 * For a test file: a function that opens a real, migrated SQLite database in a fresh data folder,
 * closed and removed after each test.
 */
export function tempDatabasePerTest(): () => Db {
  const cleanups: (() => void)[] = []
  afterEach(() => cleanups.splice(0).forEach((c) => c()))
  return () => {
    const temp = tempDataDir()
    const db = openDatabase(databasePath(temp.dir))
    cleanups.push(() => db.close(), temp.cleanup)
    return db
  }
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

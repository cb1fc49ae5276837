import { afterEach } from 'vitest'
import { databasePath, openDatabase, type Db } from '../../src/main/store/database'
import { tempDataDir } from './temp-services'

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

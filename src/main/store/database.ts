import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { latestSchemaVersion, migrations, type Migration } from './migrations'
import { StorageFailure, storageProblem } from './storage-failure'

export type Db = Database.Database

const statements = new WeakMap<Db, Map<string, Database.Statement>>()

/**
 * The statement for `sql` on this connection, prepared once: compiling a small statement costs more
 * than running it, and importing a report runs a dozen (a RIS export holds a hundred thousand). For
 * static SQL only, never made raw or plucked: the flag would stay set for every later caller.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let prepared = statements.get(db)
  if (!prepared) statements.set(db, (prepared = new Map()))
  let found = prepared.get(sql)
  if (!found) prepared.set(sql, (found = db.prepare(sql)))
  return found
}

/** The database file inside a data folder. */
export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'vzw.sqlite')
}

/**
 * Opens (creating when missing) the app's SQLite file: mode 0600 before SQLite touches it (SQLite
 * gives the -wal/-shm files the same mode), WAL, foreign keys on, then pending migrations.
 * Errors name the file and say what is wrong.
 */
export function openDatabase(file: string, options: { migrate?: boolean } = {}): Db {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    fs.closeSync(fs.openSync(file, 'a', 0o600))
    fs.chmodSync(file, 0o600)
  } catch (err) {
    throw openFailure(file, err) ?? new Error(`Cannot open the database ${file}: ${describeFsError(err)}`)
  }
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    db.pragma('synchronous = NORMAL')
    if (options.migrate !== false) migrate(db, file)
    return db
  } catch (err) {
    db.close()
    throw openFailure(file, err) ?? err
  }
}

/** A data folder that cannot be written (read-only, full) stops the app with a message naming it. */
function openFailure(file: string, err: unknown): StorageFailure | null {
  const problem = storageProblem(err)
  return problem ? new StorageFailure(path.dirname(file), problem, `the database ${file} cannot be opened for writing`) : null
}

const fsProblems: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file stands where a folder should be',
  ENOTDIR: 'a file stands where a folder should be'
}

/** A file-system error in words a person understands, with its code for support. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code && fsProblems[code]) return `${fsProblems[code]} (${code})`
  return err instanceof Error ? err.message : String(err)
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies every migration above the file's `user_version`, each in its own transaction. */
export function migrate(db: Db, file = db.name, all: readonly Migration[] = migrations): number {
  const current = schemaVersion(db)
  const newest = all.length ? all[all.length - 1].version : 0
  if (current > newest) {
    throw new Error(
      `The database ${file} has schema version ${current}, newer than this app knows (${newest}). ` +
        'Update the app; the file was left untouched.'
    )
  }
  for (const m of all) {
    if (m.version <= current) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return schemaVersion(db)
}

export { latestSchemaVersion }

/**
 * Failures of the data folder itself — full, over a size limit or quota, read-only — as opposed
 * to failures of the file being worked on. They stop the work with one message that names the
 * folder and what to do; blaming the input file for them would fill the error list with good
 * files and keep writing to a disk that cannot take it.
 */
const fullCodes: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'a file-size limit was reached',
  SQLITE_FULL: 'the database cannot grow: the disk is full'
}
const readOnlyCodes: Record<string, string> = {
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_READONLY_DIRECTORY: 'the folder is read-only',
  SQLITE_CANTOPEN: 'the database file cannot be opened for writing'
}

export type StorageProblem = { kind: 'full' | 'read-only'; detail: string; code: string }

/** What is wrong with the storage, when `err` is a storage failure; null for anything else. */
export function storageProblem(err: unknown): StorageProblem | null {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return null
  if (fullCodes[code]) return { kind: 'full', detail: fullCodes[code], code }
  if (readOnlyCodes[code]) return { kind: 'read-only', detail: readOnlyCodes[code], code }
  // SQLite's extended codes: SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE on a full disk, …
  if (code.startsWith('SQLITE_READONLY')) return { kind: 'read-only', detail: readOnlyCodes.SQLITE_READONLY, code }
  if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC' || code === 'SQLITE_IOERR_TRUNCATE') return { kind: 'full', detail: 'the disk refused a write', code }
  return null
}

/** The error to stop with: names the data folder, the problem, and that stored work is kept. */
export class StorageFailure extends Error {
  constructor(
    readonly dataDir: string,
    readonly problem: StorageProblem,
    doing: string
  ) {
    const state = problem.kind === 'full' ? 'is full' : 'is read-only'
    const remedy = problem.kind === 'full' ? 'free space there (or choose another data folder)' : 'make it writable (or choose another data folder)'
    super(`The data folder ${dataDir} ${state} (${problem.detail}, ${problem.code}): ${doing}. Everything stored before is kept; ${remedy} and run it again to continue.`)
    this.name = 'StorageFailure'
  }
}

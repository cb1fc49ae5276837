import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TaskContext } from './registry'

/**
 * One training at a time per data folder, across processes. The app refuses a second run itself,
 * but the CLI (`vzw warmup`, `vzw selfplay`, `vzw experiment`, `npm run demo`) is another process:
 * two trainers on one folder would both resume the same unfinished run and write its rounds and
 * checkpoints twice. The process that trains holds `DATA/training.lock` (created exclusively, with
 * its pid); a lock whose process is gone (killed, crashed, or the machine restarted since) is
 * taken over.
 */
export const TRAINING_LOCK = 'training.lock'

interface LockOwner {
  pid: number
  task: string
  since: string
  /** When the owner's machine last started (ms since 1970); absent in locks of older versions. */
  bootedAt?: number
}

/**
 * Boot times read this far apart are different boots. Two readings of one boot differ by the
 * rounding of the uptime and by clock corrections; two boots differ by at least the earlier boot's
 * uptime, which covered the whole training that wrote the lock.
 */
const SAME_BOOT_TOLERANCE_MS = 5 * 60_000

function machineBootedAt(): number {
  return Date.now() - os.uptime() * 1000
}

/**
 * A lock written before this machine last started: its pid may now be any other process's (after
 * a power cut the workstation starts again and the number is reused), so it says nothing.
 */
function fromEarlierBoot(owner: LockOwner): boolean {
  return owner.bootedAt !== undefined && Math.abs(owner.bootedAt - machineBootedAt()) > SAME_BOOT_TOLERANCE_MS
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>
    if (typeof owner.pid !== 'number') return null
    return { pid: owner.pid, task: String(owner.task), since: String(owner.since), ...(typeof owner.bootedAt === 'number' ? { bootedAt: owner.bootedAt } : {}) }
  } catch {
    return null // gone meanwhile, or cut short by a crash while it was written
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Creates `file` holding `content`, or returns false when it exists. The content is written to a
 * private file first and linked into place, so no one ever reads a lock without its owner (an empty
 * lock would look abandoned and be taken over while its owner is alive).
 */
function createWithContent(file: string, content: string): boolean {
  const draft = `${file}.${process.pid}`
  fs.writeFileSync(draft, content)
  try {
    fs.linkSync(draft, file)
    return true
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    // A file system without hard links (FAT): an exclusive create, with its short unwritten moment.
    if (code === 'EPERM' || code === 'ENOSYS' || code === 'ENOTSUP') return createExclusively(file, content)
    throw err
  } finally {
    fs.rmSync(draft, { force: true })
  }
}

function createExclusively(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx' })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
}

/** Takes the data folder's training lock for `task`, or says who holds it; returns the release. */
export function acquireTrainingLock(dataDir: string, task: string): () => void {
  const file = path.join(dataDir, TRAINING_LOCK)
  const me: LockOwner = { pid: process.pid, task, since: new Date().toISOString(), bootedAt: Math.round(machineBootedAt()) }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createWithContent(file, JSON.stringify(me))) return () => releaseTrainingLock(file)
    const owner = readOwner(file)
    if (owner && owner.pid !== process.pid && !fromEarlierBoot(owner) && isRunning(owner.pid)) {
      throw new Error(`The data folder ${dataDir} is being trained by another process (pid ${owner.pid}, ${owner.task} since ${owner.since}): wait for it to finish or stop it first`)
    }
    // Left by a process that is gone, before a restart, or by this one: take it over.
    fs.rmSync(file, { force: true })
  }
  throw new Error(`Cannot take the training lock ${file}: other processes keep taking it`)
}

/** Removes the lock if this process still holds it (a taken-over lock belongs to its new owner). */
function releaseTrainingLock(file: string): void {
  if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true })
}

/** A task body that trains: it holds the data folder's training lock while it runs. */
export function holdingTrainingLock<P, R>(task: string, body: (params: P, ctx: TaskContext) => Promise<R>): (params: P, ctx: TaskContext) => Promise<R> {
  return async (params, ctx) => {
    const release = acquireTrainingLock(ctx.dataDir, task)
    try {
      return await body(params, ctx)
    } finally {
      release()
    }
  }
}

import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordHardening } from '../helpers/hardening-counts'
import { writeSmallCohort } from '../helpers/small-cohort'

/**
 * A full disk and read-only folders give one clear error that names the folder, and lose
 * nothing. The disk is a small tmpfs mounted for the test where this process may mount (root
 * here), else a file-size limit (RLIMIT_FSIZE, `ulimit -f`, with SIGXFSZ ignored so writes fail
 * with EFBIG instead of killing the process). Permissions are real: as root the CLI runs as
 * `nobody`, so a folder without write permission is read-only to it.
 */
const STUDIES = 12
const vzw = path.resolve('bin/vzw.mjs')
const asRoot = process.getuid?.() === 0
const NOBODY = 65534
let tmp: string
let cohort: string
let lost = 0

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-storage-'))
  fs.chmodSync(tmp, 0o755)
  cohort = path.join(await writeSmallCohort(tmp, { seed: 12, studies: STUDIES, language: 'en' }), 'import')
  if (asRoot) spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, tmp])
}, 120_000)
afterAll(() => {
  spawnSync('umount', [path.join(tmp, 'disk')])
  spawnSync('umount', [path.join(tmp, 'images-disk', 'images')])
  spawnSync('chmod', ['-R', 'u+rwX', tmp])
  fs.rmSync(tmp, { recursive: true, force: true })
  recordHardening('storage-failures', { lostRows: lost })
})

/** Runs the CLI (as `nobody` when this is root), optionally under a file-size limit in KiB. */
function cli(args: string[], fileSizeLimitKiB?: number) {
  const options: SpawnSyncOptions = { encoding: 'utf8', timeout: 300_000, env: { ...process.env, HOME: tmp }, ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) }
  const command = [process.execPath, vzw, ...args].map((a) => `'${a}'`).join(' ')
  const r = fileSizeLimitKiB === undefined ? spawnSync(process.execPath, [vzw, ...args], options) : spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f ${fileSizeLimitKiB}; exec ${command}`], options)
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) }
}

function stored(dataDir: string): { integrity: string; uids: Set<string> } {
  const db = new Database(path.join(dataDir, 'vzw.sqlite'), { readonly: true })
  try {
    return {
      integrity: String(db.pragma('integrity_check', { simple: true })),
      uids: new Set((db.prepare("SELECT sop_instance_uid AS u FROM images WHERE status = 'ok'").all() as { u: string }[]).map((r) => r.u))
    }
  } finally {
    db.close()
  }
}

/** Whether this process may mount a tmpfs (root in a container that allows it). */
const canMount = (() => {
  if (!asRoot) return false
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-mount-probe-'))
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0
  if (mounted) spawnSync('umount', [probe])
  fs.rmSync(probe, { recursive: true, force: true })
  return mounted
})()

/** Mounts a tmpfs of `size` at `dir`; false where mounting is not allowed. */
function mountSmallDisk(dir: string, size: string): boolean {
  fs.mkdirSync(dir, { recursive: true })
  if (asRoot) fs.chownSync(dir, NOBODY, NOBODY)
  return asRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},uid=${NOBODY},gid=${NOBODY},mode=0755`, 'tmpfs', dir]).status === 0
}

describe('a full disk', () => {
  it('stops the import with a message naming the data folder, keeps every committed image, and the next import completes', () => {
    const disk = path.join(tmp, 'disk')
    const onTmpfs = mountSmallDisk(disk, '1200k')
    const dataDir = path.join(disk, 'data')
    // Without a mount: every file the importer writes may grow to 320 KiB only (the database first).
    const full = cli(['import', cohort, '--data-dir', dataDir], onTmpfs ? undefined : 320)
    expect(full.status, full.stdout + full.stderr).not.toBe(0)
    expect(full.stderr).toContain(`The data folder ${dataDir} is full`)
    expect(full.stderr).toMatch(/ENOSPC|EFBIG|SQLITE_FULL|SQLITE_IOERR/)
    expect(full.stderr).toMatch(/Everything stored before is kept/)
    // No stack trace, no good file blamed for the disk.
    expect(full.stderr).not.toMatch(/\n\s+at /)
    expect(full.stdout).not.toMatch(/failed: /)
    const before = stored(dataDir)
    expect(before.integrity).toBe('ok')
    expect(before.uids.size).toBeLessThan(STUDIES)
    expect(fs.readdirSync(dataDir, { recursive: true }).filter((f) => /\.tmp-\d+$/.test(String(f)))).toEqual([])
    // Space again: the same import continues where it stopped.
    if (onTmpfs) expect(spawnSync('mount', ['-o', 'remount,size=256m', disk]).status).toBe(0)
    const resumed = cli(['import', cohort, '--data-dir', dataDir])
    expect(resumed.status, resumed.stderr).toBe(0)
    const after = stored(dataDir)
    expect(after.integrity).toBe('ok')
    lost += [...before.uids].filter((u) => !after.uids.has(u)).length
    expect([...before.uids].filter((u) => !after.uids.has(u))).toEqual([])
    expect(after.uids.size).toBe(STUDIES)
    console.log(`disk full (${onTmpfs ? 'tmpfs of 1200 KiB' : 'RLIMIT_FSIZE 320 KiB'}): stopped after ${before.uids.size}/${STUDIES} images, resumed to ${after.uids.size}`)
  }, 300_000)
  it.skipIf(!canMount)('an images folder that is full while the database still has room: no good file is blamed for the disk', () => {
    const dataDir = path.join(tmp, 'images-disk')
    fs.mkdirSync(dataDir)
    fs.chownSync(dataDir, NOBODY, NOBODY)
    expect(mountSmallDisk(path.join(dataDir, 'images'), '400k')).toBe(true)
    const full = cli(['import', cohort, '--data-dir', dataDir])
    expect(full.status, full.stdout + full.stderr).not.toBe(0)
    expect(full.stderr).toContain(`The data folder ${dataDir} is full (no space left on device, ENOSPC)`)
    expect(full.stdout).not.toMatch(/failed: /)
    const db = new Database(path.join(dataDir, 'vzw.sqlite'), { readonly: true })
    try {
      expect(db.prepare("SELECT count(*) AS n FROM images WHERE status = 'error'").get()).toEqual({ n: 0 })
    } finally {
      db.close()
    }
    const before = stored(dataDir)
    expect(spawnSync('mount', ['-o', 'remount,size=256m', path.join(dataDir, 'images')]).status).toBe(0)
    expect(cli(['import', cohort, '--data-dir', dataDir]).status).toBe(0)
    const after = stored(dataDir)
    lost += [...before.uids].filter((u) => !after.uids.has(u)).length
    expect(after.uids.size).toBe(STUDIES)
  }, 300_000)
})

describe('read-only folders', () => {
  it('a read-only data folder: a clear error naming it, and the library untouched', () => {
    const dataDir = path.join(tmp, 'readonly-data')
    expect(cli(['import', path.join(cohort, 'dicom'), '--data-dir', dataDir]).status).toBe(0)
    const before = stored(dataDir)
    spawnSync('chmod', ['-R', 'a-w', dataDir])
    const r = cli(['import', cohort, '--data-dir', dataDir])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain(`The data folder ${dataDir} is read-only`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    spawnSync('chmod', ['-R', 'u+w', dataDir])
    const after = stored(dataDir)
    expect(after.integrity).toBe('ok')
    expect(after.uids).toEqual(before.uids)
  })

  it('a read-only source imports and is never written; an unreadable folder or file inside it is named', () => {
    const source = path.join(tmp, 'readonly-source')
    fs.cpSync(cohort, source, { recursive: true })
    const folders = fs.readdirSync(path.join(source, 'dicom'))
    const lockedFolder = path.join(source, 'dicom', folders[0])
    const lockedFile = path.join(source, 'dicom', folders[1], fs.readdirSync(path.join(source, 'dicom', folders[1]))[0])
    fs.chmodSync(lockedFile, 0o000)
    fs.chmodSync(lockedFolder, 0o000)
    if (asRoot) spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, source])
    spawnSync('chmod', ['-R', 'a-w', source])
    const listing = () => spawnSync('ls', ['-lAR', '--time-style=full-iso', source], { encoding: 'utf8' }).stdout
    const untouched = listing()
    const r = cli(['import', source, '--data-dir', path.join(tmp, 'data-from-readonly')])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain(lockedFolder)
    expect(r.stdout).toContain(lockedFile)
    expect(r.stdout).toMatch(/permission denied|cannot be read|EACCES/i)
    expect(stored(path.join(tmp, 'data-from-readonly')).uids.size).toBe(STUDIES - 2)
    expect(listing()).toBe(untouched)
  })
})

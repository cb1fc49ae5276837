import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TRAINING_LOCK, acquireTrainingLock } from '../../../src/main/tasks/training-lock'

const dirs: string[] = []
const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-lock-'))
  dirs.push(d)
  return d
}

/**
 * Another live process, holding the folder's lock as a trainer in it would; `bootedAt` is when its
 * machine started (default: when this one did, as a trainer on this machine writes it).
 */
async function otherTrainer(dir: string, bootedAt: number | undefined = Date.now() - os.uptime() * 1000): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  children.push(child)
  await new Promise((resolve) => child.once('spawn', resolve))
  fs.writeFileSync(path.join(dir, TRAINING_LOCK), JSON.stringify({ pid: child.pid, task: 'selfplay.run', since: '2026-11-29T10:00:00.000Z', bootedAt }))
  return child
}

describe('training lock', () => {
  it('is held while training and gone after, so the next trainer takes it', () => {
    const dir = dataDir()
    const release = acquireTrainingLock(dir, 'model.warmup')
    expect(JSON.parse(fs.readFileSync(path.join(dir, TRAINING_LOCK), 'utf8'))).toMatchObject({ pid: process.pid, task: 'model.warmup' })
    release()
    expect(fs.existsSync(path.join(dir, TRAINING_LOCK))).toBe(false)
    acquireTrainingLock(dir, 'selfplay.run')()
  })

  it('refuses a second trainer while another process trains, naming the folder, the process and its task', async () => {
    const dir = dataDir()
    const other = await otherTrainer(dir)
    expect(() => acquireTrainingLock(dir, 'model.warmup')).toThrow(
      `The data folder ${dir} is being trained by another process (pid ${other.pid}, selfplay.run since 2026-11-29T10:00:00.000Z): wait for it to finish or stop it first`
    )
    // The refused trainer leaves the other's lock alone.
    expect(JSON.parse(fs.readFileSync(path.join(dir, TRAINING_LOCK), 'utf8')).pid).toBe(other.pid)
  })

  it('refuses while a live process holds a lock of an older version (no boot time)', async () => {
    const dir = dataDir()
    const other = await otherTrainer(dir, undefined)
    expect(() => acquireTrainingLock(dir, 'model.warmup')).toThrow(`pid ${other.pid}, selfplay.run`)
  })

  it('takes over a lock written before the machine restarted, though its pid is alive again', async () => {
    const dir = dataDir()
    // The pid now belongs to some live process; the lock's boot was three days ago.
    await otherTrainer(dir, Date.now() - os.uptime() * 1000 - 3 * 86_400_000)
    const release = acquireTrainingLock(dir, 'model.warmup')
    const owner = JSON.parse(fs.readFileSync(path.join(dir, TRAINING_LOCK), 'utf8'))
    expect(owner.pid).toBe(process.pid)
    expect(Math.abs(owner.bootedAt - (Date.now() - os.uptime() * 1000))).toBeLessThan(5000)
    release()
  })

  it('takes over the lock of a trainer that was killed', async () => {
    const dir = dataDir()
    const other = await otherTrainer(dir)
    other.kill('SIGKILL')
    await new Promise((resolve) => other.once('exit', resolve))
    const release = acquireTrainingLock(dir, 'model.warmup')
    expect(JSON.parse(fs.readFileSync(path.join(dir, TRAINING_LOCK), 'utf8')).pid).toBe(process.pid)
    release()
  })

  it('takes over a lock file cut short by a crash while it was written', () => {
    const dir = dataDir()
    fs.writeFileSync(path.join(dir, TRAINING_LOCK), '{"pid": 12')
    acquireTrainingLock(dir, 'model.warmup')()
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/api/dispatch'
import { databasePath, openDatabase } from '../../src/main/store/database'
import { getTask } from '../../src/main/store/task-repository'
import type { TaskProgress } from '../../src/shared/contract'
import { tempServices } from '../helpers/temp-services'

let ctx: ReturnType<typeof tempServices>
beforeAll(() => (ctx = tempServices()))
afterAll(() => ctx.cleanup())

describe('long tasks in a child process', () => {
  it('keeps the parent answering API calls while a CPU-heavy task runs, and streams progress', async () => {
    const { services } = ctx
    const progress: TaskProgress[] = []
    services.events.on('task.progress', (e) => progress.push(e.progress))
    const started = await dispatch(services.handlers, 'tasks.startDemo', { upTo: 600_000_000 })
    if (!started.ok) throw new Error(started.error.message)
    const { taskId } = started.value as { taskId: number }

    // Count API calls answered while the task is running; a task on the parent's thread would
    // leave none answered between its first progress event and its end.
    let answeredWhileRunning = 0
    let finished = false
    void services.tasks.whenFinished(taskId).then(() => (finished = true))
    while (!finished) {
      const info = await dispatch(services.handlers, 'app.info', {})
      expect(info.ok).toBe(true)
      if (progress.length > 0 && !finished) answeredWhileRunning++
      await new Promise((r) => setImmediate(r))
    }
    const summary = getTask(services.db, taskId)!
    expect(summary.status).toBe('done')
    expect(summary.result).toEqual({ primes: 31_324_703, upTo: 600_000_000 })
    expect(progress.length).toBeGreaterThanOrEqual(10)
    expect(progress.at(-1)).toMatchObject({ done: 600_000_001, total: 600_000_000 })
    expect(progress.some((p) => p.etaSeconds !== null && p.ratePerSecond !== null)).toBe(true)
    expect(answeredWhileRunning).toBeGreaterThan(progress.length)
  })

  it('cancels a running task and records it as cancelled', async () => {
    const { services } = ctx
    const taskId = services.tasks.start('demo.countPrimes', { upTo: 2_000_000_000 })
    await new Promise<void>((resolve) => {
      const off = services.events.on('task.progress', (e) => {
        if (e.taskId === taskId) {
          off()
          resolve()
        }
      })
    })
    const cancelled = await dispatch(services.handlers, 'tasks.cancel', { taskId })
    expect(cancelled).toEqual({ ok: true, value: { cancelled: true } })
    const summary = await services.tasks.whenFinished(taskId)
    expect(summary?.status).toBe('cancelled')
    expect(summary?.result).toBeNull()
  })

  it('reports a task whose process dies as failed, with a reason', async () => {
    const { services } = ctx
    const taskId = services.tasks.start('demo.countPrimes', { upTo: 2_000_000_000 })
    await new Promise((r) => setTimeout(r, 300))
    // Simulate a crash of the child (out of memory, killed by the OS): kill without cancelling.
    const running = (services.tasks as unknown as { running: Map<number, { process: { kill(): void } }> }).running
    running.get(taskId)!.process.kill()
    const summary = await services.tasks.whenFinished(taskId)
    expect(summary?.status).toBe('failed')
    expect(summary?.error).toMatch(/stopped unexpectedly/)
  })

  it('records the tasks still running when the app quits as interrupted, and ignores what their processes send after', async () => {
    const own = tempServices()
    const taskId = own.services.tasks.start('demo.countPrimes', { upTo: 2_000_000_000 })
    await new Promise<void>((resolve) => own.services.events.on('task.progress', () => resolve()))
    const after: string[] = []
    own.services.events.on('task.finished', (e) => after.push(e.status))
    const exited = new Promise<void>((resolve) => {
      const running = (own.services.tasks as unknown as { running: Map<number, { process: { onExit(cb: () => void): void } }> }).running
      running.get(taskId)!.process.onExit(() => resolve())
    })
    own.services.close() // stops every task, then closes the database
    await exited
    await new Promise((r) => setTimeout(r, 100))
    expect(after).toEqual([])
    const db = openDatabase(databasePath(own.dataDir))
    try {
      expect(getTask(db, taskId)).toMatchObject({ status: 'interrupted', error: 'The app was closed while the task ran' })
    } finally {
      db.close()
      own.cleanup()
    }
  })
})

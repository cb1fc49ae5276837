import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { TaskProgress } from '../../src/shared/contract'
import { createServices, type Services } from '../../src/main/app/services'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'

let services: Services | null = null
let dataDir = ''

afterEach(() => {
  services?.close()
  services = null
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

/**
 * Acceptance 2 of the engine, run the way the app runs it: the 'engine.selfTest' task trains a
 * 2-layer transformer LM with the fused AdamW step inside a task child process started by the
 * runner, and the loss on the determined tokens falls below 0.1.
 */
it('trains a 2-layer transformer LM to loss < 0.1 with the fused step in a task child process', async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-engine-'))
  services = createServices({ dataDir, shell: 'cli', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
  const progress: TaskProgress[] = []
  services.events.on('task.progress', (e) => progress.push(e.progress))
  const id = services.tasks.start('engine.selfTest', { layers: 2, steps: 250, executionProvider: 'cpu', intraOpThreads: 1 })
  const summary = await services.tasks.whenFinished(id)
  expect(summary?.error ?? null).toBeNull()
  expect(summary?.status).toBe('done')
  const result = summary?.result as { provider: string; firstLoss: number; finalLoss: number; finalAccuracy: number; steps: number }
  console.log(`engine self-test in child process: loss ${result.firstLoss.toFixed(3)} → ${result.finalLoss.toFixed(4)}, accuracy ${result.finalAccuracy}`)
  expect(result.provider).toBe('cpu')
  expect(result.steps).toBe(250)
  expect(result.firstLoss).toBeGreaterThan(2)
  expect(result.finalLoss).toBeLessThan(0.1)
  expect(result.finalAccuracy).toBeGreaterThan(0.95)
  expect(progress.at(-1)?.done).toBe(250)
  expect(progress.at(-1)?.message).toMatch(/^loss \d/)
})

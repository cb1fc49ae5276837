import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { _electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'

// Runs only where ELECTRON_EXEC_PATH names an Electron binary; none can be downloaded offline.
const electronPath = process.env.ELECTRON_EXEC_PATH

describe.skipIf(!electronPath)('the Electron app (skipped: set ELECTRON_EXEC_PATH to an Electron 45 binary to run it)', () => {
  it('opens a sandboxed window whose renderer reaches app.info only through window.api', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-electron-'))
    const app = await _electron.launch({ executablePath: electronPath!, args: ['out/main/index.js', '--data-dir', dataDir] })
    try {
      const win = await app.firstWindow()
      expect(await win.title()).toBe('Vision-Zero Workstation')
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
      const info = await win.evaluate(() => window.api!.app.info())
      expect(info.dataDir).toBe(dataDir)
      expect(info.runtime.shell).toBe('electron')
      expect(win.url()).toMatch(/^app:\/\/app\//)
    } finally {
      await app.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

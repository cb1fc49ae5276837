import { afterAll, beforeAll, expect, vi } from 'vitest'
import { tempDataDir } from '../../helpers/temp-services'
import { becomeReady, BrowserWindow, recorded, type FakeWebContents } from './fake-electron'

/**
 * Starts the Electron adapter (src/main/index.ts, and the preload when asked) once for a test file,
 * against the recording fake of `electron` (the file must `vi.mock('electron', …)`), in a temp
 * data folder; quits it after the file's tests. The getters read what the adapter built.
 */
export function adapterUnderTest(options: { preload?: boolean; afterQuit?: () => void } = {}): { contents(): FakeWebContents; dataDir(): string } {
  let data: ReturnType<typeof tempDataDir>
  let contents: FakeWebContents
  beforeAll(async () => {
    data = tempDataDir()
    process.env.VZW_DATA_DIR = data.dir
    await import('../../../src/main/index')
    if (options.preload) await import('../../../src/preload/index')
    becomeReady()
    await vi.waitFor(() => expect(recorded.windows.length).toBe(1))
    contents = BrowserWindow.all[0].webContents
  })
  afterAll(() => {
    for (const l of recorded.appListeners.get('will-quit') ?? []) (l as () => void)()
    delete process.env.VZW_DATA_DIR
    data.cleanup()
    options.afterQuit?.()
  })
  return { contents: () => contents, dataDir: () => data.dir }
}

import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { adapterUnderTest } from './adapter-under-test'
import { recorded } from './fake-electron'

vi.mock('electron', () => import('./fake-electron'))

// The Electron adapter, run under Node against a recording fake of `electron`: these tests check
// what it actually configures (REFERENCE B §4), not what a document says it should.
const adapter = adapterUnderTest()

const webPreferences = () => recorded.windows[0].options.webPreferences as Record<string, unknown>

describe('the Electron adapter', () => {
  it('sandboxes every renderer, isolates the context and gives it no Node', () => {
    expect(recorded.sandboxEnabled).toBe(true)
    expect(webPreferences()).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false
    })
    expect(webPreferences()).not.toHaveProperty('enableBlinkFeatures')
    expect(String(webPreferences().preload)).toMatch(/preload[\\/]index\.js$/)
  })

  it('loads the renderer from the app:// protocol, never file://', () => {
    expect(recorded.windows[0].loaded).toEqual(['app://app/index.html'])
    expect(recorded.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }])
  })

  it('serves only the renderer folder over app:// and sends the strict CSP', async () => {
    const handler = recorded.protocolHandlers.get('app')!
    for (const escape of ['app://app/..%2F..%2Fpackage.json', 'app://app/..%2Fmain%2Findex.ts', 'app://app/%2e%2e/%2e%2e/README.md']) {
      const outside = await handler(new Request(escape))
      expect(outside.status, escape).toBeGreaterThanOrEqual(400)
      expect(await outside.text()).not.toMatch(/electron|Vision-Zero/)
    }
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404)
    const page = await handler(new Request('app://app/index.html'))
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(csp).toContain("frame-ancestors 'none'")
  })

  it('denies every permission request, check and device', () => {
    let granted: boolean | undefined
    ;(recorded.permissionRequestHandler as (wc: unknown, p: string, cb: (g: boolean) => void) => void)({}, 'media', (g) => (granted = g))
    expect(granted).toBe(false)
    expect((recorded.permissionCheckHandler as () => boolean)()).toBe(false)
    expect((recorded.devicePermissionHandler as () => boolean)()).toBe(false)
  })

  it('cancels every request that is not the app itself (the app is offline)', () => {
    const verdict = (url: string) => {
      let cancel: boolean | undefined
      recorded.beforeRequest!({ url }, (r) => (cancel = r.cancel))
      return cancel
    }
    expect(verdict('https://example.com/telemetry')).toBe(true)
    expect(verdict('http://127.0.0.1:8080/')).toBe(true)
    expect(verdict('ws://evil.example/')).toBe(true)
    expect(verdict('file:///etc/passwd')).toBe(true)
    expect(verdict('app://app/assets/index.js')).toBe(false)
  })

  it('denies navigation away from the app, new windows and webviews', () => {
    const navigate = (event: string, url: string) => {
      let prevented = false
      adapter.contents().emit(event, { preventDefault: () => (prevented = true) }, url)
      return prevented
    }
    expect(navigate('will-navigate', 'https://evil.example/')).toBe(true)
    expect(navigate('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true)
    expect(navigate('will-navigate', 'app://app/index.html#/review')).toBe(false)
    expect(adapter.contents().windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(adapter.contents().windowOpenHandler!({ url: 'app://app/index.html' })).toEqual({ action: 'deny' })
    let webviewPrevented = false
    adapter.contents().emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) })
    expect(webviewPrevented).toBe(true)
  })

  it('answers IPC only from the app’s own frame, through the validating dispatcher', async () => {
    const invoke = recorded.ipcHandlers.get('vzw:invoke') as (e: unknown, m: unknown, i: unknown) => Promise<{ ok: boolean; error?: { message: string } }>
    const fromApp = await invoke({ senderFrame: { url: 'app://app/index.html' } }, 'app.info', {})
    expect(fromApp.ok).toBe(true)
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', undefined]) {
      const refused = await invoke({ senderFrame: url ? { url } : null }, 'app.info', {})
      expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/did not come from the app/) } })
    }
    expect(await invoke({ senderFrame: { url: 'app://app/' } }, 'settings.set', { language: 'xx' })).toMatchObject({ ok: false })
  })

  it('offers the native folder dialog; a page may import only what it picked (or data roots)', async () => {
    const invoke = recorded.ipcHandlers.get('vzw:invoke') as (e: unknown, m: unknown, i: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>
    const app = { senderFrame: { url: 'app://app/index.html' } }
    expect(await invoke(app, 'import.chooseFolders', {})).toEqual({ ok: true, value: { available: true, folders: [] } })
    recorded.dialogAnswer = { canceled: false, filePaths: [adapter.dataDir()] }
    expect(await invoke(app, 'import.chooseFolders', {})).toEqual({ ok: true, value: { available: true, folders: [adapter.dataDir()] } })
    expect(recorded.openDialogs.at(-1)).toEqual({ properties: ['openDirectory', 'multiSelections'] })
    const elsewhere = path.dirname(adapter.dataDir())
    expect(await invoke(app, 'import.start', { roots: [elsewhere] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/outside the data roots/) } })
  })

  it('never opens external links and never imports electron below the adapter', () => {
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else if (/\.(ts|svelte)$/.test(e.name)) files.push(p)
      }
    }
    walk('src')
    const offenders = files.filter((f) => /openExternal/.test(fs.readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
    const electronImporters = files.filter((f) => /from 'electron'/.test(fs.readFileSync(f, 'utf8'))).map((f) => f.split(path.sep).join('/'))
    expect(electronImporters.sort()).toEqual(['src/main/index.ts', 'src/preload/index.ts'])
  })
})

/**
 * The Electron adapter: the only file that imports `electron`. It creates the window with the
 * security settings of REFERENCE B §4, serves the renderer from `app://app`, forwards IPC to the
 * shared handler map, and runs long tasks in utilityProcess children.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, utilityProcess, type WebContents } from 'electron'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { dispatch } from './api/dispatch'
import { resolveDataDir } from './app/data-dir'
import { createServices, type Services } from './app/services'
import type { FromChild, SpawnTaskProcess } from './tasks/protocol'
import { APP_HOST, APP_ORIGIN, rendererCspHeader } from './app/renderer-policy'

const rendererRoot = path.join(__dirname, '../renderer')
const devRendererUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }
])
app.enableSandbox()

function dataDirFlag(): string | undefined {
  const { values } = parseArgs({ args: process.argv.slice(1), options: { 'data-dir': { type: 'string' } }, strict: false })
  return typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined
}

function utilityTaskProcess(entry: string): SpawnTaskProcess {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Vision-Zero task', stdio: 'inherit' })
    return {
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (m: FromChild) => listener(m)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => void child.kill()
    }
  }
}

/** Serves files of the built renderer under app://app/, never outside its folder. */
function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url)
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 })
    const file = path.resolve(rendererRoot, '.' + path.posix.normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)))
    if (!file.startsWith(rendererRoot + path.sep)) return new Response('Forbidden', { status: 403 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', rendererCspHeader)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}

/** The app is offline: every request that is not the app itself or devtools is cancelled. */
function lockDownSession(): void {
  const s = session.defaultSession
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  s.setPermissionCheckHandler(() => false)
  s.setDevicePermissionHandler(() => false)
  s.setDisplayMediaRequestHandler((_request, callback) => callback({}))
  s.webRequest.onBeforeRequest((details, callback) => {
    const allowed =
      details.url.startsWith(`${APP_ORIGIN}/`) ||
      details.url.startsWith('devtools://') ||
      (devRendererUrl !== undefined && details.url.startsWith(new URL(devRendererUrl).origin))
    callback({ cancel: !allowed })
  })
}

/**
 * True for the app's own pages. Compared by scheme and host: Node's URL gives custom schemes an
 * opaque origin ("null"), so an origin comparison would refuse the app itself.
 */
function trustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  if (url.protocol === 'app:' && url.host === APP_HOST) return true
  return devRendererUrl !== undefined && url.origin === new URL(devRendererUrl).origin
}

function wireIpc(services: Services): void {
  ipcMain.handle('vzw:invoke', (event, method: unknown, input: unknown) => {
    if (!trustedSender(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'failed', message: 'Refused: the request did not come from the app' } }
    }
    return dispatch(services.handlers, method, input)
  })
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!trustedSender(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!trustedSender(url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

function createWindow(services: Services): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    backgroundColor: '#0f1115',
    title: 'Vision-Zero Workstation',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  const forward = services.events.onAny((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send('vzw:event', event, payload)
  })
  win.on('closed', forward)
  void win.loadURL(devRendererUrl ?? `${APP_ORIGIN}/index.html`)
  return win
}

app.on('web-contents-created', (_event, contents) => hardenContents(contents))

void app.whenReady().then(() => {
  const services = createServices({
    dataDir: resolveDataDir(dataDirFlag()),
    shell: 'electron',
    spawnTaskProcess: utilityTaskProcess(path.join(__dirname, 'task-child.js')),
    chooseFolders: async () => {
      const window = BrowserWindow.getFocusedWindow()
      const options = { properties: ['openDirectory', 'multiSelections'] as ('openDirectory' | 'multiSelections')[] }
      const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      return picked.canceled ? [] : picked.filePaths
    }
  })
  serveRenderer()
  lockDownSession()
  wireIpc(services)
  createWindow(services)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(services)
  })
  app.on('will-quit', () => services.close())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

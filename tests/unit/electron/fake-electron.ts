/**
 * A recording stand-in for the `electron` module: the adapter (src/main/index.ts) runs against it
 * under plain Node, and the tests inspect every security-relevant call it made.
 */
import { EventEmitter } from 'node:events'

type Listener = (...args: never[]) => unknown

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  sent: unknown[][] = []
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
  send(...args: unknown[]) {
    this.sent.push(args)
  }
}

export const recorded = {
  sandboxEnabled: false,
  privilegedSchemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
  ipcHandlers: new Map<string, Listener>(),
  permissionRequestHandler: null as null | Listener,
  permissionCheckHandler: null as null | Listener,
  devicePermissionHandler: null as null | Listener,
  displayMediaHandler: null as null | Listener,
  beforeRequest: null as null | ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void),
  appListeners: new Map<string, Listener[]>(),
  openDialogs: [] as Record<string, unknown>[],
  /** What the preload put on `window` through contextBridge, by key. */
  exposedInMainWorld: new Map<string, unknown>(),
  /** Channels the preload invoked and listened on. */
  rendererInvokes: [] as unknown[][],
  rendererListeners: new Map<string, Listener[]>(),
  /** What the next folder dialog answers. */
  dialogAnswer: { canceled: true, filePaths: [] as string[] }
}

let resolveReady: () => void = () => undefined
const ready = new Promise<void>((r) => (resolveReady = r))

export const app = {
  isPackaged: true,
  enableSandbox: () => void (recorded.sandboxEnabled = true),
  whenReady: () => ready,
  on(event: string, listener: Listener) {
    recorded.appListeners.set(event, [...(recorded.appListeners.get(event) ?? []), listener])
  },
  quit: () => undefined
}

/** Lets the adapter's whenReady() continue once the test has set up the environment. */
export function becomeReady(): void {
  resolveReady()
}

export const protocol = {
  registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) => void recorded.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void recorded.protocolHandlers.set(scheme, handler)
}

export const net = {
  fetch: async (url: string) => {
    const fs = await import('node:fs')
    const file = new URL(url)
    try {
      return new Response(fs.readFileSync(file), { status: 200, headers: { 'content-type': 'text/html' } })
    } catch {
      return new Response('missing', { status: 404 })
    }
  }
}

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: Listener) => void (recorded.permissionRequestHandler = h),
    setPermissionCheckHandler: (h: Listener) => void (recorded.permissionCheckHandler = h),
    setDevicePermissionHandler: (h: Listener) => void (recorded.devicePermissionHandler = h),
    setDisplayMediaRequestHandler: (h: Listener) => void (recorded.displayMediaHandler = h),
    webRequest: { onBeforeRequest: (h: typeof recorded.beforeRequest) => void (recorded.beforeRequest = h) }
  }
}

export const ipcMain = {
  handle: (channel: string, handler: Listener) => void recorded.ipcHandlers.set(channel, handler)
}

export class BrowserWindow {
  static all: BrowserWindow[] = []
  static getAllWindows = () => BrowserWindow.all
  static getFocusedWindow = () => BrowserWindow.all[0] ?? null
  readonly webContents = new FakeWebContents()
  private readonly entry: { options: Record<string, unknown>; loaded: string[] }
  private closedListeners: (() => void)[] = []
  constructor(options: Record<string, unknown>) {
    this.entry = { options, loaded: [] }
    recorded.windows.push(this.entry)
    BrowserWindow.all.push(this)
    for (const l of recorded.appListeners.get('web-contents-created') ?? []) (l as (e: unknown, c: FakeWebContents) => void)({}, this.webContents)
  }
  loadURL(url: string) {
    this.entry.loaded.push(url)
    return Promise.resolve()
  }
  isDestroyed() {
    return false
  }
  on(event: string, listener: () => void) {
    if (event === 'closed') this.closedListeners.push(listener)
  }
}

export const dialog = {
  showOpenDialog: async (...args: unknown[]) => {
    recorded.openDialogs.push(args[args.length - 1] as Record<string, unknown>)
    return recorded.dialogAnswer
  }
}

export const utilityProcess = {
  fork: () => {
    throw new Error('utilityProcess is not used by these tests')
  }
}

export const shell = {
  openExternal: () => {
    throw new Error('shell.openExternal must never be called')
  }
}

export const contextBridge = {
  exposeInMainWorld: (key: string, value: unknown) => void recorded.exposedInMainWorld.set(key, value)
}

export const ipcRenderer = {
  invoke: (...args: unknown[]) => {
    recorded.rendererInvokes.push(args)
    return Promise.resolve({ ok: true, value: null })
  },
  on: (channel: string, listener: Listener) => void recorded.rendererListeners.set(channel, [...(recorded.rendererListeners.get(channel) ?? []), listener]),
  removeListener: (channel: string, listener: Listener) =>
    void recorded.rendererListeners.set(channel, (recorded.rendererListeners.get(channel) ?? []).filter((l) => l !== listener))
}

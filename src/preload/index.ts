/**
 * Exposes exactly the contract as `window.api` (typed, namespaced methods and `on` for events),
 * each method a thin `ipcRenderer.invoke`. No raw ipcRenderer, no Node objects cross the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createApi } from '../shared/client'
import type { Envelope } from '../shared/contract'

const api = createApi({
  invoke: (method, input) => ipcRenderer.invoke('vzw:invoke', method, input) as Promise<Envelope<unknown>>,
  subscribe: (event, listener) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on('vzw:event', handler)
    return () => void ipcRenderer.removeListener('vzw:event', handler)
  }
})

contextBridge.exposeInMainWorld('api', api)

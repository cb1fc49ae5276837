import { createApi, type Api, type Transport } from '../../../shared/client'
import type { Envelope, EventName } from '../../../shared/contract'

/**
 * The renderer's one way to the main side: `window.api` from the Electron preload, or the same
 * contract over the loopback web host's WebSocket in browser mode.
 */
export const api: Api = window.api ?? createApi(webSocketTransport())

/** The per-launch token comes in the URL once; it is kept for reloads of this tab only. */
function hostToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token')
  if (fromUrl) {
    sessionStorage.setItem('vzw-token', fromUrl)
    history.replaceState(null, '', location.pathname + location.hash)
    return fromUrl
  }
  return sessionStorage.getItem('vzw-token') ?? ''
}

export type ConnectionState = 'connecting' | 'open' | 'closed'
const connectionListeners = new Set<(state: ConnectionState) => void>()
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  connectionListeners.add(listener)
  return () => connectionListeners.delete(listener)
}

function webSocketTransport(): Transport {
  const socket = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(hostToken())}`)
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve())
    socket.addEventListener('error', () => reject(new Error('The app server refused the connection')))
  })
  const setState = (s: ConnectionState) => connectionListeners.forEach((l) => l(s))
  socket.addEventListener('open', () => setState('open'))
  socket.addEventListener('close', () => setState('closed'))
  let nextId = 1
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as
      | { id: number; envelope: Envelope<unknown> }
      | { event: EventName; payload: unknown }
    if ('event' in data) listeners.get(data.event)?.forEach((l) => l(data.payload))
    else {
      pending.get(data.id)?.(data.envelope)
      pending.delete(data.id)
    }
  })
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'failed', message: 'Connection to the app server closed' } })
    pending.clear()
  })
  return {
    async invoke(method, input) {
      await ready
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, method, input }))
      })
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    }
  }
}

import type { EventName, EventPayload } from '../../shared/contract'

type Listener = (payload: never) => void

/** Typed in-process events; the Electron adapter and the web host forward them to renderers. */
export class EventBus {
  private readonly listeners = new Map<EventName, Set<Listener>>()
  private readonly allListeners = new Set<(event: EventName, payload: unknown) => void>()

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener as Listener)
    this.listeners.set(event, set)
    return () => set.delete(listener as Listener)
  }

  /** Every event, for transports that forward all of them. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.allListeners.add(listener)
    return () => this.allListeners.delete(listener)
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) (l as (p: EventPayload<E>) => void)(payload)
    for (const l of this.allListeners) l(event, payload)
  }
}

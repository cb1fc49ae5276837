import {
  ApiError,
  methodNames,
  type Envelope,
  type EventName,
  type EventPayload,
  type Input,
  type MethodName,
  type Output
} from './contract'

/** How a client reaches the handler map: Electron IPC (preload) or the web host's WebSocket. */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

type NamespaceOf<M> = M extends `${infer N}.${string}` ? N : never
// Methods whose input has no required field may be called with no argument.
type Args<M extends MethodName> = {} extends Input<M> ? [input?: Input<M>] : [input: Input<M>]

/** `api.settings.set({ language: 'zh-CN' })` for the method 'settings.set'. */
export type Api = {
  [N in NamespaceOf<MethodName>]: {
    [M in MethodName as M extends `${N}.${infer F}` ? F : never]: (...args: Args<M>) => Promise<Output<M>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Builds the nested, typed API from the contract's method list over any transport. */
export function createApi(transport: Transport): Api {
  const api: Record<string, Record<string, unknown>> = {}
  for (const method of methodNames) {
    const [ns, fn] = method.split('.') as [string, string]
    api[ns] ??= {}
    api[ns][fn] = async (input?: unknown) => unwrap(await transport.invoke(method, input ?? {}))
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => transport.subscribe(event, listener)
  return Object.assign(api, { on }) as unknown as Api
}

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  throw new ApiError(envelope.error.code, envelope.error.message)
}

import { z } from 'zod'
import {
  ApiError,
  isMethodName,
  methods,
  type Envelope,
  type MethodName,
  type Output,
  type ValidInput
} from '../../shared/contract'

export type Handlers = { [M in MethodName]: (input: ValidInput<M>) => Promise<Output<M>> | Output<M> }

/** Largest serialized input any method accepts; bigger payloads are refused before parsing. */
export const MAX_INPUT_BYTES = 1 << 20
/** Deepest nesting any method's input has is a handful of levels; far deeper is an attack. */
const MAX_INPUT_DEPTH = 32

/**
 * The one entry for every transport: checks the method name and the input against the contract,
 * runs the handler, checks its output, and turns any failure into an error envelope.
 */
export async function dispatch(handlers: Handlers, method: unknown, rawInput: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isMethodName(method)) throw new ApiError('unknown_method', `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}`)
    const value = await call(handlers, method, rawInput)
    return { ok: true, value }
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: { code: err.code, message: err.message } }
    return { ok: false, error: { code: 'failed', message: err instanceof Error ? err.message : String(err) } }
  }
}

/** Refuses inputs too deep or too large before anything recursive (zod, JSON) touches them. */
function checkInputBounds(method: string, rawInput: unknown): void {
  if (nestingDepth(rawInput) > MAX_INPUT_DEPTH) throw new ApiError('invalid_input', `${method}: input nested deeper than ${MAX_INPUT_DEPTH} levels`)
  const size = JSON.stringify(rawInput ?? {})?.length ?? 0
  if (size > MAX_INPUT_BYTES) throw new ApiError('invalid_input', `${method}: input of ${size} bytes is over the ${MAX_INPUT_BYTES}-byte limit`)
}

/** Iterative, so a hostile input cannot overflow the stack while being measured. */
function nestingDepth(value: unknown): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    deepest = Math.max(deepest, depth)
    if (deepest > MAX_INPUT_DEPTH) break
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return deepest
}

async function call<M extends MethodName>(handlers: Handlers, method: M, rawInput: unknown): Promise<Output<M>> {
  checkInputBounds(method, rawInput)
  const spec = methods[method]
  const parsed = spec.input.safeParse(rawInput ?? {})
  if (!parsed.success) throw new ApiError('invalid_input', `${method}: ${z.prettifyError(parsed.error)}`)
  const handler = handlers[method] as (input: unknown) => Promise<Output<M>> | Output<M>
  const output = await handler(parsed.data)
  return spec.output.parse(output) as Output<M>
}

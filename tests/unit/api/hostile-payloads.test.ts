import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/main/api/dispatch'
import { methodNames, methods } from '../../../src/shared/contract'
import { tempServices } from '../../helpers/temp-services'

let ctx: ReturnType<typeof tempServices>
beforeAll(() => (ctx = tempServices()))
afterAll(() => ctx.cleanup())

function deep(n: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < n; i++) v = { a: v }
  return v
}

/** Inputs a compromised or buggy renderer could send; none is valid for a method that takes fields. */
const hostile: unknown[] = [
  null,
  'string',
  42,
  [],
  [1, 2],
  { sql: 'DROP TABLE studies' },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  { path: '../../etc/passwd' },
  { huge: 'x'.repeat(2 << 20) },
  deep(5000),
  { taskId: -1 },
  { taskId: 1e308 },
  { upTo: Number.NaN }
]

describe('every handler under hostile payloads', () => {
  it.each(methodNames)('%s answers with a clear error envelope and never crashes', async (method) => {
    for (const input of hostile) {
      const envelope = await dispatch(ctx.services.handlers, method, input)
      const acceptsEmpty = methods[method].input.safeParse({}).success
      if (envelope.ok) {
        // Only a method whose input has no required field may accept junk that zod strips.
        expect(acceptsEmpty, `${method} accepted ${JSON.stringify(input)?.slice(0, 60)}`).toBe(true)
      } else {
        expect(envelope.error.code).toMatch(/invalid_input|not_found/)
        expect(envelope.error.message.length).toBeGreaterThan(0)
        expect(envelope.error.message.length).toBeLessThan(4000)
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    // The service is still healthy afterwards.
    expect((await dispatch(ctx.services.handlers, 'app.info', {})).ok).toBe(true)
  })
})

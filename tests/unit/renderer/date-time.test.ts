import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDateTime } from '../../../src/renderer/src/lib/date-time'

const zone = process.env.TZ
beforeAll(() => {
  process.env.TZ = 'Asia/Shanghai'
})
afterAll(() => {
  if (zone === undefined) delete process.env.TZ
  else process.env.TZ = zone
})

describe('times shown on the pages', () => {
  it('shows a stored UTC instant in the workstation’s own time zone, not as stored', () => {
    expect(localDateTime('2026-12-03T08:13:46.503Z')).toBe('2026-12-03 16:13')
    expect(localDateTime('2026-12-31T20:05:00.000Z')).toBe('2027-01-01 04:05')
  })

  it('shows one year-first form whatever the page’s language (no 12/3/2026, 9:40 AM)', () => {
    expect(localDateTime('2026-01-05T01:02:00Z')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  })

  it('shows a value that is no time as it is', () => {
    expect(localDateTime('unknown')).toBe('unknown')
  })
})

import { expect, it } from 'vitest'
import { phaseProgress, ProgressMeter } from '../../../src/main/tasks/progress'
import type { TaskProgress } from '../../../src/shared/contract'

/** A clock the test moves by hand, in milliseconds. */
function clock() {
  let t = 1000
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

it('measures the rate from the start, and the ETA from what is left', () => {
  const c = clock()
  const meter = new ProgressMeter(100, 'steps', c.now)
  c.advance(2000)
  const p = meter.update(10)
  expect(p.ratePerSecond).toBeCloseTo(5, 6)
  expect(p.etaSeconds).toBeCloseTo(18, 6)
})

it('does not count work done before the meter started (a resumed run) toward the rate', () => {
  const c = clock()
  const meter = new ProgressMeter(1000, 'rounds', c.now, 400)
  c.advance(1)
  const first = meter.update(400, 'resumed')
  expect(first.done).toBe(400)
  expect(first.ratePerSecond).toBeNull()
  expect(first.etaSeconds).toBeNull()
  c.advance(9_999)
  const next = meter.update(402)
  expect(next.ratePerSecond).toBeCloseTo(0.2, 6)
  expect(next.etaSeconds).toBeCloseTo(2990, 3)
})

it('a phase starts its clock at its first report: one step a second reads as one step a second', async () => {
  const c = clock()
  const realNow = performance.now
  const reports: TaskProgress[] = []
  performance.now = c.now
  try {
    const report = phaseProgress({ progress: (p) => reports.push(p), yieldToEvents: async () => {} }, 'steps')
    for (let step = 1; step <= 5; step++) {
      c.advance(1000)
      await report(step, 500)
    }
  } finally {
    performance.now = realNow
  }
  expect(reports[0].ratePerSecond).toBeNull()
  for (const r of reports.slice(1)) expect(r.ratePerSecond).toBeCloseTo(1, 6)
  expect(reports[4].etaSeconds).toBeCloseTo(495, 3)
})

it('many reports without progress in a few seconds barely move the rate; a long stall lowers it', () => {
  const c = clock()
  const meter = new ProgressMeter(2, 'seeds', c.now)
  c.advance(600_000)
  expect(meter.update(0.5).ratePerSecond).toBeCloseTo(0.5 / 600, 9)
  // Scoring: a report per batch, forty in ten seconds, none adding to the seed fraction.
  let p: TaskProgress = meter.update(0.5)
  for (let i = 0; i < 40; i++) {
    c.advance(250)
    p = meter.update(0.5)
  }
  expect(p.ratePerSecond!).toBeGreaterThan(0.8 * (0.5 / 600))
  expect(p.etaSeconds!).toBeLessThan(1.25 * 1800)
  // Ten minutes without progress: the rate has fallen, the ETA grown.
  c.advance(600_000)
  const stalled = meter.update(0.5)
  expect(stalled.ratePerSecond!).toBeLessThan(0.01 * (0.5 / 600))
})

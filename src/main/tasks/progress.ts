import type { TaskProgress } from '../../shared/contract'

/**
 * How long the rate remembers, in seconds. The average weighs reports by the time they cover, not
 * by their number: many reports without progress in a few seconds (an experiment scoring its
 * held-out images reports each batch at the same seed fraction) used to shrink a per-report average
 * toward zero and showed an ETA of millions of hours.
 */
const RATE_MEMORY_SECONDS = 60

/**
 * Turns "done so far" into a progress record with a smoothed rate and an ETA. The rate is an
 * exponential moving average over time so one slow chunk does not make the ETA jump.
 */
export class ProgressMeter {
  private readonly startedAt: number
  private lastAt: number
  private lastDone: number
  private rate: number | null = null

  /**
   * `startDone`: work already done when the meter starts (a resumed run's rounds, or a phase whose
   * first report is also the meter's start): it counts toward the total, never toward the rate.
   */
  constructor(
    private total: number | null,
    private readonly unit: string,
    private readonly now: () => number = () => performance.now(),
    startDone = 0
  ) {
    this.startedAt = this.lastAt = now()
    this.lastDone = startDone
  }

  /** The total as now known, for work counted as it is found (the reports of files read so far). */
  setTotal(total: number | null): void {
    this.total = total
  }

  update(done: number, message: string | null = null): TaskProgress {
    const t = this.now()
    const dt = (t - this.lastAt) / 1000
    // The first rate comes from the first work measured; a zero before it would drag the average down.
    if (dt > 0 && (this.rate !== null || done > this.lastDone)) {
      const instant = (done - this.lastDone) / dt
      this.rate = this.rate === null ? instant : this.rate + (1 - Math.exp(-dt / RATE_MEMORY_SECONDS)) * (instant - this.rate)
      this.lastAt = t
      this.lastDone = done
    }
    const rate = this.rate !== null && this.rate > 0 ? this.rate : null
    const etaSeconds = this.total !== null && rate !== null ? Math.max(0, (this.total - done) / rate) : null
    return { done, total: this.total, unit: this.unit, message, ratePerSecond: rate, etaSeconds }
  }

  elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000
  }
}

/**
 * Progress of one phase of a task body: the meter starts at the phase's first report (so its rate
 * counts only this phase), each report goes to the parent, and the child then reads its messages
 * (cancel) before the next chunk of work.
 */
export function phaseProgress(
  ctx: { progress(progress: TaskProgress): void; yieldToEvents(): Promise<void> },
  unit: string
): (done: number, total: number, message?: string | null) => Promise<void> {
  let meter: ProgressMeter | null = null
  return async (done, total, message = null) => {
    // A phase reports after its first chunk: that report starts the clock (its chunk's time is unknown).
    meter ??= new ProgressMeter(total, unit, undefined, done)
    ctx.progress(meter.update(done, message))
    await ctx.yieldToEvents()
  }
}

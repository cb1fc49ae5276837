import type { TaskContext } from './registry'
import { ProgressMeter } from './progress'

/**
 * The demonstration long task: counts primes up to `upTo` with a segmented sieve, in segments
 * small enough that progress and cancellation are checked often. CPU-bound on purpose: it shows
 * that long work in the child process never stalls the parent's API.
 */
export async function countPrimes(params: { upTo: number }, ctx: TaskContext): Promise<{ primes: number; upTo: number }> {
  const { upTo } = params
  const segment = 1 << 20
  const basePrimes = smallPrimes(Math.floor(Math.sqrt(upTo)) + 1)
  const meter = new ProgressMeter(upTo, 'numbers')
  let count = 0
  const sieve = new Uint8Array(segment)
  for (let low = 0; low <= upTo; low += segment) {
    if (ctx.signal.aborted) throw ctx.signal.reason
    const high = Math.min(low + segment - 1, upTo)
    count += countSegment(sieve, low, high, basePrimes)
    ctx.progress(meter.update(high + 1))
    await ctx.yieldToEvents()
  }
  return { primes: count, upTo }
}

function smallPrimes(limit: number): number[] {
  const composite = new Uint8Array(limit + 1)
  const primes: number[] = []
  for (let i = 2; i <= limit; i++) {
    if (composite[i]) continue
    primes.push(i)
    for (let j = i * i; j <= limit; j += i) composite[j] = 1
  }
  return primes
}

function countSegment(sieve: Uint8Array, low: number, high: number, basePrimes: number[]): number {
  const len = high - low + 1
  sieve.fill(0, 0, len)
  for (const p of basePrimes) {
    if (p * p > high) break
    let start = Math.max(p * p, Math.ceil(low / p) * p)
    for (let j = start; j <= high; j += p) sieve[j - low] = 1
  }
  let count = 0
  for (let i = 0; i < len; i++) if (!sieve[i] && low + i >= 2) count++
  return count
}

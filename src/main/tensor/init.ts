import type { ParamSpec } from './graph'

/** A small seeded generator (mulberry32): the same seed gives the same weights on every machine. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  int(n: number): number {
    return Math.floor(this.next() * n)
  }
}

/** Fresh weights for every parameter, by name, drawn from `seed`. */
export function initParams(params: readonly ParamSpec[], seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed)
  const out = new Map<string, Float32Array>()
  for (const p of params) {
    const n = p.shape.reduce((a, b) => a * b, 1)
    const data = new Float32Array(n)
    if (p.init.kind === 'ones') data.fill(1)
    else if (p.init.kind === 'normal') for (let i = 0; i < n; i++) data[i] = rng.normal() * p.init.std
    out.set(p.value.name, data)
  }
  return out
}

/**
 * Seeded randomness for the synthetic cohort. Everything the generator makes (anatomy, nodules,
 * report wording, UIDs, detector noise) is drawn from streams derived from the cohort seed, so the
 * same seed gives the same bytes on every machine and in any worker order.
 */

/** Mixes any list of numbers and strings into a 32-bit seed (FNV-1a, then a murmur finaliser). */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5
  for (const part of parts) {
    const text = typeof part === 'number' ? `#${part}` : `$${part}`
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
    h ^= 0xff
    h = Math.imul(h, 0x01000193)
  }
  return finalMix(h)
}

/** Murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function finalMix(value: number): number {
  let h = value
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A small, fast generator (mulberry32) with the draws the generator needs. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next()
  }

  /** An integer in [low, high], both ends included. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next()
    const v = this.next()
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items to pick from')
    return items[Math.floor(this.next() * items.length)]
  }

  /** Picks by weight: `weighted([['a', 3], ['b', 1]])` gives 'a' three times as often. */
  weighted<T>(options: ReadonlyArray<readonly [T, number]>): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0)
    let r = this.next() * total
    for (const [item, w] of options) {
      r -= w
      if (r < 0) return item
    }
    return options[options.length - 1][0]
  }

  /** An independent stream for a named purpose, so adding draws in one place does not shift another. */
  fork(...label: Array<string | number>): Rng {
    return new Rng(hashSeed(this.state, ...label))
  }
}

/**
 * A DICOM UID under the 2.25 root (ISO/IEC 9834-8: a 128-bit integer in decimal), derived from
 * the given parts so it is the same for the same seed and unique across parts.
 */
export function derivedUid(...parts: Array<string | number>): string {
  let value = 0n
  for (let word = 0; word < 4; word++) value = (value << 32n) | BigInt(hashSeed(word, ...parts))
  return `2.25.${value}`
}

/** Smooth value noise, 0–1, over a lattice of `cell` units (mm where the caller works in mm). */
export function valueNoise(x: number, y: number, cell: number, seed: number): number {
  const gx = Math.floor(x / cell)
  const gy = Math.floor(y / cell)
  const fx = x / cell - gx
  const fy = y / cell - gy
  const sx = fx * fx * (3 - 2 * fx)
  const sy = fy * fy * (3 - 2 * fy)
  const scale = 1 / 4294967296
  const top = latticeHash(seed, gx, gy) * scale * (1 - sx) + latticeHash(seed, gx + 1, gy) * scale * sx
  const bottom = latticeHash(seed, gx, gy + 1) * scale * (1 - sx) + latticeHash(seed, gx + 1, gy + 1) * scale * sx
  return top * (1 - sy) + bottom * sy
}

/** A fast integer hash of a lattice point (for noise; hashSeed is for labels). */
function latticeHash(seed: number, x: number, y: number): number {
  return finalMix(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(x | 0, 0xc2b2ae35) ^ Math.imul(y | 0, 0x27d4eb2f))
}

/**
 * Seeded derivations for the synthetic cohort: UIDs and smooth noise drawn from the cohort seed, so
 * the same seed gives the same bytes on every machine and in any worker order. The generator
 * itself (Rng, hashSeed) is src/main/random.ts.
 */
import { finalMix, hashSeed } from '../random'

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

import { Rng } from '../random'
import type { ParamSpec } from './graph'

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

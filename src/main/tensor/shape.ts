/** Static shapes with symbolic dimensions: a number is a fixed size, a string names a size known at run time. */
export type Dim = number | string
export type Shape = readonly Dim[]

export function sameDim(a: Dim, b: Dim): boolean {
  return a === b
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => sameDim(d, b[i]))
}

export function formatShape(s: Shape): string {
  return `[${s.join(', ')}]`
}

/** NumPy broadcasting of two shapes; throws with both shapes when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape, what: string): Dim[] {
  const rank = Math.max(a.length, b.length)
  const out: Dim[] = []
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)]
    if (da === 1) out.push(db)
    else if (db === 1 || sameDim(da, db)) out.push(da)
    else throw new Error(`${what}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`)
  }
  return out
}

export function normalizeAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis
  if (a < 0 || a >= rank) throw new Error(`${what}: axis ${axis} is out of range for rank ${rank}`)
  return a
}

/** Product of fixed dimensions; throws when one is symbolic. */
export function fixedSize(shape: Shape, what: string): number {
  let n = 1
  for (const d of shape) {
    if (typeof d !== 'number') throw new Error(`${what}: needs fixed sizes, got ${formatShape(shape)}`)
    n *= d
  }
  return n
}

/** Resolves symbolic dimensions from a binding such as { B: 8, T: 128 }. */
export function resolveShape(shape: Shape, dims: Readonly<Record<string, number>>): number[] {
  return shape.map((d) => {
    if (typeof d === 'number') return d
    const v = dims[d]
    if (v === undefined) throw new Error(`No size given for dimension '${d}' of ${formatShape(shape)}`)
    return v
  })
}

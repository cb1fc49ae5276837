/**
 * Small raster helpers for the phantom: drawing tapered tubes along polylines (ribs, vessels,
 * clavicles), separable box blurs and bilinear resampling. All work on row-major Float32Arrays.
 */

export interface Grid {
  width: number
  height: number
  /** Millimetres per grid pixel. */
  mm: number
}

export interface Point {
  x: number
  y: number
}

/** Cross-section of a tube: relative thickness at normalised distance d (0 centre … 1 edge). */
export type TubeProfile = (d: number) => number

const cylinder: TubeProfile = (d) => (d < 1 ? Math.sqrt(1 - d * d) : 0)

/** How a tube is drawn along a polyline; `fraction` runs from 0 at the first point to 1 at the last. */
export interface TubeStyle {
  /** Radius in mm. */
  radiusAt: (fraction: number) => number
  /** Density per mm of thickness (default 1). */
  weightAt?: (fraction: number) => number
  profile?: TubeProfile
  /** 'max' keeps the densest tube where tubes cross (branching vessels), 'add' sums them (bone over bone). */
  combine?: 'add' | 'max'
}

/**
 * Draws a tube along a polyline (points in grid pixels) into `target`: the projected thickness in
 * mm of a tube whose radius and density follow the style. The nearest segment decides each pixel,
 * so joints are not drawn twice.
 */
export function drawPolyline(target: Float32Array, grid: Grid, points: Point[], style: TubeStyle): void {
  const last = Math.max(1, points.length - 1)
  const radii = points.map((_, i) => Math.max(style.radiusAt(i / last) / grid.mm, 0.6))
  const reach = Math.max(...radii) + 1
  const xMin = Math.max(0, Math.floor(Math.min(...points.map((p) => p.x)) - reach))
  const xMax = Math.min(grid.width - 1, Math.ceil(Math.max(...points.map((p) => p.x)) + reach))
  const yMin = Math.max(0, Math.floor(Math.min(...points.map((p) => p.y)) - reach))
  const yMax = Math.min(grid.height - 1, Math.ceil(Math.max(...points.map((p) => p.y)) + reach))
  if (xMin > xMax || yMin > yMax) return
  const boxWidth = xMax - xMin + 1
  const nearest = new Float32Array(boxWidth * (yMax - yMin + 1)).fill(Infinity)
  const radiusThere = new Float32Array(nearest.length)
  const fractionThere = new Float32Array(nearest.length)
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]
    const b = points[i + 1]
    const segReach = Math.max(radii[i], radii[i + 1]) + 1
    const vx = b.x - a.x
    const vy = b.y - a.y
    const lengthSq = vx * vx + vy * vy || 1e-9
    const sx0 = Math.max(xMin, Math.floor(Math.min(a.x, b.x) - segReach))
    const sx1 = Math.min(xMax, Math.ceil(Math.max(a.x, b.x) + segReach))
    const sy0 = Math.max(yMin, Math.floor(Math.min(a.y, b.y) - segReach))
    const sy1 = Math.min(yMax, Math.ceil(Math.max(a.y, b.y) + segReach))
    for (let y = sy0; y <= sy1; y++) {
      for (let x = sx0; x <= sx1; x++) {
        const t = Math.min(1, Math.max(0, ((x - a.x) * vx + (y - a.y) * vy) / lengthSq))
        const dx = x - (a.x + t * vx)
        const dy = y - (a.y + t * vy)
        const r = radii[i] + (radii[i + 1] - radii[i]) * t
        const d = Math.sqrt(dx * dx + dy * dy) / r
        const k = (y - yMin) * boxWidth + (x - xMin)
        if (d < nearest[k]) {
          nearest[k] = d
          radiusThere[k] = r
          fractionThere[k] = (i + t) / last
        }
      }
    }
  }
  const profile = style.profile ?? cylinder
  const max = style.combine === 'max'
  for (let y = yMin; y <= yMax; y++) {
    for (let x = xMin; x <= xMax; x++) {
      const k = (y - yMin) * boxWidth + (x - xMin)
      if (nearest[k] >= 1) continue
      const weight = style.weightAt ? style.weightAt(fractionThere[k]) : 1
      const value = weight * 2 * radiusThere[k] * grid.mm * profile(nearest[k])
      const i = y * grid.width + x
      target[i] = max ? Math.max(target[i], value) : target[i] + value
    }
  }
}

/** Samples a cubic Bézier curve at n+1 points. */
export function bezier(p0: Point, p1: Point, p2: Point, p3: Point, n: number): Point[] {
  const out: Point[] = []
  for (let i = 0; i <= n; i++) {
    const t = i / n
    const u = 1 - t
    out.push({
      x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
      y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y
    })
  }
  return out
}

/** Box blur of the given radius (pixels), in place along rows then columns; edges clamp. */
export function boxBlur(data: Float32Array, width: number, height: number, radius: number): void {
  const line = new Float32Array(Math.max(width, height))
  const blurLine = (get: (i: number) => number, set: (i: number, v: number) => void, n: number) => {
    for (let i = 0; i < n; i++) line[i] = get(i)
    let sum = 0
    for (let k = -radius; k <= radius; k++) sum += line[Math.min(n - 1, Math.max(0, k))]
    const norm = 1 / (2 * radius + 1)
    for (let i = 0; i < n; i++) {
      set(i, sum * norm)
      sum += line[Math.min(n - 1, i + radius + 1)] - line[Math.max(0, i - radius)]
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width
    blurLine((i) => data[row + i], (i, v) => (data[row + i] = v), width)
  }
  for (let x = 0; x < width; x++) {
    blurLine((i) => data[i * width + x], (i, v) => (data[i * width + x] = v), height)
  }
}

/** Bilinear resampling of a low-resolution grid to rows×columns (pixel centres aligned). */
export function resizeBilinear(source: Float32Array, width: number, height: number, columns: number, rows: number): Float32Array {
  const out = new Float32Array(rows * columns)
  const sx = width / columns
  const sy = height / rows
  const x0s = new Int32Array(columns)
  const fxs = new Float32Array(columns)
  for (let x = 0; x < columns; x++) {
    const gx = Math.min(width - 1, Math.max(0, (x + 0.5) * sx - 0.5))
    x0s[x] = Math.min(width - 2, Math.floor(gx))
    fxs[x] = gx - x0s[x]
  }
  for (let y = 0; y < rows; y++) {
    const gy = Math.min(height - 1, Math.max(0, (y + 0.5) * sy - 0.5))
    const y0 = Math.min(height - 2, Math.floor(gy))
    const fy = gy - y0
    const r0 = y0 * width
    const r1 = r0 + width
    const o = y * columns
    for (let x = 0; x < columns; x++) {
      const x0 = x0s[x]
      const fx = fxs[x]
      const top = source[r0 + x0] + (source[r0 + x0 + 1] - source[r0 + x0]) * fx
      const bottom = source[r1 + x0] + (source[r1 + x0 + 1] - source[r1 + x0]) * fx
      out[o + x] = top + (bottom - top) * fy
    }
  }
  return out
}

export function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)))
  return t * t * (3 - 2 * t)
}

import { glyphBit } from './bitmap-font'
import { Rng, hashSeed } from '../random'
import { valueNoise } from './prng'
import { PhantomChest, type DetectorSize, type PhantomAnatomy } from './chest-geometry'
import { boxBlur, bezier, drawPolyline, resizeBilinear, smoothstep, type Grid, type Point, type TubeProfile } from './raster'

/**
 * A phantom PA chest radiograph drawn from a simple projection model: soft-tissue thickness of
 * the body, minus the air in the lungs, plus bone (ribs, clavicles, spine, humeral heads) and the
 * vessels fanning out from the hila, turned into a log-exposure image and "processed" like a
 * digital radiograph (dynamic-range compression and an S-shaped tone curve).
 *
 * The anatomy (chest-geometry.ts) is drawn on a coarse grid (~0.7 mm) and resampled to the
 * detector size; detector noise is added at full resolution by the generator. Besides lungs,
 * heart and mediastinum it draws ribs, clavicles, scapulae, spine, humeral heads, trachea and
 * bronchi, hilar vessels, breast shadows, the gastric bubble and the radiographer's lead marker.
 */

/** Grid (coarse) resolution used to draw anatomy for a detector of this size. */
function anatomyGrid(size: DetectorSize): Grid & { factor: number } {
  const factor = Math.max(1, Math.round(0.7 / size.spacingMm))
  return { width: Math.ceil(size.columns / factor), height: Math.ceil(size.rows / factor), mm: size.spacingMm * factor, factor }
}

/** A rib's cross-section: denser cortex at the edges over a lighter marrow. */
const ribProfile: TubeProfile = (d) => (d < 1 ? 0.5 * Math.sqrt(1 - d * d) + 0.35 * Math.exp(-(((d - 0.86) / 0.14) ** 2)) : 0)

export interface PhantomImage {
  /** Display values 0–4095 (MONOCHROME2, higher is whiter) at full detector size, without nodules or noise. */
  display: Float32Array
  /** Bone path length (mm) at an image position in mm: tells whether a nodule lies over a rib. */
  boneMmAt(xMm: number, yMm: number): number
}

export function renderPhantom(chest: PhantomChest): PhantomImage {
  const grid = anatomyGrid(chest.size)
  const n = grid.width * grid.height
  const soft = new Float32Array(n)
  const air = new Float32Array(n)
  const alpha = new Float32Array(n)
  const bone = new Float32Array(n)
  const vessels = new Float32Array(n)
  const a = chest.anatomy
  const H = a.lungHeightMm
  const W = a.thoraxHalfWidthMm
  const texture = hashSeed(a.seed, 'texture')

  for (let gy = 0; gy < grid.height; gy++) {
    for (let gx = 0; gx < grid.width; gx++) {
      const i = gy * grid.width + gx
      const p = chest.toBody((gx + 0.5) * grid.mm, (gy + 0.5) * grid.mm)
      soft[i] = softTissue(chest, p.x, p.y) - airways(p.x, p.y, a) + gastricAir(chest, p.x, p.y)
      const fraction = chest.airFraction(p.x, p.y)
      alpha[i] = fraction
      const depth = 0.6 * a.bodyDepthMm * (0.7 + 0.3 * smoothstep(0, 0.45 * H, p.y))
      air[i] = fraction * depth * (0.9 + 0.12 * valueNoise(p.x, p.y, 9, texture) + 0.08 * valueNoise(p.x, p.y, 3, texture + 1))
      bone[i] = spine(p.x, p.y) + humeralHeads(p.x, p.y, W, H) + scapulaPlate(p.x, p.y, W, H)
      vessels[i] = hilum(p.x, p.y, H, W)
    }
  }
  drawRibs(bone, grid, chest)
  drawClavicles(bone, grid, chest)
  drawScapulaBorders(bone, grid, chest)
  drawVesselTrees(vessels, grid, chest)

  // Log-exposure: water-equivalent path length times an effective attenuation coefficient.
  const logExposure = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    logExposure[i] = 0.02 * (soft[i] - 0.84 * air[i] + 1.8 * bone[i] + 2.2 * vessels[i] * (0.3 + 0.7 * alpha[i]))
  }
  const display = resizeBilinear(processLikeDetector(logExposure, alpha, grid, chest), grid.width, grid.height, chest.size.columns, chest.size.rows)
  if (a.marker) stampMarker(display, chest.size, a.marker)
  return {
    display,
    boneMmAt: (xMm, yMm) => {
      const gx = Math.min(grid.width - 1, Math.max(0, Math.floor(xMm / grid.mm)))
      const gy = Math.min(grid.height - 1, Math.max(0, Math.floor(yMm / grid.mm)))
      return bone[gy * grid.width + gx]
    }
  }
}

/** Soft-tissue path length through the body: neck, shoulders, chest wall, breasts, abdomen. */
function softTissue(chest: PhantomChest, bx: number, by: number): number {
  const a = chest.anatomy
  const H = a.lungHeightMm
  const chestHalf = a.thoraxHalfWidthMm + 6 + a.lateralSoftTissueMm
  const shoulderHalf = chestHalf + 28
  const neckHalf = 55
  // Neck widening into sloping shoulders, then the chest wall.
  const shoulders = chestHalf + (shoulderHalf - chestHalf) * (1 - smoothstep(0.05 * H, 0.35 * H, by))
  const half = neckHalf + (shoulders - neckHalf) * Math.pow(smoothstep(-0.3 * H, 0.06 * H, by), 0.6)
  const depth = a.bodyDepthMm * (0.6 + 0.4 * smoothstep(-0.3 * H, 0.05 * H, by))
  const u = Math.abs(bx) / half
  let thickness = u < 1 ? depth * Math.pow(1 - u * u, 0.45) : 0
  if (a.breastMm > 0) {
    // Breast shadows: extra soft tissue over the lower lateral chest that fades upwards and ends
    // in a curved lower border.
    const cx = 0.62 * a.thoraxHalfWidthMm
    const dx = (Math.abs(bx) - cx) / (0.46 * a.thoraxHalfWidthMm)
    const bottom = 0.8 * H + 0.1 * H * (1 - dx * dx)
    const lower = by > bottom
    const dy = (by - bottom) / (lower ? 0.05 * H : 0.45 * H)
    const r = dx * dx + dy * dy
    if (r < 1) thickness += a.breastMm * (lower ? Math.sqrt(1 - r) * (1 - dx * dx) : (1 - r) ** 1.5)
  }
  return thickness
}

/** Vertebral bodies with disc spaces and pedicle rings, seen through the mediastinum. */
function spine(bx: number, by: number): number {
  const half = 21 + by * 0.02
  if (Math.abs(bx) > half + 6) return 0
  const level = 26
  const phase = (((by + 400) % level) + level) % level
  const disc = 0.55 + 0.45 * smoothstep(1, 5, phase) * (1 - smoothstep(level - 5, level - 1, phase))
  const u = Math.abs(bx) / half
  let value = u < 1 ? 11 * Math.sqrt(1 - u * u) * disc : 0
  const pedicle = Math.hypot((Math.abs(bx) - half * 0.7) / 3.5, (phase - level * 0.4) / 5.5)
  value += 1.6 * Math.exp(-(((pedicle - 1) / 0.3) ** 2))
  return value
}

function humeralHeads(bx: number, by: number, W: number, H: number): number {
  const r = Math.hypot(Math.abs(bx) - (W + 48), by - 0.02 * H) / 25
  return r < 1 ? 30 * Math.sqrt(1 - r * r) : 0
}

/** Corners of a scapula in the body frame (s from the midline): superior, inferior, glenoid. */
function scapulaCorners(W: number, H: number): [Point, Point, Point] {
  return [
    { x: 0.72 * W, y: -0.02 * H },
    { x: 0.9 * W, y: 0.42 * H },
    { x: W + 30, y: 0.03 * H }
  ]
}

/** The thin blade of each scapula (a few mm of bone) over the upper lateral chest. */
function scapulaPlate(bx: number, by: number, W: number, H: number): number {
  const [a, b, c] = scapulaCorners(W, H)
  const s = Math.abs(bx)
  const side = (p: Point, q: Point) => (q.x - p.x) * (by - p.y) - (q.y - p.y) * (s - p.x)
  const d1 = side(a, b)
  const d2 = side(b, c)
  const d3 = side(c, a)
  const inside = (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0)
  return inside ? 2.5 : 0
}

/** The scapulae's thicker medial and lateral borders, which show as lines over the upper lungs. */
function drawScapulaBorders(bone: Float32Array, grid: Grid, chest: PhantomChest): void {
  const [a, b, c] = scapulaCorners(chest.anatomy.thoraxHalfWidthMm, chest.anatomy.lungHeightMm)
  for (const sign of [-1, 1]) {
    const at = (p: Point): Point => {
      const q = chest.toImage(sign * p.x, p.y)
      return { x: q.x / grid.mm, y: q.y / grid.mm }
    }
    const medialBorder = bezier(a, { x: a.x - 0.08 * (b.y - a.y), y: a.y + 0.35 * (b.y - a.y) }, { x: b.x - 0.1 * (b.y - a.y), y: b.y - 0.2 * (b.y - a.y) }, b, 16)
    const lateralBorder = bezier(b, { x: b.x + 0.3 * (c.x - b.x), y: b.y - 0.45 * (b.y - c.y) }, { x: c.x - 0.2 * (c.x - b.x), y: c.y + 0.2 * (b.y - c.y) }, c, 16)
    drawPolyline(bone, grid, medialBorder.map(at), { radiusAt: () => 2.5, weightAt: (f) => 0.45 * Math.sin(Math.PI * f) })
    drawPolyline(bone, grid, lateralBorder.map(at), { radiusAt: (f) => 3 + 3 * f, weightAt: (f) => 0.5 * Math.sin(Math.PI * Math.min(1, f * 1.5)) })
  }
}

/** Air path length (mm) across a tube of radius r at distance d from its axis. */
function airTube(d: number, r: number): number {
  return d < r ? 22 * Math.sqrt(1 - (d / r) ** 2) : 0
}

/** Air in the trachea and main bronchi, as a path length to subtract from the soft tissue. */
function airways(bx: number, by: number, a: PhantomAnatomy): number {
  const H = a.lungHeightMm
  const carinaY = 0.34 * H
  const half = a.tracheaWidthMm / 2
  if (by < carinaY) return airTube(Math.abs(bx - 0.03 * (by - carinaY)), half) * smoothstep(-0.4 * H, -0.2 * H, by)
  // Main bronchi: the right steeper and shorter, the left longer and more horizontal.
  const along = by - carinaY
  const right = airTube(Math.abs(bx + along * 0.55), half * 0.8) * (1 - smoothstep(0.06 * H, 0.1 * H, along))
  const left = airTube(Math.abs(bx - along * 1.0), half * 0.7) * (1 - smoothstep(0.08 * H, 0.12 * H, along))
  return Math.max(right, left)
}

/** Extra density of the hilar vessels and bronchial walls. */
function hilum(bx: number, by: number, H: number, W: number): number {
  const right = Math.hypot((bx + 0.25 * W) / 16, (by - 0.43 * H) / 30)
  const left = Math.hypot((bx - 0.28 * W) / 15, (by - 0.39 * H) / 28)
  return 22 * (Math.exp(-right * right) + Math.exp(-left * left))
}

/** The stomach's gas bubble under the left dome (negative tissue: air), flat-bottomed by its fluid level. */
function gastricAir(chest: PhantomChest, bx: number, by: number): number {
  if (!chest.anatomy.gastricBubble) return 0
  const W = chest.anatomy.thoraxHalfWidthMm
  const cx = 0.45 * W
  const top = chest.dome('left', cx) + 9
  const r = Math.hypot((bx - cx) / 30, (by - top - 18) / 18)
  return r < 1 && by < top + 20 ? -40 * Math.pow(1 - r * r, 0.25) : 0
}

/** Posterior ribs (arching out from the spine) and the fainter anterior ribs (sloping down and in). */
function drawRibs(bone: Float32Array, grid: Grid, chest: PhantomChest): void {
  const a = chest.anatomy
  const H = a.lungHeightMm
  const spacing = (H + 20) / 9.6
  const toGrid = (bx: number, by: number): Point => {
    const p = chest.toImage(bx, by)
    return { x: p.x / grid.mm, y: p.y / grid.mm }
  }
  for (const side of ['right', 'left'] as const) {
    const sign = side === 'right' ? -1 : 1
    for (let k = 0; k < 11; k++) {
      const y0 = -0.04 * H + k * spacing * (1 - 0.012 * k)
      const wallY = y0 + 22 + 2 * k
      const wall = chest.lateral(side, Math.max(wallY, 8)) + 9
      const width = a.ribWidthMm * (k === 0 ? 0.8 : 1)
      const rib = (s: number, y: number) => toGrid(sign * s, y)
      const posterior = bezier(rib(14, y0), rib(0.45 * wall, y0 - 10 + k * 0.6), rib(0.88 * wall, y0 - 2), rib(wall, wallY), 28)
      // The posterior rib fades in from the costovertebral joint rather than ending in a cap.
      drawPolyline(bone, grid, posterior, { radiusAt: (f) => width * (0.55 - 0.1 * f), weightAt: (f) => smoothstep(0, 0.22, f), profile: ribProfile })
      const frontEndS = Math.max(0.3 * wall, 35)
      const anterior = bezier(rib(wall, wallY), rib(wall * 1.02, wallY + 28), rib(0.75 * wall, wallY + 50 + k), rib(frontEndS, wallY + 62 + 2 * k), 28)
      // Anterior ribs are fainter and fade out towards the (invisible) costal cartilage.
      drawPolyline(bone, grid, anterior, { radiusAt: (f) => width * (0.55 + 0.1 * f), weightAt: (f) => 0.35 * (1 - smoothstep(0.6, 1, f)), profile: ribProfile })
    }
  }
}

function drawClavicles(bone: Float32Array, grid: Grid, chest: PhantomChest): void {
  const a = chest.anatomy
  const W = a.thoraxHalfWidthMm
  const H = a.lungHeightMm
  for (const sign of [-1, 1]) {
    const at = (s: number, y: number): Point => {
      const p = chest.toImage(sign * s, y)
      return { x: p.x / grid.mm, y: p.y / grid.mm }
    }
    const points = bezier(at(20, 0.13 * H), at(0.55 * W, 0.15 * H), at(0.7 * W, 0.0 * H), at(W + 28, 0.0 * H), 30)
    drawPolyline(bone, grid, points, { radiusAt: (f) => 9 - 2.5 * Math.sin(Math.PI * f), profile: ribProfile })
  }
}

/** Branching pulmonary vessels from each hilum, tapering towards the periphery. */
function drawVesselTrees(vessels: Float32Array, grid: Grid, chest: PhantomChest): void {
  const a = chest.anatomy
  const H = a.lungHeightMm
  const W = a.thoraxHalfWidthMm
  const rng = new Rng(hashSeed(a.seed, 'vessels'))
  const toGrid = (p: Point): Point => {
    const q = chest.toImage(p.x, p.y)
    return { x: q.x / grid.mm, y: q.y / grid.mm }
  }
  const grow = (start: Point, angle: number, length: number, radius: number, depth: number) => {
    const end = { x: start.x + length * Math.cos(angle), y: start.y + length * Math.sin(angle) }
    const bend = rng.normal(0, 0.12) * length
    const mid = { x: (start.x + end.x) / 2 - bend * Math.sin(angle), y: (start.y + end.y) / 2 + bend * Math.cos(angle) }
    drawPolyline(vessels, grid, [start, mid, end].map(toGrid), { radiusAt: (f) => radius * (1 - 0.2 * f), combine: 'max' })
    if (depth >= 7 || radius < 0.35 || chest.airFraction(end.x, end.y) < 0.05) return
    const spread = rng.uniform(0.3, 0.6)
    const share = rng.uniform(0.55, 0.75)
    grow(end, angle - spread * (1 - share) * 1.6 + rng.normal(0, 0.08), length * rng.uniform(0.72, 0.86), radius * (0.62 + 0.2 * share), depth + 1)
    grow(end, angle + spread * share * 1.6 + rng.normal(0, 0.08), length * rng.uniform(0.6, 0.8), radius * (0.55 + 0.1 * (1 - share)), depth + 1)
  }
  for (const sign of [-1, 1]) {
    const hilum = { x: sign * (sign < 0 ? 0.27 : 0.3) * W, y: (sign < 0 ? 0.43 : 0.39) * H }
    // Angles measured from "straight out laterally", positive downwards; lower lobes carry more blood.
    const trunks = [-1.35, -0.95, -0.5, -0.1, 0.35, 0.8, 1.15, 1.45]
    for (const t of trunks) {
      const downward = t > 0 ? 1 : 0.75
      const angle = sign < 0 ? Math.PI - t : t
      const length = rng.uniform(30, 45) * (t > 1 ? 1.2 : 1)
      const start = { x: hilum.x + sign * 6 * Math.cos(t), y: hilum.y + 14 * Math.sin(t) }
      grow(start, angle + rng.normal(0, 0.08), length, rng.uniform(2.6, 3.6) * downward, 0)
    }
  }
}

/**
 * The lead side marker: a letter that blocks the beam, so it shows white, on the patient's side it
 * names (the image left for R on a PA film), near the top corner.
 */
function stampMarker(display: Float32Array, size: DetectorSize, marker: NonNullable<PhantomAnatomy['marker']>): void {
  const cell = Math.max(1, Math.round(marker.heightMm / 7 / size.spacingMm))
  const width = 5 * cell
  const x0 = marker.letter === 'R' ? Math.round(size.columns * 0.03) : Math.round(size.columns * 0.97) - width
  const y0 = Math.round(size.rows * marker.yFraction)
  for (let y = 0; y < 7 * cell && y0 + y < size.rows; y++) {
    for (let x = 0; x < width && x0 + x < size.columns; x++) {
      if (glyphBit(marker.letter, Math.floor(x / cell), Math.floor(y / cell))) display[(y0 + y) * size.columns + x0 + x] = 3950
    }
  }
}

/**
 * What a digital detector's processing does: compress the large-scale dynamic range (so the
 * lungs and the mediastinum both show detail), then apply an S-shaped tone curve set from the
 * image's own lung and mediastinum levels, with per-study exposure variation.
 */
function processLikeDetector(logExposure: Float32Array, alpha: Float32Array, grid: Grid, chest: PhantomChest): Float32Array {
  const n = logExposure.length
  const background = logExposure.slice()
  const radius = Math.max(2, Math.round(30 / grid.mm))
  for (let pass = 0; pass < 3; pass++) boxBlur(background, grid.width, grid.height, radius)
  let lungSum = 0
  let lungCount = 0
  let bodySum = 0
  let bodyCount = 0
  for (let i = 0; i < n; i++) {
    if (alpha[i] > 0.6) {
      lungSum += logExposure[i]
      lungCount++
    } else if (logExposure[i] > 3) {
      bodySum += logExposure[i]
      bodyCount++
    }
  }
  const lung = lungCount ? lungSum / lungCount : 2
  const bodyLevel = bodyCount ? bodySum / bodyCount : 4.5
  const k = chest.anatomy.exposure.compression
  const meanBackground = (lung + bodyLevel) / 2
  const centre = meanBackground + chest.anatomy.exposure.centreShift * (bodyLevel - lung)
  const width = (bodyLevel - lung) * chest.anatomy.exposure.latitude
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const compressed = logExposure[i] - k * (background[i] - meanBackground)
    const z = (compressed - centre) / width
    // Direct exposure outside the body is shown dark, as detector processing does.
    const body = 0.3 + 0.7 * smoothstep(0.1, 1.4, logExposure[i])
    out[i] = 4095 * (0.03 + 0.9 / (1 + Math.exp(-1.6 * z))) * body
  }
  return out
}

import type { ChestLayout, LungBox } from './radiograph'
import type { Rng } from '../random'
import { smoothstep, type Point } from './raster'

/**
 * The anatomy of one phantom patient and where it falls on the detector. Anatomy lives in a body
 * frame in mm: x to the image right (the patient's left), y downwards, origin on the midline at
 * the lung apices. PhantomChest answers geometric questions (is this inside a lung, which zone)
 * for the renderer (phantom.ts) and for nodule placement.
 */

export interface PhantomAnatomy {
  seed: number
  /** Half the width of the thorax at the lung bases (inside the ribs), mm. */
  thoraxHalfWidthMm: number
  /** Apex to the top of the right hemidiaphragm, mm. */
  lungHeightMm: number
  /** How much lower the left dome sits than the right, mm. */
  leftDomeDropMm: number
  costophrenicDepthMm: { right: number; left: number }
  bodyDepthMm: number
  lateralSoftTissueMm: number
  heartWidthMm: number
  /** Share of the heart's width to the patient's left of the midline. */
  heartLeftShare: number
  aorticKnobMm: number
  tracheaWidthMm: number
  ribWidthMm: number
  breastMm: number
  gastricBubble: boolean
  position: { shiftXMm: number; shiftYMm: number; rotationRad: number; magnification: number }
  exposure: { centreShift: number; latitude: number; compression: number }
  /** The radiographer's lead side marker, if one was placed. */
  marker: { letter: 'R' | 'L'; heightMm: number; yFraction: number } | null
}

export interface DetectorSize {
  rows: number
  columns: number
  spacingMm: number
}

export function samplePhantomAnatomy(rng: Rng, sex: 'F' | 'M'): PhantomAnatomy {
  const male = sex === 'M'
  const halfWidth = rng.normal(male ? 142 : 132, 7)
  return {
    seed: rng.int(0, 2 ** 31),
    thoraxHalfWidthMm: halfWidth,
    lungHeightMm: rng.normal(male ? 262 : 246, 12),
    leftDomeDropMm: rng.uniform(6, 22),
    costophrenicDepthMm: { right: rng.uniform(22, 38), left: rng.uniform(22, 40) },
    bodyDepthMm: rng.normal(male ? 225 : 205, 15),
    lateralSoftTissueMm: rng.uniform(8, 24),
    heartWidthMm: 2 * halfWidth * rng.uniform(0.38, 0.5),
    heartLeftShare: rng.uniform(0.64, 0.74),
    aorticKnobMm: rng.uniform(11, 18),
    tracheaWidthMm: rng.uniform(14, 19),
    ribWidthMm: rng.uniform(9, 12),
    breastMm: male ? 0 : rng.uniform(8, 30),
    gastricBubble: rng.chance(0.6),
    position: {
      shiftXMm: rng.normal(0, 8),
      shiftYMm: rng.normal(0, 10),
      rotationRad: rng.normal(0, 0.025),
      magnification: rng.uniform(0.94, 1.06)
    },
    exposure: { centreShift: rng.normal(0, 0.06), latitude: rng.uniform(0.75, 1), compression: rng.uniform(0.45, 0.7) },
    marker: rng.chance(0.7) ? { letter: rng.chance(0.7) ? 'R' : 'L', heightMm: rng.uniform(10, 15), yFraction: rng.uniform(0.015, 0.05) } : null
  }
}

type SideName = 'right' | 'left'

/** One lung's outline in the body frame; s is the distance from the midline (positive laterally). */
interface LungOutline {
  wall: number
  apexY: number
  apexS: number
  domeY: number
  domePeakS: number
  costophrenicDepth: number
  mediastinum: (y: number) => number
}

interface Heart {
  top: number
  bottom: number
  leftExtent: number
  rightExtent: number
}

/** The geometry the renderer and the nodule placement share. */
export class PhantomChest {
  readonly lungs: Record<SideName, LungOutline>
  readonly heart: Heart
  private readonly cos: number
  private readonly sin: number
  private readonly originX: number
  private readonly originY: number

  constructor(
    readonly anatomy: PhantomAnatomy,
    readonly size: DetectorSize
  ) {
    const a = anatomy
    const H = a.lungHeightMm
    const W = a.thoraxHalfWidthMm
    const knob = (y: number) => a.aorticKnobMm * Math.exp(-(((y - 0.3 * H) / (a.aorticKnobMm * 1.3)) ** 2))
    const trunk = (y: number) => 7 * Math.exp(-(((y - 0.41 * H) / 12) ** 2))
    this.lungs = {
      right: {
        wall: W,
        apexY: 0,
        apexS: 0.42 * W,
        domeY: H,
        domePeakS: 0.45 * W,
        costophrenicDepth: a.costophrenicDepthMm.right,
        mediastinum: (y) => 17 + 9 * smoothstep(0, 0.45 * H, y)
      },
      left: {
        wall: W * 0.98,
        apexY: 5,
        apexS: 0.44 * W,
        domeY: H + a.leftDomeDropMm,
        domePeakS: 0.5 * W,
        costophrenicDepth: a.costophrenicDepthMm.left,
        mediastinum: (y) => 19 + 4 * smoothstep(0, 0.3 * H, y) + knob(y) + trunk(y)
      }
    }
    // The heart's silhouette: from just below the hila down to the diaphragm, bulging furthest to
    // the patient's left at the apex and less to the right (right atrium).
    this.heart = {
      top: 0.44 * H,
      bottom: H + 30,
      leftExtent: a.heartLeftShare * a.heartWidthMm,
      rightExtent: Math.max(30, (1 - a.heartLeftShare) * a.heartWidthMm + 4)
    }
    this.cos = Math.cos(a.position.rotationRad)
    this.sin = Math.sin(a.position.rotationRad)
    this.originX = (size.columns * size.spacingMm) / 2 + a.position.shiftXMm
    this.originY = size.rows * size.spacingMm * 0.5 - (H * a.position.magnification) / 2 - 30 + a.position.shiftYMm
  }

  /** Image mm (from the top-left corner) to the body frame. */
  toBody(xMm: number, yMm: number): Point {
    const m = this.anatomy.position.magnification
    const dx = xMm - this.originX
    const dy = yMm - this.originY
    return { x: (dx * this.cos + dy * this.sin) / m, y: (-dx * this.sin + dy * this.cos) / m }
  }

  /** The body frame to image mm. */
  toImage(bx: number, by: number): Point {
    const m = this.anatomy.position.magnification
    return { x: this.originX + m * (bx * this.cos - by * this.sin), y: this.originY + m * (bx * this.sin + by * this.cos) }
  }

  lateral(side: SideName, y: number): number {
    const lung = this.lungs[side]
    const u = Math.min(1, Math.max(0, (y - lung.apexY) / (0.8 * (lung.domeY - lung.apexY))))
    return lung.apexS + (lung.wall - lung.apexS) * Math.pow(u, 0.42)
  }

  medial(side: SideName, y: number): number {
    const lung = this.lungs[side]
    const u = Math.min(1, Math.max(0, (y - lung.apexY) / (0.16 * this.anatomy.lungHeightMm)))
    const base = lung.mediastinum(y)
    return lung.apexS - (lung.apexS - base) * Math.sqrt(1 - (1 - u) ** 2)
  }

  /** The hemidiaphragm's upper edge at distance s from the midline. */
  dome(side: SideName, s: number): number {
    const lung = this.lungs[side]
    const lateral = Math.min(1, Math.max(0, (s - lung.domePeakS) / (lung.wall - lung.domePeakS)))
    const medial = Math.min(1, Math.max(0, (lung.domePeakS - s) / lung.domePeakS))
    return lung.domeY + lung.costophrenicDepth * lateral ** 2 + 22 * medial ** 2
  }

  /** Distance (mm) from the heart's border, positive outside the heart, negative inside. */
  heartClearance(bx: number, by: number): number {
    const h = this.heart
    if (by < h.top) return h.top - by + 20
    const t = Math.min(1, (by - h.top) / (h.bottom - h.top))
    const left = 24 + (h.leftExtent - 24) * Math.pow(Math.sin((Math.min(1, t / 0.78) * Math.PI) / 2), 0.75)
    const right = 22 + (h.rightExtent - 22) * Math.sin((Math.min(1, t / 0.62) * Math.PI) / 2)
    return bx >= 0 ? bx - left : -bx - right
  }

  /**
   * How much of the body's depth is aerated lung here, 0–1: tapering towards the chest wall and
   * apex, and not zero behind the heart or below the domes, where the lungs' posterior recesses lie.
   */
  airFraction(bx: number, by: number): number {
    const side: SideName = bx < 0 ? 'right' : 'left'
    const lung = this.lungs[side]
    if (by < lung.apexY) return 0
    const s = Math.abs(bx)
    const toWall = this.lateral(side, by) - s
    const toMediastinum = s - this.medial(side, by)
    if (toWall <= 0) return 0
    const below = by - this.dome(side, s)
    let fraction =
      Math.pow(smoothstep(0, 16, toWall), 0.7) * smoothstep(0, 3.5, toMediastinum) * smoothstep(0, 14, by - lung.apexY)
    if (below > 0) fraction *= 0.3 * (1 - smoothstep(0, 35, below)) * smoothstep(0.3, 0.8, s / lung.wall)
    else fraction *= 0.3 + 0.7 * smoothstep(0, 2.5, -below)
    const toHeart = this.heartClearance(bx, by)
    if (toHeart < 0) fraction *= 0.04 + 0.16 * (1 - smoothstep(0, 25, -toHeart))
    else fraction *= 0.38 + 0.62 * smoothstep(0, 5, toHeart)
    return fraction
  }

  /** Lung boxes as fractions of the image, for naming zones. */
  layout(): ChestLayout {
    const widthMm = this.size.columns * this.size.spacingMm
    const heightMm = this.size.rows * this.size.spacingMm
    const box = (side: SideName): LungBox => {
      const lung = this.lungs[side]
      const sign = side === 'right' ? -1 : 1
      const top = this.toImage(sign * lung.apexS, lung.apexY)
      const bottom = this.toImage(sign * lung.domePeakS, lung.domeY)
      const lateral = this.toImage(sign * lung.wall, 0.6 * lung.domeY)
      const medial = this.toImage(sign * lung.mediastinum(0.6 * lung.domeY), 0.6 * lung.domeY)
      return { top: top.y / heightMm, bottom: bottom.y / heightMm, lateral: lateral.x / widthMm, medial: medial.x / widthMm }
    }
    return { right: box('right'), left: box('left') }
  }

  /** Whether an image position (fractions of width and height) is well inside a lung. */
  insideLung(xFraction: number, yFraction: number): boolean {
    const p = this.toBody(xFraction * this.size.columns * this.size.spacingMm, yFraction * this.size.rows * this.size.spacingMm)
    return this.airFraction(p.x, p.y) > 0.6
  }
}

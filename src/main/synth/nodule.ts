import type { Density } from '../../shared/finding'
import { hashSeed } from '../random'
import { valueNoise } from './prng'
import { displayedRange, type PixelArray, type Radiograph } from './radiograph'

/**
 * Everything needed to draw one nodule again, at any resolution: position and size in mm (from
 * the image's top-left corner), so the same nodule can be drawn into a 256×256 model image or the
 * full-size film, and removed again by drawing it with the opposite sign.
 */
export interface NoduleSpec {
  /** Centre in mm from the image's top-left corner: x across columns, y down rows. */
  centerMm: { x: number; y: number }
  /** Long axis in mm. */
  diameterMm: number
  /** Short axis in mm (equal to the long axis for a round nodule). */
  shortDiameterMm: number
  /** Rotation of the long axis, radians. */
  angle: number
  density: Density
  /** Peak brightness added at the centre, as a fraction of the displayed range (the window's width). */
  contrast: number
  /** Seeds the lobulated outline and ground-glass texture. */
  shapeSeed: number
}

/**
 * A typical visible contrast for a nodule of this size and density, as a fraction of the
 * displayed range: an 8 mm solid nodule adds about an eighth of black-to-white at its centre,
 * one of 3 cm or more 0.3.
 */
export function typicalContrast(diameterMm: number, density: Density): number {
  const solid = Math.min(0.3, 0.0525 + 0.00825 * diameterMm)
  switch (density) {
    case 'ground-glass':
      return solid * 0.5
    case 'part-solid':
      return solid * 0.8
    case 'calcified':
      return solid * 1.6
    case 'solid':
      return solid
  }
}

/** Harmonics of the outline: a little lobulation so nodules are not perfect discs. */
function outlineHarmonics(seed: number): number[] {
  const h: number[] = []
  for (let k = 0; k < 6; k++) h.push((hashSeed(seed, k) / 4294967296) * 2 - 1)
  return h
}

/** Thickness through a sphere of radius 1 at distance r from its centre, relative to the diameter. */
function sphere(r: number): number {
  return r < 1 ? Math.sqrt(1 - r * r) : 0
}

/** A projected sphere of radius 1, with its rim softened over ±edge (blur of the detector and of breathing). */
function softSphere(q: number, edge: number): number {
  return (sphere(q / (1 - edge)) * (1 - edge) + sphere(q) + sphere(q / (1 + edge)) * (1 + edge)) / 3
}

/**
 * Relative thickness (0–1) at normalised radius q (1 = the outline): a projected sphere for solid
 * and calcified nodules, a flat hazy plateau with a soft edge for ground glass, and a ground-glass
 * halo around a solid core for part-solid ones. `edge` is the rim's softness relative to the radius.
 */
function radialProfile(q: number, density: Density, edge: number): number {
  switch (density) {
    case 'solid':
    case 'calcified':
      return softSphere(q, edge)
    case 'ground-glass':
      return 1 / (1 + Math.pow(q / 0.9, 8))
    case 'part-solid':
      return 0.45 / (1 + Math.pow(q / 0.9, 8)) + 0.55 * softSphere(q / 0.45, Math.min(0.3, edge / 0.45))
  }
}

/**
 * Adds (sign +1) or subtracts (sign −1) one nodule into a float buffer of the image's size. This
 * is the only nodule drawing: the phantom generator and the spy-game edits both reach it through
 * noduleLayer (via paintNodule), so an inserted nodule looks like a generated one. Pixels are
 * supersampled where the nodule is small relative to the pixel, so a 4 mm nodule still has the
 * right mass in a 256×256 image. `displayRange` is what a contrast of 1 adds: the width of the
 * window the image is shown through.
 */
function drawNodule(
  target: Float32Array,
  rows: number,
  columns: number,
  spacingMm: readonly [number, number],
  spec: NoduleSpec,
  displayRange: number,
  sign: 1 | -1 = 1
): void {
  const [dy, dx] = spacingMm
  const a = spec.diameterMm / 2
  const b = spec.shortDiameterMm / 2
  const reach = a * 1.4 + 2 * Math.max(dx, dy)
  const x0 = Math.max(0, Math.floor((spec.centerMm.x - reach) / dx))
  const x1 = Math.min(columns - 1, Math.ceil((spec.centerMm.x + reach) / dx))
  const y0 = Math.max(0, Math.floor((spec.centerMm.y - reach) / dy))
  const y1 = Math.min(rows - 1, Math.ceil((spec.centerMm.y + reach) / dy))
  const sub = Math.min(6, Math.max(1, Math.ceil((3 * Math.max(dx, dy)) / b)))
  const harmonics = outlineHarmonics(spec.shapeSeed)
  const cos = Math.cos(spec.angle)
  const sin = Math.sin(spec.angle)
  const amplitude = sign * spec.contrast * displayRange
  const textured = spec.density === 'ground-glass' || spec.density === 'part-solid'
  const edge = Math.min(0.2, 0.5 / b)
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let sum = 0
      for (let sy = 0; sy < sub; sy++) {
        for (let sx = 0; sx < sub; sx++) {
          const px = (x + (sx + 0.5) / sub) * dx - spec.centerMm.x
          const py = (y + (sy + 0.5) / sub) * dy - spec.centerMm.y
          const u = px * cos + py * sin
          const v = -px * sin + py * cos
          const theta = Math.atan2(v, u)
          const outline =
            1 +
            0.05 * (harmonics[0] * Math.cos(2 * theta) + harmonics[1] * Math.sin(2 * theta)) +
            0.04 * (harmonics[2] * Math.cos(3 * theta) + harmonics[3] * Math.sin(3 * theta)) +
            0.03 * (harmonics[4] * Math.cos(5 * theta) + harmonics[5] * Math.sin(5 * theta))
          const q = Math.sqrt((u / a) ** 2 + (v / b) ** 2) / outline
          let value = radialProfile(q, spec.density, edge)
          if (textured && value > 0.01) value *= 0.75 + 0.5 * valueNoise(px, py, 1.2, spec.shapeSeed)
          sum += value
        }
      }
      if (sum > 0) target[y * columns + x] += (amplitude * sum) / (sub * sub)
    }
  }
}

/** Renders a nodule's brightness alone (what it adds to the image) into a new float buffer. */
export function noduleLayer(image: Pick<Radiograph, 'rows' | 'columns' | 'spacingMm' | 'whiteLevel' | 'window'>, spec: NoduleSpec, sign: 1 | -1 = 1): Float32Array {
  const layer = new Float32Array(image.rows * image.columns)
  drawNodule(layer, image.rows, image.columns, image.spacingMm, spec, displayedRange(image), sign)
  return layer
}

/**
 * Adds a layer to pixels and returns a new array of the same type: integers are rounded and
 * clamped to [0, whiteLevel], so adding a layer and then its negative restores the original
 * exactly unless the first addition clipped.
 */
export function addLayer(pixels: PixelArray, layer: Float32Array, whiteLevel: number): PixelArray {
  const out = pixels.slice()
  if (out instanceof Float32Array) {
    for (let i = 0; i < out.length; i++) if (layer[i] !== 0) out[i] = Math.min(whiteLevel, Math.max(0, out[i] + layer[i]))
    return out
  }
  for (let i = 0; i < out.length; i++) {
    if (layer[i] !== 0) out[i] = Math.min(whiteLevel, Math.max(0, Math.round(out[i] + layer[i])))
  }
  return out
}

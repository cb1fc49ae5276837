import type { Density, NoduleItem, RadiographEdit, Zone } from '../../shared/finding'
import { addLayer, noduleLayer, typicalContrast, type NoduleSpec } from './nodule'
import type { Rng } from '../random'
import { DEFAULT_CHEST_LAYOUT, locateInChest, zoneBand, type ChestLayout, type Radiograph } from './radiograph'

/**
 * The spy game's radiograph edits. Each takes any frontal radiograph (a phantom or a real one,
 * full size or a 256×256 model image: sizes come from the pixel spacing), returns a new image
 * (the input is not changed) and describes the change in the finding schema.
 */

/** A nodule in an image: how to draw it again and what a report would say about it. */
export interface PlacedNodule {
  spec: NoduleSpec
  item: NoduleItem
}

export interface EditResult {
  image: Radiograph
  edit: RadiographEdit
  /** The nodule as it is after the edit (null after a removal or a blank). */
  nodule: PlacedNodule | null
}

/** Where the lungs are in the image being edited. */
export interface ChestContext {
  layout: ChestLayout
  /** Whether a position (fractions of width and height) is inside a lung; defaults to ellipses in the layout's boxes. */
  insideLung?: (xFraction: number, yFraction: number) => boolean
}

export interface NoduleRequest {
  diameterMm?: number
  shortDiameterMm?: number
  density?: Density
  side?: 'right' | 'left'
  zone?: Zone
}

const DEFAULT_CONTEXT: ChestContext = { layout: DEFAULT_CHEST_LAYOUT }

/**
 * Sizes of the nodules a chest-film report describes: 8–30 mm, smaller ones more common. Below
 * about 8–10 mm a nodule is usually invisible on a radiograph (it is found on CT), so a film
 * report naming a 4 mm nodule would teach the model to see what no reader can.
 */
export function sampleDiameterMm(rng: Rng): number {
  return Math.round((8 + 22 * Math.pow(rng.next(), 1.5)) * 10) / 10
}

/** Densities as films show them: pure ground glass is faint on a radiograph and rarely reported from one. */
export function sampleDensity(rng: Rng): Density {
  return rng.weighted<Density>([
    ['solid', 0.7],
    ['ground-glass', 0.1],
    ['part-solid', 0.12],
    ['calcified', 0.08]
  ])
}

/** The finding-schema description of a drawn nodule. */
export function describeNodule(spec: NoduleSpec, image: Pick<Radiograph, 'rows' | 'columns' | 'spacingMm'>, layout: ChestLayout): NoduleItem {
  const widthMm = image.columns * image.spacingMm[1]
  const heightMm = image.rows * image.spacingMm[0]
  const place = locateInChest(spec.centerMm.x / widthMm, spec.centerMm.y / heightMm, layout)
  return {
    sizeMm: round1(spec.diameterMm),
    sizeShortMm: round1(spec.shortDiameterMm),
    side: place.side,
    zone: place.zone,
    lobe: place.lobe,
    density: spec.density,
    certainty: 'definite',
    evidence: null
  }
}

/**
 * Chooses a nodule inside the lungs: the requested side and zone (else random ones), a position
 * that is inside the lung and leaves the whole nodule in the image, and a typical look for its
 * size and density.
 */
export function planNodule(
  image: Pick<Radiograph, 'rows' | 'columns' | 'spacingMm'>,
  rng: Rng,
  context: ChestContext = DEFAULT_CONTEXT,
  request: NoduleRequest = {}
): PlacedNodule {
  const diameterMm = request.diameterMm ?? sampleDiameterMm(rng)
  const shortDiameterMm = request.shortDiameterMm ?? round1(diameterMm * rng.uniform(0.75, 1))
  const density = request.density ?? sampleDensity(rng)
  const side = request.side ?? rng.pick(['right', 'left'] as const)
  const zone = request.zone ?? rng.pick(['upper', 'middle', 'lower'] as const)
  const widthMm = image.columns * image.spacingMm[1]
  const heightMm = image.rows * image.spacingMm[0]
  const box = context.layout[side]
  const [top, bottom] = zoneBand(box, zone)
  const inside = context.insideLung ?? ((x: number, y: number) => insideBoxEllipse(context.layout, x, y))
  const margin = (0.75 * diameterMm) / Math.min(widthMm, heightMm)
  let x = (box.lateral + box.medial) / 2
  let y = (top + bottom) / 2
  for (let attempt = 0; attempt < 400; attempt++) {
    const cx = rng.uniform(Math.min(box.lateral, box.medial), Math.max(box.lateral, box.medial))
    const cy = rng.uniform(top, bottom)
    const fits = cx > margin && cx < 1 - margin && cy > margin && cy < 1 - margin
    if (fits && inside(cx, cy) && locateInChest(cx, cy, context.layout).zone === zone) {
      x = cx
      y = cy
      break
    }
  }
  const spec: NoduleSpec = {
    centerMm: { x: x * widthMm, y: y * heightMm },
    diameterMm,
    shortDiameterMm: Math.min(diameterMm, shortDiameterMm),
    angle: rng.uniform(0, Math.PI),
    density,
    contrast: typicalContrast(diameterMm, density) * rng.uniform(0.85, 1.15),
    shapeSeed: rng.int(0, 2 ** 31)
  }
  return { spec, item: describeNodule(spec, image, context.layout) }
}

function insideBoxEllipse(layout: ChestLayout, x: number, y: number): boolean {
  return (['right', 'left'] as const).some((side) => {
    const b = layout[side]
    const cx = (b.lateral + b.medial) / 2
    const cy = (b.top + b.bottom) / 2
    const rx = Math.abs(b.medial - b.lateral) / 2
    const ry = (b.bottom - b.top) / 2
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 0.7
  })
}

/** Draws (sign +1) or erases (sign −1) a nodule into a copy of the image. */
export function paintNodule(image: Radiograph, spec: NoduleSpec, sign: 1 | -1): Radiograph {
  return { ...image, pixels: addLayer(image.pixels, noduleLayer(image, spec, sign), image.whiteLevel) }
}

export function insertNodule(image: Radiograph, rng: Rng, context: ChestContext = DEFAULT_CONTEXT, request: NoduleRequest = {}): EditResult {
  const nodule = planNodule(image, rng, context, request)
  return { image: paintNodule(image, nodule.spec, 1), edit: { kind: 'insert', before: null, after: nodule.item }, nodule }
}

/** Removes a nodule this module drew (inserted by an edit, or drawn by the phantom generator). */
export function removeInsertedNodule(image: Radiograph, nodule: PlacedNodule): EditResult {
  return { image: paintNodule(image, nodule.spec, -1), edit: { kind: 'remove', before: nodule.item, after: null }, nodule: null }
}

/** Moves a drawn nodule to another zone (a different one from where it is, unless `to` names one). */
export function moveNodule(
  image: Radiograph,
  nodule: PlacedNodule,
  rng: Rng,
  context: ChestContext = DEFAULT_CONTEXT,
  to: { side?: 'right' | 'left'; zone?: Zone } = {}
): EditResult {
  const here = nodule.item
  const zones = (['upper', 'middle', 'lower'] as const).filter((z) => z !== here.zone || (to.side !== undefined && to.side !== here.side))
  const zone = to.zone ?? rng.pick(zones.length ? zones : (['upper', 'middle', 'lower'] as const))
  const side = to.side ?? (here.side === 'left' || here.side === 'right' ? here.side : 'right')
  const target = planNodule(image, rng, context, {
    diameterMm: nodule.spec.diameterMm,
    shortDiameterMm: nodule.spec.shortDiameterMm,
    density: nodule.spec.density,
    side,
    zone
  })
  const spec: NoduleSpec = { ...nodule.spec, centerMm: target.spec.centerMm }
  const moved = { spec, item: describeNodule(spec, image, context.layout) }
  const cleared = paintNodule(image, nodule.spec, -1)
  return { image: paintNodule(cleared, spec, 1), edit: { kind: 'move', before: here, after: moved.item }, nodule: moved }
}

/** Redraws a drawn nodule at a new long-axis size (mm), keeping its shape, place and density. */
export function resizeNodule(image: Radiograph, nodule: PlacedNodule, diameterMm: number, context: ChestContext = DEFAULT_CONTEXT): EditResult {
  if (!(diameterMm > 0)) throw new Error(`resizeNodule: diameter must be positive, got ${diameterMm}`)
  const ratio = diameterMm / nodule.spec.diameterMm
  const spec: NoduleSpec = {
    ...nodule.spec,
    diameterMm,
    shortDiameterMm: round1(nodule.spec.shortDiameterMm * ratio),
    contrast: (nodule.spec.contrast * typicalContrast(diameterMm, nodule.spec.density)) / typicalContrast(nodule.spec.diameterMm, nodule.spec.density)
  }
  const resized = { spec, item: describeNodule(spec, image, context.layout) }
  const cleared = paintNodule(image, nodule.spec, -1)
  return { image: paintNodule(cleared, spec, 1), edit: { kind: 'resize', before: nodule.item, after: resized.item }, nodule: resized }
}

/** A blank image of the same size: every pixel at the image's mean level (the spy game's "no radiograph"). */
export function blankImage(image: Radiograph): EditResult {
  let sum = 0
  for (let i = 0; i < image.pixels.length; i++) sum += image.pixels[i]
  const mean = sum / image.pixels.length
  const pixels = image.pixels.slice()
  pixels.fill(pixels instanceof Float32Array ? mean : Math.round(mean))
  return { image: { ...image, pixels }, edit: { kind: 'blank', before: null, after: null }, nodule: null }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}

import type { Lobe, Side, Zone } from '../../shared/finding'

/** Pixel storage the generator and the edits accept: 8-bit model images, 12/16-bit film, float. */
export type PixelArray = Uint8Array | Uint16Array | Float32Array

/**
 * A frontal chest radiograph as pixels in display order (higher value = whiter = denser, i.e.
 * MONOCHROME2 after any inversion), with its pixel size so millimetres can be turned into pixels.
 */
export interface Radiograph {
  pixels: PixelArray
  rows: number
  columns: number
  /** Pixel size in mm: [between rows (vertical), between columns (horizontal)]. */
  spacingMm: readonly [number, number]
  /** The largest value the pixels hold (4095 for 12-bit, 255 for 8-bit, 1 for float). */
  whiteLevel: number
  /**
   * The window a reader sees the film through, in pixel values. Nodule contrast is a fraction of
   * its width, so a nodule drawn into the film and one drawn into the windowed 8-bit model image
   * (no window: the whole 0–whiteLevel range is shown) look alike once displayed.
   */
  window?: DisplayWindow
}

/** A linear display window: `width` pixel values centred on `center` span black to white. */
export interface DisplayWindow {
  center: number
  width: number
}

/** The range a nodule's contrast is a fraction of: the window's width, else the whole range. */
export function displayedRange(image: Pick<Radiograph, 'whiteLevel' | 'window'>): number {
  return image.window?.width ?? image.whiteLevel
}

/** One lung's extent as fractions of the image (x of columns, y of rows), so it holds at any resolution. */
export interface LungBox {
  top: number
  bottom: number
  /** Towards the image edge. */
  lateral: number
  /** Towards the midline. */
  medial: number
}

/**
 * Where the lungs lie on a PA film: the patient's right lung is on the image left. Used to name a
 * nodule's side, zone and lobe from its position, and to choose positions inside the lungs.
 */
export interface ChestLayout {
  right: LungBox
  left: LungBox
}

/**
 * A typical adult PA layout (the mean of the phantom cohort's), for radiographs whose lungs the
 * caller has not located.
 */
export const DEFAULT_CHEST_LAYOUT: ChestLayout = {
  right: { top: 0.14, bottom: 0.74, lateral: 0.13, medial: 0.44 },
  left: { top: 0.15, bottom: 0.76, lateral: 0.87, medial: 0.57 }
}

/**
 * A layout of the film as placed inside a larger image (a model image pads the film to a square):
 * `box` is the film's extent in fractions of that image.
 */
export function layoutWithin(layout: ChestLayout, box: { left: number; top: number; width: number; height: number }): ChestLayout {
  const place = (lung: LungBox): LungBox => ({
    top: box.top + lung.top * box.height,
    bottom: box.top + lung.bottom * box.height,
    lateral: box.left + lung.lateral * box.width,
    medial: box.left + lung.medial * box.width
  })
  return { right: place(layout.right), left: place(layout.left) }
}

export interface ChestLocation {
  side: Exclude<Side, 'bilateral'>
  zone: Zone
  lobe: Lobe
}

const LOBE_BY_ZONE: Record<'right' | 'left', Record<Zone, Lobe>> = {
  right: { upper: 'RUL', middle: 'RML', lower: 'RLL' },
  left: { upper: 'LUL', middle: 'lingula', lower: 'LLL' }
}

/**
 * Names the side, radiographic zone (thirds of the lung height) and the lobe that most often
 * projects there. The lobe is approximate: lobes overlap on a frontal film.
 */
export function locateInChest(xFraction: number, yFraction: number, layout: ChestLayout): ChestLocation {
  const midline = (layout.right.medial + layout.left.medial) / 2
  const side = xFraction < midline ? 'right' : 'left'
  const box = layout[side]
  const t = (yFraction - box.top) / (box.bottom - box.top)
  const zone: Zone = t < 1 / 3 ? 'upper' : t < 2 / 3 ? 'middle' : 'lower'
  return { side, zone, lobe: LOBE_BY_ZONE[side][zone] }
}

/** The vertical band of a zone within a lung box, as fractions of the image height. */
export function zoneBand(box: LungBox, zone: Zone): [number, number] {
  const third = (box.bottom - box.top) / 3
  const index = zone === 'upper' ? 0 : zone === 'middle' ? 1 : 2
  return [box.top + index * third, box.top + (index + 1) * third]
}


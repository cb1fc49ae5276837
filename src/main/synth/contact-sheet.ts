import { PNG } from 'pngjs'
import type { NoduleItem } from '../../shared/finding'
import { GLYPH_HEIGHT, drawText } from './bitmap-font'
import type { PlacedNodule } from './edits'
import type { Radiograph } from './radiograph'

/**
 * A contact sheet: radiographs shrunk to tiles in a grid, each with a label strip, and thin rings
 * around the nodules the truth knows of, so a person can check at a glance that the phantoms look
 * like chest films and that the nodules and edits are where the truth says.
 */

export interface SheetTile {
  /** A grey thumbnail, 0–255, already at tile size or larger (it is shrunk to fit). */
  grey: Uint8Array
  width: number
  height: number
  label: string
  /** Nodules to ring, with centres in the thumbnail's pixels and radius in pixels. */
  rings: Array<{ x: number; y: number; radius: number }>
}

export interface Thumbnail {
  grey: Uint8Array
  width: number
  height: number
  /** Thumbnail pixels per image pixel. */
  scale: number
}

/** Shrinks a radiograph to fit `maxSide` (area averaging) and maps its values to 0–255 by its white level. */
export function thumbnail(image: Radiograph, maxSide: number): Thumbnail {
  const factor = Math.max(1, Math.ceil(Math.max(image.rows, image.columns) / maxSide))
  const width = Math.floor(image.columns / factor)
  const height = Math.floor(image.rows / factor)
  const grey = new Uint8Array(width * height)
  const norm = 255 / (image.whiteLevel * factor * factor)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * image.columns + x * factor
        for (let dx = 0; dx < factor; dx++) sum += image.pixels[row + dx]
      }
      grey[y * width + x] = Math.min(255, Math.round(sum * norm))
    }
  }
  return { grey, width, height, scale: 1 / factor }
}

/** Rings for the nodules of an image shown at `scale` (thumbnail pixels per image pixel). */
export function noduleRings(nodules: PlacedNodule[], image: Pick<Radiograph, 'spacingMm'>, scale: number): SheetTile['rings'] {
  return nodules.map((n) => ({
    x: (n.spec.centerMm.x / image.spacingMm[1]) * scale,
    y: (n.spec.centerMm.y / image.spacingMm[0]) * scale,
    radius: Math.max(5, ((n.spec.diameterMm / image.spacingMm[1]) * scale) / 2 + 4)
  }))
}

/** A short upper-case description of a finding item, e.g. "R UPPER 12MM GGN". */
export function itemLabel(item: NoduleItem): string {
  const side = item.side === 'right' ? 'R' : item.side === 'left' ? 'L' : 'B'
  const density = item.density === 'ground-glass' ? ' GGN' : item.density === 'part-solid' ? ' PSN' : item.density === 'calcified' ? ' CALC' : ''
  return `${side} ${(item.zone ?? '').toUpperCase()} ${Math.round(item.sizeMm ?? 0)}MM${density}`
}

export function composeSheet(tiles: SheetTile[], columns: number, tileSide: number): Uint8Array {
  const labelHeight = GLYPH_HEIGHT * 2 + 4
  const cellHeight = tileSide + labelHeight
  const rows = Math.ceil(tiles.length / columns)
  const width = columns * tileSide
  const height = rows * cellHeight
  const grey = new Uint8Array(width * height)
  tiles.forEach((tile, i) => {
    const ox = (i % columns) * tileSide
    const oy = Math.floor(i / columns) * cellHeight
    drawText(grey, width, height, ox + 4, oy + 2, tile.label, 255, 2)
    const fx = Math.floor((tileSide - tile.width) / 2)
    const fy = Math.floor((tileSide - tile.height) / 2)
    for (let y = 0; y < Math.min(tile.height, tileSide); y++) {
      for (let x = 0; x < Math.min(tile.width, tileSide); x++) {
        const tx = ox + Math.max(0, fx) + x
        const ty = oy + labelHeight + Math.max(0, fy) + y
        if (tx < ox + tileSide && ty < oy + cellHeight) grey[ty * width + tx] = tile.grey[y * tile.width + x]
      }
    }
    for (const ring of tile.rings) drawRing(grey, width, ox + Math.max(0, fx) + ring.x, oy + labelHeight + Math.max(0, fy) + ring.y, ring.radius, ox, ox + tileSide)
  })
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false })
  png.data = Buffer.from(grey)
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false })
}

/** A dashed ring (so the nodule itself stays visible), clipped to its tile. */
function drawRing(grey: Uint8Array, width: number, cx: number, cy: number, radius: number, minX: number, maxX: number): void {
  const steps = Math.ceil(2 * Math.PI * radius * 2)
  for (let s = 0; s < steps; s++) {
    if (s % 8 >= 5) continue
    const a = (2 * Math.PI * s) / steps
    const x = Math.round(cx + radius * Math.cos(a))
    const y = Math.round(cy + radius * Math.sin(a))
    if (x >= minX && x < maxX && y >= 0 && y * width + x < grey.length) grey[y * width + x] = 255
  }
}

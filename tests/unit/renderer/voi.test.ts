import { describe, expect, it } from 'vitest'
import type { DisplayImage } from '../../../src/shared/contract'
import { renderVoi } from '../../../src/main/dicom/display'
import { autoWindow, decodePixels, displayTable, filePresets, lengthMm } from '../../../src/renderer/src/lib/voi'

/** A display image as images.display returns it, from plain pixel values. */
function displayImage(values: number[], width: number, overrides: Partial<DisplayImage> = {}): DisplayImage {
  const bytes = Buffer.alloc(values.length * 2)
  values.forEach((v, i) => bytes.writeUInt16LE(v, 2 * i))
  return {
    imageId: 1,
    width,
    height: values.length / width,
    pixels: bytes.toString('base64'),
    valueOffset: 0,
    valueScale: 1,
    sourceWidth: width,
    sourceHeight: values.length / width,
    windows: [],
    voiLutFunction: 'LINEAR',
    voiLuts: [],
    invert: false,
    spacing: { rowMm: null, colMm: null, kind: 'none' },
    patientOrientation: null,
    padding: null,
    tags: {},
    ...overrides
  }
}

describe('renderer windowing (PS3.3 C.11.2)', () => {
  it('decodes the little-endian pixels and finds their maximum', () => {
    const pixels = decodePixels(displayImage([0, 1, 4095, 65535], 2))
    expect(Array.from(pixels.values)).toEqual([0, 1, 4095, 65535])
    expect(pixels.max).toBe(65535)
  })

  it('applies a LINEAR window to modality values (offset + scale × pixel), with both inversions combining', () => {
    // Modality value = -1024 + 2 × pixel; window C 0 W 100 covers pixels 487..537.
    const image = displayImage([0], 1, { valueOffset: -1024, valueScale: 2 })
    const voi = { kind: 'window' as const, center: 0, width: 101, label: null }
    const table = displayTable(image, 1000, voi, false)
    expect(table[0]).toBe(0)
    expect(table[486]).toBe(0)
    expect(table[512]).toBe(129) // (x − (c − ½)) / (w − 1) + ½ at x = c
    expect(table[540]).toBe(255)
    expect(table[1000]).toBe(255)
    // MONOCHROME1 (the image's invert) shows low values white; the reader's invert flips it back.
    const mono1 = displayImage([0], 1, { valueOffset: -1024, valueScale: 2, invert: true })
    expect(displayTable(mono1, 1000, voi, false)[0]).toBe(255)
    expect(displayTable(mono1, 1000, voi, true)[0]).toBe(0)
  })

  it.each(['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as const)('%s gives the same greys as the main side display pipeline', (fn) => {
    const image = displayImage([0], 1, { valueOffset: -200, valueScale: 0.5, voiLutFunction: fn })
    const max = 4000
    const modality = Float32Array.from({ length: max + 1 }, (_, p) => -200 + 0.5 * p)
    for (const [center, width] of [[300, 800], [-50, 37], [900, 2]]) {
      const expected = renderVoi(modality, { kind: 'window', center, width, fn, source: 'file', explanation: null }, false)
      expect(Array.from(displayTable(image, max, { kind: 'window', center, width, label: null }, false))).toEqual(Array.from(expected))
    }
  })

  it('looks values up in the file VOI LUT, clamping outside its range, and lists it after the window presets', () => {
    const image = displayImage([0], 1, {
      windows: [{ center: 40, width: 400, explanation: 'SOFT' }],
      voiLuts: [{ firstMapped: 10, bitsPerEntry: 8, explanation: 'CURVE', data: [0, 51, 102, 255] }]
    })
    const presets = filePresets(image)
    expect(presets.map((p) => [p.kind, p.label])).toEqual([
      ['window', 'SOFT'],
      ['lut', 'CURVE']
    ])
    const table = displayTable(image, 20, presets[1], false)
    expect(Array.from(table.slice(9, 15))).toEqual([0, 0, 51, 102, 255, 255])
  })

  it('auto-windows on the 1st–99th percentile of the central 80 %, ignoring a bright border', () => {
    const width = 20
    const values = Array.from({ length: 400 }, (_, i) => {
      const x = i % width
      const y = Math.floor(i / width)
      const border = x < 2 || x >= 18 || y < 2 || y >= 18
      return border ? 60000 : 1000 + ((x + y) % 10) * 10
    })
    const image = displayImage(values, width)
    const voi = autoWindow(image, decodePixels(image))
    expect(voi.center).toBeGreaterThan(1000)
    expect(voi.center).toBeLessThan(1100)
    expect(voi.width).toBeLessThanOrEqual(90)
  })

  it('auto-windows without the padding pixels, in modality values (offset and scale applied)', () => {
    const width = 20
    // Stored 0 is padding (modality −1024 with offset −1024); a third of the centre is padding.
    const values = Array.from({ length: 400 }, (_, i) => (i % width < 8 ? 0 : 2000 + (i % 7) * 10))
    const image = displayImage(values, width, { valueOffset: -1024, padding: { low: -1024, high: -1024 } })
    const voi = autoWindow(image, decodePixels(image))
    expect(voi.center - voi.width / 2).toBeGreaterThanOrEqual(2000 - 1024)
    const unpadded = autoWindow({ ...image, padding: null }, decodePixels(image))
    expect(unpadded.center - unpadded.width / 2).toBe(-1024)
  })

  it('measures length in mm of the acquired pixels, through the display downscale', () => {
    // Display 100 px wide for a 400 px source: one display pixel is 4 source pixels of 0.2 mm.
    const image = displayImage(new Array(100 * 50).fill(0), 100, { sourceWidth: 400, sourceHeight: 200, spacing: { rowMm: 0.1, colMm: 0.2, kind: 'imager' } })
    expect(lengthMm(image, 10, 0)).toBeCloseTo(8)
    expect(lengthMm(image, 0, 10)).toBeCloseTo(4)
    expect(lengthMm(displayImage([0], 1), 3, 4)).toBeNull()
  })
})

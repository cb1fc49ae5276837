import { describe, expect, it } from 'vitest'
import { applyModalityTransform, defaultVoi, percentileWindow, renderVoi, windowValue } from '../../../src/main/dicom/display'
import type { DisplayTags, Lut } from '../../../src/main/dicom/header'
import { quantise16 } from '../../../src/main/dicom/image-products'
import { decodeGrayPng, encodeGrayPng } from '../../../src/main/dicom/png'
import { fitWithin, modelImage, resampleArea } from '../../../src/main/dicom/resample'

const tags = (over: Partial<DisplayTags> = {}): DisplayTags => ({
  rescaleSlope: 1,
  rescaleIntercept: 0,
  rescaleType: null,
  modalityLut: null,
  windows: [],
  voiLutFunction: 'LINEAR',
  voiLuts: [],
  invert: false,
  padding: null,
  ...over
})

describe('VOI functions (PS3.3 C.11.2.1.2)', () => {
  it('LINEAR follows the standard breakpoints, with w − 1 in the slope', () => {
    // c = 2048, w = 4096: below c − 0.5 − (w − 1)/2 = 0 is black, above 4095 is white.
    expect(windowValue(0, 2048, 4096, 'LINEAR')).toBe(0)
    expect(windowValue(4096, 2048, 4096, 'LINEAR')).toBe(1)
    expect(windowValue(2047.5, 2048, 4096, 'LINEAR')).toBeCloseTo(0.5, 10)
    expect(windowValue(1, 2048, 4096, 'LINEAR')).toBeCloseTo((1 - 2047.5) / 4095 + 0.5, 10)
  })

  it('LINEAR_EXACT and SIGMOID', () => {
    expect(windowValue(100, 100, 50, 'LINEAR_EXACT')).toBe(0.5)
    expect(windowValue(75, 100, 50, 'LINEAR_EXACT')).toBe(0)
    expect(windowValue(112.5, 100, 50, 'LINEAR_EXACT')).toBe(0.75)
    expect(windowValue(100, 100, 50, 'SIGMOID')).toBe(0.5)
    expect(windowValue(125, 100, 50, 'SIGMOID')).toBeCloseTo(1 / (1 + Math.exp(-2)), 10)
  })

  it('inverts MONOCHROME1 after the VOI', () => {
    const values = Float32Array.from([0, 50, 100])
    const voi = { kind: 'window' as const, center: 50, width: 100, fn: 'LINEAR_EXACT' as const, source: 'file' as const, explanation: null }
    expect(Array.from(renderVoi(values, voi, false))).toEqual([0, 128, 255])
    expect(Array.from(renderVoi(values, voi, true))).toEqual([255, 128, 0])
  })

  it('applies a VOI LUT table, clamping inputs outside it', () => {
    const lut: Lut = { firstMapped: 10, bitsPerEntry: 8, data: Uint16Array.from([0, 255, 100]), explanation: null }
    expect(Array.from(renderVoi(Float32Array.from([0, 11, 12, 99]), { kind: 'lut', lut, source: 'file' }, false))).toEqual([0, 255, 100, 100])
  })

  it('rescale and Modality LUT give modality values', () => {
    expect(Array.from(applyModalityTransform(Float32Array.from([0, 10]), tags({ rescaleSlope: 2, rescaleIntercept: -1024 })))).toEqual([-1024, -1004])
    const modalityLut: Lut = { firstMapped: 0, bitsPerEntry: 16, data: Uint16Array.from([5, 6, 7]), explanation: null }
    expect(Array.from(applyModalityTransform(Float32Array.from([0, 2, 9]), tags({ modalityLut, rescaleSlope: 3 })))).toEqual([5, 7, 7])
  })
})

describe('default VOI', () => {
  it('prefers the first window pair, then the VOI LUT, then the auto window', () => {
    const values = new Float32Array(100)
    const lut: Lut = { firstMapped: 0, bitsPerEntry: 8, data: new Uint16Array(4), explanation: 'NORMAL' }
    const first = defaultVoi(tags({ windows: [{ center: 1, width: 2, explanation: 'A' }, { center: 3, width: 4, explanation: 'B' }], voiLuts: [lut] }), values, 10, 10)
    expect(first).toMatchObject({ kind: 'window', center: 1, width: 2, source: 'file' })
    expect(defaultVoi(tags({ voiLuts: [lut] }), values, 10, 10)).toMatchObject({ kind: 'lut', source: 'file' })
    expect(defaultVoi(tags(), values, 10, 10)).toMatchObject({ kind: 'window', source: 'auto' })
  })

  it('passes over a file window the film does not fill or lies outside, for the next window, the VOI LUT or the auto window', () => {
    // a 12-bit film whose lung and mediastinum span 600–3400
    const w = 64
    const values = Float32Array.from({ length: w * w }, (_, i) => 600 + ((i * 37) % 2800))
    const good = { center: 2000, width: 2400, explanation: 'LUNG' }
    const placeholder = { center: 0, width: 1, explanation: null }
    const sixteenBit = { center: 32768, width: 65536, explanation: null }
    const outside = { center: 9000, width: 2000, explanation: null }
    for (const unfit of [placeholder, sixteenBit, outside]) {
      expect(defaultVoi(tags({ windows: [unfit, good] }), values, w, w)).toMatchObject({ kind: 'window', source: 'file', center: 2000, width: 2400 })
      const auto = defaultVoi(tags({ windows: [unfit] }), values, w, w)
      expect(auto).toMatchObject({ kind: 'window', source: 'auto', explanation: `the file's window ${unfit.center}/${unfit.width} does not fit the film's values` })
      expect(auto.kind === 'window' && auto.center - auto.width / 2).toBeLessThan(700)
    }
    const lut: Lut = { firstMapped: 0, bitsPerEntry: 8, data: new Uint16Array(4096), explanation: 'NORMAL' }
    expect(defaultVoi(tags({ windows: [placeholder], voiLuts: [lut] }), values, w, w)).toMatchObject({ kind: 'lut', source: 'file' })
    // a narrow window over part of the values is a reader's choice, not a fault
    expect(defaultVoi(tags({ windows: [{ center: 1500, width: 400, explanation: 'MEDIASTINUM' }] }), values, w, w)).toMatchObject({ source: 'file', width: 400 })
  })

  it('the percentile window ignores a saturated collimator border', () => {
    const w = 100
    const values = new Float32Array(w * w)
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const border = x < 8 || y < 8 || x >= w - 8 || y >= w - 8
        values[y * w + x] = border ? 65535 : 1000 + ((x * 7 + y * 13) % 1000)
      }
    const win = percentileWindow(values, w, w)
    expect(win.center - win.width / 2).toBeGreaterThanOrEqual(1000)
    expect(win.center + win.width / 2).toBeLessThanOrEqual(2000)
  })

  it('the percentile window leaves out padding, even where it reaches into the middle', () => {
    // A round exposed field on a square detector: a third of the central region is padding (0).
    const w = 100
    const values = Float32Array.from({ length: w * w }, (_, i) => (Math.hypot((i % w) - 50, Math.floor(i / w) - 50) > 30 ? 0 : 1000 + (i % 1000)))
    const plain = percentileWindow(values, w, w)
    expect(plain.center - plain.width / 2).toBe(0)
    const win = percentileWindow(values, w, w, { low: 0, high: 0 })
    expect(win.center - win.width / 2).toBeGreaterThanOrEqual(1000)
    expect(defaultVoi(tags({ padding: { low: 0, high: 0 } }), values, w, w)).toMatchObject({ kind: 'window', source: 'auto', center: win.center, width: win.width })
  })
})

describe('resampling and stored images', () => {
  it('area resampling keeps the mean and fits the long side', () => {
    const src = Float32Array.from({ length: 30 * 20 }, (_, i) => i % 7)
    const size = fitWithin(30, 20, 12)
    expect(size).toEqual({ width: 12, height: 8 })
    const out = resampleArea(src, 30, 20, size.width, size.height)
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length
    expect(mean(out)).toBeCloseTo(mean(src), 4)
    expect(fitWithin(500, 400, 1024)).toEqual({ width: 500, height: 400 })
  })

  it('an exact shrink factor averages each block', () => {
    const src = Float32Array.from([1, 3, 10, 20, 5, 7, 30, 40, 0, 0, 2, 2, 0, 4, 2, 2])
    expect(Array.from(resampleArea(src, 4, 4, 2, 2))).toEqual([4, 25, 1, 2])
  })

  it('the model image keeps the aspect ratio by padding with black', () => {
    const rendered = new Uint8Array(40 * 20).fill(200)
    const img = modelImage(rendered, 40, 20, 16)
    expect(img.length).toBe(256)
    expect(img[0]).toBe(0) // top padding row
    expect(img[8 * 16 + 8]).toBe(200) // centre
    expect(img[15 * 16]).toBe(0) // bottom padding row
  })

  it('16-bit display PNGs round-trip exactly, negatives through the offset', () => {
    const values = Float32Array.from([-1024, 0, 3071, 12])
    const q = quantise16(values)
    expect(q.scale).toBe(1)
    const back = decodeGrayPng(encodeGrayPng(q.pixels, 2, 2))
    expect(back.pixels).toBeInstanceOf(Uint16Array)
    expect(Array.from(back.pixels, (p) => p * q.scale + q.offset)).toEqual([-1024, 0, 3071, 12])
    const eight = decodeGrayPng(encodeGrayPng(Uint8Array.from([0, 7, 255, 128]), 2, 2))
    expect(Array.from(eight.pixels)).toEqual([0, 7, 255, 128])
  })
})

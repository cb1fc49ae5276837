/**
 * A 5×7 bitmap font (upper-case letters, digits and a few signs) for labelling contact-sheet
 * tiles without a font renderer. Each glyph is 7 rows of 5 bits, most significant bit leftmost.
 */
const GLYPHS: Record<string, number[]> = {
  A: [14, 17, 17, 31, 17, 17, 17],
  B: [30, 17, 17, 30, 17, 17, 30],
  C: [14, 17, 16, 16, 16, 17, 14],
  D: [30, 17, 17, 17, 17, 17, 30],
  E: [31, 16, 16, 30, 16, 16, 31],
  F: [31, 16, 16, 30, 16, 16, 16],
  G: [14, 17, 16, 23, 17, 17, 15],
  H: [17, 17, 17, 31, 17, 17, 17],
  I: [14, 4, 4, 4, 4, 4, 14],
  J: [7, 2, 2, 2, 2, 18, 12],
  K: [17, 18, 20, 24, 20, 18, 17],
  L: [16, 16, 16, 16, 16, 16, 31],
  M: [17, 27, 21, 21, 17, 17, 17],
  N: [17, 17, 25, 21, 19, 17, 17],
  O: [14, 17, 17, 17, 17, 17, 14],
  P: [30, 17, 17, 30, 16, 16, 16],
  Q: [14, 17, 17, 17, 21, 18, 13],
  R: [30, 17, 17, 30, 20, 18, 17],
  S: [15, 16, 16, 14, 1, 1, 30],
  T: [31, 4, 4, 4, 4, 4, 4],
  U: [17, 17, 17, 17, 17, 17, 14],
  V: [17, 17, 17, 17, 17, 10, 4],
  W: [17, 17, 17, 21, 21, 21, 10],
  X: [17, 17, 10, 4, 10, 17, 17],
  Y: [17, 17, 10, 4, 4, 4, 4],
  Z: [31, 1, 2, 4, 8, 16, 31],
  '0': [14, 17, 19, 21, 25, 17, 14],
  '1': [4, 12, 4, 4, 4, 4, 14],
  '2': [14, 17, 1, 2, 4, 8, 31],
  '3': [31, 2, 4, 2, 1, 17, 14],
  '4': [2, 6, 10, 18, 31, 2, 2],
  '5': [31, 16, 30, 1, 1, 17, 14],
  '6': [6, 8, 16, 30, 17, 17, 14],
  '7': [31, 1, 2, 4, 8, 8, 8],
  '8': [14, 17, 17, 14, 17, 17, 14],
  '9': [14, 17, 17, 15, 1, 2, 12],
  '.': [0, 0, 0, 0, 0, 12, 12],
  ':': [0, 12, 12, 0, 12, 12, 0],
  '-': [0, 0, 0, 31, 0, 0, 0],
  '/': [1, 1, 2, 4, 8, 16, 16],
  '#': [10, 10, 31, 10, 31, 10, 10],
  '+': [0, 4, 4, 31, 4, 4, 0],
  ' ': [0, 0, 0, 0, 0, 0, 0]
}

/** Whether the glyph's cell (column 0–4, row 0–6) is set. */
export function glyphBit(ch: string, column: number, row: number): boolean {
  const rows = GLYPHS[ch.toUpperCase()] ?? GLYPHS[' ']
  return row >= 0 && row < 7 && column >= 0 && column < 5 && ((rows[row] >> (4 - column)) & 1) === 1
}

const GLYPH_WIDTH = 6
export const GLYPH_HEIGHT = 8

/** Draws text into an 8-bit grey image at (x, y) with the given value and integer scale. */
export function drawText(grey: Uint8Array, width: number, height: number, x: number, y: number, text: string, value: number, scale = 1): void {
  let cx = x
  for (const ch of text.toUpperCase()) {
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        if (!glyphBit(ch, c, r)) continue
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) {
            const px = cx + c * scale + sx
            const py = y + r * scale + sy
            if (px >= 0 && px < width && py >= 0 && py < height) grey[py * width + px] = value
          }
        }
      }
    }
    cx += GLYPH_WIDTH * scale
  }
}

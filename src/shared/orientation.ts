/**
 * Patient orientation (PS3.3 C.7.6.1.1.1): PatientOrientation (0020,0020) gives the patient
 * direction along the rows (left to right) and the columns (top to bottom), in the letters L/R
 * (left/right), A/P (anterior/posterior), H/F (head/feet). The importer turns a frontal film
 * stored mirrored, upside down or on its side into the standard frame for the model by it; the
 * viewer labels each screen edge with the direction it faces, after the reader's flips, and places
 * a finding's side by it.
 */

export interface Orientation {
  /** Direction the rows run in, left to right: "L" on a standard frontal film. */
  row: string
  /** Direction the columns run in, top to bottom: "F" on a standard frontal film. */
  column: string
}

export interface Flip {
  horizontal: boolean
  vertical: boolean
}

const oppositeLetter: Record<string, string> = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' }

/** "L\F" → { row: 'L', column: 'F' }; null when absent or not two runs of orientation letters. */
export function parseOrientation(value: string | null): Orientation | null {
  const parts = value?.toUpperCase().split('\\').map((p) => p.trim()) ?? []
  if (parts.length !== 2 || !parts.every((p) => /^[LRAPHF]+$/.test(p))) return null
  return { row: parts[0], column: parts[1] }
}

/** The opposite direction, letter by letter ("LF" → "RH"). */
export function opposite(direction: string): string {
  return [...direction].map((c) => oppositeLetter[c]).join('')
}

/** Flips after an optional transpose (rows and columns swapped), the first applied first. */
export interface Reorientation extends Flip {
  transpose: boolean
}

/** The direction each screen edge faces once the view turned the stored film by `view`. */
export function edgeLabels(o: Orientation, view: Reorientation): { left: string; right: string; top: string; bottom: string } {
  const turned = view.transpose ? { row: o.column, column: o.row } : o
  const right = view.horizontal ? opposite(turned.row) : turned.row
  const bottom = view.vertical ? opposite(turned.column) : turned.column
  return { left: opposite(right), right, top: opposite(bottom), bottom }
}

/** `r` followed by a quarter turn clockwise (a quarter turn is a transpose, then a left–right flip). */
export function rotatedClockwise(r: Reorientation): Reorientation {
  return { transpose: !r.transpose, horizontal: !r.vertical, vertical: r.horizontal }
}

/** The identity: a film already in the standard frame. */
export const asStored: Readonly<Reorientation> = Object.freeze({ transpose: false, horizontal: false, vertical: false })

/** A film stored on its side (rows running head to foot) is transposed first; then its rows and columns are these. */
export function uprightOrientation(o: Orientation): Orientation {
  return 'HF'.includes(o.row[0]) && !'HF'.includes(o.column[0]) ? { row: o.column, column: o.row } : o
}

/**
 * How a stored film becomes the standard frame (the patient's right on the viewer's left, head
 * up): transposed when stored on its side, then mirrored when its rows run to the patient's right
 * and turned upside down when its columns run to the head. Unknown orientation is taken as standard.
 */
export function toStandard(o: Orientation | null): Reorientation {
  if (!o) return asStored
  const upright = uprightOrientation(o)
  return { transpose: upright !== o, horizontal: upright.row[0] === 'R', vertical: upright.column[0] === 'H' }
}

/** A region [x, y, width, height] given as fractions of the standard frame, as fractions of the stored film. */
export function standardToStored(region: [number, number, number, number], r: Reorientation): [number, number, number, number] {
  const [x0, y0, w, h] = region
  const x = r.horizontal ? 1 - x0 - w : x0
  const y = r.vertical ? 1 - y0 - h : y0
  return r.transpose ? [y, x, h, w] : [x, y, w, h]
}

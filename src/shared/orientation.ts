/**
 * Patient orientation (PS3.3 C.7.6.1.1.1): PatientOrientation (0020,0020) gives the patient
 * direction along the rows (left to right) and the columns (top to bottom), in the letters L/R
 * (left/right), A/P (anterior/posterior), H/F (head/feet). The importer flips a mirrored frontal
 * film for the model by it; the viewer labels each screen edge with the direction it faces, after
 * the reader's flips, and places a finding's side by it.
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

/** The direction each screen edge faces, after the reader's flips. */
export function edgeLabels(o: Orientation, flip: Flip): { left: string; right: string; top: string; bottom: string } {
  const right = flip.horizontal ? opposite(o.row) : o.row
  const bottom = flip.vertical ? opposite(o.column) : o.column
  return { left: opposite(right), right, top: opposite(bottom), bottom }
}

/**
 * The flips between a stored frontal film and the standard frame (the patient's right on the
 * viewer's left, head up): mirrored when its rows run to the patient's right, upside down when its
 * columns run to the head. A film of unknown orientation is taken as standard.
 */
export function flipToStandard(o: Orientation | null): Flip {
  return { horizontal: o?.row[0] === 'R', vertical: o?.column[0] === 'H' }
}

import type { NoduleFinding, NoduleItem } from '../../shared/finding'
import type { EvaluationMetrics, MetricCount } from '../../shared/evaluation'

/**
 * Scoring one image's predicted finding against its truth (DESIGN §10), in the one finding schema.
 *
 * - presence: the predicted presence equals the truth's ('uncertain' is right only when the truth
 *   says so, as a report's truth may).
 * - side+zone (images whose truth has nodules): the predicted nodules, as a multiset of
 *   (side, zone), equal the truth's — none missing, none extra.
 * - size (same images): as many predicted nodules as true ones, and their sizes, both sorted, each
 *   within ±3 mm; a nodule without a stated size is wrong.
 * - finding: presence right and, when the truth has nodules, one pairing of true and predicted
 *   nodules that agrees on side, zone and size (±3 mm) at once.
 */
export const SIZE_TOLERANCE_MM = 3

export interface ImageScore {
  presence: boolean
  /** Null when the truth has no nodule (the image does not count for side+zone and size). */
  sideZone: boolean | null
  size: boolean | null
  finding: boolean
}

function locationKey(n: Pick<NoduleItem, 'side' | 'zone'>): string {
  return `${n.side ?? '?'}/${n.zone ?? '?'}`
}

function sameLocations(truth: readonly NoduleItem[], predicted: readonly NoduleItem[]): boolean {
  if (truth.length !== predicted.length) return false
  const a = truth.map(locationKey).sort()
  const b = predicted.map(locationKey).sort()
  return a.every((k, i) => k === b[i] && !k.includes('?'))
}

function sizeClose(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && Math.abs(a - b) <= SIZE_TOLERANCE_MM
}

function sameSizes(truth: readonly NoduleItem[], predicted: readonly NoduleItem[]): boolean {
  if (truth.length !== predicted.length) return false
  const sorted = (items: readonly NoduleItem[]) => items.map((n) => n.sizeMm).sort((x, y) => (x ?? Infinity) - (y ?? Infinity))
  const a = sorted(truth)
  const b = sorted(predicted)
  return a.every((s, i) => sizeClose(s, b[i]))
}

/** Whether each true nodule can be paired with its own predicted one of the same side, zone and size. */
function pairsUp(truth: readonly NoduleItem[], predicted: readonly NoduleItem[]): boolean {
  if (truth.length !== predicted.length) return false
  const used = new Array<boolean>(predicted.length).fill(false)
  const match = (t: number): boolean => {
    if (t === truth.length) return true
    for (let p = 0; p < predicted.length; p++) {
      if (used[p] || !sameLocations([truth[t]], [predicted[p]]) || !sizeClose(truth[t].sizeMm, predicted[p].sizeMm)) continue
      used[p] = true
      if (match(t + 1)) return true
      used[p] = false
    }
    return false
  }
  return match(0)
}

export function scoreImage(truth: NoduleFinding, predicted: NoduleFinding): ImageScore {
  const presence = truth.presence === predicted.presence
  if (truth.presence !== 'present') return { presence, sideZone: null, size: null, finding: presence }
  const sideZone = presence && sameLocations(truth.items, predicted.items)
  const size = presence && sameSizes(truth.items, predicted.items)
  return { presence, sideZone, size, finding: presence && pairsUp(truth.items, predicted.items) }
}

/** Counts of correct images per metric. */
export function aggregateScores(scores: readonly ImageScore[]): EvaluationMetrics {
  const count = (pick: (s: ImageScore) => boolean | null): MetricCount => {
    const counted = scores.map(pick).filter((v): v is boolean => v !== null)
    return { correct: counted.filter(Boolean).length, total: counted.length }
  }
  return {
    images: scores.length,
    presence: count((s) => s.presence),
    sideZone: count((s) => s.sideZone),
    size: count((s) => s.size),
    finding: count((s) => s.finding)
  }
}

/**
 * How well a value ranks right cases above wrong ones (the area under the ROC curve): the chance that
 * a right case's value is above a wrong case's, ties counting half. 0.5 is no better than chance;
 * null without both kinds.
 */
export function rankAuc(cases: readonly { value: number; right: boolean }[]): number | null {
  const right = cases.filter((c) => c.right).map((c) => c.value)
  const wrong = cases.filter((c) => !c.right).map((c) => c.value)
  if (right.length === 0 || wrong.length === 0) return null
  let wins = 0
  for (const r of right) for (const w of wrong) wins += r > w ? 1 : r === w ? 0.5 : 0
  return wins / (right.length * wrong.length)
}

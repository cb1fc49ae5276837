import { RejectReason, ReviewDecision, type ModelReview, type ReviewAgreement } from '../../shared/contract'
import type { NoduleFinding } from '../../shared/finding'
import type { Db } from '../store/database'
import { decidedFindings, findingCountsByCheckpoint, type DecidedFinding } from '../store/review-repository'
import { aggregateScores, rankAuc, scoreImage } from './score'

/**
 * What the clinicians' decisions say of each model whose findings they reviewed (REFERENCE §6, the
 * metrics view): how often they accept, edit, reject or leave a finding uncertain, why they reject,
 * how closely the model's finding agrees with the one they signed — scored as held-out evaluation
 * scores, the signed finding standing for the truth —, whether the model's certainty ranks what they
 * accepted above what they rejected, and how often two readers decide alike.
 */
export function reviewAgreement(db: Db): ReviewAgreement {
  const decided = decidedFindings(db)
  const written = findingCountsByCheckpoint(db)
  const byModel = new Map<number | null, DecidedFinding[]>()
  for (const f of decided) byModel.set(f.checkpointId, [...(byModel.get(f.checkpointId) ?? []), f])
  const models = [...byModel.entries()].map(([checkpointId, findings]) => modelReview(findings, written.get(checkpointId) ?? findings.length))
  // Newest model first; findings with no model record last.
  models.sort((a, b) => (b.checkpointId ?? -1) - (a.checkpointId ?? -1))
  return { models, doubleRead: doubleRead(decided) }
}

function modelReview(findings: DecidedFinding[], written: number): ModelReview {
  const latest = findings.map((f) => ({ finding: f, last: f.decisions[f.decisions.length - 1] }))
  const decisions = { accept: 0, edit: 0, reject: 0, uncertain: 0 }
  const reasons = new Map<RejectReason, number>()
  for (const { last } of latest) {
    decisions[last.decision]++
    if (last.decision === 'reject') reasons.set(reasonCode(last.reason), (reasons.get(reasonCode(last.reason)) ?? 0) + 1)
  }
  const scores = latest.flatMap(({ finding, last }) => {
    const signed = signedFinding(finding, last)
    return signed && finding.structured ? [scoreImage(signed, finding.structured)] : []
  })
  return {
    checkpointId: findings[0].checkpointId,
    run: findings[0].run,
    findings: written,
    reviewed: findings.length,
    decisions,
    rejectReasons: [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ reason, count })),
    agreement: aggregateScores(scores),
    medianSecondsOnTask: median(latest.map(({ last }) => last.secondsOnTask).filter((s): s is number => s !== null)),
    certaintyAuc: rankAuc(
      latest.flatMap(({ finding, last }) =>
        finding.certainty !== null && (last.decision === 'accept' || last.decision === 'reject') ? [{ value: finding.certainty, right: last.decision === 'accept' }] : []
      )
    )
  }
}

/** The finding the clinician put their name to: the model's as written, or their edit; none for a rejection or a doubt. */
function signedFinding(finding: DecidedFinding, decision: DecidedFinding['decisions'][number]): NoduleFinding | null {
  if (decision.decision === 'accept') return finding.structured
  return decision.decision === 'edit' ? decision.edited : null
}

/** A stored reason is its code, or 'other: ' and the reader's words. */
function reasonCode(stored: string | null): RejectReason {
  const parsed = RejectReason.safeParse(stored)
  return parsed.success ? parsed.data : 'other'
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The first two readers' latest decisions on each finding two or more reviewers decided. */
function doubleRead(decided: DecidedFinding[]): ReviewAgreement['doubleRead'] {
  const pairs: [ReviewDecision, ReviewDecision][] = []
  for (const f of decided) {
    // A reader keeps the place of their first decision and the value of their latest.
    const byReader = new Map<string, ReviewDecision>()
    for (const d of f.decisions) byReader.set(d.reviewer, d.decision)
    const [first, second] = [...byReader.values()]
    if (second !== undefined) pairs.push([first, second])
  }
  const { agreement, kappa } = cohensKappa(pairs)
  return { findings: pairs.length, agreement, kappa }
}

/**
 * Observed agreement of two raters over paired decisions, and Cohen's kappa: (po − pe) / (1 − pe),
 * pe from each rater's own share of each decision. Kappa is undefined (null) when chance alone
 * agrees always (both raters made one and the same decision every time).
 */
export function cohensKappa(pairs: readonly (readonly [ReviewDecision, ReviewDecision])[]): { agreement: number | null; kappa: number | null } {
  if (pairs.length === 0) return { agreement: null, kappa: null }
  const n = pairs.length
  const observed = pairs.filter(([a, b]) => a === b).length / n
  const share = (rater: 0 | 1, decision: ReviewDecision) => pairs.filter((p) => p[rater] === decision).length / n
  const chance = ReviewDecision.options.reduce((sum, d) => sum + share(0, d) * share(1, d), 0)
  return { agreement: observed, kappa: chance >= 1 ? null : (observed - chance) / (1 - chance) }
}

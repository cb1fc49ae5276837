/**
 * The policy objective of self-play in plain float64, token by token: PPO-style clipped ratio
 * times the advantage, minus a k3 KL estimate to the reference (warm-up) model, averaged over a
 * sequence's tokens. The training graph computes the same thing on onnxruntime; this is the
 * reference it is checked against.
 *
 *   ratio = exp(logp − oldLogp)
 *   surrogate = min(ratio · A, clip(ratio, 1 − ε, 1 + ε) · A)
 *   k3 = exp(refLogp − logp) − (refLogp − logp) − 1      (≥ 0, unbiased for KL(π‖π_ref))
 *   loss = −mean_t(surrogate − β · k3)
 */
export function sequencePolicyLoss(
  logp: readonly number[],
  oldLogp: readonly number[],
  refLogp: readonly number[],
  advantage: number,
  config: { clip: number; klCoefficient: number }
): { loss: number; meanKl: number; clippedFraction: number } {
  const n = logp.length
  if (n === 0) return { loss: 0, meanKl: 0, clippedFraction: 0 }
  let objective = 0
  let kl = 0
  let clipped = 0
  for (let t = 0; t < n; t++) {
    const ratio = Math.exp(logp[t] - oldLogp[t])
    const bounded = Math.min(Math.max(ratio, 1 - config.clip), 1 + config.clip)
    const surrogate = Math.min(ratio * advantage, bounded * advantage)
    if (bounded !== ratio) clipped++
    const d = refLogp[t] - logp[t]
    const k3 = Math.exp(d) - d - 1
    objective += surrogate - config.klCoefficient * k3
    kl += k3
  }
  return { loss: -objective / n, meanKl: kl / n, clippedFraction: clipped / n }
}

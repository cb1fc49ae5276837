/**
 * Role-advantage estimation: one exponential moving baseline per role, b ← α b + (1 − α) r̄, and
 * advantages A = r − b. Within a round every sample of a role is measured against the same
 * baseline (the one before the round), so the order of games does not matter; the baseline then
 * moves by the round's mean reward of that role.
 */
export type RoleBaselines = Record<string, number>

export function roleAdvantages(
  baselines: RoleBaselines,
  samples: readonly { role: string; reward: number }[],
  alpha: number
): { advantages: number[]; baselines: RoleBaselines } {
  const advantages = samples.map(({ role, reward }) => reward - (baselines[role] ?? 0))
  const sums = new Map<string, { total: number; n: number }>()
  for (const { role, reward } of samples) {
    const s = sums.get(role) ?? { total: 0, n: 0 }
    sums.set(role, { total: s.total + reward, n: s.n + 1 })
  }
  const next: RoleBaselines = { ...baselines }
  for (const [role, { total, n }] of sums) next[role] = alpha * (baselines[role] ?? 0) + (1 - alpha) * (total / n)
  return { advantages, baselines: next }
}

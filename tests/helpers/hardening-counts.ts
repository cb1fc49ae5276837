import fs from 'node:fs'
import path from 'node:path'

/**
 * What each hardening test measured, for the one RESULT line of `npm run test:hardening`: every
 * test writes its own counts to $VZW_HARDENING_DIR/<part>.json; tests/hardening/run.ts sums them.
 * Outside that run (plain `npm test`) nothing is written.
 */
export interface HardeningCounts {
  checklistPassed: number
  checklistItems: number
  networkAttempts: number
  killPoints: number
  killPointsPlanned: number
  hostileFiles: number
  hostileFilesNamed: number
  lostRows: number
  phiHits: number
}

export function recordHardening(part: string, counts: Partial<HardeningCounts>): void {
  const dir = process.env.VZW_HARDENING_DIR
  if (!dir) return
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `${part}.json`), JSON.stringify(counts))
}

/** All parts recorded in `dir`, by part name. */
export function readHardening(dir: string): Record<string, Partial<HardeningCounts>> {
  const parts: Record<string, Partial<HardeningCounts>> = {}
  if (!fs.existsSync(dir)) return parts
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) parts[f.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))
  return parts
}

/**
 * Finding certainty: does the certainty the model gives its findings (model/finding-certainty.ts,
 * the Review queue's "least certain first") tell its right findings from its wrong ones? A warm-up
 * checkpoint writes findings for the held-out split of an imported cohort; each is scored against
 * the truth (score.ts), and the certainty is read as a ranking of them:
 *
 *   auroc_*      — the chance a right finding is more certain than a wrong one (0.5: no better than chance)
 *   acc_low_half / acc_high_half — finding accuracy among the less and the more certain half
 *
 *   npm run bench:certainty -- --data-dir DIR [--checkpoint FILE] [--truth truth.json] [--threads 2]
 */
import path from 'node:path'
import { renderProgress } from '../src/main/app/cli-progress'
import { printResultLine } from '../src/main/app/result-line'
import { greedyReports } from '../src/main/evaluation/greedy-reports'
import { heldOutSet } from '../src/main/evaluation/held-out'
import { scoreImage } from '../src/main/evaluation/score'
import { loadCheckpoint } from '../src/main/model/checkpoint'
import { VlmModel } from '../src/main/model/vlm'
import { WARMUP_RUN, defaultWarmupOptions } from '../src/main/model/warmup'
import { databasePath, openDatabase } from '../src/main/store/database'
import { latestCheckpointNamed } from '../src/main/store/training-repository'
import { ProgressMeter } from '../src/main/tasks/progress'
import { Runtime } from '../src/main/tensor/runtime'
import { flag } from './flags'

/** The chance that a right case's value is above a wrong case's (ties count half); null without both kinds. */
function rankAuc(cases: readonly { value: number; right: boolean }[]): number | null {
  const right = cases.filter((c) => c.right).map((c) => c.value)
  const wrong = cases.filter((c) => !c.right).map((c) => c.value)
  if (right.length === 0 || wrong.length === 0) return null
  let wins = 0
  for (const r of right) for (const w of wrong) wins += r > w ? 1 : r === w ? 0.5 : 0
  return wins / (right.length * wrong.length)
}

const share = (cases: readonly { right: boolean }[]): number | null => (cases.length ? cases.filter((c) => c.right).length / cases.length : null)
const fixed = (v: number | null): number | null => (v === null ? null : +v.toFixed(4))

async function main(): Promise<void> {
  const dataDir = flag('data-dir')
  if (!dataDir) throw new Error('Usage: npm run bench:certainty -- --data-dir DIR [--checkpoint FILE] [--truth truth.json] [--threads T]')
  const db = openDatabase(databasePath(dataDir))
  const runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads: Number(flag('threads') ?? 0) })
  try {
    const row = latestCheckpointNamed(db, WARMUP_RUN)
    const file = flag('checkpoint') ?? (row ? path.join(dataDir, row.path) : null)
    if (!file) throw new Error(`No warm-up checkpoint in ${dataDir}: run \`vzw warmup\` first, or pass --checkpoint FILE`)
    const set = heldOutSet(db, defaultWarmupOptions.heldOutFraction, { truthFile: flag('truth') })
    if (set.images.length === 0) throw new Error(`No held-out study with a model image and a truth in ${dataDir}`)
    const ckpt = loadCheckpoint(file)
    const meter = new ProgressMeter(set.images.length, 'held-out films')
    const written = await greedyReports(new VlmModel(ckpt.config, ckpt.tokenizer, runtime, ckpt.weights), dataDir, set.images.map((i) => i.study), (done) => {
      console.log(renderProgress('findings', meter.update(done)))
    })
    const cases = set.images.map((image, i) => ({ score: scoreImage(image.truth, written[i].report.nodules), certainty: written[i].certainty ?? 0 }))
    const finding = cases.map((c) => ({ value: c.certainty, right: c.score.finding }))
    const presence = cases.map((c) => ({ value: c.certainty, right: c.score.presence }))
    const ranked = [...finding].sort((a, b) => a.value - b.value)
    const half = Math.floor(ranked.length / 2)
    const certainties = ranked.map((c) => c.value)
    console.log(`${cases.length} held-out films (truth: ${set.source}); certainty ${certainties[0].toFixed(2)}–${certainties[certainties.length - 1].toFixed(2)}, median ${certainties[half].toFixed(2)}`)
    printResultLine('certainty', {
      images: cases.length,
      finding_acc: fixed(share(finding)),
      auroc_finding: fixed(rankAuc(finding)),
      auroc_presence: fixed(rankAuc(presence)),
      acc_low_half: fixed(share(ranked.slice(0, half))),
      acc_high_half: fixed(share(ranked.slice(half)))
    })
  } finally {
    await runtime.release()
    db.close()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})

/**
 * Finding certainty: does the certainty the model gives its findings (model/finding-certainty.ts,
 * the Review queue's "least certain first") tell its right findings from its wrong ones? A warm-up
 * checkpoint writes findings for the held-out split of an imported cohort; each is scored against
 * the truth (score.ts), and the certainty is read as a ranking of them, beside the common
 * alternative, the mean probability of all the words written (`_seq`):
 *
 *   auroc_finding   — the chance a right finding (presence, side, zone and size) is more certain than a wrong one
 *   auroc_presence  — the same for presence alone
 *   auroc_nodules   — presence, among the findings that name a nodule: real nodules above false ones
 *   acc_low_half / acc_high_half — finding accuracy among the less and the more certain half
 *   (0.5: no better than chance; below 0.5 the ranking is backwards)
 *
 *   npm run bench:certainty -- --data-dir DIR [--checkpoint FILE] [--truth truth.json] [--threads 2]
 */
import path from 'node:path'
import { renderProgress } from '../src/main/app/cli-progress'
import { printResultLine } from '../src/main/app/result-line'
import { greedyImageReports, readModelImage } from '../src/main/evaluation/greedy-reports'
import { heldOutSet } from '../src/main/evaluation/held-out'
import { rankAuc, scoreImage } from '../src/main/evaluation/score'
import { loadCheckpoint } from '../src/main/model/checkpoint'
import { findingCertainty } from '../src/main/model/finding-certainty'
import type { Generation } from '../src/main/model/generation'
import type { Tokenizer } from '../src/main/model/tokenizer'
import { VlmModel } from '../src/main/model/vlm'
import { WARMUP_RUN, defaultWarmupOptions } from '../src/main/model/warmup'
import { parseReport } from '../src/main/reports/nodule-parser'
import { databasePath, openDatabase } from '../src/main/store/database'
import { latestCheckpointNamed } from '../src/main/store/training-repository'
import { ProgressMeter } from '../src/main/tasks/progress'
import { Runtime } from '../src/main/tensor/runtime'
import { flag } from './flags'

const share = (cases: readonly { right: boolean }[]): number | null => (cases.length ? cases.filter((c) => c.right).length / cases.length : null)
const fixed = (v: number | null): number | null => (v === null ? null : +v.toFixed(4))

/** The common alternative: the geometric mean probability of every word written. */
function sequenceMean(written: Generation, tokenizer: Tokenizer): number {
  const logProbs = written.logProbs.filter((_, i) => !tokenizer.isSpecial(written.tokens[i]))
  return logProbs.length ? Math.exp(logProbs.reduce((a, b) => a + b, 0) / logProbs.length) : 0
}

interface Ranked {
  certainty: number
  sequence: number
  finding: boolean
  presence: boolean
  namesNodule: boolean
}

/** The AUROCs of one certainty over the findings, and the accuracy of its lower and upper half. */
function rankings(cases: Ranked[], value: (c: Ranked) => number): Record<string, number | null> {
  const as = (right: (c: Ranked) => boolean, of = cases) => of.map((c) => ({ value: value(c), right: right(c) }))
  const ranked = as((c) => c.finding).sort((a, b) => a.value - b.value)
  const half = Math.floor(ranked.length / 2)
  return {
    auroc_finding: fixed(rankAuc(as((c) => c.finding))),
    auroc_presence: fixed(rankAuc(as((c) => c.presence))),
    auroc_nodules: fixed(rankAuc(as((c) => c.presence, cases.filter((c) => c.namesNodule)))),
    acc_low_half: fixed(share(ranked.slice(0, half))),
    acc_high_half: fixed(share(ranked.slice(half)))
  }
}

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
    const model = new VlmModel(ckpt.config, ckpt.tokenizer, runtime, ckpt.weights)
    const imageAt = (i: number) => readModelImage(dataDir, set.images[i].study, ckpt.config.vision.imageSize)
    const cases = await greedyImageReports(
      model,
      set.images.length,
      imageAt,
      (written): Omit<Ranked, 'finding' | 'presence'> & { report: ReturnType<typeof parseReport> } => {
        const report = parseReport(written.text)
        return { report, certainty: findingCertainty(written, ckpt.tokenizer, report) ?? 0, sequence: sequenceMean(written, ckpt.tokenizer), namesNodule: report.nodules.presence !== 'absent' }
      },
      (done) => console.log(renderProgress('findings', meter.update(done)))
    )
    const ranked: Ranked[] = cases.map((c, i) => {
      const score = scoreImage(set.images[i].truth, c.report.nodules)
      return { ...c, finding: score.finding, presence: score.presence }
    })
    const stored = rankings(ranked, (c) => c.certainty)
    const sequence = rankings(ranked, (c) => c.sequence)
    console.log(`${ranked.length} held-out films (truth: ${set.source}); ${ranked.filter((c) => c.namesNodule).length} findings name a nodule`)
    console.log(`stored certainty:   ${JSON.stringify(stored)}`)
    console.log(`mean of all words:  ${JSON.stringify(sequence)}`)
    printResultLine('certainty', {
      images: ranked.length,
      finding_acc: fixed(share(ranked.map((c) => ({ right: c.finding })))),
      ...stored,
      ...Object.fromEntries(Object.entries(sequence).map(([k, v]) => [`${k}_seq`, v]))
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

/**
 * Decoder oracle: does the warm-up teach the decoder to write findings that follow the image, when
 * the image shows the finding plainly? It copies a data folder's image–report pairs into a scratch
 * folder, paints a bright square into every film whose report names a nodule (training and
 * held-out films alike), runs the warm-up there and scores held-out presence as `vzw warmup` does.
 * The square is the easiest possible "finding": a high score says the decoder, the prefix and
 * greedy generation work, so a warm-up at the majority rate on the real films is the encoder not
 * seeing nodules; a low score says the text side is broken too.
 *
 * `--placement corner` (default) paints it in the top-left corner: presence only. `--placement
 * nodule` paints one square where the report places each nodule (the middle of its side's lung, at
 * its zone's height, in the typical chest layout on the film), so the square also says where, and
 * the warm-up's model is then scored on the whole held-out split as an experiment arm is (side +
 * zone, size, finding accuracy): whether the text side learns to write where a nodule is when the
 * image shows it plainly.
 *
 * `--config conv --vision-steps N` warms up the conv encoder, its vision phase first, instead of
 * the default ViT.
 *
 *   npm run bench:decoder-oracle -- --data-dir DIR [--placement corner|nodule] [--config default|conv]
 *     [--vision-steps 0] [--steps 500] [--max-minutes 9] [--threads 0]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { NoduleItem } from '../src/shared/finding'
import { rate } from '../src/shared/evaluation'
import { renderProgress } from '../src/main/app/cli-progress'
import { printResultLine } from '../src/main/app/result-line'
import { decodeGrayPng, encodeGrayPng } from '../src/main/dicom/png'
import { evaluateCheckpoint } from '../src/main/evaluation/experiment'
import { heldOutSet } from '../src/main/evaluation/held-out'
import { WARMUP_RUN, defaultWarmupOptions, reportPresence, runWarmup } from '../src/main/model/warmup'
import { parseReport } from '../src/main/reports/nodule-parser'
import { databasePath, openDatabase, type Db } from '../src/main/store/database'
import { evaluationStudies } from '../src/main/store/evaluation-repository'
import { imageReportPairs, type ImageReportPair } from '../src/main/store/training-repository'
import { zoneBand, type ChestLayout } from '../src/main/synth/radiograph'
import { modelGeometry } from '../src/main/training/selfplay-studies'
import { ProgressMeter } from '../src/main/tasks/progress'
import { flag } from './flags'

/** Side of the square as a fraction of the film's side: 3/16 of 256 is 48 pixels, three patches. */
const SQUARE_FRACTION = 3 / 16

type Placement = 'corner' | 'nodule'

/** Centres of the squares, as fractions of the model image: the corner's, or one per located nodule of the report. */
function squareCentres(placement: Placement, items: readonly NoduleItem[], layout: ChestLayout): { x: number; y: number }[] {
  const corner = [{ x: SQUARE_FRACTION / 2, y: SQUARE_FRACTION / 2 }]
  if (placement === 'corner') return corner
  const located = items.flatMap((item) => (item.certainty === 'definite' && (item.side === 'right' || item.side === 'left') && item.zone ? [{ side: item.side, zone: item.zone }] : []))
  // A report that names a nodule but not where still shows one: in the corner.
  if (located.length === 0) return corner
  return located.map(({ side, zone }) => {
    const lung = layout[side]
    const [top, bottom] = zoneBand(lung, zone)
    return { x: (lung.lateral + lung.medial) / 2, y: (top + bottom) / 2 }
  })
}

/** A copy of the model image with the squares painted white when its report names a nodule. */
function markedImage(db: Db, dataDir: string, pair: ImageReportPair, placement: Placement): Buffer {
  const bytes = fs.readFileSync(path.join(dataDir, pair.modelPath))
  if (reportPresence(pair) !== 'present') return bytes
  const png = decodeGrayPng(bytes)
  const pixels = Uint8Array.from(png.pixels)
  const side = Math.round(Math.min(png.width, png.height) * SQUARE_FRACTION)
  const { layout } = modelGeometry(db, pair.modelPath, png.width).chest
  for (const centre of squareCentres(placement, parseReport(pair.rawText).nodules.items, layout)) {
    const x0 = Math.max(0, Math.min(png.width - side, Math.round(centre.x * png.width - side / 2)))
    const y0 = Math.max(0, Math.min(png.height - side, Math.round(centre.y * png.height - side / 2)))
    for (let y = y0; y < y0 + side; y++) pixels.fill(255, y * png.width + x0, y * png.width + x0 + side)
  }
  return encodeGrayPng(pixels, png.width, png.height)
}

async function main(): Promise<void> {
  const dataDir = flag('data-dir')
  if (!dataDir) throw new Error('--data-dir DIR is required: a data folder with imported studies and reports')
  const steps = Number(flag('steps') ?? 500)
  const maxMinutes = Number(flag('max-minutes') ?? 9)
  const threads = Number(flag('threads') ?? 0)
  const config = flag('config') ?? 'default'
  const visionSteps = Number(flag('vision-steps') ?? 0)
  const placement = flag('placement') ?? 'corner'
  if (placement !== 'corner' && placement !== 'nodule') throw new Error(`--placement is corner or nodule, got "${placement}"`)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-decoder-oracle-'))
  try {
    const source = openDatabase(databasePath(dataDir))
    await source.backup(databasePath(work))
    let marked = 0
    let films = 0
    try {
      // Every model image is copied; those whose report names a nodule are marked.
      const reported = new Map(imageReportPairs(source).map((pair) => [pair.modelPath, pair]))
      for (const { modelPath } of evaluationStudies(source)) {
        const target = path.join(work, modelPath)
        const pair = reported.get(modelPath)
        fs.mkdirSync(path.dirname(target), { recursive: true })
        fs.writeFileSync(target, pair ? markedImage(source, dataDir, pair, placement) : fs.readFileSync(path.join(dataDir, modelPath)))
        if (pair && reportPresence(pair) === 'present') marked++
        films++
      }
    } finally {
      source.close()
    }
    console.log(`decoder oracle: ${films} films copied, ${marked} marked (report names a nodule) at the ${placement}; warm-up ${steps} steps, at most ${maxMinutes} minutes`)
    const db = openDatabase(databasePath(work))
    // The copy's own warm-up runs have no checkpoints here: none may be resumed.
    db.prepare(`UPDATE runs SET status = 'done' WHERE name = ?`).run(WARMUP_RUN)
    const meter = new ProgressMeter(steps, 'steps')
    const vision = new ProgressMeter(visionSteps, 'vision steps')
    let scoring: ProgressMeter | null = null
    const result = await runWarmup(db, work, { steps, maxMinutes, threads, config, visionSteps }, {
      onStep: ({ step, loss }) => {
        if (step % 10 === 0) console.log(renderProgress('warm-up', meter.update(step, `loss ${loss.toFixed(3)}`)))
      },
      onPhase: (phase, done, total) => {
        if (phase === 'vision') return void console.log(renderProgress('vision', vision.update(done)))
        scoring ??= new ProgressMeter(total, 'held-out films')
        console.log(renderProgress('scoring', scoring.update(done)))
      }
    }).finally(() => db.close())
    const p = result.presence
    if (!p) throw new Error('the warm-up ended without a held-out score')
    console.log(`held-out presence ${(p.accuracy * 100).toFixed(1)} % on ${p.studies} marked-or-clear films (majority ${(p.majorityRate * 100).toFixed(1)} %); confusion ${JSON.stringify(p.confusion)}`)
    const placed = placement === 'nodule' ? await scorePlaces(work, result.checkpoint, threads) : null
    printResultLine('decoder-oracle', {
      placement,
      presence_acc: +p.accuracy.toFixed(4),
      majority: +p.majorityRate.toFixed(4),
      side_zone_acc: placed?.sideZone ?? null,
      finding_acc: placed?.finding ?? null,
      steps: result.steps,
      minutes: +result.minutes.toFixed(2),
      held_out: p.studies
    })
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

/** The warm-up's model on the whole held-out split, scored as an experiment arm is. */
async function scorePlaces(work: string, checkpoint: string, threads: number): Promise<{ sideZone: number | null; finding: number | null }> {
  const db = openDatabase(databasePath(work))
  try {
    // Only films with a report: the squares come from the reports, so a film without one shows none of its nodules.
    const all = heldOutSet(db, defaultWarmupOptions.heldOutFraction)
    const set = { ...all, images: all.images.filter((image) => image.study.reportText !== null) }
    const m = await evaluateCheckpoint(work, path.join(work, checkpoint), set, threads)
    console.log(`held-out, scored against ${set.source === 'synthetic' ? "the cohort's truth.json" : 'the reports'}: side + zone ${m.sideZone.correct}/${m.sideZone.total}, size ${m.size.correct}/${m.size.total}, finding ${m.finding.correct}/${m.finding.total}`)
    const fixed = (v: number | null) => (v === null ? null : +v.toFixed(4))
    return { sideZone: fixed(rate(m.sideZone)), finding: fixed(rate(m.finding)) }
  } finally {
    db.close()
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})

/**
 * Decoder oracle: does the warm-up teach the decoder to write findings that follow the image, when
 * the image shows the finding plainly? It copies a data folder's image–report pairs into a scratch
 * folder, paints a bright square into the top-left corner of every film whose report names a
 * nodule (training and held-out films alike), runs the warm-up there and scores held-out presence
 * as `vzw warmup` does. The square is the easiest possible "finding": a high score says the
 * decoder, the prefix and greedy generation work, so a warm-up at the majority rate on the real
 * films is the encoder not seeing nodules; a low score says the text side is broken too.
 *
 *   npm run bench:decoder-oracle -- --data-dir DIR [--steps 500] [--max-minutes 9] [--threads 0]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { renderProgress } from '../src/main/app/cli-progress'
import { printResultLine } from '../src/main/app/result-line'
import { decodeGrayPng, encodeGrayPng } from '../src/main/dicom/png'
import { WARMUP_RUN, reportPresence, runWarmup } from '../src/main/model/warmup'
import { databasePath, openDatabase } from '../src/main/store/database'
import { imageReportPairs } from '../src/main/store/training-repository'
import { ProgressMeter } from '../src/main/tasks/progress'
import { flag } from './flags'

/** Side of the square as a fraction of the film's side: 3/16 of 256 is 48 pixels, three patches. */
const SQUARE_FRACTION = 3 / 16

/** A copy of the model image with the square painted white when its report names a nodule. */
function markedImage(file: string, present: boolean): Buffer {
  const bytes = fs.readFileSync(file)
  if (!present) return bytes
  const png = decodeGrayPng(bytes)
  const pixels = Uint8Array.from(png.pixels)
  const side = Math.round(Math.min(png.width, png.height) * SQUARE_FRACTION)
  for (let y = 0; y < side; y++) pixels.fill(255, y * png.width, y * png.width + side)
  return encodeGrayPng(pixels, png.width, png.height)
}

async function main(): Promise<void> {
  const dataDir = flag('data-dir')
  if (!dataDir) throw new Error('--data-dir DIR is required: a data folder with imported studies and reports')
  const steps = Number(flag('steps') ?? 500)
  const maxMinutes = Number(flag('max-minutes') ?? 9)
  const threads = Number(flag('threads') ?? 0)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-decoder-oracle-'))
  try {
    const source = openDatabase(databasePath(dataDir))
    const pairs = imageReportPairs(source)
    await source.backup(databasePath(work))
    source.close()
    let marked = 0
    for (const pair of pairs) {
      const present = reportPresence(pair) === 'present'
      const target = path.join(work, pair.modelPath)
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.writeFileSync(target, markedImage(path.join(dataDir, pair.modelPath), present))
      if (present) marked++
    }
    console.log(`decoder oracle: ${pairs.length} films copied, ${marked} marked (report names a nodule); warm-up ${steps} steps, at most ${maxMinutes} minutes`)
    const db = openDatabase(databasePath(work))
    // The copy's own warm-up runs have no checkpoints here: none may be resumed.
    db.prepare(`UPDATE runs SET status = 'done' WHERE name = ?`).run(WARMUP_RUN)
    const meter = new ProgressMeter(steps, 'steps')
    let scoring: ProgressMeter | null = null
    const result = await runWarmup(db, work, { steps, maxMinutes, threads }, {
      onStep: ({ step, loss }) => {
        if (step % 10 === 0) console.log(renderProgress('warm-up', meter.update(step, `loss ${loss.toFixed(3)}`)))
      },
      onPhase: (_, done, total) => {
        scoring ??= new ProgressMeter(total, 'held-out films')
        console.log(renderProgress('scoring', scoring.update(done)))
      }
    }).finally(() => db.close())
    const p = result.presence
    if (!p) throw new Error('the warm-up ended without a held-out score')
    console.log(`held-out presence ${(p.accuracy * 100).toFixed(1)} % on ${p.studies} marked-or-clear films (majority ${(p.majorityRate * 100).toFixed(1)} %); confusion ${JSON.stringify(p.confusion)}`)
    printResultLine('decoder-oracle', {
      presence_acc: +p.accuracy.toFixed(4),
      majority: +p.majorityRate.toFixed(4),
      steps: result.steps,
      minutes: +result.minutes.toFixed(2),
      held_out: p.studies
    })
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})

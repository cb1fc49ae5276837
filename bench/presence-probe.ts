/**
 * Presence probe: are the nodules of a synthetic cohort learnable from its model images, and from
 * which signal? Two small PyTorch CNNs (bench/presence_probe.py) train on the warm-up's training
 * split within a time budget each and are scored on its held-out split:
 *
 *   patch — 24×24 crops at the true nodule centres against crops at random lung points: the
 *           nodules are visible to a detector that is told where they are (held-out patch AUC);
 *   image — whole images against image-level presence, the only signal report text gives the
 *           warm-up (held-out accuracy against the majority rate);
 *   vit   — the same whole-image task for the VLM's own vision encoder layout (a ViT on 16×16
 *           patches) with a max over its tokens.
 *
 * A high patch AUC with an image accuracy at the majority rate says the images are fine and the
 * weak, whole-image supervision (with this many studies and this compute) is what fails; the CNN
 * above the majority rate and the ViT at it says the encoder is what learns too slowly.
 *
 *   npm run bench:presence-probe -- --data-dir DIR [--truth truth.json] [--seconds 180] [--threads 2] [--seed 0]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { printResultLine } from '../src/main/app/result-line'
import { decodeGrayPng } from '../src/main/dicom/png'
import { findTruthFiles, readCohortTruth } from '../src/main/evaluation/truth'
import { isHeldOut } from '../src/main/model/warmup'
import { imageInput } from '../src/main/model/vlm'
import { databasePath, openDatabase } from '../src/main/store/database'
import { evaluationStudies } from '../src/main/store/evaluation-repository'
import type { CohortTruth } from '../src/main/synth'
import { flag } from './flags'
import { ensureTorch } from './torch-twin'

const SIDE = 256
const HELD_OUT_FRACTION = 0.2

type TruthStudy = CohortTruth['studies'][number]

/** Model-image pixel coordinates of a point given in mm on the film (the film is letterboxed into the square). */
function toModelPixels(study: TruthStudy, xMm: number, yMm: number): [number, number] {
  const scale = SIDE / Math.max(study.rows, study.columns)
  const width = Math.round(study.columns * scale)
  const height = Math.round(study.rows * scale)
  const x0 = Math.floor((SIDE - width) / 2)
  const y0 = Math.floor((SIDE - height) / 2)
  return [Math.round(x0 + (xMm / study.spacingMm) * scale), Math.round(y0 + (yMm / study.spacingMm) * scale)]
}

/** A grid of points inside each lung's box (layout fractions), for the probe's negative crops. */
function lungPoints(study: TruthStudy): [number, number][] {
  const widthMm = study.columns * study.spacingMm
  const heightMm = study.rows * study.spacingMm
  const points: [number, number][] = []
  for (const box of [study.layout.right, study.layout.left]) {
    for (let fy = 0.15; fy < 0.9; fy += 0.1) {
      for (let fx = 0.2; fx < 0.85; fx += 0.15) {
        const x = box.lateral + (box.medial - box.lateral) * fx
        const y = box.top + (box.bottom - box.top) * fy
        points.push(toModelPixels(study, x * widthMm, y * heightMm))
      }
    }
  }
  return points
}

function main(): void {
  const dataDir = flag('data-dir')
  if (!dataDir) throw new Error('--data-dir DIR is required: a data folder with an imported synthetic cohort')
  const seconds = Number(flag('seconds') ?? 180)
  const threads = Number(flag('threads') ?? Math.min(2, os.cpus().length))
  const seed = Number(flag('seed') ?? 0)
  const db = openDatabase(databasePath(dataDir))
  const files = findTruthFiles(db, flag('truth'))
  if (files.length === 0) throw new Error(`No synthetic truth.json found beside the folders imported into ${dataDir}; name one with --truth`)
  const truth = new Map(files.flatMap((f) => readCohortTruth(f).studies.map((s) => [s.studyInstanceUid, s] as const)))
  const studies = evaluationStudies(db).flatMap((s) => {
    const t = truth.get(s.studyUid)
    return t ? [{ row: s, truth: t }] : []
  })
  db.close()
  if (studies.length < 20) throw new Error(`Only ${studies.length} imported studies have synthetic truth: the probe needs at least 20`)

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-presence-probe-'))
  try {
    const pixels = new Float32Array(studies.length * SIDE * SIDE)
    studies.forEach(({ row }, i) => {
      const png = decodeGrayPng(fs.readFileSync(path.join(dataDir, row.modelPath)))
      pixels.set(imageInput(png.pixels, png.width, png.height, SIDE), i * SIDE * SIDE)
    })
    fs.writeFileSync(path.join(work, 'images.f32'), Buffer.from(pixels.buffer))
    const meta = {
      side: SIDE,
      studies: studies.map(({ row, truth: t }) => ({
        train: !isHeldOut(row.studyUid, HELD_OUT_FRACTION),
        present: t.nodules.length > 0,
        nodules: t.nodules.map((n) => toModelPixels(t, n.spec.centerMm.x, n.spec.centerMm.y)),
        lungPoints: lungPoints(t)
      }))
    }
    fs.writeFileSync(path.join(work, 'meta.json'), JSON.stringify(meta))
    const torch = ensureTorch((s) => console.log(s))
    if (!torch) throw new Error('The probe needs PyTorch (Debian python3-torch); it could not be installed')
    console.log(`presence probe: ${studies.length} studies (${meta.studies.filter((s) => s.train).length} training), torch ${torch.version}, ${threads} threads, ${seconds} s per probe, seed ${seed}`)
    const run = spawnSync(torch.python, [path.join(__dirname, 'presence_probe.py'), work, String(seconds), String(threads), 'patch,image,vit', String(seed)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    if (run.status !== 0) throw new Error(`presence_probe.py failed with status ${run.status}`)
    const r = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>
    console.log(`patch probe (location given): held-out AUC ${r.patch_auc.toFixed(3)} after ${r.patch_epochs} epochs on ${r.patches_train} crops`)
    console.log(`image probe (whole-image presence, CNN): held-out accuracy ${r.image_acc.toFixed(3)} (majority ${r.majority.toFixed(3)}, AUC ${r.image_auc.toFixed(3)}) after ${r.image_epochs} epochs on ${r.images_train} images`)
    console.log(`vit probe (whole-image presence, the VLM's encoder): held-out accuracy ${r.vit_acc.toFixed(3)} (AUC ${r.vit_auc.toFixed(3)}) after ${r.vit_epochs} epochs`)
    printResultLine('presence-probe', {
      patch_auc: +r.patch_auc.toFixed(4),
      image_acc: +r.image_acc.toFixed(4),
      image_auc: +r.image_auc.toFixed(4),
      vit_acc: +r.vit_acc.toFixed(4),
      vit_auc: +r.vit_auc.toFixed(4),
      majority: +r.majority.toFixed(4),
      patch_epochs: r.patch_epochs,
      image_epochs: r.image_epochs,
      vit_epochs: r.vit_epochs,
      studies: studies.length,
      seconds,
      seed
    })
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

main()

import fs from 'node:fs'
import path from 'node:path'
import type { ParsedReport } from '../../shared/finding'
import { decodeGrayPng } from '../dicom/png'
import { parseReport } from '../reports/nodule-parser'
import type { Db } from '../store/database'
import { insertFinding } from '../store/review-repository'
import { latestCheckpointNamed, reviewedCheckpoint, studyImage } from '../store/training-repository'
import { withCheckpointOnCpu } from './checkpoint'
import { findingCertainty } from './finding-certainty'
import { generate } from './generation'
import { imageInput } from './vlm'
import { WARMUP_RUN, reportPrompt } from './warmup'

export interface StudyDescription {
  pseudonym: string
  checkpoint: string
  text: string
  parsed: ParsedReport
  /** The model's certainty of its finding (finding-certainty.ts). */
  certainty: number | null
  findingId: number
}

/**
 * Writes findings for one study with the model under review (the checkpoint of the newest finding),
 * else the newest warm-up checkpoint, or a given one; reads them with the report parser and stores
 * the text and its nodule finding for review, on the image the model read, as a run's findings are stored.
 */
export async function describeStudy(db: Db, dataDir: string, studyKey: string, options: { checkpoint?: string; threads?: number } = {}): Promise<StudyDescription> {
  const study = studyImage(db, studyKey)
  if (!study) throw new Error(`No study with pseudonym or id "${studyKey}"`)
  if (!study.modelPath) throw new Error(`Study ${study.pseudonym} has no imported presentation image to describe`)
  const row = options.checkpoint ? null : (reviewedCheckpoint(db) ?? latestCheckpointNamed(db, WARMUP_RUN))
  if (!options.checkpoint && !row) throw new Error('No model checkpoint yet: run `vzw warmup` first, or pass --checkpoint FILE')
  const file = options.checkpoint ?? path.join(dataDir, row!.path)
  const png = decodeGrayPng(fs.readFileSync(path.join(dataDir, study.modelPath)))
  return withCheckpointOnCpu(file, options.threads ?? 0, async (model, ckpt) => {
    const prompt = reportPrompt(ckpt.tokenizer)
    const [generated] = await generate(model, [imageInput(png.pixels, png.width, png.height, ckpt.config.vision.imageSize)], [prompt], {
      maxNewTokens: ckpt.config.decoder.maxText - prompt.length,
      temperature: 0,
      topP: 1,
      seed: 0
    })
    const parsed = parseReport(generated.text)
    const certainty = findingCertainty(generated, ckpt.tokenizer, parsed)
    const findingId = insertFinding(db, { studyId: study.studyId, imageId: study.imageId, checkpointId: row?.id ?? null, text: generated.text, structured: parsed.nodules, certainty })
    return { pseudonym: study.pseudonym, checkpoint: file, text: generated.text, parsed, certainty, findingId }
  })
}

import fs from 'node:fs'
import path from 'node:path'
import { decodeGrayPng } from '../dicom/png'
import type { ParsedReport } from '../../shared/finding'
import { findingCertainty } from '../model/finding-certainty'
import { generate, type Generation } from '../model/generation'
import { imageInput, type VlmModel } from '../model/vlm'
import { reportPrompt } from '../model/warmup'
import { parseReport } from '../reports/nodule-parser'

/**
 * What a model writes about images when asked for findings (`<task:report>`), greedily, so the
 * same checkpoint always writes the same text: the findings written for review and every
 * evaluation read the model this one way.
 */

/** A study's model image as the model's input; the error names the study and the file. */
export function readModelImage(dataDir: string, study: { modelPath: string; pseudonym: string }, size: number): Float32Array {
  const file = path.join(dataDir, study.modelPath)
  let png: ReturnType<typeof decodeGrayPng>
  try {
    png = decodeGrayPng(fs.readFileSync(file))
  } catch (err) {
    throw new Error(`Model image of study ${study.pseudonym} (${file}) cannot be read: ${err instanceof Error ? err.message : String(err)}`)
  }
  return imageInput(png.pixels, png.width, png.height, size)
}

/** What the model wrote about one image: the text, the report parser's reading of it, and its certainty of the finding. */
export interface WrittenReport {
  text: string
  report: ParsedReport
  /** findingCertainty: 0–1, null when nothing was written. */
  certainty: number | null
}

/** Greedy findings for each study's model image, read by the report parser, in batches; onBatch after each. */
export function greedyReports(
  model: VlmModel,
  dataDir: string,
  studies: readonly { modelPath: string; pseudonym: string }[],
  onBatch?: (done: number, total: number) => Promise<void> | void,
  batch = 16
): Promise<WrittenReport[]> {
  const imageAt = (i: number) => readModelImage(dataDir, studies[i], model.config.vision.imageSize)
  return greedyImageReports(model, studies.length, imageAt, (written) => writtenReport(written, model), onBatch, batch)
}

function writtenReport(written: Generation, model: VlmModel): WrittenReport {
  const report = parseReport(written.text)
  return { text: written.text, report, certainty: findingCertainty(written, model.tokenizer, report) }
}

/**
 * Greedy findings for `count` model inputs (`imageAt(i)`, built a batch at a time so a whole
 * cohort's images are never held at once), each kept as `keep` makes it (its tokens need not be
 * held for a whole cohort), in batches; onBatch after each.
 */
export async function greedyImageReports<T>(
  model: VlmModel,
  count: number,
  imageAt: (index: number) => Float32Array,
  keep: (written: Generation) => T,
  onBatch?: (done: number, total: number) => Promise<void> | void,
  batch = 16
): Promise<T[]> {
  const prompt = reportPrompt(model.tokenizer)
  const kept: T[] = []
  await onBatch?.(0, count)
  for (let at = 0; at < count; at += batch) {
    const images = Array.from({ length: Math.min(batch, count - at) }, (_, i) => imageAt(at + i))
    const generated = await generate(model, images, images.map(() => prompt), { maxNewTokens: model.config.decoder.maxText - prompt.length, temperature: 0, topP: 1, seed: 0 })
    kept.push(...generated.map(keep))
    await onBatch?.(kept.length, count)
  }
  return kept
}

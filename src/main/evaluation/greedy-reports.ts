import fs from 'node:fs'
import path from 'node:path'
import { decodeGrayPng } from '../dicom/png'
import { generate } from '../model/generation'
import { imageInput, type VlmModel } from '../model/vlm'
import { reportPrompt } from '../model/warmup'

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

/** Greedy findings text for each study's model image, in batches; onBatch after each. */
export function greedyReports(
  model: VlmModel,
  dataDir: string,
  studies: readonly { modelPath: string; pseudonym: string }[],
  onBatch?: (done: number, total: number) => Promise<void> | void,
  batch = 16
): Promise<string[]> {
  return greedyImageReports(model, studies.length, (i) => readModelImage(dataDir, studies[i], model.config.vision.imageSize), onBatch, batch)
}

/**
 * Greedy findings text for `count` model inputs (`imageAt(i)`, built a batch at a time so a whole
 * cohort's images are never held at once), in batches; onBatch after each.
 */
export async function greedyImageReports(
  model: VlmModel,
  count: number,
  imageAt: (index: number) => Float32Array,
  onBatch?: (done: number, total: number) => Promise<void> | void,
  batch = 16
): Promise<string[]> {
  const prompt = reportPrompt(model.tokenizer)
  const texts: string[] = []
  await onBatch?.(0, count)
  for (let at = 0; at < count; at += batch) {
    const images = Array.from({ length: Math.min(batch, count - at) }, (_, i) => imageAt(at + i))
    const generated = await generate(model, images, images.map(() => prompt), { maxNewTokens: model.config.decoder.maxText - prompt.length, temperature: 0, topP: 1, seed: 0 })
    texts.push(...generated.map((g) => g.text))
    await onBatch?.(texts.length, count)
  }
  return texts
}

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
export async function greedyReports(
  model: VlmModel,
  dataDir: string,
  studies: readonly { modelPath: string; pseudonym: string }[],
  onBatch?: (done: number, total: number) => Promise<void> | void,
  batch = 16
): Promise<string[]> {
  const prompt = reportPrompt(model.tokenizer)
  const texts: string[] = []
  await onBatch?.(0, studies.length)
  for (let at = 0; at < studies.length; at += batch) {
    const chunk = studies.slice(at, at + batch)
    const images = chunk.map((s) => readModelImage(dataDir, s, model.config.vision.imageSize))
    const generated = await generate(model, images, chunk.map(() => prompt), { maxNewTokens: model.config.decoder.maxText - prompt.length, temperature: 0, topP: 1, seed: 0 })
    texts.push(...generated.map((g) => g.text))
    await onBatch?.(texts.length, studies.length)
  }
  return texts
}

import fs from 'node:fs'
import path from 'node:path'
import type { Presence } from '../../shared/finding'
import { decodeGrayPng } from '../dicom/png'
import { generate } from '../model/generation'
import { imageInput, type VlmModel } from '../model/vlm'
import { reportPrompt } from '../model/warmup'
import { parseReport } from '../reports/nodule-parser'
import type { Db } from '../store/database'
import { findingCountOfCheckpoint, insertFindings, studiesWithModelImage } from '../store/selfplay-repository'
import type { NewFinding } from '../store/review-repository'

/**
 * Findings for every study with a model image, written by a run's final policy: greedy report
 * text, read by the report parser into the finding schema, stored for review with the checkpoint
 * that wrote them. All in one transaction, and skipped when that checkpoint already wrote them, so
 * a run killed here and resumed writes each study's finding once.
 */
export interface FindingsSummary {
  studies: number
  presence: Record<Presence, number>
  /** False when this checkpoint's findings were already stored. */
  written: boolean
}

export async function writeStudyFindings(
  db: Db,
  dataDir: string,
  model: VlmModel,
  checkpointId: number,
  onProgress?: (done: number, total: number) => Promise<void>,
  batch = 16
): Promise<FindingsSummary> {
  const studies = studiesWithModelImage(db)
  const presence: Record<Presence, number> = { present: 0, absent: 0, uncertain: 0 }
  if (findingCountOfCheckpoint(db, checkpointId) > 0) return { studies: studies.length, presence, written: false }
  const prompt = reportPrompt(model.tokenizer)
  const size = model.config.vision.imageSize
  const findings: NewFinding[] = []
  await onProgress?.(0, studies.length)
  for (let at = 0; at < studies.length; at += batch) {
    const chunk = studies.slice(at, at + batch)
    const images = chunk.map((s) => {
      const file = path.join(dataDir, s.modelPath)
      let png: ReturnType<typeof decodeGrayPng>
      try {
        png = decodeGrayPng(fs.readFileSync(file))
      } catch (err) {
        throw new Error(`Model image of study ${s.pseudonym} (${file}) cannot be read: ${err instanceof Error ? err.message : String(err)}`)
      }
      return imageInput(png.pixels, png.width, png.height, size)
    })
    const generated = await generate(model, images, chunk.map(() => prompt), { maxNewTokens: model.config.decoder.maxText - prompt.length, temperature: 0, topP: 1, seed: 0 })
    chunk.forEach((s, i) => {
      const structured = parseReport(generated[i].text).nodules
      presence[structured.presence]++
      findings.push({ studyId: s.studyId, imageId: s.imageId, checkpointId, text: generated[i].text, structured })
    })
    await onProgress?.(Math.min(studies.length, at + batch), studies.length)
  }
  insertFindings(db, findings)
  return { studies: studies.length, presence, written: true }
}

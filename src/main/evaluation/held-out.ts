import type { NoduleFinding } from '../../shared/finding'
import type { EvaluationMetrics, TruthSource } from '../../shared/evaluation'
import { isHeldOut } from '../model/warmup'
import type { VlmModel } from '../model/vlm'
import type { Db } from '../store/database'
import { evaluationStudies, type EvaluationStudy } from '../store/evaluation-repository'
import { greedyReports } from './greedy-reports'
import { aggregateScores, scoreImage } from './score'
import { loadStudyTruths } from './truth'

/**
 * The held-out split of the warm-up (a hash of the Study UID, never trained on by the warm-up or
 * self-play) with each study's truth, and a model scored on it: the model writes findings for each
 * image, the report parser reads them, and they are scored against the truth (score.ts).
 */
export interface HeldOutImage {
  study: EvaluationStudy
  truth: NoduleFinding
}

export interface HeldOutSet {
  source: TruthSource
  truthFile: string | null
  images: HeldOutImage[]
}

/**
 * Held-out studies with a model image and a truth, in study order; `sample` keeps the first n
 * (the same studies every time, so periodic evaluations of a run compare).
 */
export function heldOutSet(db: Db, heldOutFraction: number, options: { truthFile?: string; sample?: number } = {}): HeldOutSet {
  const truths = loadStudyTruths(db, options.truthFile)
  const images = evaluationStudies(db)
    .filter((s) => isHeldOut(s.studyUid, heldOutFraction))
    .flatMap((study) => {
      const truth = truths.byStudyUid.get(study.studyUid)
      return truth ? [{ study, truth }] : []
    })
  return { source: truths.source, truthFile: truths.file, images: options.sample === undefined ? images : images.slice(0, options.sample) }
}

/** "No nodule", as a reader that calls every image clear writes it. */
const NO_NODULE: NoduleFinding = { presence: 'absent', count: 0, items: [] }

/**
 * The set scored as if "no nodule" were written for every image: the floor an arm's finding
 * accuracy is read against (it is the share of images whose truth is clear).
 */
export function noNoduleScore(set: HeldOutSet): EvaluationMetrics {
  return aggregateScores(set.images.map((image) => scoreImage(image.truth, NO_NODULE)))
}

export async function evaluateModel(
  model: VlmModel,
  dataDir: string,
  set: HeldOutSet,
  onProgress?: (done: number, total: number) => Promise<void> | void
): Promise<EvaluationMetrics> {
  const written = await greedyReports(
    model,
    dataDir,
    set.images.map((i) => i.study),
    onProgress
  )
  return aggregateScores(set.images.map((image, i) => scoreImage(image.truth, written[i].report.nodules)))
}

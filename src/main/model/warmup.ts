import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { NoduleFinding, Presence } from '../../shared/finding'
import type { ExecutionProvider } from '../../shared/contract'
import { decodeGrayPng } from '../dicom/png'
import { parseReport } from '../reports/nodule-parser'
import type { Db } from '../store/database'
import { libraryCounts } from '../store/import-repository'
import { createRun, markRunInterrupted, imageReportPairs, insertCheckpoint, latestCheckpointOfRun, setRunStatus, unfinishedRun, type ImageReportPair } from '../store/training-repository'
import { Graph, type Value } from '../tensor/graph'
import { initParams } from '../tensor/init'
import { Rng } from '../random'
import { Runtime, createTrainingRuntimes, ort } from '../tensor/runtime'
import { buildTrainStep } from '../tensor/train-step'
import { Trainer, type OptimizerState } from '../tensor/trainer'
import { loadCheckpoint, saveCheckpoint } from './checkpoint'
import { namedConfigs, type VlmConfig } from './config'
import { bucketLength, generate, imageBatch, teacherForcedBatch } from './generation'
import { Tokenizer } from './tokenizer'
import { VlmModel, imageInput } from './vlm'
import { NODULE_PLACES, imageFeatures, noduleLogits, vlmForward, vlmInputs, vlmLoss, type NoduleLogits } from './vlm-graph'

/**
 * Stage 0, warm-up (DESIGN §8): image → report findings text, teacher-forced on the pairs that
 * already exist (a study's model image and its clinical report). A deterministic held-out split
 * (by a hash of the Study Instance UID) is never trained on and scores the model at the end:
 * nodule presence read by the report parser from generated findings, against the report's own.
 */
export const WARMUP_RUN = 'warmup'

export interface WarmupOptions {
  steps: number
  /** A named config ('default', 'tiny'). */
  config: string
  seed: number
  batch: number
  lr: number
  /** Steps between checkpoints (the last step always writes one). */
  checkpointEvery: number
  heldOutFraction: number
  /** onnxruntime intra-op threads; 0 lets onnxruntime decide. */
  threads: number
  /**
   * Where the train steps run ('auto': the first GPU provider that loads, else the CPU); the
   * held-out scoring generates on the CPU (`createTrainingRuntimes`). Absent: the CPU.
   */
  executionProvider?: 'auto' | ExecutionProvider
  /** Stop training after this many minutes (0: no limit), then checkpoint and evaluate. */
  maxMinutes: number
  /**
   * Training studies whose reports this run treats as absent (by a hash of the Study UID, see
   * `isReportWithheld`); the experiment's arms (a) and (b) train on the rest. Absent: 0.
   */
  withheldReportFraction?: number
  /**
   * Steps of a vision phase before the text (0: none): the encoder and a presence head alone,
   * fitted to each training report's parsed nodule presence (BCE, batch `batch`, lr `visionLr`).
   */
  visionSteps?: number
  visionLr?: number
  /**
   * With a vision phase, the encoder is also fitted to where each report places its nodules (side ×
   * zone, `placeLogits`), through the vision phase and the text like the presence loss. Absent: off.
   */
  visionPlaces?: boolean
}

export const defaultWarmupOptions: WarmupOptions = { steps: 600, config: 'default', seed: 1, batch: 16, lr: 1e-3, checkpointEvery: 100, heldOutFraction: 0.2, threads: 0, maxMinutes: 0 }

export interface WarmupProgress {
  step: number
  steps: number
  loss: number
}

export interface WarmupHooks {
  signal?: AbortSignal
  /**
   * Asked before each step: true stops training there, writes a checkpoint and returns without the
   * held-out evaluation; the run stays resumable (a paused self-play run's warm-up).
   */
  pauseRequested?(): boolean
  onStep?(p: WarmupProgress): Promise<void> | void
  onPhase?(phase: 'vision' | 'evaluating', done: number, total: number): Promise<void> | void
}

export interface PresenceScore {
  studies: number
  accuracy: number
  /** Accuracy of always answering the held-out set's most common presence. */
  majorityRate: number
  majorityClass: Presence
  /** Counts by [truth][predicted]. */
  confusion: Record<Presence, Record<Presence, number>>
}

export interface WarmupResult {
  runId: number
  resumedFromStep: number | null
  steps: number
  trainStudies: number
  heldOutStudies: number
  parameters: number
  firstLoss: number | null
  finalLoss: number
  checkpoint: string
  /** Null when the run paused before its last step (it is scored when it ends). */
  presence: PresenceScore | null
  /** The vision phase's presence accuracy over its last training batches; null without one (or on resume). */
  visionAccuracy: number | null
  paused: boolean
  minutes: number
  provider: string
}

/** Whether a study belongs to the held-out split: a hash of its UID, so the split never changes. */
export function isHeldOut(studyUid: string, fraction: number): boolean {
  return createHash('sha256').update(studyUid).digest().readUInt32BE(0) / 2 ** 32 < fraction
}

/** Whether a study's report is withheld from a run (a second hash of its UID, independent of the held-out split). */
export function isReportWithheld(studyUid: string, fraction: number): boolean {
  return fraction > 0 && createHash('sha256').update(`withheld-report:${studyUid}`).digest().readUInt32BE(0) / 2 ** 32 < fraction
}

/** The text the model learns to write: the report's findings and impression sections. */
export function reportTarget(pair: Pick<ImageReportPair, 'rawText' | 'sectionsJson'>): string {
  const sections = pair.sectionsJson ? (JSON.parse(pair.sectionsJson) as { findings: string | null; impression: string | null }) : null
  const parts = [sections?.findings, sections?.impression].map((s) => s?.trim()).filter((s): s is string => !!s)
  return (parts.length > 0 ? parts.join('\n') : pair.rawText).trim()
}

export function reportPresence(pair: Pick<ImageReportPair, 'rawText' | 'findingsJson'>): Presence {
  const parsed = pair.findingsJson ? (JSON.parse(pair.findingsJson) as { nodules?: { presence?: Presence } }) : null
  return parsed?.nodules?.presence ?? parseReport(pair.rawText).nodules.presence
}

/**
 * Where the report places nodules, one 0/1 per NODULE_PLACES entry; null where it does not say for
 * every nodule (uncertain, no definite nodule, a nodule without side or zone). "Bilateral" places
 * the zone on both sides.
 */
export function reportPlaces(pair: Pick<ImageReportPair, 'rawText' | 'findingsJson'>): number[] | null {
  const parsed = pair.findingsJson ? (JSON.parse(pair.findingsJson) as { nodules?: NoduleFinding }) : null
  const nodules = parsed?.nodules ?? parseReport(pair.rawText).nodules
  if (nodules.presence === 'absent') return NODULE_PLACES.map(() => 0)
  const items = nodules.items.filter((i) => i.certainty === 'definite')
  if (nodules.presence !== 'present' || items.length === 0 || items.some((i) => !i.side || !i.zone)) return null
  return NODULE_PLACES.map(([side, zone]) => (items.some((i) => (i.side === side || i.side === 'bilateral') && i.zone === zone) ? 1 : 0))
}

/** The prompt of the report task: `<task:report>` after the image prefix. */
export function reportPrompt(tokenizer: Tokenizer): number[] {
  return [tokenizer.special('<task:report>')]
}

/** What names a study's model image: enough to read it and to name it in an error. */
type ModelImageRef = Pick<ImageReportPair, 'modelPath' | 'pseudonym'>

export interface Example<P extends ModelImageRef = ImageReportPair> {
  pair: P
  pixels: Uint8Array
  side: number
}

/** Each pair's model image, decoded; the error names the study and the file. */
export function loadExamples<P extends ModelImageRef>(dataDir: string, pairs: readonly P[]): Example<P>[] {
  return pairs.map((pair) => {
    const file = path.join(dataDir, pair.modelPath)
    let png: ReturnType<typeof decodeGrayPng>
    try {
      png = decodeGrayPng(fs.readFileSync(file))
    } catch (err) {
      throw new Error(`Model image of study ${pair.pseudonym} (${file}) cannot be read: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (png.width !== png.height || png.pixels instanceof Uint16Array) throw new Error(`Model image ${file} is not a square 8-bit image`)
    return { pair, pixels: png.pixels, side: png.width }
  })
}

function exampleImage(c: VlmConfig, e: Example): Float32Array {
  return imageInput(e.pixels, e.side, e.side, c.vision.imageSize)
}

/**
 * A training view of an image: shifted by up to 1/32 of its side (edges repeat) and with its
 * contrast and brightness jittered, so the encoder learns what is in the image rather than which
 * image it is. No flips: left and right are part of the findings.
 */
export function augmentImage(image: Float32Array, side: number, rng: Rng): Float32Array {
  const reach = Math.max(1, Math.round(side / 32))
  const dx = rng.below(2 * reach + 1) - reach
  const dy = rng.below(2 * reach + 1) - reach
  const gain = 0.9 + 0.2 * rng.next()
  const offset = 0.2 * rng.next() - 0.1
  const out = new Float32Array(image.length)
  for (let y = 0; y < side; y++) {
    const sy = Math.min(side - 1, Math.max(0, y + dy))
    for (let x = 0; x < side; x++) out[y * side + x] = image[sy * side + Math.min(side - 1, Math.max(0, x + dx))] * gain + offset
  }
  return out
}

/** Continuation tokens of a report: its text then `<eos>`, cut to fit the text positions. */
export function reportTokens(tokenizer: Tokenizer, c: VlmConfig, text: string): number[] {
  const room = c.decoder.maxText - reportPrompt(tokenizer).length
  const ids = [...tokenizer.encode(text.normalize('NFC')), tokenizer.special('<eos>')]
  return ids.slice(0, room)
}

function learningRate(o: WarmupOptions, step: number): number {
  const warm = Math.max(1, Math.round(o.steps * 0.05))
  if (step < warm) return (o.lr * (step + 1)) / warm
  return o.lr * (0.1 + 0.45 * (1 + Math.cos((Math.PI * (step - warm)) / Math.max(1, o.steps - warm))))
}

/**
 * Runs (or resumes) the warm-up in this process; the task body and the tests call it. A run that
 * did not finish (killed, failed) with the same options is resumed from its last checkpoint.
 */
export async function runWarmup(db: Db, dataDir: string, options: Partial<WarmupOptions>, hooks: WarmupHooks = {}): Promise<WarmupResult> {
  const o = { ...defaultWarmupOptions, ...options }
  const baseConfig = namedConfigs[o.config]
  if (!baseConfig) throw new Error(`Unknown model config "${o.config}" (known: ${Object.keys(namedConfigs).join(', ')})`)
  const started = performance.now()
  const pairs = imageReportPairs(db)
  const train = pairs.filter((p) => !isHeldOut(p.studyUid, o.heldOutFraction) && !isReportWithheld(p.studyUid, o.withheldReportFraction ?? 0))
  const heldOut = pairs.filter((p) => isHeldOut(p.studyUid, o.heldOutFraction))
  if (train.length === 0) {
    throw new Error(
      `No studies to train on: warm-up needs studies with both a frontal chest film and a report (found ${pairs.length}, ` +
        `${heldOut.length} of them held out for evaluation; ${libraryCounts(db).withoutModelImage} studies have no frontal chest film)`
    )
  }

  // Threads, the provider and the time limit do not change what is learned; a resume may change them.
  const runOptions = JSON.stringify({ ...o, threads: undefined, executionProvider: undefined, maxMinutes: undefined })
  const previous = unfinishedRun(db, WARMUP_RUN, runOptions)
  const resumeFrom = previous ? latestCheckpointOfRun(db, previous.id) : null
  const runtimes = await createTrainingRuntimes({ executionProvider: o.executionProvider ?? 'cpu', intraOpThreads: o.threads })
  const runId = previous?.id ?? createRun(db, { name: WARMUP_RUN, configJson: runOptions, seed: o.seed, device: `${os.cpus().length} CPU cores`, executionProvider: runtimes.train.provider })
  if (previous) setRunStatus(db, runId, 'running')
  try {
    let config: VlmConfig
    let tokenizer: Tokenizer
    let weights: Map<string, Float32Array> | null = null
    let resume = undefined as Parameters<typeof Trainer.create>[3]
    if (resumeFrom) {
      const ckpt = loadCheckpoint(path.join(dataDir, resumeFrom.path))
      ;({ config, tokenizer, weights } = ckpt)
      resume = ckpt.optimizer ?? undefined
    } else {
      // Report text only: the tokenizer never sees DICOM tags or the held-out reports.
      tokenizer = Tokenizer.train(train.map((p) => reportTarget(p).normalize('NFC')), baseConfig.vocab)
      config = { ...baseConfig, vocab: tokenizer.vocabSize }
    }
    const examples = loadExamples(dataDir, train)
    const targets = examples.map((e) => reportTokens(tokenizer, config, reportTarget(e.pair)))
    const prompt = reportPrompt(tokenizer)
    const textLength = bucketLength(Math.max(...targets.map((t) => prompt.length + t.length)), config.decoder.maxText)

    const deadline = o.maxMinutes > 0 ? started + o.maxMinutes * 60000 : Infinity
    const g = new Graph('vlm_warmup')
    const inputs = vlmInputs(g, config, o.batch, textLength)
    const targetIds = g.input('targets', 'int64', [o.batch, textLength])
    // With a vision phase, its presence loss stays on through the text, so the encoder keeps what it learned.
    const withPresence = (o.visionSteps ?? 0) > 0
    const features = withPresence ? imageFeatures(g, config, inputs.images) : undefined
    const nodules = features && noduleLogits(g, features, o.visionPlaces === true || config.noduleSummary === true)
    const ce = vlmLoss(g, vlmForward(g, config, inputs, features, nodules).logits, targetIds)
    const trainLoss = nodules ? g.add(ce.loss, visionLosses(g, nodules, o.batch, o.visionPlaces === true).loss) : ce.loss
    const spec = buildTrainStep(g, trainLoss, { correct: ce.correct, tokens: ce.tokens })
    const labels = visionLabels(examples)
    weights ??= initParams(g.params, o.seed)
    let visionAccuracy: number | null = null
    if (!resumeFrom && (o.visionSteps ?? 0) > 0) ({ weights, accuracy: visionAccuracy } = await trainVisionPhase(runtimes.train, config, examples, weights, o, hooks, deadline))
    else if (resumeFrom && withPresence) ({ weights, resume } = withFreshVisionHeads(g, o.seed, weights, resume))
    const trainer = await Trainer.create(runtimes.train, spec, weights, resume)
    const startStep = trainer.stepCount
    const pad = tokenizer.special('<pad>')

    let firstLoss: number | null = null
    let loss = NaN
    let checkpoint = resumeFrom?.path ?? ''
    const writeCheckpoint = async (step: number) => {
      const relative = path.join('checkpoints', `run-${runId}`, `step-${String(step).padStart(6, '0')}.safetensors`)
      fs.mkdirSync(path.join(dataDir, path.dirname(relative)), { recursive: true })
      const sha256 = saveCheckpoint(path.join(dataDir, relative), { config, tokenizer, weights: await trainer.readWeights(), optimizer: await trainer.readOptimizerState() })
      insertCheckpoint(db, { runId, roundIndex: step, path: relative, sha256, metricsJson: JSON.stringify({ stage: 'warmup', step, loss }) })
      checkpoint = relative
    }
    let paused = false
    for (let step = startStep; step < o.steps && performance.now() < deadline; step++) {
      if (hooks.signal?.aborted) throw hooks.signal.reason
      if ((paused = hooks.pauseRequested?.() === true)) break
      // Batches depend only on the seed and the step, so a resumed run sees the batches it would have.
      const rng = new Rng(o.seed * 1_000_003 + step)
      const picked = Array.from({ length: o.batch }, () => rng.below(examples.length))
      const batch = teacherForcedBatch(
        picked.map(() => prompt),
        picked.map((i) => targets[i]),
        textLength,
        pad
      )
      const images = picked.map((i) => augmentImage(exampleImage(config, examples[i]), config.vision.imageSize, rng))
      const visionFeeds = withPresence ? visionBatch(labels, picked, o.visionPlaces === true) : {}
      const { metrics } = await trainer.step({ images: imageBatch(config, images), ids: batch.ids, targets: batch.targets, ...visionFeeds }, learningRate(o, step))
      loss = metrics.loss
      firstLoss ??= loss
      if (!Number.isFinite(loss)) throw new Error(`Warm-up diverged at step ${step + 1} (loss ${loss})`)
      await hooks.onStep?.({ step: step + 1, steps: o.steps, loss })
      if ((step + 1) % o.checkpointEvery === 0 && step + 1 < o.steps) await writeCheckpoint(step + 1)
    }
    if (trainer.stepCount > startStep || !checkpoint) await writeCheckpoint(trainer.stepCount)

    const presence = paused ? null : await scorePresence(new VlmModel(config, tokenizer, runtimes.generate, await trainer.readWeights()), loadExamples(dataDir, heldOut), hooks)
    // A run the time limit ended early stays resumable: the same options continue it.
    setRunStatus(db, runId, trainer.stepCount < o.steps ? 'stopped' : 'done')
    return {
      runId,
      resumedFromStep: resumeFrom ? startStep : null,
      steps: trainer.stepCount,
      trainStudies: train.length,
      heldOutStudies: heldOut.length,
      parameters: g.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
      firstLoss,
      finalLoss: loss,
      checkpoint,
      presence,
      visionAccuracy,
      paused,
      minutes: (performance.now() - started) / 60000,
      provider: trainer.provider
    }
  } catch (err) {
    markRunInterrupted(db, runId, err, hooks.signal?.aborted === true)
    throw err
  } finally {
    await runtimes.release()
  }
}

/** The vision phase reports its accuracy over this many last steps (its training batches, augmented). */
const RECENT_VISION_STEPS = 20

/** What the vision losses fit each example to: its report's presence and (null: not said) places. */
interface VisionLabels {
  presence: Presence[]
  places: (number[] | null)[]
}

function visionLabels(examples: readonly Example[]): VisionLabels {
  return { presence: examples.map((e) => reportPresence(e.pair)), places: examples.map((e) => reportPlaces(e.pair)) }
}

/**
 * The vision losses on image features: presence (masked BCE of `presenceLogit`; 'uncertain' does
 * not count) and, with `places`, where (masked BCE of `placeLogits` where the report says).
 */
function visionLosses(g: Graph, nodules: NoduleLogits, batch: number, places: boolean): { loss: Value; presence: Value; y: Value; counted: Value } {
  const y = g.input('presence', 'float32', [batch])
  const counted = g.input('counted', 'float32', [batch])
  const { presence } = nodules
  const presenceLoss = maskedBce(g, presence, y, counted)
  if (!places) return { loss: presenceLoss, presence, y, counted }
  if (!nodules.places) throw new Error('visionLosses: the place loss needs the place logits')
  const cells = batch * NODULE_PLACES.length
  const placeLoss = maskedBce(g, nodules.places, g.input('places', 'float32', [cells]), g.input('placesCounted', 'float32', [cells]))
  return { loss: g.add(presenceLoss, placeLoss), presence, y, counted }
}

/** Feeds of the vision losses for the picked examples: 1 where the report names a nodule (or one at a place). */
function visionBatch(labels: VisionLabels, picked: readonly number[], places: boolean): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    presence: new ort.Tensor('float32', Float32Array.from(picked, (i) => (labels.presence[i] === 'present' ? 1 : 0)), [picked.length]),
    counted: new ort.Tensor('float32', Float32Array.from(picked, (i) => (labels.presence[i] === 'uncertain' ? 0 : 1)), [picked.length])
  }
  if (!places) return feeds
  const cells = picked.length * NODULE_PLACES.length
  feeds.places = new ort.Tensor('float32', Float32Array.from(picked.flatMap((i) => labels.places[i] ?? NODULE_PLACES.map(() => 0))), [cells])
  feeds.placesCounted = new ort.Tensor('float32', Float32Array.from(picked.flatMap((i) => NODULE_PLACES.map(() => (labels.places[i] ? 1 : 0)))), [cells])
  return feeds
}

/**
 * Checkpoints hold the model that generates; without `noduleSummary` the vision heads are
 * training-only, so a resumed run with a vision phase starts them afresh (fresh weights, zero
 * moments) and the vision losses refit them. With it they are in the checkpoint and nothing is fresh.
 */
function withFreshVisionHeads(g: Graph, seed: number, weights: Map<string, Float32Array>, resume: OptimizerState | undefined): { weights: Map<string, Float32Array>; resume: OptimizerState | undefined } {
  const head = g.params.filter((p) => !weights.has(p.value.name))
  const fresh = initParams(head, seed)
  const zeros = new Map(head.map((p) => [p.value.name, new Float32Array(p.shape.reduce((a, b) => a * b, 1))]))
  return {
    weights: new Map([...weights, ...fresh]),
    resume: resume && { ...resume, m: new Map([...resume.m, ...zeros]), v: new Map([...resume.v, ...zeros]) }
  }
}

/** Stable binary cross-entropy with logits: relu(z) − y·z + log(1 + exp(−|z|)), masked, averaged. */
function maskedBce(g: Graph, z: Value, y: Value, counted: Value): Value {
  const absZ = g.sqrt(g.add(g.mul(z, z), 1e-12))
  const bce = g.add(g.sub(g.relu(z), g.mul(y, z)), g.log(g.add(g.exp(g.neg(absZ)), 1)))
  return g.div(g.reduceSum(g.mul(bce, counted), [0]), g.add(g.reduceSum(counted, [0]), 1e-6))
}

/**
 * The vision phase: the encoder and the presence head trained alone on the training films against
 * their reports' presence ('uncertain' does not count). Returns all weights with the encoder's updated.
 */
async function trainVisionPhase(
  runtime: Runtime,
  config: VlmConfig,
  examples: readonly Example[],
  weights: Map<string, Float32Array>,
  o: WarmupOptions,
  hooks: WarmupHooks,
  deadline: number
): Promise<{ weights: Map<string, Float32Array>; accuracy: number | null }> {
  const g = new Graph('vlm_vision')
  const s = config.vision.imageSize
  const images = g.input('images', 'float32', [o.batch, s, s])
  const places = o.visionPlaces === true
  const { loss, presence: logit, y, counted } = visionLosses(g, noduleLogits(g, imageFeatures(g, config, images), places), o.batch, places)
  // Films whose presence the head calls right (logit > 0 for 'present'), of those that count.
  const right = g.reduceSum(g.mul(g.cast(g.equal(g.greater(logit, 0), g.greater(y, 0.5)), 'float32'), counted), [0])
  const spec = buildTrainStep(g, loss, { right, scored: g.reduceSum(counted, [0]) })
  const initial = new Map([...initParams(g.params, o.seed), ...[...weights].filter(([name]) => g.params.some((p) => p.value.name === name))])
  const trainer = await Trainer.create(runtime, spec, initial)
  const labels = visionLabels(examples)
  const steps = o.visionSteps ?? 0
  const recent: [number, number][] = []
  for (let step = 0; step < steps && performance.now() < deadline; step++) {
    if (hooks.signal?.aborted) throw hooks.signal.reason
    const rng = new Rng(o.seed * 7_000_003 + step)
    const picked = Array.from({ length: o.batch }, () => rng.below(examples.length))
    const batchImages = picked.map((i) => augmentImage(exampleImage(config, examples[i]), s, rng))
    const { metrics } = await trainer.step({ images: imageBatch(config, batchImages), ...visionBatch(labels, picked, places) }, o.visionLr ?? 3e-3)
    recent.push([metrics.right, metrics.scored])
    if (recent.length > RECENT_VISION_STEPS) recent.shift()
    if ((step + 1) % 10 === 0) await hooks.onPhase?.('vision', step + 1, steps)
  }
  const trained = await trainer.readWeights()
  const scored = recent.reduce((n, [, c]) => n + c, 0)
  return { weights: new Map([...weights].map(([name, w]) => [name, trained.get(name) ?? w])), accuracy: scored > 0 ? recent.reduce((n, [r]) => n + r, 0) / scored : null }
}

const presences: readonly Presence[] = ['present', 'absent', 'uncertain']

/** Greedy report generation on each example, read by the report parser, against the report's presence. */
async function scorePresence(model: VlmModel, examples: readonly Example[], hooks: WarmupHooks, batch = 16): Promise<PresenceScore> {
  const confusion = Object.fromEntries(presences.map((t) => [t, Object.fromEntries(presences.map((p) => [p, 0]))])) as PresenceScore['confusion']
  const prompt = reportPrompt(model.tokenizer)
  await hooks.onPhase?.('evaluating', 0, examples.length)
  for (let at = 0; at < examples.length; at += batch) {
    if (hooks.signal?.aborted) throw hooks.signal.reason
    const chunk = examples.slice(at, at + batch)
    const generated = await generate(
      model,
      chunk.map((e) => exampleImage(model.config, e)),
      chunk.map(() => prompt),
      { maxNewTokens: model.config.decoder.maxText - prompt.length, temperature: 0, topP: 1, seed: 0 }
    )
    chunk.forEach((e, i) => confusion[reportPresence(e.pair)][parseReport(generated[i].text).nodules.presence]++)
    await hooks.onPhase?.('evaluating', Math.min(examples.length, at + batch), examples.length)
  }
  const truthCounts = presences.map((t) => presences.reduce((n, p) => n + confusion[t][p], 0))
  const majority = truthCounts.indexOf(Math.max(...truthCounts))
  const n = examples.length
  return {
    studies: n,
    accuracy: n ? presences.reduce((s, t) => s + confusion[t][t], 0) / n : 0,
    majorityRate: n ? truthCounts[majority] / n : 0,
    majorityClass: presences[majority],
    confusion
  }
}

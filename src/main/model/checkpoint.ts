import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { writeFileAtomic } from '../store/atomic-file'
import { Runtime } from '../tensor/runtime'
import type { OptimizerState } from '../tensor/trainer'
import { parseVlmConfig, type VlmConfig } from './config'
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors'
import { Tokenizer, type TokenizerJson } from './tokenizer'
import { VlmModel, vlmParams, weightMismatches } from './vlm'

/**
 * A VLM checkpoint is one safetensors file: the weights under their parameter names, the Adam
 * moments under `optimizer.m.<name>` / `optimizer.v.<name>`, and in the metadata the model config,
 * the tokenizer and the optimizer step. One file, written atomically, so a crash leaves either the
 * old checkpoint or the new one.
 */
export const CHECKPOINT_FORMAT = 'vzw-vlm/1'

export interface Checkpoint {
  config: VlmConfig
  tokenizer: Tokenizer
  weights: Map<string, Float32Array>
  optimizer: OptimizerState | null
}

const OPT_M = 'optimizer.m.'
const OPT_V = 'optimizer.v.'

function f32(data: Float32Array, shape: readonly number[]): NamedTensor {
  return { dtype: 'F32', shape: [...shape], data }
}

export function encodeCheckpoint(ckpt: Checkpoint): Buffer {
  const tensors: Record<string, NamedTensor> = {}
  for (const p of vlmParams(ckpt.config)) {
    const name = p.value.name
    const w = ckpt.weights.get(name)
    if (!w) throw new Error(`Checkpoint: no weights for ${name}`)
    tensors[name] = f32(w, p.shape)
    if (ckpt.optimizer) {
      tensors[OPT_M + name] = f32(ckpt.optimizer.m.get(name)!, p.shape)
      tensors[OPT_V + name] = f32(ckpt.optimizer.v.get(name)!, p.shape)
    }
  }
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    config: JSON.stringify(ckpt.config),
    tokenizer: JSON.stringify(ckpt.tokenizer.toJson())
  }
  if (ckpt.optimizer) metadata.optimizer_step = String(ckpt.optimizer.step)
  return encodeSafetensors(tensors, metadata)
}

/** Writes the checkpoint atomically; returns the file's SHA-256 for the checkpoints table. */
export function saveCheckpoint(file: string, ckpt: Checkpoint): string {
  const bytes = encodeCheckpoint(ckpt)
  writeFileAtomic(file, bytes)
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * Reads a checkpoint and checks it: the config and tokenizer in its metadata, every weight the
 * config needs with the shape it needs. The error names the file and each mismatch.
 */
export function decodeCheckpoint(bytes: Buffer, source: string): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, source)
  if (metadata.format !== CHECKPOINT_FORMAT) throw new Error(`${source}: not a VLM checkpoint (format ${metadata.format ?? 'missing'}, expected ${CHECKPOINT_FORMAT})`)
  const config = parseVlmConfig(parseJson(metadata.config, `${source}: config`), source)
  const tokenizer = Tokenizer.fromJson(parseJson(metadata.tokenizer, `${source}: tokenizer`) as TokenizerJson)
  if (tokenizer.vocabSize !== config.vocab) throw new Error(`${source}: the tokenizer has ${tokenizer.vocabSize} tokens, the config ${config.vocab}`)
  const weights = new Map<string, NamedTensor>()
  const m = new Map<string, Float32Array>()
  const v = new Map<string, Float32Array>()
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') throw new Error(`${source}: tensor ${name} is ${t.dtype}, only F32 is supported`)
    if (name.startsWith(OPT_M)) m.set(name.slice(OPT_M.length), t.data as Float32Array)
    else if (name.startsWith(OPT_V)) v.set(name.slice(OPT_V.length), t.data as Float32Array)
    else weights.set(name, t)
  }
  const problems = weightMismatches(config, weights)
  if (problems.length > 0) throw new Error(`${source}: the weights do not fit the ${config.name} config: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`)
  const hasOptimizer = metadata.optimizer_step !== undefined
  if (hasOptimizer) {
    const missing = [...weights.keys()].filter((n) => !m.has(n) || !v.has(n))
    if (missing.length > 0) throw new Error(`${source}: optimizer state is missing for ${missing.slice(0, 5).join(', ')}`)
  }
  return {
    config,
    tokenizer,
    weights: new Map([...weights].map(([n, t]) => [n, t.data as Float32Array])),
    optimizer: hasOptimizer ? { step: Number(metadata.optimizer_step), m, v } : null
  }
}

export function loadCheckpoint(file: string): Checkpoint {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    throw new Error(`Cannot read checkpoint ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  return decodeCheckpoint(bytes, file)
}

/**
 * A checkpoint file's model on a CPU runtime of its own, for `use` only: the runtime's threads are
 * released however `use` ends. The file is read before the runtime starts, so a missing or damaged
 * checkpoint fails without an onnxruntime start-up.
 */
export async function withCheckpointOnCpu<T>(file: string, intraOpThreads: number, use: (model: VlmModel, checkpoint: Checkpoint) => Promise<T>): Promise<T> {
  const checkpoint = loadCheckpoint(file)
  const runtime = await Runtime.create({ executionProvider: 'cpu', intraOpThreads })
  try {
    return await use(new VlmModel(checkpoint.config, checkpoint.tokenizer, runtime, checkpoint.weights), checkpoint)
  } finally {
    await runtime.release()
  }
}

function parseJson(text: string | undefined, what: string): unknown {
  if (text === undefined) throw new Error(`${what} is missing`)
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${what} is not valid JSON`)
  }
}

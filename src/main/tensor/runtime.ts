import { createHash } from 'node:crypto'
import * as ort from 'onnxruntime-node'
import type { ExecutionProvider } from '../../shared/contract'
import { Graph } from './graph'
import { encodeModel, type OnnxModel } from './onnx-writer'

/** The order 'auto' tries providers in: GPU first, CPU always last and always there. */
export const autoPreference: readonly ExecutionProvider[] = ['webgpu', 'dml', 'coreml', 'cpu']

export interface ProviderAttempt {
  provider: ExecutionProvider
  ok: boolean
  /** One line: why the provider could not be used. */
  reason?: string
}

export interface ProviderChoice {
  chosen: ExecutionProvider
  attempts: ProviderAttempt[]
}

export interface RuntimeOptions {
  /** 'auto' or one provider; a provider that fails falls back along the auto order to cpu. */
  executionProvider?: 'auto' | ExecutionProvider
  /** onnxruntime intra-op threads; 0 lets onnxruntime decide. */
  intraOpThreads?: number
  /**
   * Whether idle pool threads spin between ops. Off by default: on a shared desktop (UI, other
   * work) spinning threads steal the cores the busy ones need, which measured 2× slower.
   */
  spinWait?: boolean
  /** Where fallback reasons go, one line each. */
  log?: (line: string) => void
}

function firstLine(err: unknown): string {
  // onnxruntime prefixes its messages with the failed source check; the reason is after it.
  const text = (err instanceof Error ? err.message : String(err)).replace(/^[^\n]*? was false\.\s*/, '')
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'unknown error'
  )
}

function preferenceList(choice: 'auto' | ExecutionProvider): ExecutionProvider[] {
  if (choice === 'auto') return [...autoPreference]
  return choice === 'cpu' ? ['cpu'] : [choice, 'cpu']
}

let probeModel: Uint8Array | null = null

/** A two-node model, enough to make a provider prove it can create a session. */
function probe(): Uint8Array {
  if (!probeModel) {
    const g = new Graph('probe')
    const x = g.input('x', 'float32', [2, 2])
    probeModel = encodeModel(g.toModel({ y: g.add(g.matmul(x, x), x) }))
  }
  return probeModel
}

/**
 * Tries each provider on its own, in order (onnxruntime does not fall back by itself), logging a
 * one-line reason for each that fails. cpu always works. Under 'auto' a provider this platform's
 * onnxruntime-node does not carry (DirectML off Windows, CoreML off macOS) is recorded but not
 * logged: it was never a candidate here, and a line for it on every run reads like a fault.
 */
export async function chooseExecutionProvider(choice: 'auto' | ExecutionProvider = 'auto', log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<ProviderChoice> {
  const attempts: ProviderAttempt[] = []
  const bundled = new Set(ort.listSupportedBackends().map((b) => b.name))
  for (const provider of preferenceList(choice)) {
    try {
      if (!bundled.has(provider)) throw new Error(`not compiled into onnxruntime-node for ${process.platform}-${process.arch}`)
      const session = await ort.InferenceSession.create(probe(), { executionProviders: [provider], logSeverityLevel: 3 })
      await session.release()
      attempts.push({ provider, ok: true })
      return { chosen: provider, attempts }
    } catch (err) {
      const reason = firstLine(err)
      attempts.push({ provider, ok: false, reason })
      if (choice !== 'auto' || bundled.has(provider)) log(`execution provider ${provider} unavailable: ${reason}`)
    }
  }
  throw new Error(`No execution provider works: ${attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ')}`)
}

export type Feeds = Record<string, ort.Tensor>

/** A loaded model: run it with named tensors, get named tensors back. */
export class CompiledModel {
  constructor(
    readonly session: ort.InferenceSession,
    readonly provider: ExecutionProvider
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames
  }

  /** Runs with the feeds the model takes (extra feeds are ignored, missing ones are an error). */
  async run(feeds: Feeds): Promise<Record<string, ort.Tensor>> {
    const used: Feeds = {}
    for (const name of this.session.inputNames) {
      const t = feeds[name]
      if (!t) throw new Error(`Missing input '${name}' for the model`)
      used[name] = t
    }
    return (await this.session.run(used)) as Record<string, ort.Tensor>
  }
}

/**
 * The engine's onnxruntime front: one chosen provider, sessions cached by the model's bytes (its
 * graph and shapes) so the same graph is compiled once.
 */
export class Runtime {
  private readonly sessions = new Map<string, Promise<CompiledModel>>()

  private constructor(
    readonly choice: ProviderChoice,
    private readonly threading: { intraOpThreads: number; spinWait: boolean },
    private readonly log: (line: string) => void
  ) {}

  static async create(options: RuntimeOptions = {}): Promise<Runtime> {
    const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'))
    const choice = await chooseExecutionProvider(options.executionProvider ?? 'auto', log)
    return new Runtime(choice, { intraOpThreads: options.intraOpThreads ?? 0, spinWait: options.spinWait ?? false }, log)
  }

  get provider(): ExecutionProvider {
    return this.choice.chosen
  }

  /** Whether outputs can stay in device memory between runs (WebGPU IO binding). */
  get keepsStateOnDevice(): boolean {
    return this.provider === 'webgpu'
  }

  /**
   * Compiles (or reuses) a model. `deviceOutputs` names outputs to leave on the GPU as
   * 'gpu-buffer' tensors, to be fed back as inputs without a copy; ignored off WebGPU.
   */
  compile(model: OnnxModel, deviceOutputs: readonly string[] = []): Promise<CompiledModel> {
    const bytes = encodeModel(model)
    const onDevice = this.keepsStateOnDevice ? deviceOutputs : []
    const key = createHash('sha256').update(bytes).update(onDevice.join('\n')).digest('hex')
    let entry = this.sessions.get(key)
    if (!entry) {
      entry = this.createSession(bytes, onDevice)
      this.sessions.set(key, entry)
      entry.catch(() => this.sessions.delete(key))
    }
    return entry
  }

  get cachedSessions(): number {
    return this.sessions.size
  }

  async release(): Promise<void> {
    const all = [...this.sessions.values()]
    this.sessions.clear()
    for (const s of all) await (await s).session.release()
  }

  private async createSession(bytes: Uint8Array, onDevice: readonly string[]): Promise<CompiledModel> {
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: [this.provider],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      interOpNumThreads: 1,
      logSeverityLevel: 3,
      extra: { session: { intra_op: { allow_spinning: this.threading.spinWait ? '1' : '0' } } }
    }
    if (this.threading.intraOpThreads > 0) options.intraOpNumThreads = this.threading.intraOpThreads
    if (onDevice.length > 0) options.preferredOutputLocation = Object.fromEntries(onDevice.map((n) => [n, 'gpu-buffer' as const]))
    try {
      return new CompiledModel(await ort.InferenceSession.create(bytes, options), this.provider)
    } catch (err) {
      if (this.provider === 'cpu') throw err
      // A provider that loads may still reject a particular graph; cpu takes it then.
      this.log(`execution provider ${this.provider} rejected a model, using cpu for it: ${firstLine(err)}`)
      const { preferredOutputLocation: _dropped, ...cpuOptions } = options
      return new CompiledModel(await ort.InferenceSession.create(bytes, { ...cpuOptions, executionProviders: ['cpu'] }), 'cpu')
    }
  }
}

/**
 * A training run's two runtimes: train steps on the preferred provider, generation on the CPU.
 * Token-by-token generation at this app's model sizes is bound by per-op launches on a GPU
 * provider: `npm run bench:providers` on an H200 measured WebGPU's generation at 0.29–0.47× of 16
 * CPU threads while its conv-VLM train steps ran 4–6× faster. On the CPU both are one runtime.
 */
export interface TrainingRuntimes {
  train: Runtime
  generate: Runtime
  release(): Promise<void>
}

export async function createTrainingRuntimes(options: RuntimeOptions): Promise<TrainingRuntimes> {
  const train = await Runtime.create(options)
  const generate = train.provider === 'cpu' ? train : await Runtime.create({ ...options, executionProvider: 'cpu' })
  return {
    train,
    generate,
    release: async () => {
      await train.release()
      if (generate !== train) await generate.release()
    }
  }
}

export { ort }

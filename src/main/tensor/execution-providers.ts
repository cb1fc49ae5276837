import { listSupportedBackends } from 'onnxruntime-node'
import type { ExecutionProvider } from '../../shared/contract'
import { chooseExecutionProvider } from './runtime'

const known: readonly ExecutionProvider[] = ['webgpu', 'dml', 'coreml', 'cpu']

/**
 * Providers compiled into this onnxruntime build for this platform, in preference order. Being
 * compiled in does not mean a device is there: the runtime still tries each on its own.
 */
export function compiledExecutionProviders(): ExecutionProvider[] {
  const bundled = new Set(listSupportedBackends().filter((b) => b.bundled).map((b) => b.name))
  return known.filter((ep) => bundled.has(ep))
}

const probes = new Map<string, Promise<ExecutionProvider>>()

/**
 * The provider the engine will use for a preference ('auto' or one provider), found by trying each
 * in turn once per process (fallback reasons go to stderr once) and remembered after that.
 */
export function chosenExecutionProvider(preference: 'auto' | ExecutionProvider): Promise<ExecutionProvider> {
  let probe = probes.get(preference)
  if (!probe) {
    probe = chooseExecutionProvider(preference).then((c) => c.chosen)
    probes.set(preference, probe)
  }
  return probe
}

import { listSupportedBackends } from 'onnxruntime-node'
import type { ExecutionProvider } from '../../shared/contract'

const known: readonly ExecutionProvider[] = ['webgpu', 'dml', 'coreml', 'cpu']

/**
 * Providers compiled into this onnxruntime build for this platform, in preference order. Being
 * compiled in does not mean a device is there: the runtime still tries each on its own.
 */
export function compiledExecutionProviders(): ExecutionProvider[] {
  const bundled = new Set(listSupportedBackends().filter((b) => b.bundled).map((b) => b.name))
  return known.filter((ep) => bundled.has(ep))
}

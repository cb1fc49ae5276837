/**
 * What the benchmarks share for their PyTorch twins: finding (or installing) Debian's PyTorch with
 * OpenBLAS, running a twin script as a server that answers one timing request per line, medians.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import readline from 'node:readline'

/** Debian's python3 (apt's python3-torch lives there) first, then whatever python3 is on PATH. */
const pythons = ['/usr/bin/python3', 'python3']

/**
 * Debian builds torch against the generic libblas.so.3, which is the slow reference BLAS unless an
 * optimized one is installed as the alternative; OpenBLAS (OpenMP flavour, like torch) is what a
 * fair comparison needs.
 */
const torchPackages = ['python3-torch', 'libopenblas0-openmp']

function debianPackageMissing(name: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' })
  return r.status !== 0 ? !r.error : !r.stdout.includes('install ok installed')
}

/** A Python that imports torch, installing Debian's python3-torch and OpenBLAS with apt-get when missing. */
export function ensureTorch(log: (s: string) => void): { python: string; version: string } | null {
  const probe = () => {
    for (const python of pythons) {
      const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' })
      if (r.status === 0) return { python, version: r.stdout.trim() }
    }
    return null
  }
  const missing = torchPackages.filter(debianPackageMissing)
  const found = probe()
  if (found && missing.length === 0) return found
  if (missing.length > 0) {
    log(`installing ${missing.join(' ')} with apt-get for the PyTorch comparison`)
    const install = spawnSync('apt-get', ['install', '-y', ...missing], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
    if (install.status !== 0) log(`apt-get could not install them: ${(install.stderr || install.error?.message || 'failed').trim().split('\n').at(-1)}`)
  }
  const after = probe()
  if (!after) log('PyTorch cannot be had here; reporting onnxruntime figures only')
  else if (torchPackages.some(debianPackageMissing)) log('PyTorch runs without OpenBLAS here; its figures may be unfairly low')
  return after
}

export interface TorchServer {
  /** The twin's first line: its torch version and parameter count. */
  version: string
  params: number
  /** Sends one request line; resolves to the seconds the twin answers. */
  ask(cmd: string): Promise<number>
  close(): void
}

/** Starts a twin script (python, its arguments) that answers `{"seconds": …}` per request line. */
export async function startTorchServer(script: string, args: readonly string[], log: (s: string) => void): Promise<TorchServer | null> {
  const torch = ensureTorch(log)
  if (!torch) return null
  // Idle threads sleep instead of spinning, the same policy as our runtime (spinWait off): on a
  // shared machine spinning OpenMP threads made PyTorch up to 10× slower.
  const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }
  const child: ChildProcessWithoutNullStreams = spawn(torch.python, [script, ...args], { env })
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d))
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next()
    if (done) throw new Error('the PyTorch process ended early')
    return JSON.parse(value as string) as Record<string, unknown>
  }
  const hello = (await next()) as { version: string; params: number }
  return {
    version: hello.version,
    params: hello.params,
    ask: async (cmd) => {
      child.stdin.write(cmd + '\n')
      return (await next()).seconds as number
    },
    close: () => {
      child.stdin.end('quit\n')
    }
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

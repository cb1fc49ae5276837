import fs from 'node:fs'
import path from 'node:path'

/** A process's or worker thread's entry file, with the Node options it runs under. */
export interface ModuleEntry {
  file: string
  execArgv: string[]
}

/**
 * Where an entry named `name` is: the bundled `name.js` (electron-vite puts entries in out/main,
 * beside or above the chunk that starts them), else the TypeScript source `name.ts` run through tsx
 * (the CLI from a checkout, tests); null when there is neither.
 */
export function moduleEntry(name: string, dirs: string[]): ModuleEntry | null {
  const bundled = dirs.map((dir) => path.join(dir, `${name}.js`)).find((f) => fs.existsSync(f))
  if (bundled) return { file: bundled, execArgv: [] }
  const source = dirs.map((dir) => path.join(dir, `${name}.ts`)).find((f) => fs.existsSync(f))
  if (source) return { file: source, execArgv: ['--import', 'tsx'] }
  return null
}

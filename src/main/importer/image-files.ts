import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../store/atomic-file'

/** Image files live under `<data>/images/`, named by a hash of the SOP Instance UID (no PHI in paths). */
export function imageFileStem(sopInstanceUid: string): string {
  const h = crypto.createHash('sha256').update(sopInstanceUid).digest('hex').slice(0, 32)
  return path.join('images', h.slice(0, 2), h)
}

export function sha256(bytes: Uint8Array | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex')
}

/** Writes a file under the data folder atomically (temp name, then rename); returns its hash. */
export function writeDataFile(dataDir: string, relative: string, bytes: Uint8Array | string): string {
  const target = path.join(dataDir, relative)
  fs.mkdirSync(path.dirname(target), { recursive: true })
  writeFileAtomic(target, bytes)
  return sha256(bytes)
}

export function removeDataFiles(dataDir: string, relatives: string[]): void {
  for (const r of relatives) fs.rmSync(path.join(dataDir, r), { force: true })
}

import fs from 'node:fs'
import path from 'node:path'

/**
 * Writes to a temp name, fsyncs and renames, so a crash never leaves a half-written file. A write
 * that fails (a full disk) removes its temp file, so the space it took is given back.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  const temp = `${file}.tmp-${process.pid}`
  const fd = fs.openSync(temp, 'w', 0o600)
  try {
    try {
      fs.writeFileSync(fd, bytes)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, file)
  } catch (err) {
    fs.rmSync(temp, { force: true })
    throw err
  }
  // The rename itself must reach the disk too, or a crash could bring back the old name.
  const dir = fs.openSync(path.dirname(file), 'r')
  try {
    fs.fsyncSync(dir)
  } finally {
    fs.closeSync(dir)
  }
}

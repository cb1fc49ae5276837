import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/main/cli'
import { image } from '../../helpers/dicom-corpus'
import { pngPicture } from '../../helpers/picture-files'

let dir: string | null = null

afterEach(() => {
  vi.restoreAllMocks()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  dir = null
})

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
  const code = await main(args, path.resolve('src/main'))
  return { code, out: out.join('\n') }
}

describe('vzw import', () => {
  it('says why pictures in a folder of DICOM films were passed over, and how to import pictures', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-cli-import-'))
    const export_ = path.join(dir, 'export')
    fs.mkdirSync(path.join(export_, 'ST1'), { recursive: true })
    fs.writeFileSync(path.join(export_, 'ST1', 'IM0001'), image({ rows: 256, columns: 256, bitsAllocated: 16, bitsStored: 12, seed: 1 }).bytes)
    fs.writeFileSync(path.join(export_, 'preview.png'), pngPicture({ width: 256, height: 256 }))
    const { code, out } = await run(['import', export_, '--data-dir', path.join(dir, 'data')])
    expect(code).toBe(0)
    expect(out).toContain('Imported 1 image(s)')
    expect(out).toContain('1 PNG/JPEG picture(s) passed over: they lie in a folder you imported that holds DICOM films')
    expect(out).toContain('to import a folder of pictures, import it on its own')
  }, 60_000)
})

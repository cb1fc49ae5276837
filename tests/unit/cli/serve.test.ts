import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { rendererDir } from '../../../src/main/cli/serve'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-serve-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

function page(dir: string): string {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>')
  return dir
}

describe('vzw serve: which renderer it serves', () => {
  it('from a checkout, the built renderer in out/renderer, never the source page beside src/main', () => {
    const checkout = path.join(root, 'checkout')
    page(path.join(checkout, 'src', 'renderer'))
    const built = page(path.join(checkout, 'out', 'renderer'))
    expect(rendererDir(path.join(checkout, 'src', 'main'))).toBe(built)
  })

  it('from a checkout not yet built, out/renderer, so the host says to run npm run build', () => {
    const checkout = path.join(root, 'unbuilt')
    page(path.join(checkout, 'src', 'renderer'))
    expect(rendererDir(path.join(checkout, 'src', 'main'))).toBe(path.join(checkout, 'out', 'renderer'))
  })

  it('from the bundle, the renderer beside out/main', () => {
    const bundle = path.join(root, 'bundle')
    const built = page(path.join(bundle, 'out', 'renderer'))
    expect(rendererDir(path.join(bundle, 'out', 'main'))).toBe(built)
  })
})

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { PNG } from 'pngjs'
import { main } from '../../../src/main/cli'
import { tempDir } from './helpers'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

describe('vzw synth', () => {
  it('writes a cohort, a contact sheet and a RESULT line, and refuses to overwrite without --force', async () => {
    const out = tempDir('synth-cli')
    dirs.push(out)
    const sheet = path.join(out, 'sheet.png')
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const args = ['synth', '--out', out, '--studies', '3', '--lang', 'zh', '--seed', '4', '--report-fraction', '1', '--size', '384x320@0.9', '--workers', '1']
      expect(await main([...args, '--contact-sheet', sheet], path.resolve('src/main'))).toBe(0)
      const result = write.mock.calls.map((c) => String(c[0])).find((l) => l.startsWith('RESULT synth'))
      expect(result).toMatch(/^RESULT synth studies=3 .*reports=3 reports_zh=3/)
      const truth = JSON.parse(fs.readFileSync(path.join(out, 'truth.json'), 'utf8'))
      expect(truth.studies).toHaveLength(3)
      expect(fs.readdirSync(path.join(out, 'import', 'reports'))).toHaveLength(3)
      const png = PNG.sync.read(fs.readFileSync(sheet))
      expect(png.width).toBe(4 * 320)
      await expect(main(args, path.resolve('src/main'))).rejects.toThrow(/already holds a cohort.*--force/)
      expect(await main([...args, '--force', '--studies', '2'], path.resolve('src/main'))).toBe(0)
      expect(JSON.parse(fs.readFileSync(path.join(out, 'truth.json'), 'utf8')).studies).toHaveLength(2)
      await expect(main(['synth', '--out', out, '--lang', 'fr'], path.resolve('src/main'))).rejects.toThrow(/--lang must be en, zh or mixed/)
    } finally {
      log.mockRestore()
      write.mockRestore()
      err.mockRestore()
    }
  })
})

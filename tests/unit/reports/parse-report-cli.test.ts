import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/main/cli'
import { encodeGb18030 } from './fixtures'
import { writePdf } from '../../helpers/pdf-writer'

let dir: string | null = null

afterEach(() => {
  vi.restoreAllMocks()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  dir = null
})

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')))
  const code = await main(args, path.resolve('src/main'))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('vzw parse-report', () => {
  it('prints the parsed report of a GB18030 file as JSON', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-parse-'))
    const file = path.join(dir, 'r.txt')
    fs.writeFileSync(file, encodeGb18030('检查所见：右上肺野见一约８ｍｍ实性结节，左下肺野见一约5mm结节。\n诊断意见：两肺结节。'))
    const { code, out } = await run(['parse-report', file])
    expect(code).toBe(0)
    const parsed = JSON.parse(out) as { language: string; nodules: { presence: string; count: number; items: unknown[] } }
    expect(parsed.language).toBe('zh')
    expect(parsed.nodules).toMatchObject({
      presence: 'present',
      count: 2,
      items: [
        { sizeMm: 8, side: 'right', zone: 'upper', density: 'solid' },
        { sizeMm: 5, side: 'left', zone: 'lower', density: null }
      ]
    })
  })

  it('reads a PDF report, whatever it is named', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-parse-'))
    const file = path.join(dir, 'report-export')
    fs.writeFileSync(file, writePdf([['检查所见：', '右上肺野见一约8mm结节。']]))
    const { code, out } = await run(['parse-report', file])
    expect(code).toBe(0)
    expect((JSON.parse(out) as { nodules: unknown }).nodules).toMatchObject({ presence: 'present', items: [{ sizeMm: 8, side: 'right', zone: 'upper' }] })
  })

  it('says which file it cannot read and exits non-zero', async () => {
    const { code, err } = await run(['parse-report', '/no/such/report.txt'])
    expect(code).toBe(1)
    expect(err).toContain('/no/such/report.txt: no such file')
    expect((await run(['parse-report'])).code).toBe(2)
  })
})

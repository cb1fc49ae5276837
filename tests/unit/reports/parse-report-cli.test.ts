import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/main/cli'
import { encodeGb18030 } from './fixtures'
import { writePdf } from '../../helpers/pdf-writer'
import { paragraphsOdt, sofficeAvailable, sofficeMissingReason, writeWordDocuments } from '../../helpers/doc-writer'

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

  it('reads the report of an HL7 result message, and says a file of several is for the import', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-parse-'))
    const oru = (id: string): string =>
      `MSH|^~\\&|RIS|H|EMR|H|20260304||ORU^R01|${id}|P|2.3\rPID|1||P1\rOBR|1||A${id}|CXR|||20260304\rOBX|1|TX|&IMP||8 mm nodule in the right upper zone.||||||F\r`
    const one = path.join(dir, 'one.hl7')
    fs.writeFileSync(one, oru('1'))
    const { code, out } = await run(['parse-report', one])
    expect(code).toBe(0)
    expect((JSON.parse(out) as { nodules: unknown }).nodules).toMatchObject({ presence: 'present', items: [{ sizeMm: 8, side: 'right', zone: 'upper' }] })
    const two = path.join(dir, 'two.hl7')
    fs.writeFileSync(two, oru('1') + oru('2'))
    const several = await run(['parse-report', two])
    expect(several.code).toBe(1)
    expect(several.err).toContain('two.hl7: it holds 2 reports; parse-report reads one (vzw import reads them all)')
    // a result whose report is a PDF (OBX-2 ED), in a file not named as HL7
    const pdf = writePdf([['IMPRESSION:', '6 mm nodule in the left lower zone.']]).toString('base64')
    const encapsulated = path.join(dir, 'result-message')
    fs.writeFileSync(encapsulated, `MSH|^~\\&|RIS|H|EMR|H|20260304||ORU^R01|3|P|2.5\rPID|1||P1\rOBR|1||A3|CXR|||20260304\rOBX|1|ED|PDF||^AP^PDF^Base64^${pdf}||||||F\r`)
    const fromPdf = await run(['parse-report', encapsulated])
    expect(fromPdf.code).toBe(0)
    expect((JSON.parse(fromPdf.out) as { nodules: unknown }).nodules).toMatchObject({ presence: 'present', items: [{ sizeMm: 6, side: 'left', zone: 'lower' }] })
  })

  it.skipIf(!sofficeAvailable)(`reads a Word document, binary or .docx, whatever it is named${sofficeAvailable ? '' : ` — skipped: ${sofficeMissingReason}`}`, async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-parse-'))
    const written = writeWordDocuments({ report: paragraphsOdt('检查所见：\n左下肺野见一约6mm结节影。\n诊断意见：\n左下肺野结节。') }).report
    for (const [name, bytes] of [['report.doc', written.doc], ['exported-report', written.doc], ['report.docx', written.docx]] as const) {
      const file = path.join(dir, name)
      fs.writeFileSync(file, bytes)
      const { code, out } = await run(['parse-report', file])
      expect(code).toBe(0)
      expect((JSON.parse(out) as { nodules: unknown }).nodules).toMatchObject({ presence: 'present', items: [{ sizeMm: 6, side: 'left', zone: 'lower' }] })
    }
  }, 120_000)

  it('reads a report file as the import does: a CDA document or a one-record export in XML', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-parse-'))
    const cda = path.join(dir, 'report.xml')
    fs.writeFileSync(cda, '<ClinicalDocument><structuredBody><component><section><title>Findings</title><text>9 mm nodule in the left lower zone.</text></section></component></structuredBody></ClinicalDocument>')
    const exported = path.join(dir, 'export.xml')
    fs.writeFileSync(exported, '<Reports><Report><Accession>A1</Accession><ReportText>9 mm nodule in the left lower zone.</ReportText></Report></Reports>')
    for (const file of [cda, exported]) {
      const { code, out } = await run(['parse-report', file])
      expect(code).toBe(0)
      expect((JSON.parse(out) as { nodules: unknown }).nodules).toMatchObject({ presence: 'present', items: [{ sizeMm: 9, side: 'left', zone: 'lower' }] })
    }
  })

  it('refuses a report in a language it does not read, named as a report file or not', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-parse-'))
    for (const name of ['informe.txt', 'informe.dat']) {
      const file = path.join(dir, name)
      fs.writeFileSync(file, 'Nódulo de 8 mm en el lóbulo superior derecho. Sin derrame pleural.')
      const { code, err } = await run(['parse-report', file])
      expect(code, name).toBe(1)
      expect(err, name).toMatch(/reads as Spanish, which the report parser does not read \(it reads English and Chinese\)/)
    }
  })

  it('says which file it cannot read and exits non-zero', async () => {
    const { code, err } = await run(['parse-report', '/no/such/report.txt'])
    expect(code).toBe(1)
    expect(err).toContain('/no/such/report.txt: no such file')
    expect((await run(['parse-report'])).code).toBe(2)
  })
})

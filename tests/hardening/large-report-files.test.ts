import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFolders } from '../../src/main/importer/import-folders'
import * as reports from '../../src/main/reports'
import { openDatabase, type Db } from '../../src/main/store/database'
import { recordHardening } from '../helpers/hardening-counts'

// Report files near the 256 MB read limit (hardening suite only: it writes a gigabyte and reads it).
const NEAR_LIMIT = 240 << 20
let tmp: string
let db: Db

/** A file of `head`, then `unit` again and again up to about `bytes`, then `tail`. */
function writeRepeated(file: string, head: string, unit: string, tail: string, bytes: number): void {
  const chunk = unit.repeat(Math.ceil((1 << 20) / unit.length))
  const fd = fs.openSync(file, 'w')
  fs.writeSync(fd, head)
  for (let written = head.length; written + chunk.length + tail.length <= bytes; written += chunk.length) fs.writeSync(fd, chunk)
  fs.writeSync(fd, tail)
  fs.closeSync(fd)
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-large-reports-'))
  const site = path.join(tmp, 'site')
  fs.mkdirSync(site)
  // hostile: tens of millions of empty records under the read limit
  writeRepeated(path.join(site, 'a-objects.json'), '[{"accession":"A","report":"x"}', ',{}', ']', NEAR_LIMIT)
  writeRepeated(path.join(site, 'b-lines.ndjson'), '{"accession":"A","report":"x"}\n', '{}\n', '', NEAR_LIMIT)
  writeRepeated(path.join(site, 'c-elements.xml'), '<reports><report><accession>A</accession><text>x</text></report>', '<r/>', '</reports>', NEAR_LIMIT)
  writeRepeated(path.join(site, 'd-rows.csv'), 'Accession,Report\n', 'A,x\n', '', NEAR_LIMIT)
  // more than V8 grows an array to: split whole, these ended the process, reader thread or not
  writeRepeated(path.join(site, 'g-segments.hl7'), 'MSH|^~\\&|RIS|H|X|H|20260101||ORU^R01|1|P|2.3\rOBR|1||ACC1\rOBX|1|TX|||No nodule.||||||F\r', 'Z\r', '', NEAR_LIMIT)
  writeRepeated(path.join(site, 'h-breaks.ndjson'), '{"accession":"A","report":"x"}\n{"accession":"B","report":"y"}\n', '\n', '', NEAR_LIMIT)
  writeRepeated(path.join(site, 'i-values.json'), '[{"accession":"A","report":"x"}', ',0', ']', NEAR_LIMIT)
  // real: a RIS export of 400,000 reports of some 600 characters, each row its own study's
  const sentence = 'The lungs are clear. No focal consolidation, pleural effusion or pneumothorax. The heart size is normal. '
  const rows = Array.from({ length: 400_000 }, (_, i) => `ACC${i},"Findings: ${sentence.repeat(5)}${(i % 20) + 3} mm nodule in the right upper zone."\n`)
  fs.writeFileSync(path.join(site, 'e-export.csv'), 'Accession,Report\n' + rows.join(''))
  fs.writeFileSync(path.join(site, 'f-ACC1.txt'), 'Findings: 6 mm nodule in the left lower zone.')
  db = openDatabase(path.join(tmp, 'data', 'vzw.sqlite'))
}, 300_000)
afterAll(() => {
  db?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('report files near the read limit', () => {
  it('refuses each file of tens of millions of empty records, values or lines by name, and imports the export of 400,000 reports and the file after them, in one job', async () => {
    const site = path.join(tmp, 'site')
    expect(fs.statSync(path.join(site, 'e-export.csv')).size).toBeGreaterThan(200 << 20)
    const summary = await importFolders(db, path.join(tmp, 'data'), [site], { reports })
    const errors = db.prepare('SELECT file_path AS file, error FROM report_errors ORDER BY id').all() as { file: string; error: string }[]
    const byFile = Object.fromEntries(errors.map((e) => [path.basename(e.file), e.error]))
    const stored = db.prepare("SELECT count(*) AS n, sum(source_path LIKE '%e-export.csv') AS export FROM reports").get() as { n: number; export: number }
    const hostile = ['a-objects.json', 'b-lines.ndjson', 'c-elements.xml', 'd-rows.csv', 'g-segments.hl7', 'h-breaks.ndjson', 'i-values.json']
    recordHardening('large-report-files', {
      hostileFiles: hostile.length,
      hostileFilesNamed: hostile.filter((f) => byFile[f]?.startsWith(`${f}: it holds `)).length,
      lostRows: 400_001 - stored.n
    })
    expect(Object.keys(byFile)).toEqual(hostile)
    expect(byFile['a-objects.json']).toMatch(/^a-objects\.json: it holds [\d,]+ objects, more than one file is read for \(20,000,000\), so it was not read: split it$/)
    expect(byFile['b-lines.ndjson']).toMatch(/^b-lines\.ndjson: it holds [\d,]+ objects, more than one file is read for \(20,000,000\), so it was not read: split it$/)
    expect(byFile['c-elements.xml']).toMatch(/^c-elements\.xml: it holds [\d,]+ tags, more than one file is read for \(30,000,000\), so it was not read: split it$/)
    expect(byFile['d-rows.csv']).toBe('d-rows.csv: it holds more than 2,000,005 rows, more than one file is read for, so it was not read: split it')
    expect(byFile['g-segments.hl7']).toMatch(/^g-segments\.hl7: it holds [\d,]+ lines, more than one file is read for \(40,000,000\), so it was not read: split it$/)
    expect(byFile['h-breaks.ndjson']).toMatch(/^h-breaks\.ndjson: it holds [\d,]+ lines, more than one file is read for \(40,000,000\), so it was not read: split it$/)
    expect(byFile['i-values.json']).toMatch(/^i-values\.json: it holds [\d,]+ values, more than one file is read for \(40,000,000\), so it was not read: split it$/)
    expect(summary.reportsUnmatched).toBe(400_001)
    expect(stored).toEqual({ n: 400_001, export: 400_000 })
  }, 900_000)
})

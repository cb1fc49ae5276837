/**
 * Report-table benchmark: what reading a RIS export near the 256 MB read limit costs, against the least a
 * reader of the file must do (read it, decode it, split its lines). A table of long reports read a character
 * at a time took more than 4 GB of heap and ended the import; fields are now taken a run at a time.
 * The table is read in this process (not the reader thread) so that its heap can be measured.
 *
 *   npm run bench:report-tables [-- --reports N]    (default 400,000 reports of some 560 characters: 224 MB)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { printResultLine } from '../src/main/app/result-line'
import { readReportFile } from '../src/main/reports/report-records'
import { flag } from './flags'

const sentence = 'The lungs are clear. No focal consolidation, pleural effusion or pneumothorax. The heart size is normal. '

function writeExport(file: string, reports: number): void {
  const fd = fs.openSync(file, 'w')
  fs.writeSync(fd, 'Accession,Report\n')
  for (let i = 0; i < reports; i += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, reports - i) }, (_, k) => `ACC${i + k},"Findings: ${sentence.repeat(5)}${((i + k) % 20) + 3} mm nodule in the right upper zone."\n`)
    fs.writeSync(fd, rows.join(''))
  }
  fs.closeSync(fd)
}

function heapMb(): number {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}

async function main(): Promise<void> {
  const reports = Number(flag('reports') ?? 400_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-bench-tables-'))
  try {
    const file = path.join(dir, 'export.csv')
    writeExport(file, reports)
    const fileMb = fs.statSync(file).size / 2 ** 20
    let started = performance.now()
    const lines = fs.readFileSync(file).toString('utf8').split('\n').length
    const plainS = (performance.now() - started) / 1000
    const heapBefore = heapMb()
    started = performance.now()
    const content = await readReportFile(file)
    const readS = (performance.now() - started) / 1000
    const heapHeld = heapMb() - heapBefore
    if (content.records.length !== reports) throw new Error(`read ${content.records.length} reports of ${reports}`)
    console.log(`${reports} reports, ${fileMb.toFixed(0)} MB (${lines} lines)${globalThis.gc ? '' : ' — run with --expose-gc for the heap figure'}`)
    console.log(`plain read, decode and split: ${plainS.toFixed(2)} s`)
    console.log(`read as a report table:       ${readS.toFixed(2)} s, its records held in ${heapHeld.toFixed(0)} MB of heap`)
    printResultLine('report-tables', { reports, file_mb: fileMb, plain_s: plainS, read_s: readS, read_ratio: readS / plainS, heap_mb: heapHeld, heap_per_file_mb: heapHeld / fileMb })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

void main()

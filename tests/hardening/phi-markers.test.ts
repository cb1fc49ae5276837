import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import dicomParser from 'dicom-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeCheckpoint } from '../../src/main/model/checkpoint'
import { Tokenizer } from '../../src/main/model/tokenizer'
import { reportTarget } from '../../src/main/model/warmup'
import { databasePath, openDatabase } from '../../src/main/store/database'
import { imageReportPairs } from '../../src/main/store/training-repository'
import { recordHardening } from '../helpers/hardening-counts'
import { writePdf } from '../helpers/pdf-writer'
import { writeSmallCohort } from '../helpers/small-cohort'

/**
 * No PHI leaves the tables made to hold it. Distinctive marker identifiers are planted in
 * synthetic DICOM headers and report text (a header line, and the patient named inside the
 * Findings and Impression), then the whole demo pipeline runs as a user would — import, warm-up
 * and self-play (tiny model), describe, a review session with every export, audit verify — each
 * step a real process preloaded with the network guard. Afterwards every file under the data
 * folder, every row of every table that is not a store of the imported data, every line the
 * processes printed, the tokenizer's vocabulary and the text it was trained on are searched for
 * the markers: zero hits, and zero network attempts.
 */
const PATIENT_NAME = 'ZZMARKER^PHI'
const BIRTH_DATE = '18990417'
/** Identifiers only the report carries, no DICOM field: a telephone number and a resident identity number (GB 11643's example). */
const TELEPHONE = '13912345678'
const RESIDENT_ID = '11010519491231002X'
/** What must never appear outside the imported-data tables. */
const MARKERS = ['ZZMARKER', 'ZZPID', BIRTH_DATE, '1899-04-17', TELEPHONE, RESIDENT_ID]
/** Tables that hold the imported data itself (names, report text, source paths, a table of films' patients) by design. */
const PHI_TABLES = new Set(['studies', 'reports', 'images', 'series', 'import_jobs', 'report_errors', 'film_index_entries'])
const STUDIES = 10
const guard = path.resolve('tests/helpers/network-guard.cjs')
const vzw = path.resolve('bin/vzw.mjs')
let tmp: string
let dataDir: string
let networkLog: string
const printed: string[] = []

/** Overwrites a string element in place with a value no longer than the stored one (space-padded). */
function overwriteElement(bytes: Buffer, tag: string, value: string): void {
  const el = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' }).elements[tag]
  if (!el || value.length > el.length) throw new Error(`cannot plant ${value} in ${tag}`)
  bytes.write(value.padEnd(el.length, ' '), el.dataOffset, 'latin1')
}

/** Plants the markers in every DICOM header and in its study's report (reports/<accession>.txt, the first one a PDF). */
function plantMarkers(importDir: string): void {
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]))
  files(path.join(importDir, 'dicom')).forEach((file, i) => {
    const patientId = `ZZPID${i}`
    const bytes = fs.readFileSync(file)
    overwriteElement(bytes, 'x00100010', PATIENT_NAME)
    overwriteElement(bytes, 'x00100020', patientId)
    overwriteElement(bytes, 'x00100030', BIRTH_DATE)
    fs.writeFileSync(file, bytes)
    const report = path.join(importDir, 'reports', `${path.basename(file, '.dcm')}.txt`)
    const mention = `Compared with the prior film of ${PATIENT_NAME.replace('^', ' ')} (${patientId}, born 1899-04-17, tel ${TELEPHONE}, 身份证号 ${RESIDENT_ID}).`
    const text = fs.readFileSync(report, 'utf8').replace(/^(findings|impression):?\s*$/gim, (header) => `${header}\n${mention}`)
    const planted = `Patient: ${PATIENT_NAME}  MRN: ${patientId}  DOB: ${BIRTH_DATE}\n${text}`
    if (i > 0) return fs.writeFileSync(report, planted)
    // one study's report as a PDF: pdf.js reads it in the import process, under the network guard
    fs.writeFileSync(report.replace(/\.txt$/, '.pdf'), writePdf([planted.split('\n')]))
    fs.rmSync(report)
  })
}

function run(command: string, args: string[]): void {
  const r = spawnSync(process.execPath, [command, ...args], {
    env: { ...process.env, NODE_OPTIONS: `--require ${guard}`, VZW_NETWORK_LOG: networkLog },
    encoding: 'utf8',
    timeout: 600_000
  })
  printed.push(r.stdout, r.stderr)
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
}
const cli = (...args: string[]) => run(vzw, [...args, '--data-dir', dataDir])

const hits = (text: string) => MARKERS.filter((m) => text.includes(m))

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-phi-'))
  dataDir = path.join(tmp, 'data')
  networkLog = path.join(tmp, 'network.log')
  const importDir = path.join(await writeSmallCohort(tmp, { seed: 31, studies: STUDIES, language: 'en' }), 'import')
  plantMarkers(importDir)
  cli('import', importDir)
  cli('selfplay', '--rounds', '2', '--config', 'tiny', '--threads', '1', '--spy-games', '1', '--qa-games', '1')
  const pseudonym = (openDatabase(databasePath(dataDir)).prepare('SELECT pseudonym FROM studies LIMIT 1').get() as { pseudonym: string }).pseudonym
  cli('describe', pseudonym)
  run(path.resolve('node_modules/.bin/tsx'), ['tests/hardening/review-session.ts', '--data-dir', dataDir, '--decisions', '8', '--seed', '5', '--export'])
  cli('audit', 'verify')
}, 900_000)
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('PHI stays where it is stored', () => {
  const found: string[] = []
  afterAll(() => {
    const attempts = fs.existsSync(networkLog) ? fs.readFileSync(networkLog, 'utf8').trim().split('\n').filter(Boolean).length : 0
    recordHardening('phi-markers', { phiHits: found.length, networkAttempts: attempts })
  })

  it('the markers went in: the imported tables hold them (so a zero below means something)', () => {
    const db = new Database(databasePath(dataDir), { readonly: true })
    try {
      expect(db.prepare('SELECT count(*) AS n FROM studies WHERE patient_name = ?').get(PATIENT_NAME)).toEqual({ n: STUDIES })
      expect((db.prepare("SELECT count(*) AS n FROM reports WHERE raw_text LIKE '%ZZMARKER%'").get() as { n: number }).n).toBe(STUDIES)
      expect((db.prepare('SELECT count(*) AS n FROM findings').get() as { n: number }).n).toBeGreaterThan(0)
      expect((db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n).toBeGreaterThan(0)
    } finally {
      db.close()
    }
    expect(fs.readdirSync(path.join(dataDir, 'exports')).some((f) => f.endsWith('.dcm'))).toBe(true)
  })

  it('no marker in any file under the data folder (checkpoints, exports, images, logs), the database aside', () => {
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    const files = walk(dataDir).filter((f) => !/vzw\.sqlite(-wal|-shm)?$/.test(f))
    expect(files.length).toBeGreaterThan(STUDIES)
    for (const file of files) for (const m of hits(fs.readFileSync(file).toString('latin1'))) found.push(`${path.relative(dataDir, file)}: ${m}`)
    expect(found).toEqual([])
  })

  it('no marker in any table outside the imported data: runs, checkpoints, rounds, games, findings, reviews, audit, tasks, settings', () => {
    const db = new Database(databasePath(dataDir), { readonly: true })
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name)
      expect(tables).toEqual(expect.arrayContaining(['tasks', 'runs', 'checkpoints', 'rounds', 'games', 'findings', 'reviews', 'audit_log']))
      const inTables = tables.filter((t) => !PHI_TABLES.has(t)).flatMap((t) => hits(JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).map((m) => `table ${t}: ${m}`))
      found.push(...inTables)
      expect(inTables).toEqual([])
    } finally {
      db.close()
    }
  })

  it('no marker in what any step printed (progress, results, errors)', () => {
    const inLogs = hits(printed.join('\n')).map((m) => `output: ${m}`)
    found.push(...inLogs)
    expect(printed.join('').length).toBeGreaterThan(0)
    expect(inLogs).toEqual([])
  })

  it('no marker in the text the tokenizer and the model train on, nor in the tokenizer’s vocabulary', () => {
    const db = openDatabase(databasePath(dataDir))
    const texts = imageReportPairs(db).map(reportTarget)
    db.close()
    expect(texts).toHaveLength(STUDIES)
    expect(texts.join('\n')).toContain('Compared with the prior film of')
    const inText = hits(texts.join('\n')).map((m) => `training text: ${m}`)
    const checkpoints = fs.readdirSync(path.join(dataDir, 'checkpoints'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    expect(checkpoints.length).toBeGreaterThan(0)
    const inVocab: string[] = []
    for (const e of checkpoints) {
      const file = path.join(e.parentPath, e.name)
      const tokenizer = Tokenizer.fromJson(decodeCheckpoint(fs.readFileSync(file), file).tokenizer.toJson())
      const vocabulary = Array.from({ length: tokenizer.vocabSize }, (_, id) => tokenizer.decode([id]))
      // 'ZZ' never occurs in report language; a merge holding it was learnt from a marker.
      inVocab.push(...vocabulary.filter((t) => t.includes('ZZ') || hits(t).length).map((t) => `vocabulary of ${e.name}: ${t}`))
    }
    found.push(...inText, ...inVocab)
    expect([...inText, ...inVocab]).toEqual([])
  })

  it('every step ran with zero network attempts', () => {
    expect(fs.existsSync(networkLog) ? fs.readFileSync(networkLog, 'utf8') : '').toBe('')
  })
})

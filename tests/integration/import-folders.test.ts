import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeGrayPng } from '../../src/main/dicom/png'
import { sha256 } from '../../src/main/importer/image-files'
import { importFolders, type ImportSummary } from '../../src/main/importer/import-folders'
import type { ReportImporter } from '../../src/main/importer/report-importer'
import * as reports from '../../src/main/reports'
import { openDatabase, type Db } from '../../src/main/store/database'
import type { TaskProgress } from '../../src/shared/contract'
import { libraryCounts, listImportErrors, listImportJobs, listStudies } from '../../src/main/store/import-repository'
import { sourceGeometryOfModelImage } from '../../src/main/store/selfplay-repository'
import { displayImageRecord, getStudyDetail } from '../../src/main/store/study-repository'
import { loadDisplayImage } from '../../src/main/api/display-image'
import { studyImage } from '../../src/main/store/training-repository'
import { dcmtkAvailable, dcmtkMissingReason, image } from '../helpers/dicom-corpus'
import { buildImportCorpus, type ImportCorpus } from '../helpers/import-corpus'

let tmp: string
let corpus: ImportCorpus
let dataDir: string
let db: Db
let first: ImportSummary

interface ImageRow {
  file_path: string
  sop_instance_uid: string | null
  status: string
  error: string | null
  display_path: string | null
  display_sha256: string | null
  model_path: string | null
  model_sha256: string | null
  spacing_kind: string | null
  for_processing: number
  tags_json: string | null
  view_position: string | null
}

const rowFor = (relative: string) => db.prepare('SELECT * FROM images WHERE file_path = ?').get(path.join(corpus.root, relative)) as ImageRow | undefined
const countRows = (sql: string) => (db.prepare(sql).get() as { n: number }).n

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-import-'))
  corpus = await buildImportCorpus(path.join(tmp, 'corpus'), path.join(tmp, 'scratch'))
  dataDir = path.join(tmp, 'data')
  db = openDatabase(path.join(dataDir, 'vzw.sqlite'))
  first = await importFolders(db, dataDir, [corpus.root], { reports, progress: (p) => progressSeen.push(p) })
})
const progressSeen: TaskProgress[] = []

afterAll(() => {
  db?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('importing a folder tree', () => {
  it('imports every valid variant at any depth and finishes', () => {
    expect(first.imported).toBe(corpus.valid.size)
    for (const [relative, sop] of corpus.valid) {
      const row = rowFor(relative)
      expect(row, relative).toBeDefined()
      expect(row!.status, `${relative}: ${row!.error}`).toBe('ok')
      expect(row!.sop_instance_uid).toBe(sop)
    }
    expect(db.prepare("SELECT status FROM import_jobs WHERE id = ?").get(first.jobId)).toEqual({ status: 'done' })
  })

  it.skipIf(!dcmtkAvailable)(`covers the dcmtk-converted syntaxes and a DICOMDIR set${dcmtkAvailable ? '' : ` — skipped: ${dcmtkMissingReason}`}`, () => {
    for (const name of ['implicit', 'bigendian', 'deflated', 'jpegll14', 'jpegllsv1', 'rle', 'jpegls', 'jpegls-near', 'jpeg-baseline'])
      expect(rowFor(`site/codecs/${name}`)?.status, name).toBe('ok')
    expect(rowFor('media/DICOM/IM000001')?.status).toBe('ok')
    expect(first.dicomdirs).toBe(1)
  })

  it('gives every broken file one error row whose reason names the problem', () => {
    expect(first.failed).toBe(corpus.broken.size)
    for (const [relative, reason] of corpus.broken) {
      const rows = db.prepare('SELECT status, error FROM images WHERE file_path = ?').all(path.join(corpus.root, relative)) as ImageRow[]
      expect(rows, relative).toHaveLength(1)
      expect(rows[0].status).toBe('error')
      expect(rows[0].error, relative).toMatch(reason)
    }
  })

  it('shows the files, then the reports, each with a count of its own', () => {
    const units = [...new Set(progressSeen.map((p) => p.unit))]
    expect(units).toEqual(['files', 'reports'])
    const last = progressSeen.filter((p) => p.unit === 'reports').at(-1)!
    expect(last).toMatchObject({ message: 'reading report files' })
    expect(last.done).toBe(last.total)
    expect(last.done).toBeGreaterThanOrEqual(corpus.reportFiles.length)
  })

  it('lists the report files it could not read beside the DICOM that failed, until a later import reads them', async () => {
    const folder = path.join(tmp, 'report-problems')
    fs.mkdirSync(folder)
    const broken = path.join(folder, 'export.xls')
    fs.writeFileSync(broken, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]))
    fs.writeFileSync(path.join(folder, 'table.csv'), 'Accession,Report\nACC9,No nodule.\nACC10,\n')
    const other = openDatabase(path.join(tmp, 'report-problems-data', 'vzw.sqlite'))
    const summary = await importFolders(other, path.join(tmp, 'report-problems-data'), [folder], { reports })
    const listed = listImportErrors(other, summary.jobId, 10, 0)
    expect(listed.rows.map((r) => [path.basename(r.file), r.reason])).toEqual([
      ['export.xls', 'export.xls: it is truncated: 608 bytes, less than the header and one sector of an Excel 97–2003 workbook'],
      ['table.csv', 'table.csv: row 3 has no report text; the other reports in it were imported']
    ])
    expect(listImportJobs(other)[0]).toMatchObject({ reportsFailed: 2, reportsUnmatched: 1 })
    expect(libraryCounts(other).errors).toBe(2)
    // the export, saved again as CSV under the old name's place, reads whole: its problem is gone, the table's stays
    fs.rmSync(broken)
    fs.writeFileSync(path.join(folder, 'table.csv'), 'Accession,Report\nACC9,No nodule.\nACC10,Normal.\n')
    const again = await importFolders(other, path.join(tmp, 'report-problems-data'), [folder], { reports })
    expect(listImportErrors(other, again.jobId, 10, 0).total).toBe(0)
    expect(listImportErrors(other, null, 10, 0).rows.map((r) => path.basename(r.file))).toEqual(['export.xls'])
    other.close()
  })

  it('stores a table of many reports in parts, its count moving between them', async () => {
    const folder = path.join(tmp, 'ris-export')
    fs.mkdirSync(folder)
    const rows = Array.from({ length: 1200 }, (_, i) => `RIS${i},No nodule.`)
    fs.writeFileSync(path.join(folder, 'export.csv'), ['Accession,Report', ...rows].join('\n'))
    const other = openDatabase(path.join(tmp, 'ris-data', 'vzw.sqlite'))
    const seen: TaskProgress[] = []
    const summary = await importFolders(other, path.join(tmp, 'ris-data'), [folder], { reports, progress: (p) => seen.push(p) })
    expect(summary.reportsUnmatched).toBe(1200)
    expect(seen.filter((p) => p.unit === 'reports').map((p) => [p.done, p.total])).toEqual([
      [0, 1],
      [500, 1200],
      [1000, 1200],
      [1200, 1200]
    ])
    other.close()
  })

  it('dedups by SOP Instance UID, skips other files and keeps reports apart', () => {
    expect(first.already).toBe(corpus.duplicates.length)
    for (const d of corpus.duplicates) expect(rowFor(d)).toBeUndefined()
    expect(first.skipped).toBe(corpus.skipped.length)
    expect(first.dicomReports).toBe(corpus.dicomReports.length)
    expect(countRows('SELECT count(*) AS n FROM reports')).toBe(corpus.reportFiles.length + corpus.dicomReports.length)
  })

  it('stores a 16-bit display image (long side ≤ 1024) and a 256×256 8-bit model image with their hashes', () => {
    for (const relative of corpus.valid.keys()) {
      if (corpus.notChest.has(relative)) continue
      const row = rowFor(relative)!
      const display = fs.readFileSync(path.join(dataDir, row.display_path!))
      const model = fs.readFileSync(path.join(dataDir, row.model_path!))
      expect(sha256(display)).toBe(row.display_sha256)
      expect(sha256(model)).toBe(row.model_sha256)
      const d = decodeGrayPng(display)
      expect(d.pixels).toBeInstanceOf(Uint16Array)
      expect(Math.max(d.width, d.height)).toBeLessThanOrEqual(1024)
      const m = decodeGrayPng(model)
      expect([m.width, m.height, m.pixels.BYTES_PER_ELEMENT]).toEqual([256, 256, 1])
    }
    const large = decodeGrayPng(fs.readFileSync(path.join(dataDir, rowFor('site/big/LARGE')!.display_path!)))
    expect([large.width, large.height]).toEqual([1024, 866])
  })

  it('keeps the window values, spacing kind, view position and the For Processing flag', () => {
    const base = rowFor('site/PAT1/STUDY1/IMG0001')!
    const tags = JSON.parse(base.tags_json!) as { windows: unknown[]; defaultVoi: unknown }
    expect(tags.windows).toEqual([
      { center: 2048, width: 4096, explanation: 'NORMAL' },
      { center: 1500, width: 1000, explanation: 'HARDER' }
    ])
    expect(tags.defaultVoi).toMatchObject({ kind: 'window', source: 'file', center: 2048, width: 4096 })
    expect(base.spacing_kind).toBe('pixel')
    expect(base.view_position).toBe('PA')
    expect(rowFor('site/imager/ONLYIMAGER')!.spacing_kind).toBe('imager')
    expect(rowFor('site/processing/RAW')!.for_processing).toBe(1)
    expect(base.for_processing).toBe(0)
  })

  it('renders MONOCHROME1 inverted relative to the same pixels as MONOCHROME2', () => {
    const modelOf = (relative: string) => decodeGrayPng(fs.readFileSync(path.join(dataDir, rowFor(relative)!.model_path!))).pixels
    const mono1 = modelOf('site/PAT1/STUDY1/mono1')
    const mono2 = modelOf('site/PAT1/STUDY1/mono2-twin')
    // Rows 48–207 hold the 96×80 image scaled to 256×213; the padding is black in both.
    for (let i = 60 * 256; i < 200 * 256; i += 97) expect(Math.abs(mono1[i] + mono2[i] - 255)).toBeLessThanOrEqual(1)
  })

  it('reads each film\'s projection, makes a frontal film the model image and never a lateral one', () => {
    const projection = (relative: string) => db.prepare('SELECT projection FROM images WHERE file_path = ?').pluck().get(path.join(corpus.root, relative))
    expect(projection('site/views/1-lateral')).toBe('lateral')
    expect(projection('site/views/2-frontal')).toBe('frontal')
    expect(projection('site/views/lateral-only')).toBe('lateral')
    expect(JSON.parse(rowFor('site/views/lateral-only')!.tags_json!).projectionEvidence).toBe('SeriesDescription (lateral)')
    expect(projection('site/PAT1/STUDY1/IMG0001')).toBe('frontal')
    const studyOf = (relative: string) =>
      db.prepare('SELECT se.study_id FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').pluck().get(path.join(corpus.root, relative)) as number
    const twoViews = getStudyDetail(db, studyOf('site/views/2-frontal'))!
    expect(twoViews.images.map((i) => [i.projection, i.isModelImage])).toEqual([
      ['lateral', false],
      ['frontal', true]
    ])
    expect(studyImage(db, String(studyOf('site/views/2-frontal')))!.modelPath).toBe(rowFor('site/views/2-frontal')!.model_path)
    expect(studyImage(db, String(studyOf('site/views/lateral-only')))!.modelPath).toBeNull()
    // The Library finds the studies the model cannot use, and only those.
    const pseudonymOf = (relative: string) => db.prepare('SELECT pseudonym FROM studies WHERE id = ?').pluck().get(studyOf(relative))
    const without = listStudies(db, { hasModelImage: false, limit: 1000, offset: 0 }).rows.map((r) => r.pseudonym)
    expect(without).toContain(pseudonymOf('site/views/lateral-only'))
    expect(without).toContain(pseudonymOf('site/kinds/ct-slice'))
    expect(without).not.toContain(pseudonymOf('site/views/2-frontal'))
    expect(listStudies(db, { hasModelImage: true, limit: 1000, offset: 0 }).total + without.length).toBe(countRows('SELECT count(*) AS n FROM studies'))
    expect(without.length).toBe(libraryCounts(db).withoutModelImage)
  })

  it('makes the film that looks frontal the model image where no header names a view: a study\'s lateral met first is not it', () => {
    const studyOf = (relative: string) =>
      db.prepare('SELECT se.study_id FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').pluck().get(path.join(corpus.root, relative)) as number
    const idOf = (relative: string) => db.prepare('SELECT id FROM images WHERE file_path = ?').pluck().get(path.join(corpus.root, relative)) as number
    expect(studyOf('site/views-unnamed/1-lateral')).toBe(studyOf('site/views-unnamed/2-frontal'))
    expect(idOf('site/views-unnamed/1-lateral')).toBeLessThan(idOf('site/views-unnamed/2-frontal'))
    const study = getStudyDetail(db, studyOf('site/views-unnamed/2-frontal'))!
    expect(study.images.map((i) => [i.id, i.projection, i.isModelImage])).toEqual([
      [idOf('site/views-unnamed/1-lateral'), null, false],
      [idOf('site/views-unnamed/2-frontal'), null, true]
    ])
    expect(studyImage(db, String(study.id))!.modelPath).toBe(rowFor('site/views-unnamed/2-frontal')!.model_path)
  })

  it('makes the film as acquired the model image, not a dual-energy bone or soft-tissue image or a copy met before it', () => {
    const modelImageOf = (relative: string) => {
      const study = db.prepare('SELECT se.study_id FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').pluck().get(path.join(corpus.root, relative))
      return getStudyDetail(db, study as number)!.images.filter((i) => i.isModelImage).map((i) => i.id)
    }
    const idOf = (relative: string) => db.prepare('SELECT id FROM images WHERE file_path = ?').pluck().get(path.join(corpus.root, relative))
    expect(modelImageOf('site/dual-energy/1-bone')).toEqual([idOf('site/dual-energy/3-standard')])
    expect(modelImageOf('site/copies/1-derived')).toEqual([idOf('site/copies/2-acquired')])
    // each still has a model image of its own, and says why it comes after
    expect(rowFor('site/dual-energy/1-bone')!.model_path).not.toBeNull()
    expect(JSON.parse(rowFor('site/dual-energy/1-bone')!.tags_json!)).toMatchObject({
      imageType: 'DERIVED\\PRIMARY',
      derivedFilm: 'SeriesDescription names a dual-energy bone image'
    })
    expect(JSON.parse(rowFor('site/dual-energy/2-soft')!.tags_json!).derivedFilm).toBe('SeriesDescription names a soft-tissue or bone-suppressed image')
    expect(JSON.parse(rowFor('site/copies/1-derived')!.tags_json!).derivedFilm).toBe('ImageType DERIVED\\SECONDARY: made from another image')
    expect(JSON.parse(rowFor('site/dual-energy/3-standard')!.tags_json!).derivedFilm).toBeNull()
  })

  it('sets a frontal film stored on its side upright for the model, with its geometry swapped', () => {
    const model = (relative: string) => decodeGrayPng(fs.readFileSync(path.join(dataDir, rowFor(relative)!.model_path!))).pixels
    expect(model('site/views/sideways')).toEqual(model('site/views/upright-twin'))
    expect(JSON.parse(rowFor('site/views/sideways')!.tags_json!).modelImageReoriented).toEqual({ transpose: true, horizontal: false, vertical: false })
    const sideways = sourceGeometryOfModelImage(db, rowFor('site/views/sideways')!.model_path!)
    expect(sideways).toEqual(sourceGeometryOfModelImage(db, rowFor('site/views/upright-twin')!.model_path!))
    expect(sideways).toMatchObject({ rows: 96, columns: 80 })
  })

  it('makes no model image of a film that is no chest radiograph, and says why', () => {
    for (const [relative, reason] of corpus.notChest) {
      const row = rowFor(relative)!
      expect(row.status).toBe('ok')
      expect(row.display_path).not.toBeNull()
      expect(row.model_path).toBeNull()
      expect(JSON.parse(row.tags_json!).notChestRadiograph).toBe(reason)
    }
    expect(rowFor('site/kinds/chest-zh')!.model_path).not.toBeNull()
  })

  it('mirrors the model image of a frontal film stored mirrored (PatientOrientation R\\F), and not its display image', () => {
    const png = (relative: string, kind: 'model_path' | 'display_path') => decodeGrayPng(fs.readFileSync(path.join(dataDir, rowFor(relative)![kind]!)))
    const standard = png('site/views/standard', 'model_path')
    const mirrored = png('site/views/mirrored', 'model_path')
    let differs = 0
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        expect(mirrored.pixels[y * 256 + x]).toBe(standard.pixels[y * 256 + (255 - x)])
        if (standard.pixels[y * 256 + x] !== standard.pixels[y * 256 + (255 - x)]) differs++
      }
    }
    expect(differs).toBeGreaterThan(1000)
    expect(JSON.parse(rowFor('site/views/mirrored')!.tags_json!).modelImageReoriented).toEqual({ transpose: false, horizontal: true, vertical: false })
    expect(png('site/views/mirrored', 'display_path').pixels).toEqual(png('site/views/standard', 'display_path').pixels)
    // The viewer gets the stored orientation, to label the edges of the film as stored.
    const id = db.prepare('SELECT id FROM images WHERE file_path = ?').pluck().get(path.join(corpus.root, 'site/views/mirrored')) as number
    expect(loadDisplayImage(dataDir, displayImageRecord(db, id)!).patientOrientation).toBe('R\\F')
  })

  it('keeps PHI in the studies row only, decoded by character set, and gives each study a pseudonym', () => {
    const names = (db.prepare('SELECT patient_name AS n FROM studies').all() as { n: string }[]).map((r) => r.n)
    expect(names).toContain('张三^李四')
    expect(names).toContain('Zhang^San=张^三')
    expect(names).toContain('Müller^José')
    const studies = db.prepare('SELECT pseudonym FROM studies').all() as { pseudonym: string }[]
    expect(new Set(studies.map((s) => s.pseudonym)).size).toBe(studies.length)
    const imageText = JSON.stringify(db.prepare('SELECT tags_json, display_path, model_path FROM images').all())
    expect(imageText).not.toMatch(/Doe|PID-|19600101|张三/)
  })

  it('decodes films on worker threads yet stores exactly what one film at a time stores, in the walk\'s order', async () => {
    const storedRows = (of: Db) =>
      of
        .prepare('SELECT file_path, file_size, file_sha256, sop_instance_uid, status, error, display_sha256, model_sha256, tags_json, model_image_rank FROM images ORDER BY id')
        .all()
    const inOneThread = openDatabase(path.join(tmp, 'one-thread', 'vzw.sqlite'))
    try {
      const summary = await importFolders(inOneThread, path.join(tmp, 'one-thread'), [corpus.root], { reports, decodeThreads: 0 })
      expect(first.imported).toBe(summary.imported)
      expect(first.failed).toBe(summary.failed)
      expect(storedRows(db).slice(0, storedRows(inOneThread).length)).toEqual(storedRows(inOneThread))
    } finally {
      inOneThread.close()
    }
  })

  it('re-importing the same folder adds nothing and says how many were already there', async () => {
    const before = countRows('SELECT count(*) AS n FROM images')
    const studies = countRows('SELECT count(*) AS n FROM studies')
    const again = await importFolders(db, dataDir, [corpus.root], { reports })
    expect(again.imported).toBe(0)
    expect(again.newErrors).toBe(0)
    expect(again.already).toBe(corpus.valid.size + corpus.duplicates.length + corpus.dicomReports.length)
    expect(countRows('SELECT count(*) AS n FROM reports')).toBe(corpus.reportFiles.length + corpus.dicomReports.length)
    expect(again.failed).toBe(corpus.broken.size)
    expect(countRows('SELECT count(*) AS n FROM images')).toBe(before)
    expect(countRows('SELECT count(*) AS n FROM studies')).toBe(studies)
    // The job that re-read the bad files lists them.
    expect(countRows(`SELECT count(*) AS n FROM images WHERE status = 'error' AND import_job_id = ${again.jobId}`)).toBe(corpus.broken.size)
  })
})

describe('importing a folder again', () => {
  it('knows its films whether their header fits in the first 64 KiB or runs past it, and imports the new one beside them', async () => {
    const folder = path.join(tmp, 'nightly')
    fs.mkdirSync(folder)
    const film = (seed: number, extra: Record<string, unknown> = {}) => image({ rows: 512, columns: 512, bitsAllocated: 16, bitsStored: 12, seed }, { extra }).bytes
    fs.writeFileSync(path.join(folder, 'large.dcm'), film(1))
    // A vendor's ICC profile before the pixels puts the end of the header past the first 64 KiB.
    fs.writeFileSync(path.join(folder, 'long-header.dcm'), film(2, { ICCProfile: new Uint8Array(100_000).fill(7).buffer }))
    fs.writeFileSync(path.join(folder, 'small.dcm'), image({ rows: 64, columns: 64, bitsAllocated: 8, bitsStored: 8, seed: 3 }).bytes)
    const data = path.join(tmp, 'nightly-data')
    const other = openDatabase(path.join(data, 'vzw.sqlite'))
    try {
      expect((await importFolders(other, data, [folder], { reports })).imported).toBe(3)
      fs.writeFileSync(path.join(folder, 'new.dcm'), film(4))
      const again = await importFolders(other, data, [folder], { reports })
      expect({ imported: again.imported, already: again.already, failed: again.failed }).toEqual({ imported: 1, already: 3, failed: 0 })
      expect((other.prepare("SELECT count(*) AS n FROM images WHERE status = 'ok'").get() as { n: number }).n).toBe(4)
    } finally {
      other.close()
    }
  })
})

describe('import job control', () => {
  it('cancel stops between files, keeps committed rows and leaves a sound database', async () => {
    const other = openDatabase(path.join(tmp, 'cancel', 'vzw.sqlite'))
    const abort = new AbortController()
    await expect(
      importFolders(other, path.join(tmp, 'cancel'), [corpus.root], { reports, signal: abort.signal, progress: () => abort.abort(new Error('cancelled')) })
    ).rejects.toThrow('cancelled')
    const job = other.prepare('SELECT status FROM import_jobs').get() as { status: string }
    expect(job.status).toBe('cancelled')
    const rows = (other.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n
    expect(rows).toBeGreaterThan(0)
    expect(rows).toBeLessThan(corpus.valid.size + corpus.broken.size)
    expect(other.pragma('integrity_check', { simple: true })).toBe('ok')
    other.close()
  })

  it('hands report files to the report importer after the DICOM is stored, and reports kept in DICOM as it goes', async () => {
    const other = openDatabase(path.join(tmp, 'reports', 'vzw.sqlite'))
    const calls: string[] = []
    // a report kept in DICOM is handed over whole (the full data set, not the header alone)
    const dicomReport = (file: string, dataSet: never): 'matched' => {
      calls.push(`dicom:${path.relative(corpus.root, file)}:${Object.keys((dataSet as { elements: object }).elements).length > 5}`)
      return 'matched'
    }
    const recorder: ReportImporter = {
      isReportFile: (file) => file.endsWith('.txt'),
      readReportsOf: async (file) => {
        const stored = (other.prepare("SELECT count(*) AS n FROM images WHERE status = 'ok'").get() as { n: number }).n
        calls.push(`read:${path.relative(corpus.root, file)}:stored=${stored}`)
        return { file, records: ['a report'], films: [] }
      },
      storeReportsOf: (_d, read, from, to, _jobId, counts) => {
        calls.push(`store:${path.relative(corpus.root, read.file)}:${from}-${to}`)
        counts.matched++
      },
      storeFilmIndexOf: (_d, read) => {
        calls.push(`films:${path.relative(corpus.root, read.file)}`)
        return 0
      },
      applyStoredFilmIndex: (_d, jobId) => {
        calls.push(`stored films:${(other.prepare("SELECT count(*) AS n FROM images WHERE status = 'ok' AND import_job_id = ?").get(jobId) as { n: number }).n}`)
        return 0
      },
      importStructuredReport: (_d, file, dataSet) => dicomReport(file, dataSet),
      importEncapsulatedDocument: async (_d, file, dataSet) => dicomReport(file, dataSet),
      relinkUnmatchedReports: () => {
        calls.push('relink')
        return 0
      }
    }
    const summary = await importFolders(other, path.join(tmp, 'reports'), [corpus.root], { reports: recorder })
    const reportCalls = corpus.reportFiles.flatMap((f) => [`read:${f}:stored=${corpus.valid.size}`, `store:${f}:0-1`])
    // the Encapsulated PDF with no document and the SR with no content are handed over too: the report room says they hold none
    const handedOver = [...corpus.dicomReports, 'site/broken/report-pdf', 'site/broken/report-sr-empty'].map((f) => `dicom:${f}:true`)
    expect(calls.slice(0, handedOver.length).sort()).toEqual(handedOver.sort())
    // what tables of films imported before say of the job's films is given them before any report is matched
    expect(calls.slice(handedOver.length)).toEqual([`stored films:${corpus.valid.size}`, ...reportCalls, 'relink'])
    expect(summary.dicomReports).toBe(handedOver.length)
    expect(summary.reportsMatched).toBe(corpus.reportFiles.length)
    other.close()
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import dicomParser from 'dicom-parser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/store/database'
import {
  importEncapsulatedDocument,
  importReportFiles,
  importStructuredReport,
  isReportFile,
  relinkUnmatchedReports,
  unmatchedReports
} from '../../../src/main/reports'
import { bytesOf, contentItem, dicomFile, docx, encodeGb18030, seq, str, xlsx, type TextEncoding } from './fixtures'
import { reportFileReader } from '../../../src/main/reports/report-file-reader'
import { writePdf } from '../../helpers/pdf-writer'
import { writeXls } from '../../helpers/xls-writer'
import {
  flatOds,
  pagesOdt,
  paragraphsOdt,
  sofficeAvailable,
  sofficeCalcAvailable,
  sofficeCalcMissingReason,
  sofficeMissingReason,
  writeOpenDocumentSpreadsheet,
  writeWordDocuments
} from '../../helpers/doc-writer'

interface ReportRow {
  study_id: number | null
  source_path: string
  source_kind: string
  match_key: string | null
  encoding: string
  language: string
  raw_text: string
  sections_json: string
  findings_json: string
}

let dir: string
let db: Db
let jobId: number
let studyA: number
let studyB: number

function addStudy(uid: string, accession: string | null): number {
  return Number(
    db
      .prepare('INSERT INTO studies (study_uid, pseudonym, accession_number, created_at) VALUES (?, ?, ?, ?)')
      .run(uid, `P-${uid}`, accession, new Date().toISOString()).lastInsertRowid
  )
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

function rows(): ReportRow[] {
  return db.prepare('SELECT * FROM reports ORDER BY id').all() as ReportRow[]
}

function presenceOf(row: ReportRow): string {
  return (JSON.parse(row.findings_json) as { nodules: { presence: string } }).nodules.presence
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-reports-'))
  db = openDatabase(path.join(dir, 'data', 'vzw.sqlite'))
  jobId = Number(
    db.prepare("INSERT INTO import_jobs (roots_json, status, started_at) VALUES ('[]', 'running', ?)").run(new Date().toISOString())
      .lastInsertRowid
  )
  studyA = addStudy('1.2.826.0.1.3680043.8.498.1', 'ACC1001')
  studyB = addStudy('1.2.826.0.1.3680043.8.498.2', 'ACC1002')
})

afterEach(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('isReportFile', () => {
  it('accepts .txt, .rtf, .doc, .docx, .odt, .mht, .htm(l), .pdf, .json, .ndjson, .csv, .tsv, .xlsx, .xls, .ods, .hl7 and .xml in any case, gzipped or not, and nothing else', () => {
    const names = ['a.txt', 'B.TXT', 'c.json', 'd.Csv', 'e.rtf', 'f.docx', 'g.xlsx', 'h.PDF', 'i.HL7', 'j.XML', 'k.mht', 'l.MHTML', 'm.htm', 'n.HTML', 'o.odt', 'p.tsv', 'q.ndjson', 'r.jsonl', 's.ODS', 't.csv.gz', 'u.JSONL.GZ']
    expect(names.map(isReportFile)).toEqual(Array(names.length).fill(true))
    expect(['a.dcm', 'a', 'DICOMDIR', 'a.txt.bak', 'a.xsd', 'a.gz', 'a.tar.gz', 'a.dcm.gz'].map(isReportFile)).toEqual(Array(8).fill(false))
  })
})

describe('importReportFiles', () => {
  it('imports UTF-8 and GB18030 text, JSON and CSV, matched by file stem, accession and study UID', async () => {
    const utf8 = write('ACC1001.txt', '\uFEFFFindings: 8 mm solid nodule in the right upper zone.\nImpression: Right upper zone nodule.\n')
    const gb = write('1.2.826.0.1.3680043.8.498.2.txt', encodeGb18030('检查所见：左下肺野见一约６ｍｍ结节。\r\n诊断意见：左下肺结节。\r\n'))
    const json = write(
      'batch.json',
      JSON.stringify([
        { AccessionNumber: 'ACC1002', Report: 'No nodule. Lungs are clear.' },
        { 'Study Instance UID': '1.2.826.0.1.3680043.8.498.1', findings: '右肺上叶见一磨玻璃结节，大小约6mm×5mm。', impression: '右肺上叶结节。' },
        { accession: 'NOPE-9', text: 'Possible nodule in the left mid zone.' }
      ])
    )
    const csv = write(
      'reports.csv',
      encodeGb18030('检查号,报告\r\nACC1001,"两肺纹理清晰，肺野内未见明显实质性病变。"\r\nUNKNOWN-7,"A 1.2 cm mass, left lower lobe; ""stable"".\nNo other nodules."\r\n')
    )
    const result = await importReportFiles(db, [utf8, gb, json, csv], jobId)
    expect(result).toEqual({ matched: 5, unmatched: 2, already: 0, failed: [] })

    const stored = rows()
    expect(stored).toHaveLength(7)
    const [first, second, third, fourth, fifth, sixth, seventh] = stored
    expect(first).toMatchObject({ study_id: studyA, source_kind: 'txt', encoding: 'utf-8', language: 'en', match_key: `file-stem:ACC1001; place:${path.join(dir, 'ACC1001')}` })
    expect(first.raw_text.startsWith('Findings:')).toBe(true) // BOM stripped
    expect(JSON.parse(first.sections_json)).toEqual({ findings: '8 mm solid nodule in the right upper zone.', impression: 'Right upper zone nodule.' })
    expect(presenceOf(first)).toBe('present')

    expect(second).toMatchObject({ study_id: studyB, encoding: 'gb18030', language: 'zh' })
    expect(second.raw_text).toBe('检查所见：左下肺野见一约6mm结节。\n诊断意见：左下肺结节。') // full-width digits, CRLF normalised
    const zhFinding = JSON.parse(second.findings_json) as { nodules: { items: { sizeMm: number; side: string; zone: string }[] } }
    expect(zhFinding.nodules.items).toMatchObject([{ sizeMm: 6, side: 'left', zone: 'lower' }])

    expect(third).toMatchObject({ study_id: studyB, source_kind: 'json', match_key: 'accession:ACC1002' })
    expect(presenceOf(third)).toBe('absent')
    expect(fourth).toMatchObject({ study_id: studyA, language: 'zh' })
    expect(JSON.parse(fourth.sections_json)).toEqual({ findings: '右肺上叶见一磨玻璃结节，大小约6mm×5mm。', impression: '右肺上叶结节。' })
    expect(fifth).toMatchObject({ study_id: null, match_key: 'accession:NOPE-9' })
    expect(presenceOf(fifth)).toBe('uncertain')

    expect(sixth).toMatchObject({ study_id: studyA, source_kind: 'csv', encoding: 'gb18030', match_key: 'accession:ACC1001' })
    expect(presenceOf(sixth)).toBe('absent')
    expect(seventh).toMatchObject({ study_id: null, raw_text: 'A 1.2 cm mass, left lower lobe; "stable".\nNo other nodules.' })

    expect(unmatchedReports(db).map((r) => [r.sourcePath, r.matchKey, r.excerpt])).toEqual([
      [json, 'accession:NOPE-9', 'Possible nodule in the left mid zone.'],
      [csv, 'accession:UNKNOWN-7', 'A 1.2 cm mass, left lower lobe; "stable".']
    ])
  })

  it('adds nothing when the same files are imported again, and links reports whose study arrived since', async () => {
    const files = [
      write('ACC1001.txt', 'No nodule.'),
      write('late.json', JSON.stringify({ accessionNumber: 'ACC2001', text: '6 mm nodule, left upper zone.' }))
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 1, unmatched: 1, already: 0, failed: [] })
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 0, unmatched: 0, already: 2, failed: [] })
    expect(rows()).toHaveLength(2)

    const late = addStudy('1.2.826.0.1.3680043.8.498.3', 'ACC2001')
    expect(relinkUnmatchedReports(db)).toBe(1)
    expect(unmatchedReports(db)).toEqual([])
    expect(rows()[1].study_id).toBe(late)
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 0, unmatched: 0, already: 2, failed: [] })
  })

  it('adds nothing for a report an earlier version stored with fewer match keys (no place, no patient and date)', async () => {
    const file = write('ACC1001.txt', 'Lungs are clear.')
    const table = write('ris.csv', 'Accession,MRN,Exam date,Report\nACC1002,MRN-1,2026-01-05,No nodule.\n')
    const insert = db.prepare(
      "INSERT INTO reports (study_id, source_path, source_kind, match_key, encoding, raw_text, created_at) VALUES (?, ?, ?, ?, 'utf-8', ?, 'before')"
    )
    insert.run(studyA, file, 'txt', 'file-stem:ACC1001', 'Lungs are clear.')
    // a table of one report offered its file stem too
    insert.run(studyB, table, 'csv', 'accession:ACC1002; file-stem:ris', 'No nodule.')
    expect(await importReportFiles(db, [file, table], jobId)).toEqual({ matched: 0, unmatched: 0, already: 2, failed: [] })
    expect(rows()).toHaveLength(2)
  })

  it('imports a changed file as a new report and keeps identical texts of different studies apart', async () => {
    const file = write('ACC1001.txt', 'No nodule.')
    await importReportFiles(db, [file], jobId)
    fs.writeFileSync(file, 'Addendum: 5 mm nodule in the right lower zone.')
    expect(await importReportFiles(db, [file], jobId)).toMatchObject({ matched: 1, already: 0 })
    const csv = write('normals.csv', 'AccessionNumber,Text\nACC1001,No nodule.\nACC1002,No nodule.\n')
    expect(await importReportFiles(db, [csv], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([studyA, studyA, studyA, studyB])
  })

  it('reads a table whose fields are separated by semicolons (European Excel) or pipes (HIS flat files)', async () => {
    const semicolons = write('ris-de.csv', 'Accession;Report\nACC1001;"Right upper zone nodule, 1,2 cm; stable."\n')
    const pipes = write('his-export.csv', 'Accession|Patient|Report\nACC1002|Roe, J|Left lower zone nodule, 6 mm; no effusion.\n')
    expect(await importReportFiles(db, [semicolons, pipes], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, 'Right upper zone nodule, 1,2 cm; stable.'],
      [studyB, 'Left lower zone nodule, 6 mm; no effusion.']
    ])
  })

  it('reads the X-ray number Chinese radiograph reports head themselves with (X线号, 片号) as the accession number, in a header line or a column', async () => {
    const files = [
      write('report_1.txt', '姓名：张三　X线号：ACC1001　摄片日期：2026-01-05\n影像所见：两肺纹理清晰，未见结节。\n'),
      write('report_2.csv', '片号,报告内容\nACC1002,右上肺野见一结节，约8mm。\n')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.match_key?.split('; ')[0]])).toEqual([
      [studyA, 'accession:ACC1001'],
      [studyB, 'accession:ACC1002']
    ])
  })

  it('matches a text file by the accession number or study UID in its header lines, which may hold other fields', async () => {
    const files = [
      write('export_0001.txt', 'Patient: PHANTOM\nAccession No.: ACC1002\nExam: CHEST PA\nFINDINGS: 8 mm nodule in the right upper zone.\n'),
      write('export_0002.txt', '姓名：张三　性别：男　检查编号：ACC1001　检查日期：2026-01-05\n影像所见：两肺纹理清晰，未见结节。\n'),
      write('export_0003.txt', 'Study Instance UID: 1.2.826.0.1.3680043.8.498.2\nImpression: Normal chest.\n')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 3, unmatched: 0, already: 0, failed: [] })
    const byFile = Object.fromEntries(rows().map((r) => [path.basename(r.source_path), [r.study_id, r.match_key]]))
    expect(byFile).toEqual({
      'export_0001.txt': [studyB, `accession:ACC1002; file-stem:export_0001; place:${path.join(dir, 'export_0001')}`],
      'export_0002.txt': [studyA, `accession:ACC1001; file-stem:export_0002; place:${path.join(dir, 'export_0002')}`],
      'export_0003.txt': [studyB, `study-uid:1.2.826.0.1.3680043.8.498.2; file-stem:export_0003; place:${path.join(dir, 'export_0003')}`]
    })
  })

  it('takes a header field\'s value from the line below when the label stands alone (a form\'s boxes), and no heading for one', async () => {
    const files = [
      write('form_0001.txt', 'ACCESSION NO:\nACC1002\nPATIENT ID:\nMRN-77\nFINDINGS:\n8 mm nodule in the right upper zone.\n'),
      // a label left empty: the next line is no value
      write('form_0002.txt', 'Accession No:\nFINDINGS:\nNo nodule.\n')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 1, unmatched: 1, already: 0, failed: [] })
    const byFile = Object.fromEntries(rows().map((r) => [path.basename(r.source_path), [r.study_id, r.match_key]]))
    expect(byFile['form_0001.txt']).toEqual([studyB, `accession:ACC1002; file-stem:form_0001; place:${path.join(dir, 'form_0001')}`])
    expect(byFile['form_0002.txt']).toEqual([null, `file-stem:form_0002; place:${path.join(dir, 'form_0002')}`])
  })

  it('refuses a text file that holds the reports of several studies, naming them, rather than give all to the first', async () => {
    const batch = write('batch.txt', 'Accession No.: ACC1001\nFINDINGS: No nodule.\n\nAccession No.: ACC1002\nFINDINGS: 8 mm nodule in the right upper zone.\n')
    const repeated = write('repeated.txt', 'Accession No.: ACC1002\nFINDINGS: No nodule.\nAccession No.: ACC1002\nIMPRESSION: Normal.\n')
    expect(await importReportFiles(db, [batch, repeated], jobId)).toEqual({
      matched: 1,
      unmatched: 0,
      already: 0,
      failed: [
        {
          file: batch,
          reason:
            'batch.txt: it holds the reports of several studies (accession numbers ACC1001, ACC1002): a text, RTF or Word file is read as one report — export one report a file, or a table of them (CSV, .xlsx)'
        }
      ]
    })
    expect(rows().map((r) => r.study_id)).toEqual([studyB])
  })

  it('splits a text or RTF file whose reports page breaks part (a form feed, RTF\'s \\page), as a RIS\'s "print to file" writes a page a report, as a PDF\'s pages are', async () => {
    const printed = write(
      'printed.txt',
      'Accession No.: ACC1001\r\nFINDINGS: No nodule.\r\n\fAccession No.: ACC1002\r\nFINDINGS: 8 mm nodule in the right upper zone.\r\n\fIMPRESSION: Right upper zone nodule.\r\n\f'
    )
    const rtf = write(
      'printed.rtf',
      '{\\rtf1\\ansi Accession No.: ACC1001\\par FINDINGS: No nodule.\\par\\page Accession No.: ACC1002\\par FINDINGS: 8 mm nodule in the right upper zone.\\par\\page IMPRESSION: Right upper zone nodule.\\par}'
    )
    for (const file of [printed, rtf]) {
      db.prepare('DELETE FROM reports').run()
      expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
      expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
        [studyA, 'Accession No.: ACC1001\nFINDINGS: No nodule.'],
        [studyB, 'Accession No.: ACC1002\nFINDINGS: 8 mm nodule in the right upper zone.\nIMPRESSION: Right upper zone nodule.']
      ])
    }
  })

  it('matches a text file by the patient ID and study date in its header lines, which may share a line', async () => {
    const visit = Number(
      db
        .prepare('INSERT INTO studies (study_uid, pseudonym, patient_id, study_date, created_at) VALUES (?, ?, ?, ?, ?)')
        .run('1.2.3.20', 'P-20', '0045678', '20260105', new Date().toISOString()).lastInsertRowid
    )
    const files = [
      write('zh_0001.txt', '姓名：某某　　病历号：0045678　　检查日期：2026年1月5日 10:32\n影像所见：两肺纹理清晰，未见结节。\n'),
      write('en_0001.txt', 'Patient ID: 45678   Exam Date: 2026-01-05\nFINDINGS: Lungs are clear.\n'),
      // a Chinese report header names the patient by the inpatient or outpatient number (住院号, 门诊号)
      write('zh_0002.txt', '姓名：某某　　住院号：0045678　　门诊号：M-7788　　检查日期：2026-01-05\n诊断意见：心肺未见异常。\n')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 3, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.match_key])).toEqual([
      [visit, `file-stem:zh_0001; place:${path.join(dir, 'zh_0001')}; patient-date:20260105:0045678`],
      [visit, `file-stem:en_0001; place:${path.join(dir, 'en_0001')}; patient-date:20260105:45678`],
      [visit, `file-stem:zh_0002; place:${path.join(dir, 'zh_0002')}; patient-date:20260105:0045678`]
    ])
  })

  it('stores a report kept as HTML, RTF or Word as its text: in a CSV cell, a .txt, a .rtf or a .docx file', async () => {
    const cell = '"<p><b>FINDINGS:</b> 8 mm nodule in the right upper zone.</p><p><b>IMPRESSION:</b> Nodule &amp; no effusion.</p>"'
    const files = [
      write('ris.csv', `Accession,Report\nACC1001,${cell}\n`),
      write('ACC1002.txt', '<html><body>影像所见：两肺未见结节。<br>诊断意见：未见异常。</body></html>'),
      write('ACC1001.rtf', '{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 FINDINGS: Lungs are clear.\\par IMPRESSION: No nodule.\\par}'),
      write('ACC1002 report.docx', Buffer.from(docx('<w:p><w:r><w:t>检查所见：右下肺野见一结节影，约1.2cm。</w:t></w:r></w:p><w:p><w:r><w:t>诊断意见：右下肺野结节。</w:t></w:r></w:p>')))
    ]
    expect(isReportFile('ACC1001.RTF')).toBe(true)
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 4, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => r.raw_text)).toEqual([
      'FINDINGS: 8 mm nodule in the right upper zone.\nIMPRESSION: Nodule & no effusion.',
      '影像所见：两肺未见结节。\n诊断意见：未见异常。',
      'FINDINGS: Lungs are clear.\nIMPRESSION: No nodule.',
      '检查所见：右下肺野见一结节影，约1.2cm。\n诊断意见：右下肺野结节。'
    ])
    expect(rows().map((r) => [r.study_id, r.source_kind])).toEqual([[studyA, 'csv'], [studyB, 'txt'], [studyA, 'rtf'], [studyB, 'docx']])
    expect(rows().map(presenceOf)).toEqual(['present', 'absent', 'absent', 'present'])
  })

  it('reads the RTF, HTML or .docx a report system saved as .doc or .wps, and says why a compound file that is no Word document is not read', async () => {
    const files = [
      write('ACC1001.doc', '{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 FINDINGS: 6 mm nodule in the left lower zone.\\par}'),
      write('ACC1002.wps', '<html><body>影像所见：两肺未见结节。</body></html>'),
      write('ACC1002 final.doc', Buffer.from(docx('<w:p><w:r><w:t>诊断意见：心肺未见异常。</w:t></w:r></w:p>'))),
      // a compound file, as a Word 97–2003 binary document is, holding a workbook
      write('binary.doc', writeXls([{ name: 'x', rows: [['not a report']] }]))
    ]
    expect(files.map(isReportFile)).toEqual([true, true, true, true])
    expect(await importReportFiles(db, files, jobId)).toEqual({
      matched: 3,
      unmatched: 0,
      already: 0,
      failed: [{ file: files[3], reason: 'binary.doc: it is not a Word document: its compound file holds no WordDocument stream' }]
    })
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'doc', 'FINDINGS: 6 mm nodule in the left lower zone.'],
      [studyB, 'doc', '影像所见：两肺未见结节。'],
      [studyB, 'doc', '诊断意见：心肺未见异常。']
    ])
  })

  it('reads a web archive (MHTML) a browser saved a report page as, and one a web RIS saved as .doc, in its declared charset', async () => {
    // as Internet Explorer saves a page: its HTML quoted-printable in the page's charset (GB 2312 here)
    const qp = [...encodeGb18030('检查所见：右上肺野见一结节影，约8mm。')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
    const ie = [
      'From: <Saved by Windows Internet Explorer 8>',
      'Subject: =?gb2312?B?uqO38rGoseY=?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; type="text/html"; boundary="----=_NextPart_000_0000_01D9"',
      '',
      'This is a multi-part message in MIME format.',
      '',
      '------=_NextPart_000_0000_01D9',
      'Content-Type: text/html; charset="gb2312"',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Location: http://ris/report?id=1',
      '',
      `<HTML><BODY><P class=3Dtitle>${qp}</P><P>IMPRESSION: right upper zone nodule, a line the archive wrapped with a soft=`,
      ' break.</P></BODY></HTML>',
      '',
      '------=_NextPart_000_0000_01D9--',
      ''
    ].join('\r\n')
    const html = Buffer.from('<html><body><p>诊断意见：两肺未见结节。</p></body></html>').toString('base64')
    const wordExport = ['MIME-Version: 1.0', 'Content-Type: multipart/related; boundary="b1"', '', '--b1', 'Content-Type: text/html; charset="utf-8"', 'Content-Transfer-Encoding: base64', '', html, '--b1--', ''].join('\n')
    const files = [write('ACC1001.mht', ie), write('ACC1002.doc', wordExport)]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'mht', '检查所见：右上肺野见一结节影，约8mm。\nIMPRESSION: right upper zone nodule, a line the archive wrapped with a soft break.'],
      [studyB, 'doc', '诊断意见：两肺未见结节。']
    ])
    expect(rows().map(presenceOf)).toEqual(['present', 'absent'])
    const picture = write('scan.mht', 'MIME-Version: 1.0\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n')
    expect((await importReportFiles(db, [picture], jobId)).failed).toEqual([{ file: picture, reason: 'scan.mht: the web archive holds no HTML or text page' }])
  })

  it('splits a web page, a web archive or a Word-named HTML file of reports a printed page each (CSS page breaks), as a PDF\'s pages are', async () => {
    // a RIS's "print all" page: each report in a block that ends its printed page; Word's HTML breaks a page with <br style="page-break-before:always">
    const printAll =
      '<html><head><style>.r { page-break-after: always }</style></head><body>' +
      '<div class="r" style="page-break-after: always"><p>Accession No.: ACC1001</p><p>FINDINGS: No nodule.</p></div>' +
      '<div class="r" style="page-break-after: always"><p>Accession No.: ACC1002</p><p>FINDINGS: 8 mm nodule in the right upper zone.</p></div></body></html>'
    const wordHtml =
      '<html><body><p class=MsoNormal>Accession No.: ACC1001</p><p class=MsoNormal>FINDINGS: No nodule.</p>' +
      "<br clear=all style='page-break-before:always'><p class=MsoNormal>Accession No.: ACC1002</p><p>FINDINGS: 8 mm nodule in the right upper zone.</p></body></html>"
    const mht = ['MIME-Version: 1.0', 'Content-Type: text/html; charset="utf-8"', '', wordHtml].join('\r\n')
    for (const file of [write('print-all.htm', printAll), write('reports.doc', wordHtml), write('reports.mht', mht)]) {
      db.prepare('DELETE FROM reports').run()
      expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
      expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
        [studyA, 'Accession No.: ACC1001\nFINDINGS: No nodule.'],
        [studyB, 'Accession No.: ACC1002\nFINDINGS: 8 mm nodule in the right upper zone.']
      ])
    }
  })

  it('reads a report page a browser or a web RIS saved (.htm, .html) as one report, and a saved worklist page as a table of reports', async () => {
    // a report page laid out in a table, as report templates print: its cells name no report field
    const page = write(
      'ACC1001.html',
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Report</title><style>td { padding: 2px }</style><script>var id = 1</script></head><body>' +
        '<table><tr><td>姓名：</td><td>张三</td><td>检查号：</td><td>ACC1001</td></tr></table>' +
        '<p><b>检查所见：</b>右上肺野见一结节影，约8mm。</p><p><b>诊断意见：</b>右上肺野结节。</p></body></html>'
    )
    const worklist = write(
      'worklist.htm',
      '<html><body><h1>Reports 2026-01-05</h1><table><tr><th>Accession</th><th>Patient</th><th>Report</th></tr>' +
        '<tr><td>ACC1002</td><td>Doe</td><td>FINDINGS: 6 mm nodule, left lower zone.<br>IMPRESSION: Left lower zone nodule.</td></tr></table></body></html>'
    )
    // as Word's "Save as Web Page" writes: Office namespaces, conditional comments, anchors, images
    const word = write(
      'ACC1002 word.htm',
      '<?xml version="1.0"?><html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8"></head>' +
        '<body lang=ZH-CN><div class=WordSection1><p class=MsoNormal><a name="_top"></a><img width=80 src="logo.png">City Hospital<o:p></o:p></p>' +
        '<p class=MsoListParagraph><![if !supportLists]><span>1.<span>&nbsp;&nbsp; </span></span><![endif]><span lang=EN-US>Lungs are clear. No nodule.<o:p></o:p></span></p>' +
        '<section><p>Signed: Dr Li</p></section></div></body></html>'
    )
    // a patient CD's viewer start page, beside the films: no report, and no error either
    fs.mkdirSync(path.join(dir, 'VIEWER'))
    const viewer = write(
      'VIEWER/index.htm',
      '<html><head><title>DICOM Viewer</title></head><body><h1>Image viewer</h1><p>Patient ID: PID-77 · Study date: 2026-01-05 · Accession: ACC1001</p><p>Click Start to view the images.</p></body></html>'
    )
    expect(await importReportFiles(db, [page, worklist, word, viewer], jobId)).toEqual({ matched: 3, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'html', '姓名： 张三 检查号： ACC1001\n检查所见：右上肺野见一结节影，约8mm。\n诊断意见：右上肺野结节。'],
      [studyB, 'html', 'FINDINGS: 6 mm nodule, left lower zone. IMPRESSION: Left lower zone nodule.'],
      [studyB, 'html', 'City Hospital\n1. Lungs are clear. No nodule.\nSigned: Dr Li']
    ])
    expect(rows().map(presenceOf)).toEqual(['present', 'present', 'absent'])
  })

  it('reads WPS Spreadsheets\' .et (an Excel 97–2003 workbook under its own name) and macro-enabled .xlsm and .docm files', async () => {
    const files = [
      write('WPS export.et', writeXls([{ name: 'Sheet1', rows: [['检查号', '报告内容'], ['ACC1001', '右上肺野见一约8mm结节影。']] }])),
      write('export.xlsm', Buffer.from(xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>', ['Accession', 'Report', 'ACC1002', 'No nodule.']))),
      write('ACC1002.docm', Buffer.from(docx('<w:p><w:r><w:t>FINDINGS: Lungs are clear.</w:t></w:r></w:p>')))
    ]
    expect(files.map(isReportFile)).toEqual([true, true, true])
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 3, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, presenceOf(r)])).toEqual([
      [studyA, 'xls', 'present'],
      [studyB, 'xlsx', 'absent'],
      [studyB, 'docx', 'absent']
    ])
  })

  it('passes over a text file on a patient CD that is no report, though it names the patient and the study, and keeps a report that names no lesion', async () => {
    db.prepare("UPDATE studies SET patient_id = 'PID-77', study_date = '20260105' WHERE id = ?").run(studyA)
    fs.mkdirSync(path.join(dir, 'CD'))
    const readme = write('CD/README.TXT', 'This disc holds the images of DOE^JANE\nPatient ID: PID-77\nStudy date: 2026-01-05\nRun VIEWER.EXE to view them.\n')
    const terse = write('ACC1002.txt', 'Heart size normal. Mediastinum unremarkable.')
    // the terse normal reports of a busy list: a verdict alone
    const terseReports = ['NAD.', 'Normal study.', 'Unremarkable.', 'No active disease.', '未见异常。', '胸部正位片未见明显异常。', 'Cardiomegaly.', 'ET tube 3 cm above the carina.', '右侧少量气胸。']
    const verdicts = terseReports.map((text, i) => write(`ACC1002 (${i + 1}).txt`, text))
    expect(await importReportFiles(db, [readme, terse, ...verdicts], jobId)).toEqual({ matched: 10, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([[studyB, 'Heart size normal. Mediastinum unremarkable.'], ...terseReports.map((text) => [studyB, text])])
  })

  it('reads a tab-separated export (.tsv) as a table of reports', async () => {
    const tsv = write('export.tsv', 'Accession\tReport\nACC1001\tNo nodule, lungs clear.\nACC1002\tRight upper zone nodule, 7 mm.\n')
    expect(await importReportFiles(db, [tsv], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, presenceOf(r)])).toEqual([
      [studyA, 'csv', 'absent'],
      [studyB, 'csv', 'present']
    ])
  })

  it.skipIf(!sofficeAvailable)(`stores a binary Word 97–2003 report (.doc, .wps) as its text and matches it by its file name${sofficeAvailable ? '' : ` — skipped: ${sofficeMissingReason}`}`, async () => {
    const written = writeWordDocuments({
      en: paragraphsOdt('FINDINGS:\nThere is a 9 mm nodule in the left lower zone.\nIMPRESSION:\nLeft lower zone nodule.'),
      zh: paragraphsOdt('检查所见：\n两肺纹理清晰，未见结节。\n诊断意见：\n心肺未见异常。')
    })
    const files = [write('ACC1001.doc', written.en.doc), write('ACC1002.wps', written.zh.doc)]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'doc', 'FINDINGS:\nThere is a 9 mm nodule in the left lower zone.\nIMPRESSION:\nLeft lower zone nodule.'],
      [studyB, 'doc', '检查所见：\n两肺纹理清晰，未见结节。\n诊断意见：\n心肺未见异常。']
    ])
    expect(rows().map(presenceOf)).toEqual(['present', 'absent'])
  }, 120_000)

  it('reads a JSON export or an HL7 message whose report text is HTML, each report read as HTML, not the whole file', async () => {
    const html = '<p><b>FINDINGS:</b> 8 mm nodule in the right upper zone.</p><p>IMPRESSION: nodule &lt; 1 cm.</p>'
    const json = write('export.json', JSON.stringify([{ accessionNumber: 'ACC1001', text: html }]))
    const oru = 'MSH|^~\\&|RIS|H|EMR|H|20260304||ORU^R01|1|P|2.3\rPID|1||P1\rOBR|1||ACC1002|CXR|||20260304\rOBX|1|TX|&IMP||nodule &lt; 5 mm<br>right upper zone.||||||F\r'
    const hl7 = write('result.hl7', oru)
    expect(await importReportFiles(db, [json, hl7], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, 'FINDINGS: 8 mm nodule in the right upper zone.\nIMPRESSION: nodule < 1 cm.'],
      [studyB, 'Impression:\nnodule < 5 mm\nright upper zone.']
    ])
  })

  it('reads HL7 FHIR DiagnosticReports — a Bundle, or NDJSON lines of a bulk export — by their accession, study and patient identifiers', async () => {
    const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          fullUrl: 'urn:uuid:r1',
          resource: {
            resourceType: 'DiagnosticReport',
            id: 'r1',
            status: 'final',
            identifier: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] }, value: 'ACC1001' }],
            effectiveDateTime: '2026-01-05T09:12:00+08:00',
            conclusion: 'Right upper zone nodule.',
            presentedForm: [{ contentType: 'text/plain; charset=utf-8', data: base64('FINDINGS: An 8 mm nodule in the right upper zone.\nIMPRESSION: Right upper zone nodule.') }]
          }
        },
        {
          resource: {
            resourceType: 'DiagnosticReport',
            id: 'r2',
            status: 'final',
            imagingStudy: [{ reference: 'ImagingStudy/s2' }],
            text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>检查所见：两肺纹理清晰，未见结节。</p><p>诊断意见：心肺未见异常。</p></div>' }
          }
        },
        { resource: { resourceType: 'ImagingStudy', id: 's2', identifier: [{ system: 'urn:dicom:uid', value: 'urn:oid:1.2.826.0.1.3680043.8.498.2' }] } },
        { resource: { resourceType: 'DiagnosticReport', id: 'r3', status: 'registered' } }
      ]
    }
    const fhir = write('reports.fhir.json', JSON.stringify(bundle))
    const ndjson = write(
      'export.ndjson',
      [{ accessionNumber: 'ACC1001', text: 'Addendum: the nodule is 9 mm.' }, { accessionNumber: 'ACC1002', text: 'Lungs are clear.' }].map((r) => JSON.stringify(r)).join('\n') + '\n'
    )
    const result = await importReportFiles(db, [fhir, ndjson], jobId)
    expect(result).toMatchObject({ matched: 4, unmatched: 0 })
    expect(result.failed.map((f) => f.reason)).toEqual(['reports.fhir.json: DiagnosticReport 3 (r3) has no report text; the other reports in it were imported'])
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'json', 'FINDINGS: An 8 mm nodule in the right upper zone.\nIMPRESSION: Right upper zone nodule.'],
      [studyB, 'json', '检查所见：两肺纹理清晰，未见结节。\n诊断意见：心肺未见异常。'],
      [studyA, 'json', 'Addendum: the nodule is 9 mm.'],
      [studyB, 'json', 'Lungs are clear.']
    ])
    expect(rows().map(presenceOf)).toEqual(['present', 'absent', 'present', 'absent'])
    const broken = write('broken.ndjson', '{"accessionNumber": "ACC1001", "text": "No nodule."}\n\n{"accessionNumber": "ACC1002", "text": \n')
    expect((await importReportFiles(db, [broken], jobId)).failed[0].reason).toMatch(/^broken\.ndjson: it is not valid JSON Lines: line 3 /)
  })

  it('reads a JSON export whose records nest their parts (a RIS\'s REST API: patient, study and report objects), in a page of an API\'s answer', async () => {
    const api = {
      total: 2,
      items: [
        {
          id: 'r-1',
          patient: { id: 'P0001', name: 'ZHANG^SAN' },
          study: { accessionNumber: 'ACC1001', date: '2026-01-05', modality: 'DX' },
          report: { status: 'final', findings: 'An 8 mm nodule in the right upper zone.', impression: 'Right upper zone nodule.' },
          referringPhysician: { id: 'D77', name: 'LI^SI' }
        },
        { study: { studyInstanceUid: '1.2.826.0.1.3680043.8.498.2' }, report: { text: '两肺纹理清晰，未见结节。' } }
      ]
    }
    // the same records as a Java back end pages them: {"code": 200, "data": {"records": […], "total": 2}}
    const paged = { code: 200, msg: 'ok', data: { records: api.items, total: 2, size: 20, current: 1 } }
    for (const [name, json] of [['reports-api.json', api], ['reports-page.json', paged]] as const) {
      db.prepare('DELETE FROM reports').run()
      expect(await importReportFiles(db, [write(name, JSON.stringify(json))], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
      expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
        [studyA, 'Findings: An 8 mm nodule in the right upper zone.\nImpression: Right upper zone nodule.'],
        [studyB, '两肺纹理清晰，未见结节。']
      ])
    }
    // one record whose text is in a part of it, and one an API answers in its "data"
    db.prepare('DELETE FROM reports').run()
    const one = write('one.json', JSON.stringify({ accessionNumber: 'ACC1001', result: { findings: 'No nodule.' } }))
    const answered = write('answer.json', JSON.stringify({ code: 0, data: { accessionNumber: 'ACC1002', report: 'Lungs are clear.' } }))
    expect(await importReportFiles(db, [one, answered], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, 'Findings: No nodule.'],
      [studyB, 'Lungs are clear.']
    ])
  })

  it("never takes a prior study's keys for the report's own: a part naming an earlier or compared study is not read", async () => {
    // RIS exports give each report the study it was compared with, keys and all, sometimes before its own
    const json = [
      { priorStudy: { accessionNumber: 'ACC1001', studyDate: '2025-01-05' }, study: { accessionNumber: 'ACC1002' }, report: { findings: 'Nodule stable.' } },
      { comparison: { accession: 'ACC1001' }, studyInstanceUid: '1.2.826.0.1.3680043.8.498.2', report: { findings: 'Nodule smaller.' } },
      { 既往检查: { 检查号: 'ACC1001' }, 检查号: 'ACC1002', 检查所见: '结节同前。' }
    ]
    const xml =
      '<Reports><Report><PreviousExam><AccessionNo>ACC1001</AccessionNo></PreviousExam><ExamInfo><AccessionNo>ACC1002</AccessionNo></ExamInfo>' +
      '<ReportInfo><Findings>Lungs are clear.</Findings></ReportInfo></Report></Reports>'
    const result = await importReportFiles(db, [write('with-priors.json', JSON.stringify(json)), write('with-priors.xml', xml)], jobId)
    expect(result).toEqual({ matched: 4, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([studyB, studyB, studyB, studyB])
  })

  it('reads a FHIR DiagnosticReport whose full report is a PDF (presentedForm application/pdf), before its narrative; a PDF that reads as no report is named', async () => {
    const pdf = (pages: string[][]) => writePdf(pages).toString('base64')
    const report = (id: string, accession: string, form: string, div?: string) => ({
      resourceType: 'DiagnosticReport',
      id,
      status: 'final',
      identifier: [{ type: { coding: [{ code: 'ACSN' }] }, value: accession }],
      ...(div ? { text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${div}</div>` } } : {}),
      presentedForm: [{ contentType: 'application/pdf', title: 'Chest radiograph report', data: form }]
    })
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        // the narrative a server generated says less than the report the radiologist signed
        { resource: report('p1', 'ACC1001', pdf([['检查所见：', '右上肺野见一结节影，大小约12mm。', '诊断意见：', '右上肺结节。']]), '<p>DR 胸部正位 已审核</p>') },
        { resource: report('p2', 'ACC1002', pdf([[]])) }
      ]
    }
    const result = await importReportFiles(db, [write('reports.json', JSON.stringify(bundle))], jobId)
    expect(result).toMatchObject({ matched: 1, unmatched: 0 })
    expect(result.failed.map((f) => f.reason)).toEqual([
      'reports.json: DiagnosticReport 2 (p2): the PDF holds no text (a scanned page? its words are pictures, which are not read); the other reports in it were imported'
    ])
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([[studyA, 'json', '检查所见：\n右上肺野见一结节影，大小约12mm。\n诊断意见：\n右上肺结节。']])
    expect(rows().map(presenceOf)).toEqual(['present'])
  })

  it('reads an XML export of reports: values as child elements or attributes, CDATA and markup inside a value, a declared GB encoding', async () => {
    const export1 =
      '<?xml version="1.0" encoding="GB2312"?>\n<!-- RIS 导出 -->\n<ris:Reports xmlns:ris="urn:example:ris">' +
      '<ris:Report><检查号>ACC1001</检查号><检查所见><![CDATA[右上肺野见一约8mm结节影。]]></检查所见><诊断意见>右上肺野结节。</诊断意见></ris:Report>' +
      '<ris:Report AccessionNumber="ACC1002"><Findings>Lungs are clear.<br/>No nodule &amp; no effusion &lt; 1 cm.</Findings></ris:Report>' +
      '</ris:Reports>'
    const file = write('ris-export.xml', encodeGb18030(export1))
    expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'xml', '检查所见：右上肺野见一约8mm结节影。\n诊断意见：右上肺野结节。'],
      [studyB, 'xml', 'Findings: Lungs are clear.\nNo nodule & no effusion < 1 cm.']
    ])
    expect(rows().map(presenceOf)).toEqual(['present', 'absent'])
  })

  it('reads XML whose reports group their fields (patient, exam and report parts, as HIS web services write them), keys and text from the parts of one report', async () => {
    const export1 =
      '<?xml version="1.0" encoding="UTF-8"?><Response><ResultCode>0</ResultCode><Reports>' +
      '<Report><PatientInfo><PatientID>P0001</PatientID><PatientName>张三</PatientName></PatientInfo>' +
      '<ExamInfo><AccessionNo>ACC1001</AccessionNo><ExamDate>2026-01-05</ExamDate></ExamInfo>' +
      '<ReportInfo><Findings>右上肺野见一约8mm结节影。</Findings><Conclusion>右上肺野结节。</Conclusion></ReportInfo></Report>' +
      // a report whose text is its own and whose key is grouped
      '<Report><ExamInfo><AccessionNo>ACC1002</AccessionNo></ExamInfo><Findings>两肺纹理清晰。</Findings></Report>' +
      '</Reports></Response>'
    expect(await importReportFiles(db, [write('his-reports.xml', export1)], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, '检查所见：右上肺野见一约8mm结节影。\n诊断意见：右上肺野结节。'],
      [studyB, '检查所见：两肺纹理清晰。']
    ])
  })

  it('reads XML whose fields are named by an attribute: a section\'s Label (Open-i\'s IU chest X-ray reports), a field\'s name', async () => {
    // as the Indiana University chest X-ray collection (Open-i, ecgen-radiology) writes a report
    const openI =
      '<?xml version="1.0" encoding="utf-8"?><eCitation><meta type="rr"/><uId id="CXR1"/><pmcId id="1"/><docSource>CXR</docSource>' +
      '<MedlineCitation Owner="Indiana University" Status="supplied by publisher"><Article PubModel="Electronic"><Journal><JournalIssue><PubDate><Year>2013</Year></PubDate></JournalIssue></Journal>' +
      '<ArticleTitle>Indiana University Chest X-ray Collection</ArticleTitle><Abstract>' +
      '<AbstractText Label="COMPARISON">None.</AbstractText><AbstractText Label="INDICATION">Positive TB test</AbstractText>' +
      '<AbstractText Label="FINDINGS">The cardiac silhouette and mediastinum size are within normal limits. There is a 9 mm nodule in the right upper lobe.</AbstractText>' +
      '<AbstractText Label="IMPRESSION">Right upper lobe nodule.</AbstractText></Abstract></Article></MedlineCitation>' +
      '<MeSH><major>Nodule/lung/upper lobe/right</major></MeSH><parentImage id="CXR1_1_IM-0001-3001"><figureId>F1</figureId><caption>Xray Chest PA and Lateral</caption></parentImage></eCitation>'
    const keyValue = '<Export><Record><Field name="AccessionNumber">ACC1002</Field><Field name="报告内容">两肺未见结节。</Field><Field name="Modality">DX</Field></Record></Export>'
    const files = [write('ACC1001.xml', openI), write('his.xml', keyValue)]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, 'Findings: The cardiac silhouette and mediastinum size are within normal limits. There is a 9 mm nodule in the right upper lobe.\nImpression: Right upper lobe nodule.'],
      [studyB, '两肺未见结节。']
    ])
    expect(rows().map(presenceOf)).toEqual(['present', 'absent'])
  })

  it('reads a CDA document kept as an .xml file as one report, matched by its name', async () => {
    const cda =
      '<?xml version="1.0" encoding="UTF-8"?><ClinicalDocument xmlns="urn:hl7-org:v3"><recordTarget><patientRole><id extension="P1"/></patientRole></recordTarget>' +
      '<component><structuredBody><component><section><title>影像所见</title><text><paragraph>左下肺野见一结节影，约1.2cm。</paragraph></text></section></component>' +
      '<component><section><title>诊断意见</title><text>左下肺野结节。</text></section></component></structuredBody></component></ClinicalDocument>'
    const file = write('ACC1002.xml', cda)
    expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 1, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([[studyB, 'xml', '影像所见:\n左下肺野见一结节影，约1.2cm。\n诊断意见:\n左下肺野结节。']])
    expect(rows().map(presenceOf)).toEqual(['present'])
  })

  it('matches a CDA file by the order its header fulfils (accession) or the service event it documents (study UID), never by a performer\'s id', async () => {
    const cda = (header: string) =>
      `<ClinicalDocument xmlns="urn:hl7-org:v3">${header}<component><structuredBody><component><section><title>Impression</title><text>No nodule.</text></section></component></structuredBody></component></ClinicalDocument>`
    const performer = '<performer typeCode="PRF"><assignedEntity><id root="1.2.840.113619.6.1"/></assignedEntity></performer>'
    const files = [
      write('cda-1.xml', cda('<inFulfillmentOf><order><templateId root="1.2.3"/><id root="2.16.156.10011.1.24" extension="ACC1001"/></order></inFulfillmentOf>')),
      write('cda-2.xml', cda(`<documentationOf><serviceEvent classCode="ACT"><id root="1.2.826.0.1.3680043.8.498.2"/>${performer}</serviceEvent></documentationOf>`)),
      write('cda-3.xml', cda(`<documentationOf><serviceEvent classCode="ACT"><code code="CHEST"/>${performer}</serviceEvent></documentationOf>`))
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 1, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([studyA, studyB, null])
  })

  it('names what is wrong with an XML report export, passes over an XML file that names no report field, and keeps the reports stored before', async () => {
    const files = [
      write('ACC1001.txt', 'FINDINGS: 6 mm nodule in the left lower zone.'),
      write('cut.xml', '<Reports><Report><AccessionNumber>ACC1002</AccessionNumber><ReportText>No nodule.'),
      write('crossed.xml', '<Reports><Report><ReportText>No nodule.</Report></ReportText></Reports>'),
      write('no-text.xml', '<Reports><Report><AccessionNumber>ACC1002</AccessionNumber><Remarks>urgent</Remarks></Report></Reports>'),
      // a CD viewer's settings beside the films
      write('viewer.xml', '<configuration date="2026-01-05"><appSettings><add key="server" value="pacs"/></appSettings></configuration>')
    ]
    const result = await importReportFiles(db, files, jobId)
    expect(result.matched).toBe(1)
    expect(result.failed).toEqual([
      { file: files[1], reason: 'cut.xml: it is not well-formed XML: <ReportText> is never closed (the file may be cut short)' },
      { file: files[2], reason: 'crossed.xml: it is not well-formed XML: </Report> closes <ReportText>' },
      { file: files[3], reason: 'no-text.xml: the XML holds no report: no element has a report text value (such as <ReportText>, <Findings> or <Impression>)' }
    ])
    expect(rows()).toHaveLength(1)
  })

  it('reads a spreadsheet of reports (.xlsx) whose header may stand below a title', async () => {
    const cell = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`
    const sheet =
      `<row r="1">${cell('A1', 0)}</row>` +
      `<row r="3">${cell('A3', 1)}${cell('B3', 2)}${cell('C3', 3)}</row>` +
      `<row r="4">${cell('A4', 4)}${cell('B4', 5)}${cell('C4', 6)}</row>` +
      // an accession number stored as a number lost its leading zeros; the next row has no text
      `<row r="5"><c r="A5"><v>1234567</v></c>${cell('B5', 7)}</row>` +
      `<row r="6">${cell('A6', 8)}</row>`
    const strings = ['放射科报告导出 2026年1月', '检查号', '影像所见', '诊断意见', 'ACC1001', '右上肺野见一约8mm结节影。', '右上肺野结节。', '两肺未见结节。', 'ACC1002']
    const padded = addStudy('1.2.826.0.1.3680043.8.498.3', '0001234567')
    const book = write('export.xlsx', Buffer.from(xlsx(sheet, strings)))
    const result = await importReportFiles(db, [book], jobId)
    expect(result).toMatchObject({ matched: 2, unmatched: 0 })
    expect(result.failed.map((f) => f.reason)).toEqual(['export.xlsx: row 6 has no report text; the other reports in it were imported'])
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'xlsx', '检查所见：右上肺野见一约8mm结节影。\n诊断意见：右上肺野结节。'],
      [padded, 'xlsx', '检查所见：两肺未见结节。']
    ])
  })

  /**
   * A department's log of reports as a spreadsheet program keeps it: a sheet a month — a title above the
   * header, dates, an accession number stored as a number, a row with no text — and a notes sheet.
   */
  const exportSheets = (findings: string): { name: string; rows: (string | number | { date: string })[][] }[] => [
    {
      name: '2026年1月',
      rows: [
        ['放射科报告导出 2026年1月'],
        [],
        ['检查号', '检查日期', '影像所见', '诊断意见'],
        ['ACC1001', { date: '2026-01-05' }, findings, '右上肺野结节。'],
        // an accession number stored as a number lost its leading zeros; the next row has no text
        [1234567, { date: '2026-01-06' }, '两肺未见结节。'],
        ['ACC1002']
      ]
    },
    { name: '2026年2月', rows: [['检查号', '影像所见'], ['ACC1002', '两肺纹理清晰。']] },
    { name: '说明', rows: [['本表由放射科每月登记。']] }
  ]

  /** Imports the log's spreadsheet file: each month's reports, the row with no text named with its sheet; the notes sheet passed over. */
  async function expectExportImported(name: string, bytes: Buffer, kind: string, findings: string): Promise<void> {
    const padded = addStudy('1.2.826.0.1.3680043.8.498.3', '0001234567')
    const book = write(name, bytes)
    expect(isReportFile(book)).toBe(true)
    const result = await importReportFiles(db, [book], jobId)
    expect(result).toMatchObject({ matched: 3, unmatched: 0 })
    expect(result.failed.map((f) => f.reason)).toEqual([`${name}: sheet "2026年1月", row 6 has no report text; the other reports in it were imported`])
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, kind, `检查所见：${findings}\n诊断意见：右上肺野结节。`],
      [padded, kind, '检查所见：两肺未见结节。'],
      [studyB, kind, '检查所见：两肺纹理清晰。']
    ])
  }

  it('reads an Excel 97–2003 workbook (.xls) as an .xlsx is: every sheet of reports, a title above the header, dates as dates', async () => {
    await expectExportImported('HIS export.xls', writeXls(exportSheets('右上肺野见一约8mm结节影。')), 'xls', '右上肺野见一约8mm结节影。')
  })

  it.skipIf(!sofficeCalcAvailable)(`reads an OpenDocument spreadsheet (.ods, LibreOffice Calc's own) as an .xlsx is: every sheet of reports, a title above the header, dates as dates, a cell's lines${sofficeCalcAvailable ? '' : ` — skipped: ${sofficeCalcMissingReason}`}`, async () => {
    const findings = '右上肺野见一结节影，\n大小约8mm。'
    await expectExportImported('RIS export.ods', writeOpenDocumentSpreadsheet(flatOds(exportSheets(findings))), 'ods', findings)
  }, 180_000)

  it.skipIf(!sofficeAvailable)(`splits a Word or OpenDocument file of several reports, a page each, as a PDF's pages are${sofficeAvailable ? '' : ` — skipped: ${sofficeMissingReason}`}`, async () => {
    const studyC = addStudy('1.2.826.0.1.3680043.8.498.3', 'ACC1003')
    const day = writeWordDocuments({
      day: pagesOdt([
        'Accession No.: ACC1001\nFINDINGS:\nNo nodule.',
        'Accession No.: ACC1002\nFINDINGS:\nAn 8 mm nodule in the right upper zone.',
        'IMPRESSION:\nRight upper zone nodule.',
        'Accession No.: ACC1003\nSigned by the reporting radiologist.'
      ])
    }).day
    const reports = [
      [studyA, 'Accession No.: ACC1001\nFINDINGS:\nNo nodule.'],
      [studyB, 'Accession No.: ACC1002\nFINDINGS:\nAn 8 mm nodule in the right upper zone.\nIMPRESSION:\nRight upper zone nodule.']
    ]
    // LibreOffice writes a page break as the next paragraph's property in a .doc and an .odt, as a break in a .docx
    for (const [name, bytes, kind] of [['day.doc', day.doc, 'doc'], ['day.docx', day.docx, 'docx'], ['day.odt', day.odt, 'odt']] as const) {
      db.prepare('DELETE FROM reports').run()
      const result = await importReportFiles(db, [write(name, bytes)], jobId)
      expect(result).toMatchObject({ matched: 2, unmatched: 0 })
      expect(result.failed.map((f) => f.reason)).toEqual([
        `${name}: page 4: it reads as no report: it has no Findings or Impression heading (检查所见, 诊断意见 …); the other reports in it were imported`
      ])
      expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual(reports)
      expect(rows().every((r) => r.source_kind === kind && r.study_id !== studyC)).toBe(true)
    }
    // one report over two pages stays one report
    const twoPages = writeWordDocuments({ report: pagesOdt(['Accession No.: ACC1003\nFINDINGS:\nNo nodule.', 'IMPRESSION:\nNormal.']) }).report
    expect(await importReportFiles(db, [write('ACC1003.doc', twoPages.doc)], jobId)).toMatchObject({ matched: 1, failed: [] })
    expect(rows().at(-1)).toMatchObject({ study_id: studyC, raw_text: 'Accession No.: ACC1003\nFINDINGS:\nNo nodule.\nIMPRESSION:\nNormal.' })
  }, 180_000)

  it('reads what web-based RIS export as "Excel": an HTML table or tab-separated text named .xls', async () => {
    const html = write(
      'export1.xls',
      '<html><head><meta charset="utf-8"><style>td{}</style></head><body><table><tr><th>检查号</th><th>报告内容</th></tr>' +
        '<tr><td>ACC1001</td><td>右上肺野见一约8mm结节。<br>两肺纹理清晰。</td></tr><tr><td>ACC1002<td>未见结节。</table></body></html>'
    )
    const tabs = write('export2.xls', 'Accession\tReport\nACC1002\tNo nodule.\n')
    expect(await importReportFiles(db, [html, tabs], jobId)).toMatchObject({ matched: 3, failed: [] })
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, '右上肺野见一约8mm结节。 两肺纹理清晰。'],
      [studyB, '未见结节。'],
      [studyB, 'No nodule.']
    ])
  })

  it('matches a report by where it lies: beside the folder of its name holding one study\'s films (MIMIC-CXR), or in a study\'s folder', async () => {
    const addFilms = (studyId: number, folder: string, count: number): void => {
      const series = Number(db.prepare('INSERT INTO series (study_id, series_uid) VALUES (?, ?)').run(studyId, `${folder}.s`).lastInsertRowid)
      for (let i = 0; i < count; i++) {
        db.prepare("INSERT INTO images (series_id, sop_instance_uid, file_path, status, created_at) VALUES (?, ?, ?, 'ok', 'now')").run(series, `${folder}.${i}`, path.join(dir, folder, `${i}.dcm`))
      }
    }
    // files/p10/p10000032/s50414267.txt beside files/p10/p10000032/s50414267/*.dcm
    const mimic = addStudy('2.25.1', null)
    addFilms(mimic, 'files/p10/p10000032/s50414267', 2)
    // a folder of its own: the report inside it, named nothing useful
    const own = addStudy('2.25.2', null)
    addFilms(own, 'export/CHEST_0007', 3)
    // a folder of many studies names none of them
    addFilms(addStudy('2.25.3', null), 'export/CHEST_0008', 1)
    fs.mkdirSync(path.join(dir, 'files/p10/p10000032/s50414267'), { recursive: true })
    fs.mkdirSync(path.join(dir, 'export/CHEST_0007'), { recursive: true })
    const files = [
      write('files/p10/p10000032/s50414267.txt', 'FINDINGS: No nodule.'),
      write('export/CHEST_0007/report.txt', 'FINDINGS: 8 mm nodule in the right upper zone.'),
      write('export/summary.txt', 'FINDINGS: No nodule.'),
      // the report of a study whose films are not imported: not the patient's other study below its folder
      write('files/p10/p10000032/s59999999.txt', 'FINDINGS: No nodule.')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 2, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([mimic, own, null, null])
  })

  it('matches a report kept in a folder of reports to the one film of its name beside the folder of films, and a name two studies\' films bear to neither', async () => {
    const addFilm = (studyId: number, file: string): void => {
      const series = Number(db.prepare('INSERT INTO series (study_id, series_uid) VALUES (?, ?)').run(studyId, `${file}.s`).lastInsertRowid)
      db.prepare("INSERT INTO images (series_id, sop_instance_uid, file_path, status, created_at) VALUES (?, ?, ?, 'ok', 'now')").run(series, `${file}.1`, path.join(dir, file))
    }
    const [first, second, third, fourth] = [addStudy('2.25.31', null), addStudy('2.25.32', null), addStudy('2.25.33', null), addStudy('2.25.34', null)]
    addFilm(first, 'site/x/set/images/film1.dcm')
    addFilm(second, 'site/x/set/images/film2')
    addFilm(third, 'site/x/set/images/a/IM1.dcm')
    addFilm(fourth, 'site/x/set/images/b/IM1.dcm')
    // a film of the same name in another tree, beyond the reports' reach
    addFilm(addStudy('2.25.35', null), 'elsewhere/film1.dcm')
    fs.mkdirSync(path.join(dir, 'site/x/set/reports'), { recursive: true })
    const files = [
      write('site/x/set/reports/film1.txt', 'Findings: A 9 mm nodule in the right upper zone.'),
      write('site/x/set/reports/film2_report.txt', 'Findings: No nodule.'),
      write('site/x/set/reports/IM1.txt', 'Findings: No nodule.')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 2, unmatched: 1, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([first, second, null])
  })

  it('matches a table\'s rows by the image files they name (a dataset\'s CSV: path_to_dcm), relative to the table or a folder above it', async () => {
    const addFilm = (studyId: number, file: string): void => {
      const series = Number(db.prepare('INSERT INTO series (study_id, series_uid) VALUES (?, ?)').run(studyId, `${file}.s`).lastInsertRowid)
      db.prepare("INSERT INTO images (series_id, sop_instance_uid, file_path, status, created_at) VALUES (?, ?, ?, 'ok', 'now')").run(series, `${file}.1`, path.join(dir, file))
    }
    const first = addStudy('2.25.11', null)
    addFilm(first, 'CheXpert/train/patient00001/study1/view1_frontal.dcm')
    fs.mkdirSync(path.join(dir, 'CheXpert'))
    const table = write(
      'CheXpert/reports.csv',
      'path_to_image,path_to_dcm,report\n' +
        // relative to the table's folder; the picture's path names the DICOM beside it
        'train/patient00001/study1/view1_frontal.jpg,train/patient00001/study1/view1_frontal.dcm,FINDINGS: Lungs clear.\n' +
        // relative to the folder above it, Windows separators
        'CheXpert\\train\\patient00002\\study1\\view1_frontal.jpg,,FINDINGS: 8 mm nodule in the right upper zone.\n' +
        'train/patient09999/study1/view1_frontal.jpg,train/patient09999/study1/view1_frontal.dcm,FINDINGS: Lungs clear.\n'
    )
    expect(await importReportFiles(db, [table], jobId)).toEqual({ matched: 1, unmatched: 2, already: 0, failed: [] })
    // the second film arrives later: its report is linked to it
    const second = addStudy('2.25.12', null)
    addFilm(second, 'CheXpert/train/patient00002/study1/view1_frontal.dcm')
    expect(relinkUnmatchedReports(db)).toBe(1)
    expect(rows().map((r) => r.study_id)).toEqual([first, second, null])
  })

  it('matches a table\'s rows by an image ID column naming each film, with or without its extension (image_id, ImageID, file, image)', async () => {
    const studies = [addStudy('2.25.21', null), addStudy('2.25.22', null)]
    for (const [i, study] of studies.entries()) {
      const series = Number(db.prepare('INSERT INTO series (study_id, series_uid) VALUES (?, ?)').run(study, `2.25.3${i}`).lastInsertRowid)
      db.prepare("INSERT INTO images (series_id, sop_instance_uid, file_path, status, created_at) VALUES (?, ?, ?, 'ok', 'now')").run(series, `2.25.4${i}`, path.join(dir, 'films', `0000${i + 1}.png`))
    }
    const tables = [
      write('a.csv', 'image_id,report\n00001,There is a 9 mm nodule in the right upper lobe.\n'),
      write('b.csv', 'ImageID,Findings\n00002.png,Lungs are clear.\n'),
      write('c.csv', 'file,text\n00001,Lungs are clear.\n'),
      write('d.json', JSON.stringify([{ image: '00002.png', report: 'A 6 mm nodule in the left lower zone.' }])),
      // an export holding the picture itself in its image field: no file named, matched by its accession
      write('e.json', JSON.stringify([{ accession: 'ACC1001', image: `data:image/png;base64,${'iVBORw0KGgo'.repeat(300)}`, report: 'No nodule.' }]))
    ]
    expect(await importReportFiles(db, tables, jobId)).toEqual({ matched: 5, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([studies[0], studies[1], studies[0], studies[1], expect.any(Number)])
    expect((db.prepare("SELECT match_key FROM reports WHERE source_path LIKE '%e.json'").get() as { match_key: string }).match_key).not.toContain('image:')
  })

  it('matches a row whose only key is a column named UID: a study\'s UID, else a dataset\'s case a table of films names', async () => {
    const table = write('cases.csv', 'UID,Findings\n1.2.826.0.1.3680043.8.498.2,No nodule.\n42,A 9 mm nodule in the right upper lobe.\n')
    expect(await importReportFiles(db, [table], jobId)).toEqual({ matched: 1, unmatched: 1, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.match_key])).toEqual([
      [studyB, 'case:1.2.826.0.1.3680043.8.498.2'],
      [null, 'case:42']
    ])
  })

  it('says so of a table with no row of text: an empty sheet, a CSV of commas', async () => {
    const files = [write('empty.xlsx', Buffer.from(xlsx('<row r="1"/>', []))), write('commas.csv', ',,,\n,,,\n')]
    expect((await importReportFiles(db, files, jobId)).failed.map((f) => f.reason)).toEqual([
      'empty.xlsx: its table holds no row with text',
      'commas.csv: its table holds no row with text'
    ])
  })

  it('takes findings and impression columns by any name a section header has (检查描述, 诊断结论, Opinion)', async () => {
    const zh = write('ris.csv', '检查号,检查描述,诊断结论\nACC1001,右上肺野见一约8mm结节影。,右上肺野结节。\n')
    const en = write('ris-en.csv', 'Accession,Findings,Opinion\nACC1002,Lungs clear.,Normal chest.\n')
    // a dataset's sectioned reports (CheXpert Plus)
    const sectioned = write('sectioned.csv', 'section_accession_number,section_findings,section_impression\nACC1001,6 mm nodule in the left lower zone.,Nodule.\n')
    expect(await importReportFiles(db, [zh, en, sectioned], jobId)).toEqual({ matched: 3, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => r.raw_text)).toEqual([
      '检查所见：右上肺野见一约8mm结节影。\n诊断意见：右上肺野结节。',
      'Findings: Lungs clear.\nImpression: Normal chest.',
      'Findings: 6 mm nodule in the left lower zone.\nImpression: Nodule.'
    ])
  })

  it('matches an accession number a spreadsheet stripped of its leading zeros, or written in another case', async () => {
    const padded = addStudy('1.2.826.0.1.3680043.8.498.3', '0001234567')
    const lower = write('lower.csv', 'Accession,Report\nacc1002,No nodule.\n')
    const stripped = write('excel.csv', 'Accession,Report\n1234567,No nodule.\n')
    expect(await importReportFiles(db, [lower, stripped], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => r.study_id)).toEqual([studyB, padded])
    // Two studies that differ only by leading zeros: the loose match names neither.
    addStudy('1.2.826.0.1.3680043.8.498.4', '1234567')
    addStudy('1.2.826.0.1.3680043.8.498.5', '00777888')
    addStudy('1.2.826.0.1.3680043.8.498.6', '0777888')
    const ambiguous = write('ambiguous.csv', 'Accession,Report\n777888,No nodule.\n')
    expect(await importReportFiles(db, [ambiguous], jobId)).toEqual({ matched: 0, unmatched: 1, already: 0, failed: [] })
  })

  it('matches a table without accession numbers by patient ID and study date: the one study of that patient that day', async () => {
    const addVisit = (uid: string, patientId: string, date: string): number =>
      Number(
        db
          .prepare('INSERT INTO studies (study_uid, pseudonym, patient_id, study_date, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(uid, `P-${uid}`, patientId, date, new Date().toISOString()).lastInsertRowid
      )
    const first = addVisit('1.2.3.10', 'MRN-77', '20260105')
    const zeros = addVisit('1.2.3.11', '000880', '20260106')
    addVisit('1.2.3.12', 'MRN-77', '20260107')
    addVisit('1.2.3.13', 'MRN-77', '20260107')
    // a CT and a chest film the same day: the film is the report's study
    addVisit('1.2.3.15', 'MRN-77', '20260108')
    const film = addVisit('1.2.3.16', 'MRN-77', '20260108')
    db.prepare('INSERT INTO series (id, study_id, series_uid) VALUES (99, ?, ?)').run(film, '1.2.3.16.1')
    db.prepare(
      "INSERT INTO images (series_id, sop_instance_uid, file_path, projection, model_path, status, created_at) VALUES (99, '1.2.3.16.1.1', '/films/1', 'frontal', 'm.png', 'ok', 'now')"
    ).run()
    const table = write(
      'ris-export.csv',
      [
        '病历号,检查日期,诊断意见',
        'MRN-77,2026-01-05 09:12,右上肺野结节。',
        // a spreadsheet dropped the leading zeros; a date written 2026/1/6
        '880,2026/1/6,两肺未见结节。',
        // two studies of the patient that day, neither a chest film: neither
        'MRN-77,20260107,两肺未见结节。',
        'MRN-77,2026-01-08,两肺未见结节。',
        // the patient's next study is not imported yet
        'MRN-77,2026年1月9日,两肺未见结节。',
        // day first or month first cannot be told apart
        'MRN-77,05/01/2026,两肺未见结节。'
      ].join('\n')
    )
    const result = await importReportFiles(db, [table], jobId)
    expect(result).toMatchObject({ matched: 3, unmatched: 2 })
    expect(result.failed.map((f) => f.reason)).toEqual([
      'ris-export.csv: row 7: its study date "05/01/2026" is not written year first (2026-01-05 or 20260105), and it has no accession number or study UID to match it by; the other reports in it were imported'
    ])
    expect(rows().map((r) => r.study_id)).toEqual([first, zeros, null, film, null])
    const later = addVisit('1.2.3.14', 'MRN-77', '20260109')
    expect(relinkUnmatchedReports(db)).toBe(1)
    expect(rows().map((r) => r.study_id)).toEqual([first, zeros, null, film, later])
  })

  it('matches a table keyed by patient alone to the patient\'s one study (or one chest film); a patient of two studies, or of two rows, matches neither', async () => {
    const addVisit = (uid: string, patientId: string, date: string | null): number =>
      Number(
        db
          .prepare('INSERT INTO studies (study_uid, pseudonym, patient_id, study_date, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(uid, `P-${uid}`, patientId, date, new Date().toISOString()).lastInsertRowid
      )
    const single = addVisit('1.2.3.30', 'CXR001', null)
    const zeros = addVisit('1.2.3.31', '000442', '20260110')
    addVisit('1.2.3.32', 'CXR003', '20260111')
    addVisit('1.2.3.33', 'CXR003', '20260112')
    const table = write(
      'teaching.csv',
      'Patient ID,Report\nCXR001,A 9 mm nodule in the right upper lobe.\n442,No nodule.\nCXR003,No nodule.\nCXR004,No nodule.\n' +
        // two reports of one patient: two studies, though the library holds one of them
        'CXR005,No nodule.\nCXR005,A 6 mm nodule in the left lower lobe.\n'
    )
    const onlyStudyOfFive = addVisit('1.2.3.35', 'CXR005', null)
    expect(await importReportFiles(db, [table], jobId)).toMatchObject({ matched: 2, unmatched: 4, failed: [] })
    expect(onlyStudyOfFive).toBeGreaterThan(0)
    expect(rows().map((r) => r.study_id)).toEqual([single, zeros, null, null, null, null])
    // the patient's study arrives later: linked
    const later = addVisit('1.2.3.34', 'CXR004', null)
    expect(relinkUnmatchedReports(db)).toBe(1)
    expect(rows().map((r) => r.study_id)).toEqual([single, zeros, null, later, null, null])
  })

  it('matches a file named around its accession number, and leaves a name that points nowhere or two ways unmatched', async () => {
    const studyC = addStudy('1.2.826.0.1.3680043.8.498.3', 'CT-2024-00123')
    const files = [
      write('ACC1001_report.txt', 'Lungs are clear.'),
      write('report-ACC1002 (2).txt', 'Lungs are clear.'),
      write('CT-2024-00123 final.txt', 'Lungs are clear.'),
      write('notes_2024.txt', 'Lungs are clear.'),
      write('ACC1001_vs_ACC1002.txt', 'Lungs are clear.')
    ]
    expect(await importReportFiles(db, files, jobId)).toEqual({ matched: 3, unmatched: 2, already: 0, failed: [] })
    const byFile = Object.fromEntries(rows().map((r) => [path.basename(r.source_path), r.study_id]))
    expect(byFile).toEqual({
      'ACC1001_report.txt': studyA,
      'report-ACC1002 (2).txt': studyB,
      'CT-2024-00123 final.txt': studyC,
      'notes_2024.txt': null,
      'ACC1001_vs_ACC1002.txt': null
    })
  })

  it('reads a spreadsheet\'s "Unicode text" export (UTF-16, tab-separated, named .txt) as a table of reports', async () => {
    const table = 'AccessionNumber\tPatient\tReport\r\nACC1001\tDoe\tNo nodule.\r\nACC1002\tRoe\t右上肺野见一约8mm结节。\r\n'
    const file = write('RIS export.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(table, 'utf16le')]))
    expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    expect(rows().map((r) => [r.study_id, r.encoding, r.raw_text])).toEqual([
      [studyA, 'utf-16le', 'No nodule.'],
      [studyB, 'utf-16le', '右上肺野见一约8mm结节。']
    ])
    // A report that only mentions a tab in its first line stays one report.
    const prose = write('ACC1001 note.txt', 'Findings:\tlungs clear.\nImpression: normal.')
    expect(await importReportFiles(db, [prose], jobId)).toEqual({ matched: 1, unmatched: 0, already: 0, failed: [] })
  })

  it('reads UTF-16 written without a BOM (SQL Server bcp -w) in either byte order, and still refuses a binary file', async () => {
    const english = write('ACC1001.txt', Buffer.from('Right upper zone nodule, 8 mm.\r\n', 'utf16le'))
    const chinese = write('ACC1002.txt', Buffer.from('右上肺野见一结节，约8mm。\n', 'utf16le').swap16())
    const noise = write('ACC1003.txt', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256)))
    const result = await importReportFiles(db, [english, chinese, noise], jobId)
    expect(result).toMatchObject({ matched: 2, unmatched: 0, already: 0 })
    expect(result.failed).toEqual([{ file: noise, reason: expect.stringMatching(/^ACC1003\.txt: .*not a text file/) }])
    expect(rows().map((r) => [r.study_id, r.encoding, r.raw_text])).toEqual([
      [studyA, 'utf-16le', 'Right upper zone nodule, 8 mm.'],
      [studyB, 'utf-16be', '右上肺野见一结节，约8mm。']
    ])
    expect(JSON.parse(rows()[1].findings_json).nodules.items).toMatchObject([{ sizeMm: 8, side: 'right', zone: 'upper' }])
  })

  it('reads a Big5 report (Hong Kong, Taiwan) as Big5, and a GBK one as GBK, though each decodes as the other', async () => {
    // 右肺上葉見一結節，8mm。 in Big5; 右上肺野见一结节，约8mm。 in GBK.
    const big5 = write('ACC1001.txt', Buffer.from([0xa5, 0x6b, 0xaa, 0xcd, 0xa4, 0x57, 0xb8, 0xad, 0xa8, 0xa3, 0xa4, 0x40, 0xb5, 0xb2, 0xb8, 0x60, 0xa1, 0x41, 0x38, 0x6d, 0x6d, 0xa1, 0x43]))
    const gbk = write('ACC1002.txt', encodeGb18030('右上肺野见一结节，约8mm。'))
    expect(await importReportFiles(db, [big5, gbk], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
    const stored = rows()
    expect(stored.map((r) => [r.encoding, r.raw_text])).toEqual([
      ['big5', '右肺上葉見一結節，8mm。'],
      ['gb18030', '右上肺野见一结节，约8mm。']
    ])
    expect(JSON.parse(stored[0].findings_json).nodules.items).toMatchObject([{ sizeMm: 8, side: 'right', lobe: 'RUL' }])
  })

  it('reads an English report a Windows RIS wrote in Windows-1252 as that, not as GB18030', async () => {
    // "Right upper zone nodule, 12 × 9 mm. The patient’s prior film – clear." in Windows-1252.
    const bytes = Buffer.from('Right upper zone nodule, 12 \xd7 9 mm. The patient\x92s prior film \x96 clear.', 'latin1')
    const file = write('ACC1001.txt', bytes)
    expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 1, unmatched: 0, already: 0, failed: [] })
    const [stored] = rows()
    expect(stored).toMatchObject({ encoding: 'windows-1252', language: 'en' })
    expect(stored.raw_text).toBe('Right upper zone nodule, 12 × 9 mm. The patient’s prior film – clear.')
    const finding = JSON.parse(stored.findings_json) as { nodules: { items: { sizeMm: number; sizeShortMm: number; side: string; zone: string }[] } }
    expect(finding.nodules.items).toMatchObject([{ sizeMm: 12, sizeShortMm: 9, side: 'right', zone: 'upper' }])
    // Two specials side by side ("—“") decode as GB18030 too, into no word a report uses: still Windows-1252.
    const dashQuote = write('ACC1002.txt', Buffer.from('Left lower zone nodule, 8 mm \x97\x93stable\x94 since 2019.', 'latin1'))
    expect(await importReportFiles(db, [dashQuote], jobId)).toMatchObject({ matched: 1, failed: [] })
    expect(rows()[1]).toMatchObject({ encoding: 'windows-1252', raw_text: 'Left lower zone nodule, 8 mm —“stable” since 2019.' })
  })

  it('names each bad file and says what is wrong, and imports the good ones', async () => {
    const good = write('ACC1002.txt', 'Lungs are clear.')
    const noKey = write('no-key.csv', 'Patient,Report\nSmith,No nodule.\n')
    const noText = write('no-text.csv', 'AccessionNumber,Date\nACC1001,2024-01-01\n')
    const unclosed = write('unclosed.csv', 'Accession,Report\nACC1001,"No nodule.\n')
    const badJson = write('broken.json', '{"accession": "ACC1001", "text": "No nodule."')
    const wrongShape = write('shape.json', '{"patient": "x", "count": 3}')
    const empty = write('empty.txt', '')
    const binary = write('image.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a]))
    const latin1 = write('latin.txt', Buffer.from([0x4e, 0x6f, 0x20, 0x6e, 0x6f, 0x64, 0x75, 0x6c, 0x65, 0xff, 0xff, 0xff]))
    const missing = path.join(dir, 'gone.txt')
    const partial = write('partial.json', JSON.stringify([{ accession: 'ACC1001', text: 'No nodule.' }, { accession: 'ACC1002' }, 'text']))
    // A list of studies that holds no report text at all (a CD's index, a cohort's truth.json): one reason, not one a study.
    const studyList = write(
      'study-list.json',
      JSON.stringify({ version: 1, studies: [1, 2, 3].map((n) => ({ accessionNumber: `ACC100${n}`, dicomFile: `dicom/${n}.dcm`, report: { language: 'en' } })) })
    )
    // A "report" of repeated findings longer than any report: refused, in a file of one and in a table.
    const dump = write('dump.txt', 'Right upper zone nodule 8 mm. '.repeat(5000))
    const table = write('table.csv', `Accession,Report\nACC1001,No nodule.\nACC1002,${'Nodule. '.repeat(20000)}\n`)
    // A 300 MB log that happens to end in .txt: refused by its size, never read (the file is sparse).
    const log = write('server-log.txt', '')
    fs.truncateSync(log, 300 << 20)

    const result = await importReportFiles(db, [good, noKey, noText, unclosed, badJson, wrongShape, empty, binary, latin1, missing, partial, studyList, log, dump, table], jobId)
    expect(result.matched).toBe(3)
    expect(result.unmatched).toBe(0)
    const reasons = Object.fromEntries(result.failed.map((f) => [path.basename(f.file), [] as string[]]))
    for (const f of result.failed) reasons[path.basename(f.file)].push(f.reason)
    expect(Object.keys(reasons).sort()).toEqual(
      ['broken.json', 'dump.txt', 'empty.txt', 'gone.txt', 'image.txt', 'latin.txt', 'no-key.csv', 'no-text.csv', 'partial.json', 'server-log.txt', 'shape.json', 'study-list.json', 'table.csv', 'unclosed.csv'].sort()
    )
    for (const [name, list] of Object.entries(reasons)) for (const reason of list) expect(reason.startsWith(`${name}: `)).toBe(true)
    expect(reasons['no-key.csv'][0]).toMatch(/no accession number or study UID column \(columns: "Patient", "Report"\)/)
    expect(reasons['no-text.csv'][0]).toMatch(/no report text column/)
    expect(reasons['unclosed.csv'][0]).toMatch(/not valid CSV: a quoted field that starts on line 2 is never closed/)
    expect(reasons['broken.json'][0]).toMatch(/not valid JSON/)
    expect(reasons['shape.json'][0]).toMatch(/neither a report object nor an array/)
    expect(reasons['study-list.json']).toEqual([
      'study-list.json: none of its 3 records holds report text (a field such as text, report, findings or 检查所见): it is no report export'
    ])
    expect(reasons['empty.txt'][0]).toMatch(/the file is empty/)
    expect(reasons['image.txt'][0]).toMatch(/not a text file/)
    expect(reasons['latin.txt'][0]).toMatch(/neither valid UTF-8 nor GB18030/)
    expect(reasons['gone.txt'][0]).toMatch(/does not exist/)
    expect(reasons['server-log.txt']).toEqual(['server-log.txt: it is 300 MB, more than a .txt report file holds (limit 64 MB), so it was not read'])
    expect(reasons['partial.json']).toEqual([
      'partial.json: record 2 has no report text; the other reports in it were imported',
      'partial.json: record 3 is not an object; the other reports in it were imported'
    ])
    expect(reasons['dump.txt']).toEqual(['dump.txt: its text is 149,999 characters long, more than a report holds (limit 100,000), so it was not read'])
    expect(reasons['table.csv']).toEqual([
      'table.csv: row 3 is 159,999 characters long, more than a report holds (limit 100,000), so it was not read; the other reports in it were imported'
    ])
    expect(rows().map((r) => path.basename(r.source_path))).toEqual(['ACC1002.txt', 'partial.json', 'table.csv'])
  })

  it('refuses a report written in a language the parser does not read, naming it, rather than store it as a report of no nodule', async () => {
    const table = write('ris.csv', 'Accession,Report\nACC1001,8 mm nodule in the right upper zone.\nACC1002,Nódulo de 8 mm en el lóbulo superior derecho. Sin derrame pleural.\n')
    const german = write('ACC1003.txt', 'Befund: Herz normal groß. Lunge frei, kein Rundherd.')
    // a whole export in another language: one reason, not one a row
    const spanish = write('informes.csv', 'Accession,Report\nACC1004,Sin hallazgos en el campo pulmonar derecho.\nACC1005,Nódulo en el lóbulo inferior izquierdo. Sin derrame.\n')
    const result = await importReportFiles(db, [table, german, spanish], jobId)
    expect(result.matched).toBe(1)
    expect(result.failed.map((f) => f.reason)).toEqual([
      'ris.csv: row 3 reads as Spanish, which the report parser does not read (it reads English and Chinese): taken as English it would say no nodule, so it was not read; the other reports in it were imported',
      'ACC1003.txt: its text reads as German, which the report parser does not read (it reads English and Chinese): taken as English it would say no nodule, so it was not read',
      'informes.csv: its 2 reports read as Spanish, which the report parser does not read (it reads English and Chinese), so they were not read'
    ])
    expect(rows().map((r) => r.raw_text)).toEqual(['8 mm nodule in the right upper zone.'])
  })

  it('reads a gzipped export as the file it holds, and names one that is cut or unpacks to more than a report file holds', async () => {
    const table = write('reports.csv.gz', zlib.gzipSync('Accession,Report\nACC1001,8 mm nodule in the right upper zone.\nACC1002,No nodule.\n'))
    const cut = write('cut.json.gz', zlib.gzipSync(JSON.stringify([{ accession: 'ACC1003', text: 'No nodule.' }])).subarray(0, 20))
    const notGzip = write('plain.txt.gz', 'Accession: ACC1003\nNo nodule.')
    // a few hundred kilobytes that unpack past the 64 MB a text file may hold: refused before it is all unpacked
    const bomb = write('bomb.txt.gz', zlib.gzipSync(Buffer.alloc(65 << 20, 0x20)))
    const result = await importReportFiles(db, [table, cut, notGzip, bomb], jobId)
    expect(result.matched).toBe(2)
    expect(rows().map((r) => path.basename(r.source_path))).toEqual(['reports.csv.gz', 'reports.csv.gz'])
    expect(result.failed.map((f) => f.reason)).toEqual([
      'cut.json.gz: it cannot be unpacked: it is not whole gzip (unexpected end of file)',
      'plain.txt.gz: it cannot be unpacked: it is not whole gzip (incorrect header check)',
      'bomb.txt.gz: it unpacks to more than a .txt report file holds (limit 64 MB), so it was not read'
    ])
  })
})

describe('report files too large to read whole', () => {
  it('refuses a file of more records than one file is read for, counts the problems past the hundredth in one, and reads the files after them', async () => {
    const tiny = write('tiny-rows.csv', 'Accession,Report\n' + 'A,x\n'.repeat(2_000_001))
    const noText = write('no-text.csv', 'Accession,Report\n' + Array.from({ length: 150 }, (_, i) => `A${i},\n`).join('') + 'ACC1001,No nodule.\n')
    const next = write('ACC1002.txt', 'Findings: 6 mm nodule in the left lower zone.')
    const result = await importReportFiles(db, [tiny, noText, next], jobId)
    expect(result.matched).toBe(2)
    const reasons = result.failed.map((f) => f.reason)
    expect(reasons[0]).toBe('tiny-rows.csv: it holds 2,000,001 records, more than one file is read for (2,000,000), so it was not read: split it')
    expect(reasons.slice(1, 3)).toEqual([
      'no-text.csv: row 2 has no report text; the other reports in it were imported',
      'no-text.csv: row 3 has no report text; the other reports in it were imported'
    ])
    expect(reasons.length).toBe(1 + 100 + 1)
    expect(reasons.at(-1)).toBe('no-text.csv: 50 more records could not be read either (the first 100 are named); the other reports in it were imported')
    expect(rows().map((r) => path.basename(r.source_path))).toEqual(['no-text.csv', 'ACC1002.txt'])
  })

  it('counts a saved page\'s table rows before building them, and refuses a page of more than a file is read for, or a CSV row of more fields than a sheet has columns', async () => {
    const page = write('worklist.htm', '<table><tr><td>Accession</td><td>Report</td></tr>' + '<tr>'.repeat(2_000_005) + '</table>')
    // a line of nothing but commas: more fields than a sheet has columns
    const commas = write('commas.csv', 'Accession,Report\n' + ','.repeat(20_000))
    const result = await importReportFiles(db, [page, commas], jobId)
    expect(result.failed.map((f) => f.reason)).toEqual([
      'worklist.htm: it holds 2,000,006 table rows, more than one file is read for (2,000,005), so it was not read: split it',
      'commas.csv: it is not valid CSV: line 2 holds more than 16,384 fields, more than a spreadsheet has columns'
    ])
  })

  it('ends the reader thread of a file that takes more memory than its ceiling, naming it, and reads the next file in a new thread', async () => {
    // a million tiny JSON records: some 33 MB of file, several hundred MB to read
    const records = write('records.ndjson', '{"accession":"A1","report":"x"}\n'.repeat(1_000_000))
    const table = write('table.csv', 'Accession,Report\nACC1001,No nodule.\n')
    const read = reportFileReader({ heapMb: 128, timeoutMs: 120_000 })
    await expect(read(records)).rejects.toThrow('reading it took more than 128 MB of memory, more than any report file needs (millions of tiny rows or elements?), so it was not read')
    expect((await read(table)).records.map((r) => r.accession)).toEqual(['ACC1001'])
  })
})

describe('importStructuredReport', () => {
  function srDataSet(characterSet: string, encode: TextEncoding, findings: string, impression: string): dicomParser.DataSet {
    const text = (concept: string, value: string) => contentItem('TEXT', concept, { '0040a160': bytesOf('UT', encode(value)) }, encode)
    const bytes = dicomFile(
      {
        '00080005': str('CS', characterSet),
        '00080016': str('UI', '1.2.840.10008.5.1.4.1.1.88.11'),
        '00080018': str('UI', '1.2.826.0.1.3680043.8.498.99'),
        '00080050': str('SH', 'ACC1002'),
        '00080060': str('CS', 'SR'),
        '0020000d': str('UI', '1.2.826.0.1.3680043.8.498.2'),
        '0040a040': str('CS', 'CONTAINER'),
        '0040a730': seq(
          contentItem('CONTAINER', 'Findings', { '0040a730': seq(text('Finding', findings)) }, encode),
          contentItem('CODE', 'Procedure', { '0040a168': seq({ '00080104': bytesOf('LO', encode('Chest X-ray')) }) }, encode),
          text('Impression', impression)
        )
      },
      '1.2.840.10008.5.1.4.1.1.88.11',
      '1.2.826.0.1.3680043.8.498.99'
    )
    return dicomParser.parseDicom(new Uint8Array(bytes))
  }

  it('stores the SR text with concept names as section headers, matched by its study UID', () => {
    const dataSet = srDataSet('ISO_IR 192', (s) => Buffer.from(s, 'utf8'), '右上肺野见一约8mm实性结节。', '右上肺结节，建议CT检查。')
    expect(importStructuredReport(db, '/data/sr/report.dcm', dataSet, jobId)).toBe('matched')
    const [row] = rows()
    expect(row).toMatchObject({ study_id: studyB, source_kind: 'sr', encoding: 'utf-8', language: 'zh' })
    expect(row.raw_text).toBe('Findings:\nFinding: 右上肺野见一约8mm实性结节。\nProcedure: Chest X-ray\nImpression: 右上肺结节，建议CT检查。')
    const stored = JSON.parse(row.findings_json) as { nodules: { presence: string; count: number; items: { sizeMm: number; density: string }[] } }
    expect(stored.nodules).toMatchObject({ presence: 'present', count: 1, items: [{ sizeMm: 8, density: 'solid' }] })
    expect(importStructuredReport(db, '/data/sr/report.dcm', dataSet, jobId)).toBe('already')
  })

  it('decodes GB18030 text values, and GB 2312 declared as Latin-1, and refuses an SR without text, with more than any report, or in another language', () => {
    const dataSet = srDataSet('GB18030', encodeGb18030, '两肺纹理清晰，未见结节。', '心肺未见异常。')
    importStructuredReport(db, '/data/sr/gb.dcm', dataSet, jobId)
    expect(rows()[0].raw_text).toContain('Finding: 两肺纹理清晰，未见结节。')
    expect(presenceOf(rows()[0])).toBe('absent')
    // a PACS that writes GB 2312 and declares ISO_IR 100: read as the Chinese it is
    importStructuredReport(db, '/data/sr/latin1.dcm', srDataSet('ISO_IR 100', encodeGb18030, '右上肺野见一约8mm结节。', '右上肺结节。'), jobId)
    expect(rows()[1].raw_text).toContain('Finding: 右上肺野见一约8mm结节。')

    const empty = dicomParser.parseDicom(
      new Uint8Array(dicomFile({ '0020000d': str('UI', '1.2.3'), '0040a040': str('CS', 'CONTAINER') }, '1.2.840.10008.5.1.4.1.1.88.11', '1.2.3.4'))
    )
    expect(() => importStructuredReport(db, '/data/sr/empty.dcm', empty, jobId)).toThrow(/empty\.dcm: the structured report has no text/)
    const huge = srDataSet('ISO_IR 192', (t) => Buffer.from(t, 'utf8'), 'Nodule. '.repeat(20000), 'Nodule.')
    expect(() => importStructuredReport(db, '/data/sr/huge.dcm', huge, jobId)).toThrow(
      /huge\.dcm: the structured report's text is [\d,]+ characters long, more than a report holds \(limit 100,000\), so it was not read/
    )
    const spanish = srDataSet('ISO_IR 192', (t) => Buffer.from(t, 'utf8'), 'Nódulo de 8 mm en el lóbulo superior derecho.', 'Sin derrame pleural.')
    expect(() => importStructuredReport(db, '/data/sr/es.dcm', spanish, jobId)).toThrow(
      /es\.dcm: the structured report's text reads as Spanish, which the report parser does not read/
    )
    expect(rows()).toHaveLength(2)
  })
})

describe('PDF reports', () => {
  it('reads a PDF report file as one report, matched as a text file is, and names the file it cannot read', async () => {
    const zh = write('ACC1002.pdf', writePdf([['检查所见：', '右上肺野见一结节影，大小约12mm。'], ['诊断意见：', '右上肺结节。']]))
    const scanned = write('ACC1001.pdf', writePdf([[]]))
    expect(await importReportFiles(db, [zh, scanned], jobId)).toEqual({
      matched: 1,
      unmatched: 0,
      already: 0,
      failed: [{ file: scanned, reason: 'ACC1001.pdf: the PDF holds no text (a scanned page? its words are pictures, which are not read)' }]
    })
    const [row] = rows()
    expect(row).toMatchObject({ study_id: studyB, source_kind: 'pdf', encoding: 'utf-8', language: 'zh' })
    expect(row.raw_text).toBe('检查所见：\n右上肺野见一结节影，大小约12mm。\n诊断意见：\n右上肺结节。')
    expect(presenceOf(row)).toBe('present')
    expect(await importReportFiles(db, [zh], jobId)).toMatchObject({ already: 1 })
  })

  it('splits a PDF whose pages name different studies into their reports, a report\'s later pages with it', async () => {
    const studyC = addStudy('1.2.826.0.1.3680043.8.498.3', 'ACC1003')
    const day = write(
      'reports 2026-01-05.pdf',
      writePdf([
        ['Accession No.: ACC1001', 'FINDINGS:', 'No nodule.'],
        ['Accession No.: ACC1002', 'FINDINGS:', 'An 8 mm nodule in the right upper zone.'],
        ['IMPRESSION:', 'Right upper zone nodule.'],
        ['Accession No.: ACC1003', 'Signed by the reporting radiologist.']
      ])
    )
    const result = await importReportFiles(db, [day], jobId)
    expect(result).toMatchObject({ matched: 2, unmatched: 0 })
    expect(result.failed.map((f) => f.reason)).toEqual([
      'reports 2026-01-05.pdf: page 4: the PDF reads as no report: it has no Findings or Impression heading (检查所见, 诊断意见 …); the other reports in it were imported'
    ])
    expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
      [studyA, 'Accession No.: ACC1001\nFINDINGS:\nNo nodule.'],
      [studyB, 'Accession No.: ACC1002\nFINDINGS:\nAn 8 mm nodule in the right upper zone.\nIMPRESSION:\nRight upper zone nodule.']
    ])
    expect(rows().some((r) => r.study_id === studyC)).toBe(false)
    // a report whose every page repeats its header stays one report
    const twoPages = write('ACC1003.pdf', writePdf([['Accession No.: ACC1003', 'FINDINGS:', 'No nodule.'], ['Accession No.: ACC1003', 'IMPRESSION:', 'Normal.']]))
    expect(await importReportFiles(db, [twoPages], jobId)).toMatchObject({ matched: 1, failed: [] })
    expect(rows()[2]).toMatchObject({ study_id: studyC, raw_text: 'Accession No.: ACC1003\nFINDINGS:\nNo nodule.\nAccession No.: ACC1003\nIMPRESSION:\nNormal.' })
  })

  function encapsulatedPdf(document: Buffer, mime = 'application/pdf', sopClass = '1.2.840.10008.5.1.4.1.1.104.1'): dicomParser.DataSet {
    const bytes = dicomFile(
      {
        '00080016': str('UI', sopClass),
        '00080018': str('UI', '1.2.826.0.1.3680043.8.498.77'),
        '00080050': str('SH', 'ACC9999'),
        '00080060': str('CS', 'DOC'),
        '0020000d': str('UI', '1.2.826.0.1.3680043.8.498.1'),
        '00420011': bytesOf('OB', document),
        '00420012': str('LO', mime)
      },
      sopClass,
      '1.2.826.0.1.3680043.8.498.77'
    )
    return dicomParser.parseDicom(new Uint8Array(bytes))
  }

  it('stores an Encapsulated PDF in the DICOM as its study\'s report, matched by its study UID', async () => {
    const dataSet = encapsulatedPdf(writePdf([['FINDINGS:', 'An 8 mm nodule in the left lower zone.', 'IMPRESSION:', 'Left lower zone nodule.']]))
    expect(await importEncapsulatedDocument(db, '/data/doc/report.dcm', dataSet, jobId)).toBe('matched')
    const [row] = rows()
    expect(row).toMatchObject({ study_id: studyA, source_kind: 'pdf', language: 'en' })
    expect(JSON.parse(row.findings_json).nodules).toMatchObject({ presence: 'present', items: [{ side: 'left', zone: 'lower', sizeMm: 8 }] })
    expect(await importEncapsulatedDocument(db, '/data/doc/report.dcm', dataSet, jobId)).toBe('already')
  })

  it('refuses an encapsulated document that is no PDF or no report, or a report in another language, naming the file', async () => {
    await expect(importEncapsulatedDocument(db, '/data/doc/form.dcm', encapsulatedPdf(writePdf([['Consent to examination', 'Signed.']])), jobId)).rejects.toThrow(
      'form.dcm: the PDF reads as no report: it has no Findings or Impression heading'
    )
    await expect(importEncapsulatedDocument(db, '/data/doc/photo.dcm', encapsulatedPdf(Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg'), jobId)).rejects.toThrow(
      'photo.dcm: the encapsulated document is image/jpeg, not a PDF or an HL7 CDA document'
    )
    await expect(importEncapsulatedDocument(db, '/data/doc/cda.dcm', encapsulatedPdf(Buffer.from('<ClinicalDocument/>'), 'text/XML'), jobId)).rejects.toThrow(
      'cda.dcm: the CDA document has neither a structured nor a non-XML body'
    )
    const spanish = encapsulatedPdf(writePdf([['Findings: Nódulo de 8 mm en el lóbulo superior derecho.', 'Impression: Sin derrame pleural.']]))
    await expect(importEncapsulatedDocument(db, '/data/doc/es.dcm', spanish, jobId)).rejects.toThrow(/^es\.dcm: the encapsulated PDF's text reads as Spanish, which the report parser does not read/)
    expect(rows()).toHaveLength(0)
  })

  const encapsulatedCda = (xml: string, mime = 'text/XML'): dicomParser.DataSet => encapsulatedPdf(Buffer.from(xml), mime, '1.2.840.10008.5.1.4.1.1.104.2')
  const cdaHeader =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Chest X-ray Report</title>' +
    '<recordTarget><patientRole><id extension="MRN-77"/><patient><name><given>PHANTOM</given><family>PATIENT</family></name></patient></patientRole></recordTarget>'

  it('stores an Encapsulated CDA\'s sections — titles as headings, paragraphs and list items as lines — and not its header or coded entries', async () => {
    const xml =
      cdaHeader +
      '<component><structuredBody>' +
      '<component><section><code code="121060" codeSystem="1.2.840.10008.2.16.4" displayName="History"/><title>History</title><text>Cough; rule out nodule.</text></section></component>' +
      '<component><section><title>Findings</title><text><paragraph>An 8 mm nodule in the left lower zone&#160;(image 2).</paragraph>' +
      '<list><item>No effusion.</item><item>Heart size normal.</item></list></text>' +
      '<entry><observation><code code="RID50149" displayName="pulmonary nodule"/><value xsi:type="PQ" value="8" unit="mm"/></observation></entry></section></component>' +
      '<component><section><title>Impression:</title><text>Left lower zone nodule.</text></section></component>' +
      '</structuredBody></component></ClinicalDocument>'
    expect(await importEncapsulatedDocument(db, '/data/doc/cda.dcm', encapsulatedCda(xml), jobId)).toBe('matched')
    const [row] = rows()
    expect(row).toMatchObject({ study_id: studyA, source_kind: 'cda' })
    expect(row.raw_text).toBe(
      'History:\nCough; rule out nodule.\nFindings:\nAn 8 mm nodule in the left lower zone (image 2).\nNo effusion.\nHeart size normal.\nImpression:\nLeft lower zone nodule.'
    )
    expect(JSON.parse(row.findings_json).nodules).toMatchObject({ presence: 'present', count: 1, items: [{ side: 'left', zone: 'lower', sizeMm: 8 }] })
  })

  it('reads a CDA whose tags carry a namespace prefix, and one whose body is base64 text', async () => {
    const prefixed =
      '<hl7:ClinicalDocument xmlns:hl7="urn:hl7-org:v3"><hl7:component><hl7:structuredBody><hl7:component><hl7:section>' +
      '<hl7:title>检查所见</hl7:title><hl7:text>右肺上叶见一结节，约6mm。</hl7:text></hl7:section></hl7:component></hl7:structuredBody></hl7:component></hl7:ClinicalDocument>'
    await importEncapsulatedDocument(db, '/data/doc/a.dcm', encapsulatedCda(prefixed), jobId)
    const base64 = Buffer.from('FINDINGS: No nodule.\nIMPRESSION: Normal chest.').toString('base64')
    const plain = `<ClinicalDocument><component><nonXMLBody><text mediaType="text/plain" representation="B64">${base64}</text></nonXMLBody></component></ClinicalDocument>`
    await importEncapsulatedDocument(db, '/data/doc/b.dcm', encapsulatedCda(plain, 'application/hl7-cda+xml'), jobId)
    expect(rows().map((r) => r.raw_text)).toEqual(['检查所见:\n右肺上叶见一结节，约6mm。', 'FINDINGS: No nodule.\nIMPRESSION: Normal chest.'])
  })
})

describe('HL7 reports', () => {
  /** Segments as an interface engine writes them: CR after each, a message's first MSH. */
  const message = (...segments: string[]): string => segments.map((s) => `${s}\r`).join('')
  const oru = (control: string, accession: string, observations: string[]): string =>
    message(
      `MSH|^~\\&|RIS|HOSP|EMR|HOSP|20260304101500||ORU^R01|${control}|P|2.3.1`,
      'PID|1||P0001^^^HOSP^MR~9876^^^NATION^NI||ZHANG^SAN||19600101|M',
      `OBR|1|PL-${control}|${accession}|71046^CHEST 2 VIEWS|||20260304093000|||||||||||||||20260304100000|||F`,
      ...observations
    )

  it('stores each ORU message of an .hl7 file as its study\'s report, headed by its OBX codes, matched by the order\'s accession', async () => {
    const file = write(
      'results.hl7',
      '\x0b' +
        oru('MSG1', 'ACC1001', [
          'OBX|1|TX|&GDT^General Description Text||A 12 mm nodule in the right upper zone.\\.br\\No effusion.||||||F',
          'OBX|2|TX|&IMP^Impression||Right upper zone nodule\\F\\ CT advised.~Otherwise normal.||||||F'
        ]) +
        '\x1c\r' +
        // an admission message between them holds no report
        message('MSH|^~\\&|HIS|HOSP|RIS|HOSP|20260304||ADT^A08|MSG2|P|2.3.1', 'PID|1||P0002') +
        oru('MSG3', 'NOPE-7', ['OBX|1|FT|18782-3^Radiology Study observation^LN||No nodule.||||||F'])
    )
    expect(await importReportFiles(db, [file], jobId)).toEqual({ matched: 1, unmatched: 1, already: 0, failed: [] })
    const [first, second] = rows()
    expect(first).toMatchObject({ study_id: studyA, source_kind: 'hl7' })
    expect(first.raw_text).toBe(
      'Findings:\nA 12 mm nodule in the right upper zone.\nNo effusion.\nImpression:\nRight upper zone nodule| CT advised.\nOtherwise normal.'
    )
    expect(JSON.parse(first.findings_json).nodules).toMatchObject({ presence: 'present', items: [{ side: 'right', zone: 'upper', sizeMm: 12 }] })
    expect(second).toMatchObject({ study_id: null, raw_text: 'Findings:\nNo nodule.' })
    expect(second.match_key).toContain('accession:NOPE-7')
    expect(second.match_key).toContain('patient-date:20260304:P0001')
  })

  it('reads a result whose report is a PDF in an encapsulated-data observation (OBX-2 ED, Base64), as its .pdf would be read', async () => {
    const pdf = writePdf([['FINDINGS:', 'There is a 9 mm nodule in the left lower zone.', 'IMPRESSION:', 'Left lower zone nodule.']]).toString('base64')
    const file = write(
      'results.hl7',
      oru('MSG1', 'ACC1001', [`OBX|1|ED|18748-4^Diagnostic imaging study^LN||RIS^AP^PDF^Base64^${pdf}||||||F`]) +
        // a PDF of a scanned page holds no words
        oru('MSG2', 'ACC1002', [`OBX|1|ED|PDF^Report||^application^pdf^Base64^${writePdf([[]]).toString('base64')}||||||F`])
    )
    const result = await importReportFiles(db, [file], jobId)
    expect(result).toMatchObject({ matched: 1, unmatched: 0 })
    expect(result.failed.map((f) => f.reason)).toEqual([
      'results.hl7: message 2: the PDF holds no text (a scanned page? its words are pictures, which are not read); the other reports in it were imported'
    ])
    expect(rows().map((r) => [r.study_id, r.source_kind, r.raw_text])).toEqual([
      [studyA, 'hl7', 'FINDINGS:\nThere is a 9 mm nodule in the left lower zone.\nIMPRESSION:\nLeft lower zone nodule.']
    ])
    expect(JSON.parse(rows()[0].findings_json).nodules).toMatchObject({ presence: 'present', items: [{ side: 'left', zone: 'lower', sizeMm: 9 }] })
  })

  it('reads an HL7 batch file (FHS, BHS, its messages, BTS, FTS), as interface engines write a day\'s results, named .hl7 or .txt', async () => {
    const batch =
      message('FHS|^~\\&|RIS|HOSP|EMR|HOSP|20260304180000||results-0304', 'BHS|^~\\&|RIS|HOSP|EMR|HOSP|20260304180000') +
      oru('MSG1', 'ACC1001', ['OBX|1|TX|&IMP^Impression||8 mm nodule in the right upper zone.||||||F']) +
      oru('MSG2', 'ACC1002', ['OBX|1|TX|&IMP^Impression||No nodule.||||||F']) +
      message('BTS|2', 'FTS|1')
    for (const name of ['results-0304.hl7', 'results-0304.txt']) {
      db.prepare('DELETE FROM reports').run()
      expect(await importReportFiles(db, [write(name, batch)], jobId)).toEqual({ matched: 2, unmatched: 0, already: 0, failed: [] })
      expect(rows().map((r) => [r.study_id, r.raw_text])).toEqual([
        [studyA, 'Impression:\n8 mm nodule in the right upper zone.'],
        [studyB, 'Impression:\nNo nodule.']
      ])
    }
  })

  it('reads HL7 a .txt holds, in GB18030, by the study UID of its ZDS segment', async () => {
    const text = oru('MSG9', '', ['OBX|1|TX|IMP^诊断意见||右肺上叶结节，约8mm。||||||F', 'ZDS|1.2.826.0.1.3680043.8.498.2^RIS^Application^DICOM'])
    expect(await importReportFiles(db, [write('export.txt', encodeGb18030(text))], jobId)).toEqual({ matched: 1, unmatched: 0, already: 0, failed: [] })
    expect(rows()[0]).toMatchObject({ study_id: studyB, source_kind: 'txt', encoding: 'gb18030', raw_text: 'Impression:\n右肺上叶结节，约8mm。' })
  })

  it('names an .hl7 file that is no HL7, or holds no report', async () => {
    const notHl7 = write('notes.hl7', 'Findings: no nodule.')
    const noReport = write('admissions.hl7', message('MSH|^~\\&|HIS|HOSP|RIS|HOSP|20260304||ADT^A01|M1|P|2.3', 'PID|1||P0002'))
    const result = await importReportFiles(db, [notHl7, noReport], jobId)
    expect(result.failed.map((f) => f.reason)).toEqual([
      'notes.hl7: it is not HL7 v2: it does not begin with an MSH segment (or a batch\'s FHS or BHS)',
      'admissions.hl7: it holds no HL7 result with report text (ORU^R01 or MDM messages with text OBX segments)'
    ])
    expect(rows()).toHaveLength(0)
  })
})

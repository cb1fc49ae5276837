import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDisplayImage } from '../../src/main/api/display-image'
import { importFolders, type ImportSummary } from '../../src/main/importer/import-folders'
import * as reports from '../../src/main/reports'
import { openDatabase, type Db } from '../../src/main/store/database'
import { listStudies } from '../../src/main/store/import-repository'
import { displayImageRecord, otherStudiesOfPatient } from '../../src/main/store/study-repository'
import { studyImage } from '../../src/main/store/training-repository'
import { image } from '../helpers/dicom-corpus'
import { jpegPicture, pngPicture } from '../helpers/picture-files'
import { viewPictures } from '../helpers/chest-views'
import { joinViewsOfOneStudy } from '../../src/main/reports/study-views'
import type { FilmOfStudy } from '../../src/main/store/report-repository'

// Chest films kept as pictures, laid out as public datasets lay them out: a flat folder of films
// (NIH ChestX-ray14, IU X-ray), a study folder with its report beside it (MIMIC-CXR-JPG), a study
// folder whose file names say the view (CheXpert); and what is no film.
let tmp: string
let root: string
let dataDir: string
let db: Db
let first: ImportSummary

function put(relative: string, bytes: Uint8Array | string): void {
  const file = path.join(root, relative)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, bytes)
}

interface PictureRow {
  file_path: string
  study_id: number
  projection: string | null
  status: string
  error: string | null
}

const rowOf = (relative: string): PictureRow | undefined =>
  db
    .prepare('SELECT i.file_path, se.study_id, i.projection, i.status, i.error FROM images i LEFT JOIN series se ON se.id = i.series_id WHERE i.file_path = ?')
    .get(path.join(root, relative)) as PictureRow | undefined
const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n

const flat = ['CXR1_1_IM-0001-4001.png', 'CXR2_IM-0652-1001.png', 'CXR3_IM-1384-1001.png', '00000013_005.png', '00000013_006.png']
const mimic = 'files/p10/p10000032/s50414267'
const kaggleFilms = ['1_IM-0001-3001.dcm.png', '1_IM-0001-4001.dcm.png', '2_IM-0652-1001.dcm.png', '2_IM-0652-2001.dcm.png', '3_IM-1384-1001.dcm.png']
const nihFilms = ['00000013_005.png', '00000013_006.png', '00000014_000.png', '00000015_000.png', '00000016_000.png']
const teachingFilms = ['case01', 'case02', 'case03']
const iuFilms = ['CXR1_1_IM-0001-3001', 'CXR1_1_IM-0001-4001', 'CXR2_IM-0652-1001', 'CXR2_IM-0652-2001', 'CXR3_IM-1384-1001']

/** An Open-i report (ecgen-radiology/N.xml), cut to what matters: its sections and the films it names. */
const openIReport = (films: string[]): string =>
  '<?xml version="1.0" encoding="utf-8"?><eCitation><meta type="rr"/><uId id="CXR1"/><MedlineCitation><Article><Abstract>' +
  '<AbstractText Label="FINDINGS">There is a 9 mm nodule in the right upper lobe.</AbstractText><AbstractText Label="IMPRESSION">Nodule.</AbstractText>' +
  `</Abstract></Article></MedlineCitation>${films.map((f, i) => `<parentImage id="${f}"><figureId>F${i + 1}</figureId><caption>Xray Chest PA and Lateral</caption></parentImage>`).join('')}</eCitation>`

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-pictures-'))
  root = path.join(tmp, 'films')
  for (const [i, name] of flat.entries()) put(`flat/${name}`, pngPicture({ width: 320, height: 300, depth: i % 2 ? 16 : 8, seed: i }))
  put('flat/logo.png', pngPicture({ width: 400, height: 300, channels: 3, tint: [1, 0.3, 0.6] }))
  put('flat/icon.png', pngPicture({ width: 64, height: 64 }))
  put(`${mimic}/02aa804e-bde0afdd.jpg`, await jpegPicture({ width: 300, height: 320, seed: 10 }))
  put(`${mimic}/174413ec-4ec4c1f7.jpg`, await jpegPicture({ width: 300, height: 320, seed: 11 }))
  put(`${mimic}.txt`, 'FINDINGS: There is a 12 mm nodule in the right upper lobe.\nIMPRESSION: Right upper lobe nodule.')
  put('chexpert/patient00001/study1/view1_frontal.jpg', await jpegPicture({ width: 320, height: 320, seed: 20 }))
  put('chexpert/patient00001/study1/view2_lateral.jpg', await jpegPicture({ width: 320, height: 320, seed: 21 }))
  // The Indiana University collection as Open-i gives it: the films flat in one folder, each report an XML file naming them.
  // Report 1 names its lateral film first, report 2 its frontal one; nothing but the pixels says which is which.
  const [case1, case2] = [viewPictures(1), viewPictures(2)]
  const iuPictures = [case1.lateral, case1.frontal, case2.frontal, case2.lateral, pngPicture({ width: 300, height: 300, seed: 54 })]
  for (const [i, name] of iuFilms.entries()) put(`iu/NLMCXR_png/${name}.png`, iuPictures[i])
  put('iu/ecgen-radiology/1.xml', openIReport(['CXR1_1_IM-0001-3001', 'CXR1_1_IM-0001-4001']))
  put('iu/ecgen-radiology/2.xml', openIReport(['CXR2_IM-0652-1001', 'CXR2_IM-0652-2001']))
  // A teaching set: each film with its report of the same name beside it.
  for (const [i, name] of teachingFilms.entries()) {
    put(`teaching/${name}.png`, pngPicture({ width: 300, height: 300, seed: 60 + i }))
    put(`teaching/${name}.txt`, `Findings: ${i === 2 ? 'A 15 mm nodule in the left lower zone.' : 'No nodule.'}`)
  }
  // IU X-ray as Kaggle gives it: the films flat, a table of their views and cases, a table of the cases' reports.
  for (const [i, name] of kaggleFilms.entries()) put(`iu-kaggle/images/images_normalized/${name}`, pngPicture({ width: 300, height: 300, seed: 70 + i }))
  put('iu-kaggle/indiana_projections.csv', 'uid,filename,projection\n1,1_IM-0001-4001.dcm.png,Frontal\n1,1_IM-0001-3001.dcm.png,Lateral\n2,2_IM-0652-1001.dcm.png,Frontal\n2,2_IM-0652-2001.dcm.png,Lateral\n9,9_IM-9999-1001.dcm.png,Frontal\n')
  put(
    'iu-kaggle/indiana_reports.csv',
    'uid,MeSH,Problems,image,indication,comparison,findings,impression\n' +
      '1,normal,normal,Xray Chest PA and Lateral,Positive TB test,None.,"The lungs are clear. No nodule.",Normal chest.\n' +
      '2,Nodule/lung/upper lobe/right,Nodule,Chest 2 views,Cough,None.,A 9 mm nodule in the right upper lobe.,Right upper lobe nodule.\n'
  )
  // the same, the reports' table read before the films' (they are linked when the films' table is read)
  put('iu-later/films/case7.png', pngPicture({ width: 300, height: 300, seed: 80 }))
  put('iu-later/a-reports.csv', 'uid,findings\n7,No nodule.\n')
  put('iu-later/z-films.csv', 'uid,filename,projection\n7,case7.png,PA\n')
  // NIH ChestX-ray14: the films flat, Data_Entry_2017.csv naming each one's patient and view (no reports)
  for (const [i, name] of nihFilms.entries()) put(`nih/images_001/images/${name}`, pngPicture({ width: 256, height: 256, seed: 90 + i }))
  put(
    'nih/Data_Entry_2017.csv',
    'Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\n' +
      nihFilms.map((name, i) => `${name},No Finding,${i},${name.slice(0, 8).replace(/^0+/, '')},58,M,${i === 1 ? 'AP' : 'PA'},2500,2048,0.168,0.168`).join('\n') +
      '\n'
  )
  // MIMIC-CXR's reports unpacked apart from MIMIC-CXR-JPG's films: the two trees mirror each other
  put('mimic-jpg/files/p10/p10000764/s57375967/096052b7-d256dc40.jpg', await jpegPicture({ width: 300, height: 320, seed: 100 }))
  put('mimic-jpg/files/p10/p10000764/s57375967/b79e55c3-735ce5ac.jpg', await jpegPicture({ width: 300, height: 320, seed: 101 }))
  put('mimic-reports/files/p10/p10000764/s57375967.txt', 'FINDINGS: No nodule.\nIMPRESSION: No acute process.')
  // MIMIC-CXR-JPG's table of its films, kept gzipped as it is downloaded
  put(
    'mimic-jpg/mimic-cxr-2.0.0-metadata.csv.gz',
    zlib.gzipSync(
      'dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,Rows,Columns,StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,ViewCodeSequence_CodeMeaning,PatientOrientationCodeSequence_CodeMeaning\n' +
        '096052b7-d256dc40,10000764,57375967,CHEST (PA AND LAT),PA,320,300,21321014,191916.000,CHEST (PA AND LAT),postero-anterior,Erect\n' +
        'b79e55c3-735ce5ac,10000764,57375967,CHEST (PA AND LAT),LATERAL,320,300,21321014,191916.000,CHEST (PA AND LAT),lateral,Erect\n'
    )
  )
  put('broken/cut.png', pngPicture({ width: 300, height: 300, seed: 40 }).subarray(0, 200))
  dataDir = path.join(tmp, 'data')
  db = openDatabase(path.join(dataDir, 'vzw.sqlite'))
  first = await importFolders(db, dataDir, [root], { reports })
})

afterAll(() => {
  db?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('importing chest films kept as PNG or JPEG pictures', () => {
  it('imports every film, passes over what is no film, and names a picture that cannot be read', () => {
    expect({ imported: first.imported, skipped: first.skipped, failed: first.failed }).toEqual({ imported: 30, skipped: 2, failed: 1 })
    for (const name of [...flat.map((n) => `flat/${n}`), 'chexpert/patient00001/study1/view1_frontal.jpg', `${mimic}/02aa804e-bde0afdd.jpg`])
      expect(rowOf(name)?.status, name).toBe('ok')
    for (const passedOver of ['flat/logo.png', 'flat/icon.png']) expect(rowOf(passedOver), passedOver).toBeUndefined()
    expect(rowOf('broken/cut.png')).toMatchObject({ status: 'error', error: expect.stringMatching(/^The PNG picture cannot be read: /) })
  })

  it('makes each film of a flat folder a study of its own, and a study folder one study', () => {
    const flatStudies = new Set(flat.map((n) => rowOf(`flat/${n}`)!.study_id))
    expect(flatStudies.size).toBe(flat.length)
    expect(rowOf(`${mimic}/02aa804e-bde0afdd.jpg`)!.study_id).toBe(rowOf(`${mimic}/174413ec-4ec4c1f7.jpg`)!.study_id)
    expect(rowOf('chexpert/patient00001/study1/view1_frontal.jpg')!.study_id).toBe(rowOf('chexpert/patient00001/study1/view2_lateral.jpg')!.study_id)
    // the views a dataset names as one study's — an Open-i report's two pictures, a table of films' case — are one study: two each
    expect(count('SELECT count(*) AS n FROM studies')).toBe(flat.length + 2 + (iuFilms.length - 2) + teachingFilms.length + (kaggleFilms.length - 2) + 1 + nihFilms.length + 1)
    // named as a reader finds them: a study alone by its file, a study folder's by the folder
    const description = (relative: string) => (db.prepare('SELECT description FROM studies WHERE id = ?').get(rowOf(relative)!.study_id) as { description: string }).description
    expect(description(`flat/${flat[0]}`)).toBe('CXR1_1_IM-0001-4001')
    expect(description(`${mimic}/02aa804e-bde0afdd.jpg`)).toBe('s50414267')
  })

  it('keeps a few films gathered in a folder apart, and makes a folder of a few films one study when its name, its one report or its films\' views say so', async () => {
    const folder = path.join(tmp, 'a-few')
    const file = (relative: string, bytes: Uint8Array | string) => {
      fs.mkdirSync(path.dirname(path.join(folder, relative)), { recursive: true })
      fs.writeFileSync(path.join(folder, relative), bytes)
    }
    // three films gathered to try the app: three patients
    for (const [i, name] of ['smith.png', 'jones.png', 'lee.png'].entries()) file(`gathered/${name}`, pngPicture({ width: 300, height: 300, seed: 130 + i }))
    // an export with each study's report among its films
    file('export/case-a/IM1.png', pngPicture({ width: 300, height: 300, seed: 133 }))
    file('export/case-a/IM2.png', pngPicture({ width: 300, height: 300, seed: 134 }))
    file('export/case-a/report.txt', 'Findings: No nodule. Lungs are clear.')
    // a study folder by its name
    file('study7/a.png', pngPicture({ width: 300, height: 300, seed: 135 }))
    file('study7/b.png', pngPicture({ width: 300, height: 300, seed: 136 }))
    // each film's report named around the film's name
    file('named/case1.png', pngPicture({ width: 300, height: 300, seed: 139 }))
    file('named/case2.png', pngPicture({ width: 300, height: 300, seed: 140 }))
    file('named/case1_report.txt', 'Findings: A 9 mm nodule in the right upper zone.')
    file('named/report-case2.txt', 'Findings: No nodule.')
    // a folder a case, its one film named nothing useful, its report in a folder of reports
    file('cases/case3/image.png', pngPicture({ width: 300, height: 300, seed: 141 }))
    file('case-reports/case3.txt', 'Findings: No nodule.')
    // a study's views, as their names say
    file('patient9/chest_pa.png', pngPicture({ width: 300, height: 300, seed: 137 }))
    file('patient9/chest_lat.png', pngPicture({ width: 300, height: 300, seed: 138 }))
    const summary = await importFolders(db, dataDir, [folder], { reports })
    expect({ imported: summary.imported, reportsMatched: summary.reportsMatched }).toEqual({ imported: 12, reportsMatched: 4 })
    const studyOf = (relative: string) => (db.prepare('SELECT se.study_id AS id FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').get(path.join(folder, relative)) as { id: number }).id
    expect(new Set(['smith.png', 'jones.png', 'lee.png'].map((n) => studyOf(`gathered/${n}`))).size).toBe(3)
    expect(studyOf('export/case-a/IM1.png')).toBe(studyOf('export/case-a/IM2.png'))
    expect(studyOf('study7/a.png')).toBe(studyOf('study7/b.png'))
    expect(studyOf('patient9/chest_pa.png')).toBe(studyOf('patient9/chest_lat.png'))
    const report = db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(folder, 'export/case-a/report.txt')) as { study_id: number }
    expect(report.study_id).toBe(studyOf('export/case-a/IM1.png'))
    const reportOf = (relative: string) => (db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(folder, relative)) as { study_id: number }).study_id
    expect([reportOf('named/case1_report.txt'), reportOf('named/report-case2.txt')]).toEqual([studyOf('named/case1.png'), studyOf('named/case2.png')])
    expect(reportOf('case-reports/case3.txt')).toBe(studyOf('cases/case3/image.png'))
  })

  it('matches the report beside a study folder to its study', () => {
    const report = db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(root, `${mimic}.txt`)) as { study_id: number | null }
    expect(report.study_id).toBe(rowOf(`${mimic}/02aa804e-bde0afdd.jpg`)!.study_id)
  })

  it('matches a report kept in a tree apart from the films\' to the study folder of its name (MIMIC-CXR\'s reports, MIMIC-CXR-JPG\'s films)', () => {
    const report = db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(root, 'mimic-reports/files/p10/p10000764/s57375967.txt')) as { study_id: number | null }
    expect(report.study_id).toBe(rowOf('mimic-jpg/files/p10/p10000764/s57375967/096052b7-d256dc40.jpg')!.study_id)
  })

  it('makes the pictures an Open-i report names one study, the one that looks frontal its model image, in the folder of films beside the reports', () => {
    const studyOfReport = (file: string) => (db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(root, file)) as { study_id: number | null }).study_id
    const modelFileOf = (study: number) => db.prepare('SELECT file_path FROM images WHERE id = ?').pluck().get(studyImage(db, String(study))!.imageId)
    for (const [report, frontal, lateral] of [
      ['1.xml', 'CXR1_1_IM-0001-4001', 'CXR1_1_IM-0001-3001'],
      ['2.xml', 'CXR2_IM-0652-1001', 'CXR2_IM-0652-2001']
    ]) {
      const study = studyOfReport(`iu/ecgen-radiology/${report}`)!
      expect([rowOf(`iu/NLMCXR_png/${frontal}.png`)!.study_id, rowOf(`iu/NLMCXR_png/${lateral}.png`)!.study_id], report).toEqual([study, study])
      expect(modelFileOf(study), report).toBe(path.join(root, `iu/NLMCXR_png/${frontal}.png`))
    }
    expect(db.prepare('SELECT match_key FROM reports WHERE source_path = ?').pluck().get(path.join(root, 'iu/ecgen-radiology/1.xml'))).toBe(
      'file-stem:1; place:' + path.join(root, 'iu/ecgen-radiology/1') + '; image:CXR1_1_IM-0001-3001\nCXR1_1_IM-0001-4001'
    )
  })

  it('makes an Open-i report\'s pictures one study when the films come after the reports', async () => {
    const reportsFirst = path.join(tmp, 'iu-reports-first')
    const pictures = viewPictures(5)
    fs.mkdirSync(path.join(reportsFirst, 'ecgen-radiology'), { recursive: true })
    fs.mkdirSync(path.join(reportsFirst, 'NLMCXR_png'))
    fs.writeFileSync(path.join(reportsFirst, 'ecgen-radiology', '5.xml'), openIReport(['CXR5_IM-2117-1003002', 'CXR5_IM-2117-1004003']))
    expect((await importFolders(db, dataDir, [path.join(reportsFirst, 'ecgen-radiology')], { reports })).reportsUnmatched).toBe(1)
    fs.writeFileSync(path.join(reportsFirst, 'NLMCXR_png', 'CXR5_IM-2117-1003002.png'), pictures.lateral)
    fs.writeFileSync(path.join(reportsFirst, 'NLMCXR_png', 'CXR5_IM-2117-1004003.png'), pictures.frontal)
    await importFolders(db, dataDir, [path.join(reportsFirst, 'NLMCXR_png')], { reports })
    const studyOf = (name: string) => db.prepare('SELECT se.study_id FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').pluck().get(path.join(reportsFirst, 'NLMCXR_png', name))
    const report = db.prepare('SELECT study_id FROM reports WHERE source_path = ?').pluck().get(path.join(reportsFirst, 'ecgen-radiology', '5.xml'))
    expect([studyOf('CXR5_IM-2117-1003002.png'), studyOf('CXR5_IM-2117-1004003.png')]).toEqual([report, report])
  })

  it('does not store an Open-i report again that an earlier version stored under its first film alone', async () => {
    const file = path.join(root, 'iu/ecgen-radiology/1.xml')
    db.prepare("UPDATE reports SET match_key = 'file-stem:1; place:' || ? || '; image:CXR1_1_IM-0001-3001' WHERE source_path = ?").run(path.join(root, 'iu/ecgen-radiology/1'), file)
    await importFolders(db, dataDir, [path.join(root, 'iu')], { reports })
    expect(db.prepare('SELECT count(*) FROM reports WHERE source_path = ?').pluck().get(file)).toBe(1)
  })

  it('keeps a few films each with a report of its name beside it apart, and matches each report to its film', () => {
    expect(new Set(teachingFilms.map((name) => rowOf(`teaching/${name}.png`)!.study_id)).size).toBe(teachingFilms.length)
    for (const name of teachingFilms) {
      const report = db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(root, `teaching/${name}.txt`)) as { study_id: number | null }
      expect(report.study_id, name).toBe(rowOf(`teaching/${name}.png`)!.study_id)
    }
    expect(first.reportsMatched).toBe(3 + teachingFilms.length + 2 + 1 + 1)
  })

  it('reads a table of films\' views and cases: a case\'s films are one study, a lateral view is no model image, and each case\'s report finds its frontal film', () => {
    const film = (name: string) => rowOf(`iu-kaggle/images/images_normalized/${name}`)!
    expect(kaggleFilms.map((name) => film(name).projection)).toEqual(['lateral', 'frontal', 'frontal', 'lateral', null])
    const lateral = film('1_IM-0001-3001.dcm.png')
    expect(lateral.study_id).toBe(film('1_IM-0001-4001.dcm.png').study_id)
    expect(film('2_IM-0652-2001.dcm.png').study_id).toBe(film('2_IM-0652-1001.dcm.png').study_id)
    expect(studyImage(db, String(lateral.study_id))?.modelPath).toBe(db.prepare('SELECT model_path FROM images WHERE id = (SELECT id FROM images WHERE file_path = ?)').pluck().get(path.join(root, 'iu-kaggle/images/images_normalized/1_IM-0001-4001.dcm.png')))
    const studyOfReport = (uid: string) =>
      (db.prepare("SELECT study_id FROM reports WHERE source_path = ? AND match_key LIKE ?").get(path.join(root, 'iu-kaggle/indiana_reports.csv'), `%case:${uid}%`) as { study_id: number | null }).study_id
    expect(studyOfReport('1')).toBe(film('1_IM-0001-4001.dcm.png').study_id)
    expect(studyOfReport('2')).toBe(film('2_IM-0652-1001.dcm.png').study_id)
    const later = db.prepare('SELECT study_id FROM reports WHERE source_path = ?').get(path.join(root, 'iu-later/a-reports.csv')) as { study_id: number | null }
    expect(later.study_id).toBe(rowOf('iu-later/films/case7.png')!.study_id)
    expect(first.filmsIndexed).toBe(5 + nihFilms.length + 2)
  })

  it('reads the view from the file name, and makes the frontal film its study\'s model image', () => {
    const frontal = rowOf('chexpert/patient00001/study1/view1_frontal.jpg')!
    expect(frontal.projection).toBe('frontal')
    expect(rowOf('chexpert/patient00001/study1/view2_lateral.jpg')!.projection).toBe('lateral')
    const listed = listStudies(db, { limit: 100, offset: 0 }).rows.find((r) => r.id === frontal.study_id)!
    expect({ viewPositions: listed.viewPositions, projections: listed.projections.sort() }).toEqual({ viewPositions: [], projections: ['frontal', 'lateral'] })
    const model = studyImage(db, String(frontal.study_id))!
    const modelFile = db.prepare('SELECT file_path FROM images WHERE id = ?').get(model.imageId) as { file_path: string }
    expect(modelFile.file_path).toBe(path.join(root, 'chexpert/patient00001/study1/view1_frontal.jpg'))
  })

  it('gives pictures the patient a table of films names, so that a patient\'s films can be compared', () => {
    const study = (name: string) => rowOf(`nih/images_001/images/${name}`)!.study_id
    const patientOf = (name: string) => (db.prepare('SELECT patient_id FROM studies WHERE id = ?').get(study(name)) as { patient_id: string }).patient_id
    expect(nihFilms.map(patientOf)).toEqual(['13', '13', '14', '15', '16'])
    expect(otherStudiesOfPatient(db, study('00000013_005.png')).map((s) => s.studyId)).toEqual([study('00000013_006.png')])
    expect(nihFilms.map((name) => rowOf(`nih/images_001/images/${name}`)!.projection)).toEqual(Array(nihFilms.length).fill('frontal'))
  })

  it('reads a gzipped table of films (MIMIC-CXR-JPG\'s metadata): each film\'s view, and its study\'s patient and date', () => {
    const film = (name: string) => rowOf(`mimic-jpg/files/p10/p10000764/s57375967/${name}.jpg`)!
    expect([film('096052b7-d256dc40').projection, film('b79e55c3-735ce5ac').projection]).toEqual(['frontal', 'lateral'])
    const study = db.prepare('SELECT patient_id, study_date FROM studies WHERE id = ?').get(film('096052b7-d256dc40').study_id)
    expect(study).toEqual({ patient_id: '10000764', study_date: '21321014' })
  })

  it('gives pictures the pixel spacing a table of films names, scaled from the original film\'s size to the picture\'s (NIH\'s films were shrunk to 1024²)', () => {
    const id = (name: string) => (db.prepare('SELECT id FROM images WHERE file_path = ?').get(path.join(root, 'nih/images_001/images', name)) as { id: number }).id
    const shown = loadDisplayImage(dataDir, displayImageRecord(db, id(nihFilms[0]))!)
    // the table: 2500 × 2048 at 0.168 mm; the picture: 256 × 256
    expect(shown.spacing.kind).toBe('imager')
    expect(shown.spacing.colMm).toBeCloseTo((0.168 * 2500) / 256, 6)
    expect(shown.spacing.rowMm).toBeCloseTo((0.168 * 2048) / 256, 6)
    expect(shown.tags.pixelSpacingFrom).toBe('Data_Entry_2017.csv: 0.168 \\ 0.168 mm at 2500 × 2048')
    // a picture no table speaks of measures in pixels only
    const other = (db.prepare('SELECT id FROM images WHERE file_path = ?').get(path.join(root, 'flat', flat[0])) as { id: number }).id
    expect(loadDisplayImage(dataDir, displayImageRecord(db, other)!).spacing).toEqual({ rowMm: null, colMm: null, kind: 'none' })
  })

  it('reads the pixel spacing of a table that dumps DICOM attributes (PixelSpacing with Rows and Columns), and none given without the size it was measured at or in another unit', async () => {
    const folder = path.join(tmp, 'dump')
    fs.mkdirSync(folder)
    fs.writeFileSync(path.join(folder, 'a.png'), pngPicture({ width: 300, height: 250, seed: 110 }))
    fs.writeFileSync(path.join(folder, 'b.png'), pngPicture({ width: 300, height: 250, seed: 111 }))
    fs.writeFileSync(path.join(folder, 'c.png'), pngPicture({ width: 300, height: 250, seed: 112 }))
    // c's spacing is in cm: a film 37.5 mm tall
    fs.writeFileSync(path.join(folder, 'films.csv'), 'filename,ViewPosition,PixelSpacing,Rows,Columns\na.png,PA,"[0.15, 0.14]",2500,3000\nb.png,PA,0.15\\0.15,,\nc.png,PA,0.015\\0.015,2500,3000\n')
    await importFolders(db, dataDir, [folder], { reports })
    const spacingOf = (name: string) => {
      const id = (db.prepare('SELECT id FROM images WHERE file_path = ?').get(path.join(folder, name)) as { id: number }).id
      return loadDisplayImage(dataDir, displayImageRecord(db, id)!).spacing
    }
    const a = spacingOf('a.png')
    expect([a.kind, a.rowMm?.toFixed(6), a.colMm?.toFixed(6)]).toEqual(['imager', '1.500000', '1.400000'])
    expect(spacingOf('b.png')).toEqual({ rowMm: null, colMm: null, kind: 'none' })
    expect(spacingOf('c.png')).toEqual({ rowMm: null, colMm: null, kind: 'none' })
  })

  it('keeps a table of films imported before its films, and gives the films it names what it says when they are imported later', async () => {
    // MIMIC-CXR-JPG's metadata at its root, imported first; its films a folder (p11) at a time after
    const later = path.join(tmp, 'later')
    const put = (relative: string, bytes: Uint8Array | string) => {
      fs.mkdirSync(path.dirname(path.join(later, relative)), { recursive: true })
      fs.writeFileSync(path.join(later, relative), bytes)
    }
    put(
      'mimic-cxr-2.0.0-metadata.csv.gz',
      zlib.gzipSync(
        'dicom_id,subject_id,study_id,ViewPosition,Rows,Columns,StudyDate\n' +
          'f1a2b3c4-00000001,11000001,51000001,PA,320,300,21500102\n' +
          'f1a2b3c4-00000002,11000001,51000001,LL,320,300,21500102\n'
      )
    )
    // a table naming its films by path: the same file name in two folders is two films
    put('wards/films.csv', 'path,view\nward1/a.png,LATERAL\nward2/a.png,PA\n')
    const tables = await importFolders(db, dataDir, [later], { reports })
    expect(tables.filmsIndexed).toBe(0)
    put('files/p11/p11000001/s51000001/f1a2b3c4-00000001.jpg', await jpegPicture({ width: 300, height: 320, seed: 120 }))
    put('files/p11/p11000001/s51000001/f1a2b3c4-00000002.jpg', await jpegPicture({ width: 300, height: 320, seed: 121 }))
    put('wards/ward1/a.png', pngPicture({ width: 300, height: 300, seed: 122 }))
    put('wards/ward2/a.png', pngPicture({ width: 300, height: 300, seed: 123 }))
    const films = await importFolders(db, dataDir, [path.join(later, 'files', 'p11'), path.join(later, 'wards', 'ward1'), path.join(later, 'wards', 'ward2')], { reports })
    expect({ imported: films.imported, filmsIndexed: films.filmsIndexed }).toEqual({ imported: 4, filmsIndexed: 4 })
    const film = (relative: string) =>
      db.prepare('SELECT i.projection, s.patient_id, s.study_date FROM images i JOIN series se ON se.id = i.series_id JOIN studies s ON s.id = se.study_id WHERE i.file_path = ?').get(path.join(later, relative))
    expect(film('files/p11/p11000001/s51000001/f1a2b3c4-00000001.jpg')).toEqual({ projection: 'frontal', patient_id: '11000001', study_date: '21500102' })
    expect(film('files/p11/p11000001/s51000001/f1a2b3c4-00000002.jpg')).toMatchObject({ projection: 'lateral' })
    expect([film('wards/ward1/a.png'), film('wards/ward2/a.png')]).toMatchObject([{ projection: 'lateral' }, { projection: 'frontal' }])
  })

  it('shows a picture in the viewer as a film is shown, and keeps no patient for it', () => {
    const id = (db.prepare('SELECT id FROM images WHERE file_path = ?').get(path.join(root, 'flat', flat[1])) as { id: number }).id
    const shown = loadDisplayImage(dataDir, displayImageRecord(db, id)!)
    expect([shown.width, shown.height]).toEqual([320, 300])
    expect(shown.windows.length + (shown.voiLuts?.length ?? 0)).toBe(0)
    const study = db.prepare('SELECT s.patient_id FROM studies s JOIN series se ON se.study_id = s.id JOIN images i ON i.series_id = se.id WHERE i.id = ?').get(id) as { patient_id: string | null }
    expect(study.patient_id || null).toBeNull()
  })

  it('knows a picture again by its content: a re-import or a copy in another folder adds nothing', async () => {
    const images = count('SELECT count(*) AS n FROM images')
    const again = await importFolders(db, dataDir, [root], { reports })
    expect({ imported: again.imported, already: again.already, newErrors: again.newErrors }).toEqual({ imported: 0, already: 30, newErrors: 0 })
    const copy = path.join(tmp, 'copy')
    fs.mkdirSync(copy)
    fs.copyFileSync(path.join(root, 'flat', flat[0]), path.join(copy, 'film.png'))
    const copied = await importFolders(db, dataDir, [copy], { reports })
    expect({ imported: copied.imported, already: copied.already }).toEqual({ imported: 0, already: 1 })
    expect(count('SELECT count(*) AS n FROM images')).toBe(images)
  })

  it('takes pictures in a folder of DICOM films for copies of them (a CD viewer\'s, an export\'s previews), yet imports a folder of pictures beside it', async () => {
    const cd = path.join(tmp, 'cd')
    const film = image({ rows: 300, columns: 300, bitsAllocated: 16, bitsStored: 12, seed: 30 })
    fs.mkdirSync(path.join(cd, 'DICOM', 'ST1'), { recursive: true })
    fs.mkdirSync(path.join(cd, 'VIEWER', 'thumbs'), { recursive: true })
    fs.writeFileSync(path.join(cd, 'DICOM', 'ST1', 'IM0001'), film.bytes)
    fs.writeFileSync(path.join(cd, 'DICOM', 'ST1', 'IM0001.png'), pngPicture({ width: 300, height: 300, seed: 30 }))
    fs.writeFileSync(path.join(cd, 'VIEWER', 'thumbs', 'IM0001.jpg'), await jpegPicture({ width: 300, height: 300, seed: 31 }))
    const pictures = path.join(tmp, 'more-pictures')
    fs.mkdirSync(pictures)
    fs.writeFileSync(path.join(pictures, 'film.png'), pngPicture({ width: 300, height: 300, seed: 32 }))
    const summary = await importFolders(db, dataDir, [cd, pictures], { reports })
    expect({ imported: summary.imported, skipped: summary.skipped, picturesAmongDicom: summary.picturesAmongDicom }).toEqual({ imported: 2, skipped: 2, picturesAmongDicom: 2 })
    const imported = (db.prepare('SELECT file_path FROM images WHERE import_job_id = ?').all(summary.jobId) as { file_path: string }[]).map((r) => r.file_path)
    expect(imported.sort()).toEqual([path.join(cd, 'DICOM', 'ST1', 'IM0001'), path.join(pictures, 'film.png')])
  })

  it('does not read again a picture at the path and size it was imported from', async () => {
    const film = path.join(root, 'flat', flat[2])
    const original = fs.readFileSync(film)
    // its signature and header kept (the walk reads those), its image data spoilt: read again, it would fail
    fs.writeFileSync(film, Buffer.concat([original.subarray(0, 33), Buffer.alloc(original.length - 33, 0x55)]))
    try {
      const again = await importFolders(db, dataDir, [path.join(root, 'flat')], { reports })
      expect({ imported: again.imported, already: again.already, failed: again.failed }).toEqual({ imported: 0, already: flat.length, failed: 0 })
    } finally {
      fs.writeFileSync(film, original)
    }
  })

  it('joins a picture study alone to its views\' study only when nothing is stored of it and it is of the same patient and date', () => {
    const filmOf = (name: string): FilmOfStudy => db.prepare('SELECT i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').get(path.join(root, 'flat', name)) as FilmOfStudy
    const [stays, joins] = [filmOf(flat[3]), filmOf(flat[4])]
    db.prepare("UPDATE images SET projection = 'frontal' WHERE id = ?").run(stays.imageId)
    const finding = db.prepare("INSERT INTO findings (study_id, text, structured_json, created_at) VALUES (?, 'No nodule.', '{}', '2026-12-03')").run(joins.studyId).lastInsertRowid
    expect(joinViewsOfOneStudy(db, [joins, stays])).toBe(0)
    db.prepare('DELETE FROM findings WHERE id = ?').run(finding)
    db.prepare("UPDATE studies SET study_date = CASE id WHEN ? THEN '20260101' ELSE '20260102' END WHERE id IN (?, ?)").run(stays.studyId, stays.studyId, joins.studyId)
    expect(joinViewsOfOneStudy(db, [joins, stays])).toBe(0)
    db.prepare("UPDATE studies SET study_date = NULL WHERE id = ?").run(joins.studyId)
    expect(joinViewsOfOneStudy(db, [joins, stays])).toBe(1)
    expect(filmOf(flat[4]).studyId).toBe(stays.studyId)
    expect(db.prepare('SELECT count(*) FROM studies WHERE id = ?').pluck().get(joins.studyId)).toBe(0)
    expect(db.prepare('SELECT study_date FROM studies WHERE id = ?').pluck().get(stays.studyId)).toBe('20260101')
    // a DICOM film's study is the study its header names: it never joins another
    const dicom = db.prepare('SELECT i.id AS imageId, se.study_id AS studyId FROM images i JOIN series se ON se.id = i.series_id WHERE i.file_path = ?').get(path.join(tmp, 'cd', 'DICOM', 'ST1', 'IM0001')) as FilmOfStudy
    db.prepare('UPDATE images SET projection = NULL WHERE id = ?').run(dicom.imageId)
    db.prepare('UPDATE studies SET study_date = (SELECT study_date FROM studies WHERE id = ?) WHERE id = ?').run(dicom.studyId, stays.studyId)
    expect(joinViewsOfOneStudy(db, [dicom, stays])).toBe(0)
  })
})

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/main/cli'
import { image } from '../../helpers/dicom-corpus'
import { pngPicture } from '../../helpers/picture-files'

let dir: string | null = null

afterEach(() => {
  vi.restoreAllMocks()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  dir = null
})

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')))
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
  const code = await main(args, path.resolve('src/main'))
  return { code, out: out.join('\n') }
}

describe('vzw import', () => {
  it('says why pictures in a folder of DICOM films were passed over, and how to import pictures', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-cli-import-'))
    const export_ = path.join(dir, 'export')
    fs.mkdirSync(path.join(export_, 'ST1'), { recursive: true })
    fs.writeFileSync(path.join(export_, 'ST1', 'IM0001'), image({ rows: 256, columns: 256, bitsAllocated: 16, bitsStored: 12, seed: 1 }).bytes)
    fs.writeFileSync(path.join(export_, 'preview.png'), pngPicture({ width: 256, height: 256 }))
    const { code, out } = await run(['import', export_, '--data-dir', path.join(dir, 'data')])
    expect(code).toBe(0)
    expect(out).toContain('Imported 1 image(s)')
    expect(out).toContain('1 PNG/JPEG picture(s) passed over: they lie in a folder you imported that holds DICOM films')
    expect(out).toContain('to import a folder of pictures, import it on its own')
  }, 60_000)

  it('imports a file named alone: a table of films, or a report export, for the films already in the library', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-cli-import-'))
    const films = path.join(dir, 'images')
    fs.mkdirSync(films)
    for (const name of ['00000001_000.png', '00000002_000.png']) fs.writeFileSync(path.join(films, name), pngPicture({ width: 256, height: 256, seed: name.charCodeAt(7) }))
    const data = ['--data-dir', path.join(dir, 'data')]
    expect((await run(['import', films, ...data])).out).toContain('Imported 2 image(s)')
    const table = path.join(dir, 'Data_Entry_2017.csv')
    fs.writeFileSync(table, 'Image Index,Finding Labels,Patient ID,View Position\n00000001_000.png,Nodule,1,PA\n00000002_000.png,No Finding,2,AP\n')
    const tableRun = await run(['import', table, ...data])
    expect(tableRun.code).toBe(0)
    expect(tableRun.out).toContain('Imported 0 image(s), 0 already in the library')
    expect(tableRun.out).toContain('Tables of films: 2 film(s) given what the table names')
    const report = path.join(dir, '00000001_000.txt')
    fs.writeFileSync(report, 'Findings: A 9 mm nodule in the right upper zone.')
    expect((await run(['import', report, ...data])).out).toContain('Reports: 1 matched to a study')
    // films of a flat folder imported one by one stay studies of their own
    const more = ['00000003_000.png', '00000004_000.png'].map((name, i) => {
      fs.writeFileSync(path.join(films, name), pngPicture({ width: 256, height: 256, seed: 20 + i }))
      return path.join(films, name)
    })
    for (const film of more) expect((await run(['import', film, ...data])).out).toContain('Imported 1 image(s)')
    expect((await run(['info', ...data])).out).toMatch(/\b4 stud/)
  }, 60_000)

  it('reads what a table of films whose reports it cannot read says of the films: PadChest\'s Spanish reports refused, its views, patients and dates kept', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-cli-import-'))
    const films = path.join(dir, '0')
    fs.mkdirSync(films)
    const names = ['216840111366964012283393834152009033102258826_03ox5d.png', '216840111366964012283393834152009033102258826_04ly4h.png']
    names.forEach((name, i) => fs.writeFileSync(path.join(films, name), pngPicture({ width: 256, height: 256, seed: 30 + i })))
    const data = ['--data-dir', path.join(dir, 'data')]
    expect((await run(['import', films, ...data])).out).toContain('Imported 2 image(s)')
    const table = path.join(dir, 'PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv')
    const report = '"sin hallazgos radiologicos significativos . no se observan nodulos en los campos pulmonares ."'
    fs.writeFileSync(
      table,
      'ImageID,ImageDir,StudyDate_DICOM,StudyID,PatientID,PatientBirth,PatientSex_DICOM,ViewPosition_DICOM,Projection,MethodProjection,Report\n' +
        // the DICOM copy of the view may say nothing; the curated projection names the lateral "L"
        `${names[0]},0,20090331,S1,P7,1950,M,POSTEROANTERIOR,PA,Manual review of DICOM fields,${report}\n` +
        `${names[1]},0,20090331,S1,P7,1950,M,None,L,Manual review of DICOM fields,${report}\n`
    )
    const { code, out } = await run(['import', table, ...data])
    expect(code).toBe(0)
    expect(out).toContain('Tables of films: 2 film(s) given what the table names')
    // the two films of StudyID S1, imported each a study alone, are one study now, its frontal film its model image
    expect(out).not.toContain('no frontal chest film')
    expect(out).toContain('its 2 reports read as Spanish, which the report parser does not read (it reads English and Chinese), so they were not read; what it says of its films was read')
    expect((await run(['info', ...data])).out).toMatch(/\b1 stud/)
  }, 60_000)

  it('names each report file it could not read once, with its reason', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-cli-import-'))
    const broken = path.join(dir, 'export.json')
    fs.writeFileSync(broken, '{"accession": "ACC1", ')
    const { code, out } = await run(['import', broken, '--data-dir', path.join(dir, 'data')])
    expect(code).toBe(0)
    expect(out.split('\n').filter((line) => line.includes('export.json: it is not valid JSON'))).toHaveLength(1)
    expect(out).toContain('1 not read')
  }, 60_000)
})

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as dicomParser from 'dicom-parser'
import { Decoder } from '@cornerstonejs/jpeg-lossless-decoder-js'
import { renderStudy, type StudyTruth } from '../../../src/main/synth/cohort'
import { generateCohort } from '../../../src/main/synth/generate'
import { smallCohort, tempDir } from './helpers'
// @ts-ignore dcmjs ships no type declarations
import dcmjs from 'dcmjs'

interface DcmjsRead {
  DicomMessage: { readFile(buffer: ArrayBuffer): { dict: Record<string, unknown> } }
  DicomMetaDictionary: { naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown> }
}

const options = smallCohort({ seed: 41, studies: 16, language: 'zh', reportFraction: 1, detector: { rows: 320, columns: 288, spacingMm: 1.3 } })
let outDir: string
let studies: StudyTruth[]

beforeAll(async () => {
  outDir = tempDir('synth-dicom')
  studies = (await generateCohort({ ...options, outDir, workers: 1 })).truth.studies
})
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }))

/** Stored pixel values of the file's single frame, decoded by transfer syntax. */
function decodedPixels(dataSet: dicomParser.DataSet): Uint16Array {
  const element = dataSet.elements.x7fe00010
  const syntax = dataSet.string('x00020010')
  if (syntax === '1.2.840.10008.1.2.1') {
    return new Uint16Array(dataSet.byteArray.buffer.slice(dataSet.byteArray.byteOffset + element.dataOffset, dataSet.byteArray.byteOffset + element.dataOffset + element.length))
  }
  expect(syntax).toBe('1.2.840.10008.1.2.4.70')
  const frame = dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, 0, element.fragments!.length)
  const copy = frame.slice()
  return new Decoder().decode(copy.buffer, 0, copy.byteLength) as Uint16Array
}

describe('synthetic DICOM files', () => {
  it('cover CR and DX, both photometric interpretations and both transfer syntaxes', () => {
    const kinds = (f: (s: StudyTruth) => string) => new Set(studies.map(f))
    expect(kinds((s) => s.modality)).toEqual(new Set(['CR', 'DX']))
    expect(kinds((s) => s.photometric)).toEqual(new Set(['MONOCHROME1', 'MONOCHROME2']))
    expect(kinds((s) => s.transferSyntaxUid)).toEqual(new Set(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.4.70']))
    expect(kinds((s) => s.characterSet).has('GB18030')).toBe(true)
  })

  it('parse with dicom-parser, carry the truth identifiers, and hold exactly the rendered pixels', () => {
    for (const study of studies) {
      const bytes = fs.readFileSync(path.join(outDir, study.dicomFile))
      const dataSet = dicomParser.parseDicom(new Uint8Array(bytes))
      expect(dataSet.string('x0020000d')).toBe(study.studyInstanceUid)
      expect(dataSet.string('x0020000e')).toBe(study.seriesInstanceUid)
      expect(dataSet.string('x00080018')).toBe(study.sopInstanceUid)
      expect(dataSet.string('x00020003')).toBe(study.sopInstanceUid)
      expect(dataSet.string('x00080050')).toBe(study.accessionNumber)
      expect(dataSet.string('x00100020')).toBe(study.patientId)
      expect(dataSet.string('x00080060')).toBe(study.modality)
      expect(dataSet.string('x00080016')).toBe(study.modality === 'CR' ? '1.2.840.10008.5.1.4.1.1.1' : '1.2.840.10008.5.1.4.1.1.1.1')
      expect(dataSet.string('x00280004')).toBe(study.photometric)
      expect(dataSet.string('x00185101')).toBe('PA')
      expect(dataSet.uint16('x00280010')).toBe(study.rows)
      expect(dataSet.uint16('x00280011')).toBe(study.columns)
      expect(dataSet.uint16('x00280101')).toBe(12)
      expect(dataSet.floatString('x00181164', 0)).toBeCloseTo(study.spacingMm, 6)

      const stored = decodedPixels(dataSet)
      const rendered = renderStudy(options, study.index).image.pixels
      const display = study.photometric === 'MONOCHROME1' ? stored.map((v) => 4095 - v) : stored
      expect(display.length).toBe(rendered.length)
      expect(Buffer.from(display.buffer, display.byteOffset, display.byteLength).equals(Buffer.from(rendered.buffer))).toBe(true)
    }
  })

  it('write Chinese patient names in GB18030 under SpecificCharacterSet GB18030', () => {
    const chinese = studies.filter((s) => s.characterSet === 'GB18030')
    expect(chinese.length).toBeGreaterThan(0)
    for (const study of chinese) {
      const dataSet = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(path.join(outDir, study.dicomFile))))
      expect(dataSet.string('x00080005')).toBe('GB18030')
      const name = dataSet.elements.x00100010
      const text = new TextDecoder('gb18030').decode(dataSet.byteArray.subarray(name.dataOffset, name.dataOffset + name.length)).trim()
      expect(text).toMatch(/^模体\^[零一二三四五六七八九]{5}$/)
    }
  })

  it('read back with dcmjs as well', () => {
    const { DicomMessage, DicomMetaDictionary } = (dcmjs as unknown as { data: DcmjsRead }).data
    for (const study of studies.slice(0, 6)) {
      const bytes = fs.readFileSync(path.join(outDir, study.dicomFile))
      const message = DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
      const dataset = DicomMetaDictionary.naturalizeDataset(message.dict)
      expect(dataset).toMatchObject({ Rows: study.rows, Columns: study.columns, AccessionNumber: study.accessionNumber, StudyInstanceUID: study.studyInstanceUid })
    }
  })

  it('keep MONOCHROME1 and DX presentation attributes consistent', () => {
    for (const study of studies.filter((s) => s.modality === 'DX')) {
      const dataSet = dicomParser.parseDicom(new Uint8Array(fs.readFileSync(path.join(outDir, study.dicomFile))))
      expect(dataSet.string('x20500020')).toBe(study.photometric === 'MONOCHROME1' ? 'INVERSE' : 'IDENTITY')
      expect(dataSet.string('x00080068')).toBe('FOR PRESENTATION')
    }
  })
})

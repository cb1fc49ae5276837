/**
 * A folder tree the import tests run on: valid radiographs in every syntax at several depths,
 * names in several character sets, a DICOMDIR set with one file missing, a duplicate copy, and
 * broken files, each with the reason the importer must give.
 */
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { readInstanceHeader } from '../../src/main/dicom/header'
import { parseDicomFile } from '../../src/main/dicom/parse'
import { TransferSyntax } from '../../src/main/dicom/uids'
import { writePdf } from './pdf-writer'
import {
  dcmtk,
  dcmtkAvailable,
  encapsulatedImage,
  encodeWithWasm,
  image,
  imageAttributes,
  patchText,
  syntheticPixels,
  writeDicom,
  type Built,
  type ImageSpec
} from './dicom-corpus'
import { pngPicture } from './picture-files'
import { unnamedViews } from './chest-views'

export const u12: ImageSpec = { rows: 80, columns: 96, bitsAllocated: 16, bitsStored: 12 }

export interface ImportCorpus {
  root: string
  /** Valid files by name → their SOP Instance UID. */
  valid: Map<string, string>
  /** Broken files → the reason pattern the importer must record. */
  broken: Map<string, RegExp>
  /** Files that are neither DICOM nor reports. */
  skipped: string[]
  reportFiles: string[]
  /** Valid files that are no chest radiograph (shown, never a model image) → the reason stored. */
  notChest: Map<string, string>
  /** A second copy of a valid file (same SOP Instance UID). */
  duplicates: string[]
  /** Reports kept in DICOM files: an SR, an Encapsulated PDF and an Encapsulated CDA. */
  dicomReports: string[]
}

function put(root: string, relative: string, bytes: Uint8Array | string): string {
  const file = path.join(root, relative)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, bytes)
  return file
}

/** Where a Part 10 file's data set begins: after the preamble, DICM and the meta group (its length in (0002,0000)). */
const dataSetStart = (bytes: Buffer): number => 132 + 12 + bytes.readUInt32LE(132 + 8)
const metaGroupOf = (bytes: Buffer): Buffer => bytes.subarray(0, dataSetStart(bytes))
const dataSetOf = (bytes: Buffer): Buffer => bytes.subarray(dataSetStart(bytes))

/** The data set of a Part 10 file with its meta group cut out (preamble and DICM kept). */
function withoutMetaGroup(bytes: Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, 132), dataSetOf(bytes)])
}

export async function buildImportCorpus(root: string, scratch: string): Promise<ImportCorpus> {
  const corpus: ImportCorpus = { root, valid: new Map(), broken: new Map(), notChest: new Map(), skipped: [], reportFiles: [], duplicates: [], dicomReports: [] }
  const addValid = (relative: string, built: Built | { bytes: Buffer; sopInstanceUid: string }) => {
    put(root, relative, built.bytes)
    corpus.valid.set(relative, built.sopInstanceUid)
  }
  const base = image(u12, { extra: { WindowCenter: [2048, 1500], WindowWidth: [4096, 1000], WindowCenterWidthExplanation: ['NORMAL', 'HARDER'] } })
  addValid('site/PAT1/STUDY1/IMG0001', base)
  addValid('site/PAT1/STUDY1/mono1', image({ ...u12, photometric: 'MONOCHROME1', seed: 2 }))
  addValid('site/PAT1/STUDY1/mono2-twin', image({ ...u12, seed: 2 }))
  addValid('site/PAT1/STUDY1/signed.dcm', image({ ...u12, signed: true, seed: 3 }, { extra: { RescaleIntercept: '-1024', RescaleSlope: '1' } }))
  addValid('site/deep/a/b/c/d/e/f/g/IMG', image({ ...u12, seed: 4 }))
  addValid('site/big/LARGE', image({ rows: 1100, columns: 1300, bitsAllocated: 16, bitsStored: 14, seed: 5 }))
  addValid('site/processing/RAW', image({ ...u12, seed: 6 }, { sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1.1', extra: { PresentationIntentType: 'FOR PROCESSING' } }))
  addValid('site/imager/ONLYIMAGER', image({ ...u12, seed: 7 }, { extra: { PixelSpacing: undefined } }))
  addValid('site/names/utf8', image({ ...u12, seed: 8 }, { characterSet: 'ISO_IR 192', extra: { PatientName: 'Müller^José' } }))
  const gb = image({ ...u12, seed: 9 }, { characterSet: 'GB18030', extra: { PatientName: 'XXXX^YYYY' } })
  addValid('site/names/gb18030', { ...gb, bytes: patchText(gb.bytes, 'XXXX^YYYY', Uint8Array.from([0xd5, 0xc5, 0xc8, 0xfd, 0x5e, 0xc0, 0xee, 0xcb, 0xc4])) })
  const ir58 = image({ ...u12, seed: 10 }, { characterSet: 'ISO 2022 IR 6\\ISO 2022 IR 58', extra: { PatientName: 'Zhang^San=QQQQQQQQQ' } })
  const ir58Name = Uint8Array.from([0x1b, 0x24, 0x29, 0x41, 0xd5, 0xc5, 0x5e, 0xc8, 0xfd])
  addValid('site/names/iso2022', { ...ir58, bytes: patchText(ir58.bytes, 'QQQQQQQQQ', ir58Name) })

  // Views: a study whose lateral is met first, a lateral alone named only by its series description,
  // and a frontal film stored mirrored beside its twin stored the standard way.
  const views = { studyUid: '1.2.826.0.1.3680043.10.1.7001' }
  addValid('site/views/1-lateral', image({ ...u12, seed: 12 }, { ...views, extra: { ViewPosition: 'LL', PatientOrientation: ['A', 'F'] } }))
  addValid('site/views/2-frontal', image({ ...u12, seed: 13 }, { ...views, extra: { ViewPosition: 'PA', PatientOrientation: ['L', 'F'] } }))
  addValid('site/views/lateral-only', image({ ...u12, seed: 14 }, { extra: { ViewPosition: undefined, SeriesDescription: 'Thorax lat.' } }))
  addValid('site/views/standard', image({ ...u12, seed: 15 }, { extra: { ViewPosition: 'AP', PatientOrientation: ['L', 'F'] } }))
  addValid('site/views/mirrored', image({ ...u12, seed: 15 }, { extra: { ViewPosition: 'AP', PatientOrientation: ['R', 'F'] } }))
  // A study's lateral and frontal films whose headers name no view, the lateral met first: its pixels tell them apart.
  const unnamed = unnamedViews(3, '1.2.826.0.1.3680043.10.1.7020')
  addValid('site/views-unnamed/1-lateral', unnamed.lateral)
  addValid('site/views-unnamed/2-frontal', unnamed.frontal)
  // A film stored on its side (rows running to the feet, columns to the patient's left) beside its twin stored upright.
  const sideways = image({ ...u12, seed: 22 }, { extra: { ViewPosition: 'PA', PatientOrientation: ['F', 'L'] } })
  addValid('site/views/sideways', sideways)
  const upright = Int32Array.from({ length: u12.rows * u12.columns }, (_, i) => sideways.expected[(i % u12.rows) * u12.columns + Math.floor(i / u12.rows)])
  const uprightSpec = { ...u12, rows: u12.columns, columns: u12.rows }
  addValid(
    'site/views/upright-twin',
    writeDicom({ extra: { ...imageAttributes(uprightSpec), ViewPosition: 'PA', PatientOrientation: ['L', 'F'] }, pixelData: Buffer.from(Uint16Array.from(upright).buffer) })
  )
  // A dual-energy study (a standard film, its soft-tissue and bone images) whose bone image is met first,
  // and a study whose copy of its film (Image Type DERIVED) is met before the film.
  const dualEnergy = { studyUid: '1.2.826.0.1.3680043.10.1.7002' }
  const frontal = { ViewPosition: 'PA', ImageType: ['DERIVED', 'PRIMARY'] }
  addValid('site/dual-energy/1-bone', image({ ...u12, seed: 23 }, { ...dualEnergy, extra: { ...frontal, SeriesDescription: 'Chest PA Bone' } }))
  addValid('site/dual-energy/2-soft', image({ ...u12, seed: 24 }, { ...dualEnergy, extra: { ...frontal, SeriesDescription: 'Chest PA Soft Tissue' } }))
  addValid('site/dual-energy/3-standard', image({ ...u12, seed: 25 }, { ...dualEnergy, extra: { ...frontal, ImageType: ['ORIGINAL', 'PRIMARY'], SeriesDescription: 'Chest PA' } }))
  const copies = { studyUid: '1.2.826.0.1.3680043.10.1.7003' }
  addValid('site/copies/1-derived', image({ ...u12, seed: 26 }, { ...copies, extra: { ViewPosition: 'PA', ImageType: ['DERIVED', 'SECONDARY'] } }))
  addValid('site/copies/2-acquired', image({ ...u12, seed: 27 }, { ...copies, extra: { ViewPosition: 'PA', ImageType: ['ORIGINAL', 'PRIMARY'] } }))
  // Other films in the same folders: a CT slice and a knee film are imported and shown, never read by the model.
  addValid('site/kinds/ct-slice', image({ ...u12, seed: 16 }, { sopClassUid: '1.2.840.10008.5.1.4.1.1.2', extra: { Modality: 'CT', ViewPosition: undefined } }))
  corpus.notChest.set('site/kinds/ct-slice', 'Modality CT is not a radiograph')
  addValid('site/kinds/knee', image({ ...u12, seed: 17 }, { extra: { Modality: 'CR', BodyPartExamined: 'KNEE', ViewPosition: 'AP' } }))
  corpus.notChest.set('site/kinds/knee', 'BodyPartExamined KNEE is not the chest')
  addValid('site/kinds/chest-zh', image({ ...u12, seed: 18 }, { characterSet: 'ISO_IR 192', extra: { Modality: 'DX', BodyPartExamined: '胸部' } }))

  const j2kSpec: ImageSpec = { ...u12, seed: 11 }
  const j2kPixels = syntheticPixels(j2kSpec)
  addValid('site/codecs/j2k', encapsulatedImage(j2kSpec, TransferSyntax.jpeg2000Lossless, await encodeWithWasm('openjpeg', j2kPixels, j2kSpec), j2kPixels))
  addValid('site/codecs/htj2k', encapsulatedImage(j2kSpec, TransferSyntax.htj2kLossless, await encodeWithWasm('openjph', j2kPixels, j2kSpec), j2kPixels))

  if (dcmtkAvailable) {
    const conversions: [string, string, string[], ImageSpec][] = [
      ['site/codecs/implicit', 'dcmconv', ['+ti'], u12],
      ['site/codecs/bigendian', 'dcmconv', ['+tb'], u12],
      ['site/codecs/deflated', 'dcmconv', ['+td'], u12],
      ['site/codecs/jpegll14', 'dcmcjpeg', ['+el'], u12],
      ['site/codecs/jpegllsv1', 'dcmcjpeg', ['+e1'], u12],
      ['site/codecs/rle', 'dcmcrle', [], u12],
      ['site/codecs/jpegls', 'dcmcjpls', [], u12],
      ['site/codecs/jpegls-near', 'dcmcjpls', ['+en'], u12],
      ['site/codecs/jpeg-baseline', 'dcmcjpeg', ['+eb'], { rows: 80, columns: 96, bitsAllocated: 8, bitsStored: 8 }],
      ['site/codecs/jpeg-extended-12bit', 'dcmcjpeg', ['+ee'], u12]
    ]
    for (const [relative, tool, args, spec] of conversions) {
      const bytes = dcmtk(tool, args, image({ ...spec, seed: relative.length }).bytes, scratch)
      // dcmtk gives lossy-compressed copies a new SOP Instance UID, as the standard asks.
      addValid(relative, { bytes, sopInstanceUid: readInstanceHeader(parseDicomFile(bytes, { headerOnly: true })).sopInstanceUid })
    }
    const implicitRaw = image({ ...u12, seed: 21 })
    addValid('site/raw/implicit', { bytes: dcmtk('dcmconv', ['+ti', '-F'], implicitRaw.bytes, scratch), sopInstanceUid: implicitRaw.sopInstanceUid })
    buildDicomdirSet(root, corpus)
  }

  // Raw data sets: no preamble and no meta header (old archives), or the preamble and marker but no meta header.
  const raw = image({ ...u12, seed: 19 })
  addValid('site/raw/explicit', { bytes: withoutMetaGroup(raw.bytes).subarray(132), sopInstanceUid: raw.sopInstanceUid })
  const noMeta = image({ ...u12, seed: 20 })
  addValid('site/raw/no-meta', { bytes: withoutMetaGroup(noMeta.bytes), sopInstanceUid: noMeta.sopInstanceUid })
  // A meta header that declares the other VR encoding than its data set's (an export that rewrote one and
  // not the other): the data set is read as it is written.
  const explicitSet = image({ ...u12, seed: 28 })
  const implicitSet = image({ ...u12, seed: 29 }, { transferSyntax: TransferSyntax.implicitLittle })
  addValid('site/raw/meta-says-explicit', { bytes: Buffer.concat([metaGroupOf(explicitSet.bytes), dataSetOf(implicitSet.bytes)]), sopInstanceUid: implicitSet.sopInstanceUid })
  addValid('site/raw/meta-says-implicit', { bytes: Buffer.concat([metaGroupOf(implicitSet.bytes), dataSetOf(explicitSet.bytes)]), sopInstanceUid: explicitSet.sopInstanceUid })

  put(root, 'site/copy/IMG0001-again', base.bytes)
  fs.symlinkSync(path.join(root, 'site/PAT1/STUDY1/IMG0001'), path.join(root, 'site/copy/IMG0001-link'))
  corpus.duplicates.push('site/copy/IMG0001-again', 'site/copy/IMG0001-link')

  const broken: [string, Uint8Array, RegExp][] = [
    ['site/broken/empty.dcm', new Uint8Array(0), /The file is empty \(0 bytes\)/],
    ['site/broken/not-a-data-set.dcm', Buffer.concat([Buffer.from('%PDF-1.4 '), Buffer.alloc(200)]), /no "DICM" marker at byte 128, and it does not begin like a data set/],
    ['site/broken/truncated', image(u12).bytes.subarray(0, 4000), /truncated/],
    ['site/broken/zero-pixels', writeDicom({ extra: imageAttributes(u12), pixelData: Buffer.alloc(0) }).bytes, /Pixel Data is empty \(zero length\)|has no Pixel Data/],
    ['site/broken/wrong-length', image(u12, { extra: { Rows: 200 } }).bytes, /Pixel Data holds 15360 bytes, but 200 rows × 96 columns/],
    ['site/broken/presentation-state', writeDicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.11.1', extra: { Modality: 'PR' } }).bytes, /Not an image: Grayscale Softcopy Presentation State/],
    [
      'site/broken/report-pdf',
      writeDicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.104.1', extra: { Modality: 'DOC', MIMETypeOfEncapsulatedDocument: 'application/pdf' } }).bytes,
      /Not an image: an Encapsulated PDF whose report was not read: report-pdf: the encapsulated document is missing \(0042,0011 is missing or empty\)/
    ],
    [
      'site/broken/report-sr-empty',
      writeDicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.88.11', extra: { Modality: 'SR', ValueType: 'CONTAINER', ContentSequence: [] } }).bytes,
      /Not an image: a Basic Text SR whose report was not read: report-sr-empty: the structured report has no text, code or number content/
    ],
    ['site/broken/no-study-uid', image(u12, { extra: { StudyInstanceUID: '' } }).bytes, /Study Instance UID \(0020,000d\) is missing/],
    // a PACS export left zipped: found by its bytes, whatever its name
    ['site/exports/study-export', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]), /a ZIP archive: the import does not open archives — unpack it and import the folder/],
    ['site/exports/films.7z', Buffer.from('7z\xbc\xaf\x27\x1c\x00\x04', 'latin1'), /a 7-Zip archive: the import does not open archives/]
  ]
  for (const [relative, bytes, reason] of broken) {
    put(root, relative, bytes)
    corpus.broken.set(relative, reason)
  }
  // Pictures in a folder of DICOM films are copies of them (a viewer's, an export's previews), whatever they hold.
  corpus.skipped.push(path.relative(root, put(root, 'site/notes/photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))))
  corpus.skipped.push(path.relative(root, put(root, 'site/PAT1/preview.png', pngPicture({ width: 300, height: 300 }))))
  const finding = { CodeValue: '121071', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Finding' }
  const sr = writeDicom({
    sopClassUid: '1.2.840.10008.5.1.4.1.1.88.11',
    extra: {
      Modality: 'SR',
      ValueType: 'CONTAINER',
      CompletionFlag: 'COMPLETE',
      VerificationFlag: 'UNVERIFIED',
      ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: [finding], TextValue: 'A 9 mm nodule in the right upper zone.' }]
    }
  })
  corpus.dicomReports.push(path.relative(root, put(root, 'site/sr/SR0001', sr.bytes)))
  const pdf = writePdf([['FINDINGS:', 'No nodule.', 'IMPRESSION:', 'Normal chest.']])
  const pdfReport = writeDicom({
    sopClassUid: '1.2.840.10008.5.1.4.1.1.104.1',
    extra: { Modality: 'DOC', MIMETypeOfEncapsulatedDocument: 'application/pdf', EncapsulatedDocument: [pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength)] }
  })
  corpus.dicomReports.push(path.relative(root, put(root, 'site/sr/PDF0001', pdfReport.bytes)))
  const cda = Buffer.from('<ClinicalDocument><component><structuredBody><component><section><title>Findings</title><text>No nodule.</text></section></component></structuredBody></component></ClinicalDocument>')
  const cdaReport = writeDicom({
    sopClassUid: '1.2.840.10008.5.1.4.1.1.104.2',
    extra: { Modality: 'DOC', MIMETypeOfEncapsulatedDocument: 'text/XML', EncapsulatedDocument: [cda.buffer.slice(cda.byteOffset, cda.byteOffset + cda.byteLength)] }
  })
  corpus.dicomReports.push(path.relative(root, put(root, 'site/sr/CDA0001', cdaReport.bytes)))
  corpus.reportFiles.push(path.relative(root, put(root, 'site/reports/ACC000001.txt', 'FINDINGS: No nodule.\n')))
  return corpus
}

/** A DICOMDIR file set made by dcmmkdir, with one referenced file then deleted from disk. */
function buildDicomdirSet(root: string, corpus: ImportCorpus): void {
  const setDir = path.join(root, 'media')
  const names = ['IM000001', 'IM000002', 'IM000003']
  for (const [i, name] of names.entries()) {
    const built = image({ ...u12, seed: 20 + i })
    put(setDir, `DICOM/${name}`, built.bytes)
    if (i < 2) corpus.valid.set(`media/DICOM/${name}`, built.sopInstanceUid)
  }
  execFileSync('dcmmkdir', ['+r', '+I', '+id', setDir, '+D', path.join(setDir, 'DICOMDIR'), 'DICOM'], { cwd: setDir, stdio: ['ignore', 'ignore', 'pipe'] })
  fs.rmSync(path.join(setDir, 'DICOM', names[2]))
  corpus.broken.set('media/DICOM/IM000003', /Listed in the DICOMDIR .*DICOMDIR but missing on disk/)
}

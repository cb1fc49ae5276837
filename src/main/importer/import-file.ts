import fs from 'node:fs'
import path from 'node:path'
import type { DataSet } from 'dicom-parser'
import { readInstanceHeader, type InstanceHeader } from '../dicom/header'
import type { ImageProducts } from '../dicom/image-products'
import { DicomFileError, parseDicomFile } from '../dicom/parse'
import { pictureFormat } from '../dicom/picture'
import type { PictureFile } from '../dicom/scan'
import { filmOrigin, notChestRadiograph, readProjection, type FilmOrigin, type ProjectionReading } from '../dicom/projection'
import { isStructuredReportSopClass, nameBasedUid, pictureSeriesUid, pictureStudyUid, reportDocumentName, SopClass, sopClassName } from '../dicom/uids'
import type { Db } from '../store/database'
import { claimErrorRow, hasImportedFile, hasImportedInstance, hasReportFromSource, insertErrorRow, insertImportedImage } from '../store/import-repository'
import { storageProblem } from '../store/storage-failure'
import { imageFileStem, removeDataFiles, sha256, writeDataFile } from './image-files'
import type { FilmDecoder } from './film-decoder'
import type { ReportImporter } from './report-importer'

/** What the model makes of a film: its projection, why it is no chest radiograph (null when it may be one), and whether it is a copy. */
interface FilmKind {
  projection: ProjectionReading
  notChestRadiograph: string | null
  origin: FilmOrigin
}

/** `failed-again`: the same file failed before and already has its error row. */
export type FileOutcome = 'imported' | 'already' | 'failed' | 'failed-again' | 'dicom-report' | 'skipped'

export interface FileImportContext {
  db: Db
  dataDir: string
  jobId: number
  reports: ReportImporter
}

/**
 * A DICOM file read, and decoded when it is a film new to the library: what storing it needs. Files
 * are prepared ahead (their films decode on other threads) and stored one after the other in the
 * order of the walk, so an import stores what a one-file-at-a-time import would.
 */
export type PreparedFile =
  | { kind: 'failed'; file: string; size: number | null; hash: string | null; reason: string; header: InstanceHeader | null }
  | { kind: 'skipped'; file: string; size: number }
  | { kind: 'already'; file: string; size: number }
  | { kind: 'document'; file: string; bytes: Buffer; hash: string; header: InstanceHeader }
  | { kind: 'film'; file: string; size: number; hash: string; header: InstanceHeader; film: FilmKind; rescale: { slope: number; intercept: number }; products: ImageProducts }

/** Reads and decodes one DICOM file. Never throws: a bad file is prepared as its failure, with a reason a person understands. */
export async function prepareDicomFile(ctx: FileImportContext, file: string, decoder: FilmDecoder): Promise<PreparedFile> {
  const knownSize = sizeOfKnownFilm(ctx.db, file)
  if (knownSize !== null) return { kind: 'already', file, size: knownSize }
  const read = readWhole(file)
  if (read.kind === 'failed') return read
  const { bytes, hash } = read
  // Taken now: a film's bytes go to the decoder.
  const size = bytes.length
  let header: InstanceHeader | null = null
  try {
    const headerSet = parseDicomFile(bytes, { headerOnly: true })
    header = readInstanceHeader(headerSet)
    return await prepareInstance(ctx, file, bytes, hash, header, headerSet, decoder)
  } catch (err) {
    return { kind: 'failed', file, size, hash, reason: failureReason(err), header }
  }
}

/** Why a file failed, in words: a file's own problem as the reader put it, anything else named as unexpected. */
function failureReason(err: unknown): string {
  return err instanceof DicomFileError ? err.reason : `Unexpected failure while importing: ${err instanceof Error ? err.message : String(err)}`
}

function readWhole(file: string): { kind: 'read'; bytes: Buffer; hash: string } | Extract<PreparedFile, { kind: 'failed' }> {
  try {
    const bytes = fs.readFileSync(file)
    return { kind: 'read', bytes, hash: sha256(bytes) }
  } catch (err) {
    return { kind: 'failed', file, size: null, hash: null, reason: `The file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, header: null }
  }
}

/**
 * Reads a PNG or JPEG film (picture.ts) as the Secondary Capture it becomes, then as a DICOM file
 * is read. Its instance is named by its content, so the same picture met again — in another folder,
 * after a move — is the image already stored (one at the path and size it was imported from is not
 * even read again: a nightly re-import of a dataset); its study by its study folder, or by itself. A
 * picture that is no film (an icon, a colour photograph) is skipped. Never throws.
 */
export async function preparePictureFile(ctx: FileImportContext, picture: PictureFile, decoder: FilmDecoder): Promise<PreparedFile> {
  const { file } = picture
  const knownSize = sizeOfKnownPicture(ctx.db, file)
  if (knownSize !== null) return { kind: 'already', file, size: knownSize }
  const read = readWhole(file)
  if (read.kind === 'failed') return read
  const { bytes, hash } = read
  const size = bytes.length
  const sopInstanceUid = nameBasedUid(`picture:${hash}`)
  if (hasImportedInstance(ctx.db, sopInstanceUid)) return { kind: 'already', file, size }
  try {
    const stem = path.basename(file, path.extname(file))
    const identity = {
      sopInstanceUid,
      studyUid: pictureStudyUid(picture.study),
      seriesUid: pictureSeriesUid(picture.study),
      // a study alone is named by its file, a study folder's by the folder
      studyDescription: picture.study === file ? stem : path.basename(picture.study),
      seriesDescription: stem
    }
    const format = pictureFormat(bytes)
    if (!format) throw new DicomFileError('Not a PNG or JPEG picture any more: the file changed while the folder was imported')
    // The picture's bytes go to the decoder.
    const reading = await decoder.readPicture(bytes, format, identity)
    if (reading.kind === 'not-a-film') return { kind: 'skipped', file, size }
    const headerSet = parseDicomFile(reading.dicom, { headerOnly: true })
    const prepared = await prepareInstance(ctx, file, Buffer.from(reading.dicom.buffer, reading.dicom.byteOffset, reading.dicom.byteLength), hash, readInstanceHeader(headerSet), headerSet, decoder)
    return prepared.kind === 'film' ? { ...prepared, size } : prepared
  } catch (err) {
    return { kind: 'failed', file, size, hash, reason: failureReason(err), header: null }
  }
}

/** The size of a picture imported before from this path with this size, else null: a re-import does not read it again. */
function sizeOfKnownPicture(db: Db, file: string): number | null {
  try {
    const { size } = fs.statSync(file)
    return hasImportedFile(db, file, size) ? size : null
  } catch {
    return null
  }
}

/** What is read of a large file first: a film's header, with what vendors add to it, comes before its pixels. */
const HEAD_BYTES = 64 * 1024

/**
 * The size of a file whose head names an image already in the library, else null (a small file, a
 * head that does not parse alone, a new image): a re-import of a folder — a site's nightly export —
 * reads a known film's header, not its pixels.
 */
function sizeOfKnownFilm(db: Db, file: string): number | null {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch {
    return null
  }
  try {
    const size = fs.fstatSync(fd).size
    if (size <= HEAD_BYTES) return null
    const head = Buffer.alloc(HEAD_BYTES)
    fs.readSync(fd, head, 0, HEAD_BYTES, 0)
    const { sopInstanceUid } = readInstanceHeader(parseDicomFile(head, { headerOnly: true }))
    return hasImportedInstance(db, sopInstanceUid) ? size : null
  } catch {
    return null
  } finally {
    fs.closeSync(fd)
  }
}

async function prepareInstance(
  ctx: FileImportContext,
  file: string,
  bytes: Buffer,
  hash: string,
  header: InstanceHeader,
  headerSet: DataSet,
  decoder: FilmDecoder
): Promise<PreparedFile> {
  if (header.sopClassUid === SopClass.mediaStorageDirectory) return { kind: 'skipped', file, size: bytes.length }
  if (isDocumentSopClass(header.sopClassUid)) return { kind: 'document', file, bytes, hash, header }
  if (hasImportedInstance(ctx.db, header.sopInstanceUid)) return { kind: 'already', file, size: bytes.length }
  if (!header.hasPixelData) throw new DicomFileError(`Not an image: ${sopClassName(header.sopClassUid)} has no Pixel Data`)
  const film: FilmKind = {
    projection: readProjection(header.projectionTags),
    notChestRadiograph: notChestRadiograph(header.modality, header.bodyPart, [
      ...header.projectionTags.descriptions,
      { name: 'StudyDescription', text: header.studyDescription }
    ]),
    origin: filmOrigin(header.originTags)
  }
  const rescale = { slope: headerSet.floatString('x00281053') ?? 1, intercept: headerSet.floatString('x00281052') ?? 0 }
  const size = bytes.length
  // The decoder takes the bytes away, and with them what the header data set reads.
  const products = await decoder.decode(bytes, header.transferSyntaxUid, film.notChestRadiograph ? null : { reorientation: film.projection.reorientation })
  return { kind: 'film', file, size, hash, header, film, rescale, products }
}

/** A report kept in DICOM: an SR, an Encapsulated PDF or CDA. */
function isDocumentSopClass(sopClassUid: string): boolean {
  return isStructuredReportSopClass(sopClassUid) || sopClassUid === SopClass.encapsulatedPdf || sopClassUid === SopClass.encapsulatedCda
}

/**
 * Stores one prepared file: its rows and image files, or its one error row (a re-import of the same
 * bad file adds no second row). Throws only when the data folder cannot take it (full, read-only).
 */
export async function storeDicomFile(ctx: FileImportContext, prepared: PreparedFile): Promise<FileOutcome> {
  if (prepared.kind === 'failed') return recordFailure(ctx, prepared.file, prepared.size, prepared.hash, prepared.reason, prepared.header)
  if (prepared.kind === 'skipped' || prepared.kind === 'already') return prepared.kind
  try {
    if (prepared.kind === 'document') return await storeDocument(ctx, prepared)
    // An earlier file of this import may have held the same instance.
    if (hasImportedInstance(ctx.db, prepared.header.sopInstanceUid)) return 'already'
    storeInstance(ctx, prepared)
    return 'imported'
  } catch (err) {
    // A full or read-only data folder is not this file's fault: it stops the whole import.
    if (storageProblem(err)) throw err
    const bytes = prepared.kind === 'document' ? prepared.bytes.length : prepared.size
    return recordFailure(ctx, prepared.file, bytes, prepared.hash, failureReason(err), prepared.header)
  }
}

function storeDocument(ctx: FileImportContext, prepared: Extract<PreparedFile, { kind: 'document' }>): Promise<FileOutcome> {
  const { file, bytes, header } = prepared
  if (isStructuredReportSopClass(header.sopClassUid)) {
    return importDicomReport(ctx, file, header, () => ctx.reports.importStructuredReport(ctx.db, file, parseDicomFile(bytes) as never, ctx.jobId))
  }
  return importDicomReport(ctx, file, header, () => ctx.reports.importEncapsulatedDocument(ctx.db, file, parseDicomFile(bytes) as never, ctx.jobId))
}

/** A report kept in DICOM (an SR, an Encapsulated PDF or CDA): one that cannot be read is this file's error, in words. */
async function importDicomReport(ctx: FileImportContext, file: string, header: InstanceHeader, read: () => unknown): Promise<FileOutcome> {
  if (hasReportFromSource(ctx.db, file)) return 'already'
  try {
    await read()
  } catch (err) {
    if (storageProblem(err)) throw err
    throw new DicomFileError(
      `Not an image: ${reportDocumentName(header.sopClassUid)} whose report was not read: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  return 'dicom-report'
}

function storeInstance(ctx: FileImportContext, prepared: Extract<PreparedFile, { kind: 'film' }>): void {
  const { file, size, hash, header, film, products } = prepared
  const stem = imageFileStem(header.sopInstanceUid)
  const paths = { display: `${stem}.display.png`, params: `${stem}.display.json`, model: products.model ? `${stem}.model.png` : null }
  const displaySha = writeDataFile(ctx.dataDir, paths.display, products.display.png)
  writeDataFile(ctx.dataDir, paths.params, JSON.stringify(products.display.params))
  const modelSha = products.model && paths.model ? writeDataFile(ctx.dataDir, paths.model, products.model.png) : null
  const { projection } = film
  const { layout } = products
  const { params } = products.display
  try {
    insertImportedImage(
      ctx.db,
      {
        studyUid: header.studyUid,
        patientId: header.patient.id,
        patientName: header.patient.name,
        patientBirthDate: header.patient.birthDate,
        patientSex: header.patient.sex,
        studyDate: header.studyDate,
        accessionNumber: header.accessionNumber,
        description: header.studyDescription
      },
      { seriesUid: header.seriesUid, modality: header.modality, bodyPart: header.bodyPart, viewPosition: header.viewPosition, description: header.seriesDescription },
      {
        jobId: ctx.jobId,
        sopInstanceUid: header.sopInstanceUid,
        sopClassUid: header.sopClassUid,
        filePath: file,
        fileSize: size,
        sha256: hash,
        transferSyntaxUid: header.transferSyntaxUid,
        rows: layout.rows,
        columns: layout.columns,
        photometric: layout.photometric,
        bitsStored: layout.bitsStored,
        spacingRowMm: header.spacing.rowMm,
        spacingColMm: header.spacing.colMm,
        spacingKind: header.spacing.kind,
        viewPosition: header.viewPosition,
        projection: projection.projection,
        forProcessing: header.forProcessing,
        modelImageRank: film.origin.rank,
        // Rendering and provenance facts only: PHI stays in the studies row.
        tags: {
          modality: header.modality,
          bodyPart: header.bodyPart,
          frames: layout.numberOfFrames,
          bitsAllocated: layout.bitsAllocated,
          pixelRepresentation: layout.pixelRepresentation,
          windows: params.windows,
          voiLutFunction: params.voiLutFunction,
          voiLutCount: params.voiLuts.length,
          defaultVoi: params.defaultVoi,
          invert: params.invert,
          displayParamsPath: paths.params,
          displaySize: [params.width, params.height],
          estimatedMagnification: header.magnification,
          burnedInAnnotation: header.burnedInAnnotation,
          lossyCompressed: header.lossyCompressed,
          characterSet: header.characterSet,
          patientOrientation: header.projectionTags.patientOrientation,
          projectionEvidence: projection.evidence,
          modelImageReoriented: projection.reorientation,
          notChestRadiograph: film.notChestRadiograph,
          imageType: header.originTags.imageType,
          derivedFilm: film.origin.reason,
          rescale: prepared.rescale
        },
        displayPath: paths.display,
        displaySha256: displaySha,
        modelPath: paths.model,
        modelSha256: modelSha,
        frontalLikeness: products.model?.frontalLikeness ?? null
      }
    )
  } catch (err) {
    removeDataFiles(ctx.dataDir, Object.values(paths).filter((p) => p !== null))
    throw err
  }
}

function recordFailure(ctx: FileImportContext, file: string, size: number | null, hash: string | null, reason: string, header: InstanceHeader | null = null): FileOutcome {
  if (claimErrorRow(ctx.db, file, hash, ctx.jobId)) return 'failed-again'
  insertErrorRow(ctx.db, {
    jobId: ctx.jobId,
    filePath: file,
    fileSize: size,
    sha256: hash,
    sopClassUid: header?.sopClassUid ?? null,
    transferSyntaxUid: header?.transferSyntaxUid ?? null,
    error: reason
  })
  return 'failed'
}

/** A problem found before any file was read (a DICOMDIR entry missing on disk, an unreadable folder). */
export function recordProblem(ctx: FileImportContext, file: string, reason: string): FileOutcome {
  return recordFailure(ctx, file, null, null, reason)
}

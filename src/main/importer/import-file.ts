import fs from 'node:fs'
import type { DataSet } from 'dicom-parser'
import { readInstanceHeader, type InstanceHeader } from '../dicom/header'
import { buildImageProducts, type ImageProducts } from '../dicom/image-products'
import { DicomFileError, parseDicomFile } from '../dicom/parse'
import { filmOrigin, notChestRadiograph, readProjection, type FilmOrigin, type ProjectionReading } from '../dicom/projection'
import { isStructuredReportSopClass, reportDocumentName, SopClass, sopClassName } from '../dicom/uids'
import type { Db } from '../store/database'
import { claimErrorRow, hasImportedInstance, hasReportFromSource, insertErrorRow, insertImportedImage } from '../store/import-repository'
import { storageProblem } from '../store/storage-failure'
import { imageFileStem, removeDataFiles, sha256, writeDataFile } from './image-files'
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
 * Imports one DICOM file. Never throws for a bad file: every failure becomes one error row with a
 * reason a person understands (a re-import of the same bad file adds no second row). Throws when
 * the data folder cannot take the file (full, read-only).
 */
export async function importDicomFile(ctx: FileImportContext, file: string): Promise<{ outcome: FileOutcome; bytes: number }> {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    return { outcome: recordFailure(ctx, file, null, null, `The file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`), bytes: 0 }
  }
  const hash = sha256(bytes)
  let header: InstanceHeader | null = null
  try {
    header = readInstanceHeader(parseDicomFile(bytes, { headerOnly: true }))
    return { outcome: await importInstance(ctx, file, bytes, hash, header), bytes: bytes.length }
  } catch (err) {
    // A full or read-only data folder is not this file's fault: it stops the whole import.
    if (storageProblem(err)) throw err
    const reason = err instanceof DicomFileError ? err.reason : `Unexpected failure while importing: ${err instanceof Error ? err.message : String(err)}`
    return { outcome: recordFailure(ctx, file, bytes.length, hash, reason, header), bytes: bytes.length }
  }
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

async function importInstance(ctx: FileImportContext, file: string, bytes: Buffer, hash: string, header: InstanceHeader): Promise<FileOutcome> {
  if (header.sopClassUid === SopClass.mediaStorageDirectory) return 'skipped'
  if (isStructuredReportSopClass(header.sopClassUid)) {
    return importDicomReport(ctx, file, header, () => ctx.reports.importStructuredReport(ctx.db, file, parseDicomFile(bytes) as never, ctx.jobId))
  }
  if (header.sopClassUid === SopClass.encapsulatedPdf || header.sopClassUid === SopClass.encapsulatedCda) {
    return importDicomReport(ctx, file, header, () => ctx.reports.importEncapsulatedDocument(ctx.db, file, parseDicomFile(bytes) as never, ctx.jobId))
  }
  if (hasImportedInstance(ctx.db, header.sopInstanceUid)) return 'already'
  if (!header.hasPixelData) throw new DicomFileError(`Not an image: ${sopClassName(header.sopClassUid)} has no Pixel Data`)
  const dataSet = parseDicomFile(bytes)
  const film: FilmKind = {
    projection: readProjection(header.projectionTags),
    notChestRadiograph: notChestRadiograph(header.modality, header.bodyPart, [
      ...header.projectionTags.descriptions,
      { name: 'StudyDescription', text: header.studyDescription }
    ]),
    origin: filmOrigin(header.originTags)
  }
  const products = await buildImageProducts(dataSet, header.transferSyntaxUid, film.notChestRadiograph ? null : { reorientation: film.projection.reorientation })
  storeInstance(ctx, file, bytes.length, hash, header, film, dataSet, products)
  return 'imported'
}

function storeInstance(
  ctx: FileImportContext,
  file: string,
  size: number,
  hash: string,
  header: InstanceHeader,
  film: FilmKind,
  dataSet: DataSet,
  products: ImageProducts
): void {
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
          rescale: { slope: dataSet.floatString('x00281053') ?? 1, intercept: dataSet.floatString('x00281052') ?? 0 }
        },
        displayPath: paths.display,
        displaySha256: displaySha,
        modelPath: paths.model,
        modelSha256: modelSha
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

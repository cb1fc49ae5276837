/**
 * A report a PACS keeps in the study as an Encapsulated PDF (SOP class 1.2.840.10008.5.1.4.1.1.104.1):
 * the PDF is in Encapsulated Document (0042,0011), and the file names its study as an SR does.
 */
import path from 'node:path'
import type { DataSet } from 'dicom-parser'
import type { Db } from '../store/database'
import { pdfReportText } from './pdf'
import { storeReport, type StoreOutcome } from './report-import'
import { dicomReportKeys } from './structured-report'

const encapsulatedDocument = 'x00420011'
const mimeTypeOfEncapsulatedDocument = 'x00420012'

/**
 * Stores an Encapsulated PDF's text as a report of kind 'pdf'. Throws an error naming the file when
 * the document is no PDF, holds no text (a scanned page), or reads as no report (a request form).
 */
export async function importEncapsulatedPdf(db: Db, file: string, dataSet: DataSet, jobId: number): Promise<StoreOutcome> {
  const name = path.basename(file)
  const mime = dataSet.string(mimeTypeOfEncapsulatedDocument)?.trim().toLowerCase()
  if (mime && mime !== 'application/pdf') throw new Error(`${name}: the encapsulated document is ${mime}, not a PDF`)
  const element = dataSet.elements[encapsulatedDocument]
  if (!element || !(element.length > 0)) throw new Error(`${name}: the Encapsulated PDF holds no document (0042,0011 is missing or empty)`)
  const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length)
  let text: string
  try {
    text = await pdfReportText(bytes)
  } catch (err) {
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`)
  }
  return storeReport(db, { sourcePath: file, sourceKind: 'pdf', encoding: 'utf-8', text, keys: dicomReportKeys(dataSet), jobId })
}

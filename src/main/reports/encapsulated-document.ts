/**
 * A report a PACS keeps in the study as an encapsulated document: an Encapsulated PDF (SOP class
 * 1.2.840.10008.5.1.4.1.1.104.1) or an Encapsulated CDA (…104.2, an HL7 CDA "Imaging Report"). The
 * document is in Encapsulated Document (0042,0011), its kind in MIME Type of Encapsulated Document
 * (0042,0012), and the file names its study as an SR does.
 */
import path from 'node:path'
import type { DataSet } from 'dicom-parser'
import { SopClass } from '../dicom/uids'
import type { Db } from '../store/database'
import { cdaReportText, decodeCdaBytes } from './cda'
import { pdfReportText } from './pdf'
import { storeReport, type StoreOutcome } from './report-import'
import { dicomReportKeys } from './structured-report'
import { unreadableReport } from './text'

const sopClassUid = 'x00080016'
const encapsulatedDocument = 'x00420011'
const mimeTypeOfEncapsulatedDocument = 'x00420012'

/**
 * Stores an encapsulated document's text as a report of kind 'pdf' or 'cda'. Throws an error naming
 * the file when the document is neither, holds no text (a scanned page), or reads as no report (a
 * request form).
 */
export async function importEncapsulatedDocument(db: Db, file: string, dataSet: DataSet, jobId: number): Promise<StoreOutcome> {
  const name = path.basename(file)
  const mime = dataSet.string(mimeTypeOfEncapsulatedDocument)?.trim().toLowerCase() || null
  const kind = mime === null ? (dataSet.string(sopClassUid)?.trim() === SopClass.encapsulatedCda ? 'cda' : 'pdf') : kindOfMime(mime)
  if (kind === null) throw new Error(`${name}: the encapsulated document is ${mime}, not a PDF or an HL7 CDA document`)
  const element = dataSet.elements[encapsulatedDocument]
  if (!element || !(element.length > 0)) throw new Error(`${name}: the encapsulated document is missing (0042,0011 is missing or empty)`)
  const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length)
  let text: string
  try {
    text = kind === 'pdf' ? await pdfReportText(bytes) : cdaReportText(decodeCdaBytes(bytes))
  } catch (err) {
    throw new Error(`${name}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const unreadable = unreadableReport(text)
  if (unreadable) throw new Error(`${name}: the encapsulated ${kind === 'pdf' ? 'PDF' : 'CDA document'}'s text ${unreadable}`)
  return storeReport(db, { sourcePath: file, sourceKind: kind, encoding: 'utf-8', text, keys: dicomReportKeys(dataSet), jobId })
}

function kindOfMime(mime: string): 'pdf' | 'cda' | null {
  if (mime === 'application/pdf') return 'pdf'
  return mime === 'text/xml' || mime === 'application/xml' || mime === 'application/hl7-cda+xml' ? 'cda' : null
}

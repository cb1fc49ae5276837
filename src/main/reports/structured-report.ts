/**
 * DICOM Structured Reports (Basic/Enhanced/Comprehensive SR) as report text: the content tree is
 * walked in order; a TEXT item becomes "Concept name: text", a CODE item "Concept name: code
 * meaning", a NUM item "Concept name: value unit", and a CONTAINER with a concept name a header
 * line, so "Findings" and "Impression" items become the sections the parser knows. Text values are
 * decoded by the SR's SpecificCharacterSet as every DICOM text is (src/main/dicom/charset.ts).
 */
import path from 'node:path'
import type { DataSet, Element } from 'dicom-parser'
import { characterSetTerms, decodeDicomText } from '../dicom/charset'
import type { Db } from '../store/database'
import { storeReport, type MatchKeys, type StoreOutcome } from './report-import'
import { normaliseReportText, unreadableReport } from './text'

const tags = {
  specificCharacterSet: 'x00080005',
  studyInstanceUid: 'x0020000d',
  accessionNumber: 'x00080050',
  contentSequence: 'x0040a730',
  valueType: 'x0040a040',
  conceptNameCodeSequence: 'x0040a043',
  codeMeaning: 'x00080104',
  codeValue: 'x00080100',
  textValue: 'x0040a160',
  conceptCodeSequence: 'x0040a168',
  measuredValueSequence: 'x0040a300',
  numericValue: 'x0040a30a',
  measurementUnitsCodeSequence: 'x004008ea'
} as const

type TextDecoderFor = (bytes: Uint8Array) => string

/**
 * The decoder for a SpecificCharacterSet value (possibly multi-valued, "\\ISO 2022 IR 58"): the DICOM
 * room's, which also reads the UTF-8 or GB 2312 that devices write under no or a Latin-1 declaration;
 * the name is the stored report's encoding.
 */
function decoderFor(characterSet: string | undefined): { name: string; decode: TextDecoderFor } {
  const terms = characterSetTerms(characterSet)
  const has = (...names: string[]): boolean => terms.some((t) => names.includes(t.toUpperCase()))
  const name = has('ISO_IR 192') ? 'utf-8' : has('GB18030', 'GBK', 'ISO 2022 IR 58') ? 'gb18030' : 'latin1'
  return { name, decode: (b) => decodeDicomText(b, terms) }
}

function elementText(dataSet: DataSet, element: Element | undefined, decode: TextDecoderFor): string | null {
  if (!element || element.length === 0 || element.length === undefined) return null
  const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + element.length)
  const text = decode(bytes).replace(/[\0\s]+$/, '').replace(/^\s+/, '')
  return text === '' ? null : normaliseReportText(text)
}

function firstItem(dataSet: DataSet, tag: string): DataSet | undefined {
  return dataSet.elements[tag]?.items?.[0]?.dataSet
}

function codeMeaning(dataSet: DataSet, sequenceTag: string, decode: TextDecoderFor): string | null {
  const item = firstItem(dataSet, sequenceTag)
  return item ? elementText(item, item.elements[tags.codeMeaning], decode) : null
}

/** The SR's content tree as report text; empty when it has no text, code or number items. */
export function structuredReportText(dataSet: DataSet): { text: string; encoding: string } {
  const { name, decode } = decoderFor(dataSet.string(tags.specificCharacterSet))
  const lines: string[] = []
  const walk = (container: DataSet): void => {
    for (const item of container.elements[tags.contentSequence]?.items ?? []) {
      const node = item.dataSet
      if (!node) continue
      const valueType = node.string(tags.valueType)
      const concept = codeMeaning(node, tags.conceptNameCodeSequence, decode)
      const label = (value: string): string => (concept ? `${concept}: ${value}` : value)
      if (valueType === 'CONTAINER') {
        if (concept) lines.push(`${concept}:`)
        walk(node)
        continue
      }
      let value: string | null = null
      if (valueType === 'TEXT') value = elementText(node, node.elements[tags.textValue], decode)
      else if (valueType === 'CODE') value = codeMeaning(node, tags.conceptCodeSequence, decode)
      else if (valueType === 'NUM') value = numericValue(node, decode)
      if (value) lines.push(label(value))
      // Content items may have children (HAS PROPERTIES, INFERRED FROM …).
      walk(node)
    }
  }
  walk(dataSet)
  // A header line with nothing under it (an empty container) is dropped.
  const text = lines.filter((line, i) => !(line.endsWith(':') && (i === lines.length - 1 || lines[i + 1].endsWith(':')))).join('\n')
  return { text, encoding: name }
}

function numericValue(node: DataSet, decode: TextDecoderFor): string | null {
  const measured = firstItem(node, tags.measuredValueSequence)
  if (!measured) return null
  const value = elementText(measured, measured.elements[tags.numericValue], decode)
  if (!value) return null
  const unitItem = firstItem(measured, tags.measurementUnitsCodeSequence)
  const unit = unitItem ? elementText(unitItem, unitItem.elements[tags.codeValue], decode) : null
  return unit && unit !== '1' ? `${value} ${unit}` : value
}

/**
 * Stores a DICOM SR as a report of kind 'sr', matched by its StudyInstanceUID or AccessionNumber.
 * Throws an error naming the file when the SR holds no text, or more than any report.
 */
export function importStructuredReport(db: Db, file: string, dataSet: DataSet, jobId: number): StoreOutcome {
  const { text, encoding } = structuredReportText(dataSet)
  if (text.trim() === '') {
    throw new Error(`${path.basename(file)}: the structured report has no text, code or number content to read as a report`)
  }
  const unreadable = unreadableReport(text)
  if (unreadable) throw new Error(`${path.basename(file)}: the structured report's text ${unreadable}`)
  return storeReport(db, {
    sourcePath: file,
    sourceKind: 'sr',
    encoding,
    text,
    keys: dicomReportKeys(dataSet),
    jobId
  })
}

/** A report kept in DICOM names its study: it matches by StudyInstanceUID or AccessionNumber, never by where it lies. */
export function dicomReportKeys(dataSet: DataSet): MatchKeys {
  return {
    studyUid: dataSet.string(tags.studyInstanceUid) ?? null,
    accession: dataSet.string(tags.accessionNumber) ?? null,
    fileStem: null,
    place: null,
    patientDate: null,
    images: [],
    caseId: null
  }
}

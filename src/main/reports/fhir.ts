/**
 * HL7 FHIR (R4) DiagnosticReport resources, as a RIS exports its reports through FHIR: one resource,
 * a Bundle of them (a search result, a transaction), or the NDJSON lines of a bulk export. A report's
 * text is its presented form (the full report, text/plain or text/html in base64; else the PDF, read by
 * the caller), else its narrative (text.div, XHTML), else its conclusion. Its keys: the accession number (an identifier of type ACSN,
 * the HL7 v2 table 0203 code, on the report or the order it is based on), the study UID (the
 * ImagingStudy it references, identifier system urn:dicom:uid), the patient's identifier and the date
 * it is effective. References are followed within the file (a Bundle's entries, contained resources).
 */
import { isPdf } from './pdf'

/** A report read from a FHIR resource, named as report-records.ts names a record's fields. */
export interface FhirReport {
  fields: { text?: string; pdf?: Uint8Array; impression?: string; accession?: string; studyUid?: string; patientId?: string; studyDate?: string }
  where: string
}

type Resource = Record<string, unknown>

function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Resource).resourceType === 'string'
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/**
 * The DiagnosticReports among parsed JSON values (one resource, a Bundle, or a list of them), or
 * null when none of them is a FHIR resource: the JSON is some other export.
 */
export function fhirReports(values: unknown[]): FhirReport[] | null {
  const resources = values.flatMap((value): Resource[] => {
    if (!isResource(value)) return []
    if (value.resourceType !== 'Bundle') return [value]
    return array(value.entry).flatMap((entry) => {
      const resource = (entry as Resource | null)?.resource
      return isResource(resource) ? [{ ...resource, fullUrl: (entry as Resource).fullUrl }] : []
    })
  })
  if (resources.length === 0) return null
  const byReference = referenceIndex(resources)
  const reports = resources.filter((r) => r.resourceType === 'DiagnosticReport')
  return reports.map((report, i) => ({
    fields: reportFields(report, (reference) => byReference.get(reference) ?? containedIn(report, reference)),
    where: reports.length === 1 ? 'the DiagnosticReport' : `DiagnosticReport ${i + 1}${typeof report.id === 'string' ? ` (${report.id})` : ''}`
  }))
}

/** Resources by the references that name them: "ImagingStudy/12" and a Bundle entry's fullUrl. */
function referenceIndex(resources: Resource[]): Map<string, Resource> {
  const index = new Map<string, Resource>()
  for (const r of resources) {
    if (typeof r.id === 'string') index.set(`${String(r.resourceType)}/${r.id}`, r)
    if (typeof r.fullUrl === 'string') index.set(r.fullUrl, r)
  }
  return index
}

/** A contained resource ("#is1") of the report. */
function containedIn(report: Resource, reference: string): Resource | undefined {
  return reference.startsWith('#') ? array(report.contained).filter(isResource).find((c) => c.id === reference.slice(1)) : undefined
}

function reportFields(report: Resource, resolve: (reference: string) => Resource | undefined): FhirReport['fields'] {
  const referenced = (value: unknown): Resource | undefined => {
    const reference = text((value as Resource | null)?.reference)
    return reference ? resolve(reference) : undefined
  }
  const presented = presentedText(report)
  const full = presented ?? text((report.text as Resource | undefined)?.div)
  const orders = array(report.basedOn).flatMap((b) => [referenced(b), b as Resource])
  const studies = array(report.imagingStudy).flatMap((s) => [referenced(s), s as Resource])
  const subject = referenced(report.subject) ?? (report.subject as Resource | undefined)
  return {
    text: full,
    pdf: presented ? undefined : presentedPdf(report),
    impression: full ? undefined : text(report.conclusion),
    accession: [report, ...orders].map((r) => accessionOf(r)).find((a) => a !== undefined),
    studyUid: studies.map((s) => studyUidOf(s)).find((u) => u !== undefined),
    patientId: identifiersOf(subject).find((id) => id.value)?.value,
    studyDate: text(report.effectiveDateTime) ?? text((report.effectivePeriod as Resource | undefined)?.start) ?? text(report.issued)
  }
}

/** The full report a presentedForm attachment holds as text (plain or HTML, base64), in its charset. */
function presentedText(report: Resource): string | undefined {
  for (const form of array(report.presentedForm) as Resource[]) {
    const type = text(form?.contentType) ?? ''
    const data = text(form?.data)
    if (!data || !/^text\/(?:plain|html)/i.test(type)) continue
    const charset = /charset=([\w-]+)/i.exec(type)?.[1] ?? 'utf-8'
    try {
      return new TextDecoder(charset).decode(Buffer.from(data, 'base64'))
    } catch {
      return new TextDecoder('utf-8').decode(Buffer.from(data, 'base64'))
    }
  }
  return undefined
}

/** The full report a presentedForm attachment holds as a PDF (base64). */
function presentedPdf(report: Resource): Uint8Array | undefined {
  for (const form of array(report.presentedForm) as Resource[]) {
    const data = text(form?.data)
    if (!data || !/^application\/pdf/i.test(text(form?.contentType) ?? '')) continue
    const bytes = Buffer.from(data, 'base64')
    if (isPdf(bytes)) return bytes
  }
  return undefined
}

interface Identifier {
  system?: string
  value?: string
  codes: string[]
}

function identifiersOf(resource: Resource | undefined): Identifier[] {
  const listed = array(resource?.identifier)
  // a reference may carry a logical identifier of its own (imagingStudy: {identifier: {…}})
  const own = resource && !Array.isArray(resource.identifier) && resource.identifier ? [resource.identifier] : []
  return [...listed, ...own].map((raw) => {
    const id = raw as Resource
    const codes = array((id.type as Resource | undefined)?.coding).flatMap((c) => (typeof (c as Resource).code === 'string' ? [(c as Resource).code as string] : []))
    return { system: text(id.system), value: text(id.value), codes }
  })
}

/** An identifier of type ACSN (HL7 v2 table 0203), or one whose system names accession numbers. */
function accessionOf(resource: Resource | undefined): string | undefined {
  return identifiersOf(resource).find((id) => id.value && (id.codes.includes('ACSN') || /accession/i.test(id.system ?? '')))?.value
}

/** The DICOM Study Instance UID of an ImagingStudy: its identifier in system urn:dicom:uid, written urn:oid:… */
function studyUidOf(resource: Resource | undefined): string | undefined {
  const id = identifiersOf(resource).find((i) => i.system === 'urn:dicom:uid' && i.value)
  return id?.value?.replace(/^urn:oid:/, '')
}

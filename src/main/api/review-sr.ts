import dcmjs from 'dcmjs'
import type { NoduleFinding } from '../../shared/finding'
import { writePart10 } from '../dicom/part10-writer'
import type { BasicProfile } from '../privacy/basic-profile'
import type { ExportRow } from '../store/review-repository'
import type { StudyIdentity } from '../store/study-repository'

/**
 * The reviewed findings of one study as a DICOM Comprehensive SR document. It is written as the
 * site's SR of that study (patient, study UID, date, accession, reviewers by name) and then goes
 * through the PS3.15 basic profile like every export: the pseudonym stands for patient name and
 * ID, dates and free identifiers go, UIDs are replaced consistently (every export of the same
 * study lands in the same de-identified study), reviewers become "Reviewer N".
 */

/** The study an SR is about, as stored: its identifiers go in, the profile takes them out. */
export type ExportedStudy = StudyIdentity

const { DicomMetaDictionary } = dcmjs.data

const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33'
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'

type Code = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }
const code = (value: string, scheme: string, meaning: string): Code => ({ CodeValue: value, CodingSchemeDesignator: scheme, CodeMeaning: meaning })

const codes = {
  report: code('18748-4', 'LN', 'Diagnostic imaging report'),
  observer: code('121008', 'DCM', 'Person Observer Name'),
  findings: code('121070', 'DCM', 'Findings'),
  finding: code('121071', 'DCM', 'Finding'),
  comment: code('121106', 'DCM', 'Comment'),
  // This application's own concepts, in a private coding scheme (PS3.16 8.2: 99 prefix).
  decision: code('DECISION', '99VZW', 'Clinician review decision'),
  reason: code('REASON', '99VZW', 'Reason for rejection'),
  original: code('AITEXT', '99VZW', 'AI-generated text before review'),
  location: code('LOCATION', '99VZW', 'Nodule location'),
  size: code('SIZE', '99VZW', 'Nodule long-axis size'),
  millimetre: code('mm', 'UCUM', 'millimeter')
}

type Item = Record<string, unknown>

const text = (concept: Code, value: string, relationship = 'CONTAINS'): Item => ({
  RelationshipType: relationship,
  ValueType: 'TEXT',
  ConceptNameCodeSequence: [concept],
  TextValue: value.slice(0, 1024)
})

function nodules(structured: unknown): Item[] {
  const finding = structured as NoduleFinding | null
  if (!finding || !Array.isArray(finding.items)) return []
  return finding.items.flatMap((n) => {
    const where = [n.side, n.zone && `${n.zone} zone`, n.lobe].filter(Boolean).join(' ')
    const items: Item[] = []
    if (where) items.push(text(codes.location, where))
    if (n.sizeMm)
      items.push({
        RelationshipType: 'CONTAINS',
        ValueType: 'NUM',
        ConceptNameCodeSequence: [codes.size],
        MeasuredValueSequence: [{ NumericValue: String(n.sizeMm), MeasurementUnitsCodeSequence: [codes.millimetre] }]
      })
    return items
  })
}

function findingContainer(row: ExportRow): Item {
  const children: Item[] = [text(codes.finding, row.finalText), text(codes.decision, row.decision)]
  if (row.reason) children.push(text(codes.reason, row.reason))
  if (row.comment) children.push(text(codes.comment, row.comment))
  if (row.finalText !== row.originalText) children.push(text(codes.original, row.originalText))
  children.push(...nodules(row.finalStructured))
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codes.findings],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children
  }
}

const dicomDateTime = (d: Date) => {
  const iso = d.toISOString()
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') }
}

/** One Comprehensive SR document (Part 10 bytes) for the reviewed findings of one study. */
export function reviewStructuredReport(study: ExportedStudy, rows: ExportRow[], profile: BasicProfile, now = new Date()): Buffer {
  if (rows.length === 0) throw new Error(`Study ${study.pseudonym} has no reviewed findings to export`)
  const { date, time } = dicomDateTime(now)
  const reviewers = [...new Set(rows.map((r) => r.reviewer))]
  const identified = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: COMPREHENSIVE_SR,
    SOPInstanceUID: DicomMetaDictionary.uid(),
    PatientName: study.patientName ?? '',
    PatientID: study.patientId ?? '',
    PatientBirthDate: study.birthDate ?? '',
    PatientSex: '',
    StudyInstanceUID: study.studyUid,
    StudyDate: study.studyDate ?? '',
    StudyTime: '',
    ReferringPhysicianName: '',
    StudyID: '',
    AccessionNumber: study.accessionNumber ?? '',
    Modality: 'SR',
    SeriesInstanceUID: DicomMetaDictionary.uid(),
    SeriesNumber: '1',
    ReferencedPerformedProcedureStepSequence: [],
    Manufacturer: 'Vision-Zero Workstation',
    InstanceNumber: '1',
    ContentDate: date,
    ContentTime: time,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    PerformedProcedureCodeSequence: [],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codes.report],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: [
      ...reviewers.map((name) => ({ RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: [codes.observer], PersonName: name })),
      ...rows.map(findingContainer)
    ]
  }
  const dataset = profile.dataset(identified, study.pseudonym)
  return Buffer.from(writePart10(dataset, EXPLICIT_VR_LITTLE_ENDIAN, { classUid: '2.25.298153617425318244733925391476420467315' }))
}

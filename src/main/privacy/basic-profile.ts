import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import dcmjs from 'dcmjs'
import { identifierCleaner, type StudyIdentifiers } from './identifiers'

export type { StudyIdentifiers } from './identifiers'

/**
 * PS3.15 Annex E Basic Application Level Confidentiality Profile, applied to every dataset and
 * every row this app exports (REFERENCE C §5). One place for the rules:
 * - attributes by keyword with their Table E.1-1 action, resolved for the objects written here
 *   (X remove, Z empty, D dummy, U new UID);
 * - by value representation, for attributes the table lists by the dozen: every date and time
 *   emptied, every person name emptied unless the table asks for a dummy, every UID that is not a
 *   DICOM-defined one (SOP classes, transfer syntaxes: 1.2.840.10008.*) replaced, every kept
 *   string cleaned of the studies' identifiers;
 * - every private attribute (odd group) removed, with anything else not in the data dictionary;
 * - Clean Structured Content option (DCM 113104): an SR's content tree is kept, its text cleaned
 *   of the identifiers of the exported studies, its names, dates and UIDs treated as above.
 * UIDs are replaced by a keyed hash (HMAC-SHA-256, key kept in the data folder) written as a 2.25
 * UID: the same original always gets the same replacement, so exports stay internally consistent
 * with each other, and nobody without the key can match a replacement to an original.
 */

type Action = 'X' | 'Z' | 'D' | 'U'
type Dataset = Record<string, unknown>
type Code = { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }

/** Table E.1-1 rows for patient, study, series, equipment, request and SR header attributes. */
const attributeActions: Record<string, Action> = {
  // Patient
  PatientName: 'D',
  PatientID: 'D',
  IssuerOfPatientID: 'X',
  OtherPatientIDs: 'X',
  OtherPatientIDsSequence: 'X',
  OtherPatientNames: 'X',
  PatientBirthName: 'X',
  PatientMotherBirthName: 'X',
  PatientBirthDate: 'Z',
  PatientBirthTime: 'X',
  PatientSex: 'Z',
  PatientAge: 'X',
  PatientSize: 'X',
  PatientWeight: 'X',
  PatientAddress: 'X',
  PatientTelephoneNumbers: 'X',
  MedicalRecordLocator: 'X',
  EthnicGroup: 'X',
  Occupation: 'X',
  AdditionalPatientHistory: 'X',
  PatientComments: 'X',
  MilitaryRank: 'X',
  BranchOfService: 'X',
  CountryOfResidence: 'X',
  RegionOfResidence: 'X',
  PatientReligiousPreference: 'X',
  PregnancyStatus: 'X',
  // Study, visit and request
  AccessionNumber: 'Z',
  StudyID: 'Z',
  StudyDescription: 'X',
  ReferringPhysicianName: 'Z',
  ReferringPhysicianAddress: 'X',
  ReferringPhysicianTelephoneNumbers: 'X',
  ReferringPhysicianIdentificationSequence: 'X',
  PhysiciansOfRecord: 'X',
  NameOfPhysiciansReadingStudy: 'X',
  RequestingPhysician: 'X',
  RequestingService: 'X',
  RequestAttributesSequence: 'X',
  RequestedProcedureDescription: 'X',
  RequestedProcedureID: 'X',
  ScheduledProcedureStepDescription: 'X',
  PerformedProcedureStepDescription: 'X',
  PerformedProcedureStepID: 'X',
  // X/Z/D in the table; Type 2 in the SR Document Series module, so present and empty.
  ReferencedPerformedProcedureStepSequence: 'Z',
  ReferencedPatientSequence: 'X',
  ReferencedStudySequence: 'X',
  AdmittingDiagnosesDescription: 'X',
  AdmissionID: 'X',
  // Series, equipment and acquisition
  SeriesDescription: 'X',
  ProtocolName: 'X',
  OperatorsName: 'X',
  PerformingPhysicianName: 'X',
  InstitutionName: 'X',
  InstitutionAddress: 'X',
  InstitutionalDepartmentName: 'X',
  StationName: 'X',
  DeviceSerialNumber: 'X',
  ImageComments: 'X',
  DerivationDescription: 'X',
  // SR document header
  VerifyingObserverSequence: 'X',
  ContentCreatorName: 'Z',
  PersonName: 'D',
  // Content Date/Time are Type 1 in an SR document: a dummy, not a gap (Z/D).
  ContentDate: 'D',
  ContentTime: 'D'
}

/** The values a dummy (D) takes where it is not a pseudonym. */
const dummies: Record<string, string> = { ContentDate: '19000101', ContentTime: '000000' }

const code = (value: string, meaning: string): Code => ({ CodeValue: value, CodingSchemeDesignator: 'DCM', CodeMeaning: meaning })

/** Patient Identity Removed and the method, as every de-identified dataset must carry them. */
export const deidentificationMethod = {
  PatientIdentityRemoved: 'YES',
  DeidentificationMethod: 'PS3.15 Basic Application Confidentiality Profile; Clean Structured Content Option',
  DeidentificationMethodCodeSequence: [code('113100', 'Basic Application Confidentiality Profile'), code('113104', 'Clean Structured Content Option')]
}

const { nameMap } = dcmjs.data.DicomMetaDictionary
const isDicomDefinedUid = (uid: string) => uid.startsWith('1.2.840.10008.')
/** Value representations that hold words a person wrote (CS, AE and the like hold codes). */
const textVrs = new Set(['LO', 'SH', 'LT', 'ST', 'UT', 'UC'])

/** One export's de-identification: consistent UIDs and person dummies, text cleaning, dataset rules. */
export class BasicProfile {
  private readonly people = new Map<string, string>()
  private readonly cleanText: (text: string) => string

  constructor(
    private readonly uidKey: Uint8Array,
    studies: readonly StudyIdentifiers[]
  ) {
    this.cleanText = identifierCleaner(studies)
  }

  /** The replacement (U) of a UID: 2.25 + 122 bits of HMAC, stable under this key. */
  uid(original: string): string {
    const digest = crypto.createHmac('sha256', this.uidKey).update(original).digest()
    // A 2.25 UID is a UUID as a decimal integer: set the version-4 and variant bits (PS3.5 B.2).
    digest[6] = (digest[6] & 0x0f) | 0x40
    digest[8] = (digest[8] & 0x3f) | 0x80
    return `2.25.${BigInt('0x' + digest.subarray(0, 16).toString('hex')).toString()}`
  }

  /** The dummy (D) for a person other than the patient: "Reviewer N", the same N for the same name within this export. */
  person(name: string): string {
    if (!this.people.has(name)) this.people.set(name, `Reviewer ${this.people.size + 1}`)
    return this.people.get(name)!
  }

  /** Free text with every identifier of the exported studies replaced by "[removed]". */
  text(value: string): string {
    return this.cleanText(value)
  }

  /**
   * A naturalized (keyword-keyed) dataset with the profile applied, recursively; `pseudonym` is
   * the dummy for patient name and ID. Adds Patient Identity Removed and the method codes.
   */
  dataset(input: Dataset, pseudonym: string): Dataset {
    return { ...this.clean(input, pseudonym), ...deidentificationMethod }
  }

  private clean(input: Dataset, pseudonym: string): Dataset {
    const out: Dataset = {}
    for (const [keyword, value] of Object.entries(input)) {
      if (keyword.startsWith('_')) continue
      const vr = nameMap[keyword]?.vr
      // Not a keyword of the data dictionary — every private attribute (odd group, kept by its tag
      // number), and anything else that cannot be judged — is removed.
      if (!vr) continue
      const action = attributeActions[keyword] ?? actionByVr(vr, value)
      if (action === 'X') continue
      if (action === 'Z') out[keyword] = vr === 'SQ' ? [] : ''
      else if (action === 'D') out[keyword] = keyword === 'PatientName' || keyword === 'PatientID' ? pseudonym : (dummies[keyword] ?? this.person(personName(value)))
      else if (action === 'U') out[keyword] = Array.isArray(value) ? value.map((v) => this.uid(String(v))) : this.uid(String(value))
      else out[keyword] = this.keep(vr, value, pseudonym)
    }
    return out
  }

  /** A kept attribute: sequences are cleaned item by item, strings (free text of the structured content too) cleaned of identifiers. */
  private keep(vr: string, value: unknown, pseudonym: string): unknown {
    if (vr === 'SQ') return (value as Dataset[]).map((item) => this.clean(item, pseudonym))
    if (!textVrs.has(vr)) return value
    return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? this.text(v) : v)) : typeof value === 'string' ? this.text(value) : value
  }
}

/** Table E.1-1's by-the-dozen rows, by value representation; K for the rest (strings cleaned when kept). */
function actionByVr(vr: string, value: unknown): Action | 'K' {
  // Z rather than X: an attribute of Type 2 must stay present, and an empty one says nothing.
  if (vr === 'DA' || vr === 'TM' || vr === 'DT' || vr === 'PN') return 'Z'
  if (vr === 'UI') {
    const uids = Array.isArray(value) ? value.map(String) : [String(value)]
    return uids.every(isDicomDefinedUid) ? 'K' : 'U'
  }
  return 'K'
}

function personName(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value
  if (first && typeof first === 'object' && 'Alphabetic' in first) return String((first as { Alphabetic: unknown }).Alphabetic)
  return String(first ?? '')
}

const UID_KEY_BYTES = 32

/**
 * The installation's UID key, `<data>/privacy/uid-key` (32 bytes, owner-only): made once, kept
 * with the data it protects. A key file cut short by a crash is made again — no export can have
 * used it, since exports start only after the key is whole.
 */
export function uidKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'privacy', 'uid-key')
  const existing = fs.existsSync(file) ? fs.readFileSync(file) : null
  if (existing?.length === UID_KEY_BYTES) return existing
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const key = crypto.randomBytes(UID_KEY_BYTES)
  fs.writeFileSync(file, key, { mode: 0o600 })
  return key
}


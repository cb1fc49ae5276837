/**
 * HL7 v2 result messages (ORU^R01, and MDM document messages): how a RIS sends its reports to the
 * hospital's other systems, and what an interface engine writes to a file when asked for "the
 * reports" — one message or a batch of them, segments ended by CR (or a line end), a message by the
 * next MSH. Each order (OBR) with the text observations (OBX) after it is one report:
 * - the text: OBX-5 of each text observation (TX, FT, ST, and CE/CWE's words), a repetition a line,
 *   HL7's escapes undone (\.br\ is a line end, \F\ the field separator …), under a heading named by
 *   OBX-3 (IHE's GDT/IMP codes, LOINC's findings and impression codes, or a name such as "Impression");
 *   where there is none, the PDF an encapsulated-data observation holds (ED, Base64: the signed report);
 * - its keys: the Study Instance UID of the ZDS segment (IHE Scheduled Workflow), the accession number
 *   (OBR-3, the filler's order number, which RIS fill with it; else OBR-18, else OBR-2), the patient ID
 *   (PID-3) and the study date (OBR-7, else OBR-22).
 * Other messages (ADT, ORM …) hold no report and are passed over.
 */
import { isPdf } from './pdf'
import { sectionOfName } from './sections'

/** One report of a message: its text (or the PDF that holds it) and the fields that match it to a study, as written (absent when not). */
export interface Hl7Report {
  fields: { text?: string; pdf?: Uint8Array; accession?: string; studyUid?: string; patientId?: string; studyDate?: string }
  /** "message 3", "message 3, order 2": where it is in the file, for messages to the user. */
  where: string
}

/**
 * Whether text is HL7 v2: it begins with an MSH segment, or with a batch's file or batch header (FHS,
 * BHS: a day's results an interface engine wrote to one file), after MLLP's start byte or a BOM, if any.
 */
export function isHl7Message(text: string): boolean {
  return /^[\ufeff\x0b\s]*(?:MSH|FHS|BHS)[|^~\\&#]/.test(text)
}

/** How a message writes its structure: MSH-1 and MSH-2 (usually | and ^~\&). */
interface Delimiters {
  field: string
  component: string
  repetition: string
  escape: string
  subcomponent: string
}

function delimitersOf(msh: string): Delimiters {
  const [component = '^', repetition = '~', escape = '\\', subcomponent = '&'] = msh.slice(4, 8).split('')
  return { field: msh[3], component, repetition, escape, subcomponent }
}

/** Headings by OBX-3's code: IHE's radiology report codes and LOINC's radiology narrative codes. */
const headingOfCode: Record<string, string> = {
  GDT: 'Findings',
  IMP: 'Impression',
  ADT: 'Addendum',
  REC: 'Recommendation',
  HIS: 'History',
  TCM: 'Technique',
  '18782-3': 'Findings',
  '19005-8': 'Impression',
  '18834-2': 'Comparison',
  '55752-0': 'Clinical information'
}

/** Observation value types whose value is words: text, formatted text, string, and a coded value's text. */
const textValueTypes = new Set(['TX', 'FT', 'ST', 'CE', 'CWE'])

export function hl7Reports(text: string): Hl7Report[] {
  const segments = text
    .replace(/[\x0b\x1c\ufeff]/g, '')
    .split(/\r\n|\r|\n/)
    .map((s) => s.trimStart())
    .filter((s) => s !== '')
  const messages: string[][] = []
  for (const segment of segments) {
    if (segment.startsWith('MSH')) messages.push([segment])
    else messages[messages.length - 1]?.push(segment)
  }
  return messages.flatMap((message, i) => reportsOfMessage(message, i + 1))
}

function reportsOfMessage(segments: string[], number: number): Hl7Report[] {
  const d = delimitersOf(segments[0])
  const fieldsOf = (segment: string): string[] => segment.split(d.field)
  const first = (value: string | undefined): string | undefined => {
    const v = unescapeHl7(value?.split(d.repetition)[0]?.split(d.component)[0] ?? '', d).trim()
    return v === '' ? undefined : v
  }
  const pid = segments.map(fieldsOf).find((f) => f[0] === 'PID')
  const zds = segments.map(fieldsOf).find((f) => f[0] === 'ZDS')
  const orders: { obr: string[] | null; observations: string[][] }[] = []
  for (const fields of segments.map(fieldsOf)) {
    if (fields[0] === 'OBR') orders.push({ obr: fields, observations: [] })
    else if (fields[0] === 'OBX') {
      if (orders.length === 0) orders.push({ obr: null, observations: [] })
      orders[orders.length - 1].observations.push(fields)
    }
  }
  return orders.flatMap((order, j) => {
    const reportText = observationText(order.observations, d)
    const pdf = reportText === '' ? encapsulatedPdf(order.observations, d) : undefined
    if (reportText === '' && !pdf) return []
    const obr = order.obr ?? []
    const date = first(obr[7]) ?? first(obr[22])
    return [
      {
        fields: {
          ...(pdf ? { pdf } : { text: reportText }),
          accession: first(obr[3]) ?? first(obr[18]) ?? first(obr[2]),
          studyUid: first(zds?.[1]),
          patientId: first(pid?.[3]),
          studyDate: date && /^\d{8}/.test(date) ? date.slice(0, 8) : undefined
        },
        where: orders.length > 1 ? `message ${number}, order ${j + 1}` : `message ${number}`
      }
    ]
  })
}

/** The report's text: each text observation's lines, under a heading line where OBX-3 names a new one. */
function observationText(observations: string[][], d: Delimiters): string {
  const lines: string[] = []
  let heading: string | null = null
  for (const obx of observations) {
    if (!textValueTypes.has(obx[2]?.trim() ?? '')) continue
    const coded = obx[2].trim() === 'CE' || obx[2].trim() === 'CWE'
    const values = (obx[5] ?? '').split(d.repetition).map((v) => unescapeHl7(coded ? (v.split(d.component)[1] ?? '') : v, d))
    if (values.every((v) => v.trim() === '')) continue
    const named = headingOf(obx[3] ?? '', d)
    if (named && named !== heading) lines.push(`${named}:`)
    heading = named ?? heading
    lines.push(...values)
  }
  return lines.join('\n').trim()
}

/**
 * The PDF an encapsulated-data observation holds: OBX-2 ED, OBX-5 source^type^subtype^encoding^data
 * ("^AP^PDF^Base64^JVBERi0…", "^application^pdf^Base64^…"); what the data is is read from its bytes.
 */
function encapsulatedPdf(observations: string[][], d: Delimiters): Uint8Array | undefined {
  for (const obx of observations) {
    if (obx[2]?.trim() !== 'ED') continue
    const [, , , encoding = '', data = ''] = (obx[5] ?? '').split(d.repetition)[0].split(d.component)
    if (!/^base64$/i.test(encoding.trim())) continue
    const bytes = Buffer.from(unescapeHl7(data, d), 'base64')
    if (isPdf(bytes)) return bytes
  }
  return undefined
}

function headingOf(identifier: string, d: Delimiters): string | null {
  const [code = '', name = ''] = identifier.split(d.component).map((c) => unescapeHl7(c, d).trim())
  const byCode = headingOfCode[code.replace(/^&/, '').toUpperCase()]
  if (byCode) return byCode
  return sectionOfName(name) ? name : null
}

/**
 * HL7's escapes undone: the delimiters (\F\ \S\ \T\ \R\ \E\), line breaks (\.br\, \.sp\), hexadecimal
 * bytes (\X0D0A\, read as Latin-1: the message's character set is the file's), and highlighting and
 * formatting commands (\H\ \N\ \.in\ …), which carry no words.
 */
function unescapeHl7(value: string, d: Delimiters): string {
  if (!value.includes(d.escape)) return value
  const e = d.escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
  return value.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (_, sequence: string) => {
    const named: Record<string, string> = { F: d.field, S: d.component, T: d.subcomponent, R: d.repetition, E: d.escape, '.br': '\n' }
    if (sequence in named) return named[sequence]
    if (/^\.sp\s*\d*$/.test(sequence)) return '\n'.repeat(Math.min(Number(sequence.slice(3).trim() || '1'), 10))
    if (/^X(?:[0-9A-Fa-f]{2})+$/.test(sequence)) return Buffer.from(sequence.slice(1), 'hex').toString('latin1')
    return ''
  })
}

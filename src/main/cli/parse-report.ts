import fs from 'node:fs'
import { decodeReportBytes, hl7Reports, isHl7Message, isOfficeDocument, isPdf, isWebArchive, parseReport, pdfReportText, pdfText, reportFileKind, reportFileReader, unreadableReport, webArchiveText, wordDocumentText } from '../reports'
import type { CliCommand } from './command'

/** Reads stdin to the end as bytes. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

function oneOf<T>(reports: T[]): T {
  if (reports.length !== 1) throw new Error(`it holds ${reports.length} reports; parse-report reads one (vzw import reads them all)`)
  return reports[0]
}

/** The text itself, or the one report of an HL7 result message (its segments are no report text; its report may be a PDF). */
async function oneReportOf(text: string): Promise<string> {
  if (!isHl7Message(text)) return text
  const { fields } = oneOf(hl7Reports(text))
  return fields.pdf ? pdfReportText(fields.pdf) : (fields.text ?? '')
}

/** Bytes that are no named report file, by what they are: a PDF, a web archive, a Word document, or text. */
async function textOfBytes(bytes: Buffer): Promise<string> {
  if (isPdf(bytes)) return pdfText(bytes)
  if (isWebArchive(bytes)) return webArchiveText(bytes)
  return isOfficeDocument(bytes) ? wordDocumentText(bytes).text : oneReportOf(decodeReportBytes(bytes).text)
}

/** A file named as a report file is read as the import reads it (a Word document, an XML or JSON export …); other bytes by what they are. */
async function reportText(source: string, bytes: Buffer): Promise<string> {
  if (source !== '-' && reportFileKind(source)) {
    const { records, problems } = await reportFileReader()(source)
    if (records.length === 0 && problems.length > 0) throw new Error(problems[0])
    return oneOf(records.map((r) => r.text))
  }
  const text = await textOfBytes(bytes)
  // what the import refuses, parse-report refuses too (a report in another language, one longer than any report)
  const unreadable = unreadableReport(text)
  if (unreadable) throw new Error(`its text ${unreadable}`)
  return text
}

export const parseReportCommand: CliCommand = {
  name: 'parse-report',
  summary: 'Parse a report (text file or stdin) into structured nodule findings, printed as JSON',
  usage:
    'vzw parse-report FILE|-   (one report: text, HTML or RTF, in UTF-8, GB18030, Big5 or Windows-1252, a Word or OpenDocument document (.doc, .docx, .wps, .odt), a web page (.htm, .mht), a PDF, an HL7 result, a FHIR DiagnosticReport, or an XML, JSON or CSV export of one; "-" reads stdin)',
  options: {},
  async run(ctx) {
    const source = ctx.positionals[0]
    if (!source || ctx.positionals.length > 1) {
      console.error('Usage: vzw parse-report FILE|-')
      return 2
    }
    let bytes: Buffer
    try {
      bytes = source === '-' ? await readStdin() : fs.readFileSync(source)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      console.error(`vzw parse-report: cannot read ${source}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`)
      return 1
    }
    let text: string
    try {
      text = await reportText(source, bytes)
    } catch (err) {
      console.error(`vzw parse-report: ${source === '-' ? 'stdin' : source}: ${err instanceof Error ? err.message : String(err)}`)
      return 1
    }
    console.log(JSON.stringify(parseReport(text), null, 2))
    return 0
  }
}

import fs from 'node:fs'
import { decodeReportBytes, hl7Reports, isHl7Message, isOfficeDocument, isPdf, parseReport, pdfText, wordDocumentText } from '../reports'
import type { CliCommand } from './command'

/** Reads stdin to the end as bytes. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The text itself, or the one report of an HL7 result message (its segments are no report text). */
function oneReportOf(text: string): string {
  if (!isHl7Message(text)) return text
  const reports = hl7Reports(text)
  if (reports.length !== 1) throw new Error(`it holds ${reports.length} HL7 reports; parse-report reads one (vzw import reads them all)`)
  return reports[0].fields.text
}

export const parseReportCommand: CliCommand = {
  name: 'parse-report',
  summary: 'Parse a report (text file or stdin) into structured nodule findings, printed as JSON',
  usage:
    'vzw parse-report FILE|-   (one report: text, HTML or RTF, in UTF-8, GB18030, Big5 or Windows-1252, a Word document (.doc, .docx, .wps), a PDF, or an HL7 result; "-" reads stdin)',
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
      text = isPdf(bytes) ? await pdfText(bytes) : isOfficeDocument(bytes) ? wordDocumentText(bytes).text : oneReportOf(decodeReportBytes(bytes).text)
    } catch (err) {
      console.error(`vzw parse-report: ${source === '-' ? 'stdin' : source}: ${err instanceof Error ? err.message : String(err)}`)
      return 1
    }
    console.log(JSON.stringify(parseReport(text), null, 2))
    return 0
  }
}

/**
 * HL7 CDA R2 documents (the "Imaging Report" a PACS or RIS keeps in the study as an Encapsulated CDA,
 * SOP class 1.2.840.10008.5.1.4.1.1.104.2): the report is the narrative of the structured body — each
 * section's title a heading line, its <text> block (paragraphs, lists, tables, line breaks) the lines
 * under it — or a non-XML body's plain text. The document's header (patient, author, custodian) and
 * the coded entries are not report text and are left out. Namespace prefixes (<cda:section>) are read
 * as the plain names.
 */
import { decodeXML } from 'entities'
import { textLines, withoutBlocks } from './markup'

/** The XML's text, decoded as its declaration says (UTF-8 when it says nothing). */
export function decodeCdaBytes(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200))
  const declared = /<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes)
  } catch {
    return new TextDecoder('utf-8').decode(bytes)
  }
}

/** The report text of a CDA document; throws, in words, when it holds none. */
export function cdaReportText(xml: string): string {
  const plain = withoutPrefixes(xml)
  if (!/<ClinicalDocument\b/i.test(plain)) throw new Error('the encapsulated document is not an HL7 CDA document (no <ClinicalDocument>)')
  const structured = between(plain, /<structuredBody\b[^<>]*>/i, /<\/structuredBody\s*>/i)
  const text = structured !== null ? narrativeText(structured) : nonXmlBodyText(plain)
  if (text.trim() === '') throw new Error('the CDA document holds no report text (its body has no narrative)')
  return text
}

/**
 * What a CDA imaging report's header says of its study (DICOM PS3.20): the accession number is the
 * order it fulfils (inFulfillmentOf/order/id@extension), the Study Instance UID the service event it
 * documents (documentationOf/serviceEvent/id@root, when that is a UID and no extension qualifies it).
 */
export function cdaStudyKeys(xml: string): { accession: string | null; studyUid: string | null } {
  const plain = withoutPrefixes(xml)
  // An element's own id comes first in it (after its templateIds): a later id is a performer's or an author's.
  const ownId = (open: RegExp, close: RegExp): string | null => {
    const block = between(plain, open, close)
    return block === null ? null : (/^\s*(?:<templateId\b[^<>]*>\s*(?:<\/templateId\s*>\s*)?)*(<id\b[^<>]*>)/i.exec(block)?.[1] ?? null)
  }
  const attribute = (tag: string | null, name: string): string | null => (tag ? (new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(tag)?.[1].trim() ?? null) : null)
  const order = ownId(/<order\b[^<>]*>/i, /<\/order\s*>/i)
  const event = ownId(/<serviceEvent\b[^<>]*>/i, /<\/serviceEvent\s*>/i)
  const eventRoot = attribute(event, 'root')
  return {
    accession: attribute(order, 'extension') || null,
    studyUid: eventRoot && !attribute(event, 'extension') && /^\d+(?:\.\d+)+$/.test(eventRoot) ? eventRoot : null
  }
}

/** Namespace prefixes read as the plain names (<cda:section> is <section>). */
function withoutPrefixes(xml: string): string {
  return xml.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1')
}

function between(text: string, open: RegExp, close: RegExp): string | null {
  const start = open.exec(text)
  if (!start) return null
  const from = start.index + start[0].length
  const end = close.exec(text.slice(from))
  return text.slice(from, end ? from + end.index : text.length)
}

/** Section titles as heading lines, narrative blocks as lines, every other tag and the coded entries gone. */
function narrativeText(body: string): string {
  const lines = withoutBlocks(body, /<(entry)\b(?:[^<>]*[^/<>])?>/gi, (name) => new RegExp(`<\\/${name}\\s*>`, 'gi'))
    .replace(/<title\b[^<>]*>([^<]*)<\/title\s*>/gi, (_, title: string) => `\n${title.trim().replace(/[:：]$/, '')}:\n`)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:paragraph|item|list|caption|footnote|tr|table|thead|tbody|tfoot|section|text)\b[^<>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^<>]*>/g, '')
  // an empty title leaves its colon alone on a line
  return textLines(lines)
    .filter((line) => line !== ':')
    .join('\n')
}

/** A non-XML body: its <text>, plain or base64 (representation="B64"), when its media type is text. */
function nonXmlBodyText(document: string): string {
  const body = between(document, /<nonXMLBody\b[^<>]*>/i, /<\/nonXMLBody\s*>/i)
  if (body === null) throw new Error('the CDA document has neither a structured nor a non-XML body')
  const open = /<text\b([^<>]*)>/i.exec(body)
  if (!open) return ''
  const attributes = open[1]
  const mediaType = /\bmediaType\s*=\s*["']([^"']+)["']/i.exec(attributes)?.[1].toLowerCase() ?? 'text/plain'
  if (!mediaType.startsWith('text/')) throw new Error(`the CDA document's body is ${mediaType}, not text`)
  const content = body.slice(open.index + open[0].length).split(/<\/text\s*>/i)[0]
  const base64 = /\brepresentation\s*=\s*["']B64["']/i.test(attributes)
  return base64 ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf-8') : decodeXML(content.replace(/<[^<>]*>/g, ''))
}

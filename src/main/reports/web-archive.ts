/**
 * A web archive (MHTML: .mht, .mhtml — what Internet Explorer saved a RIS page as, and the .doc a web
 * application writes so that Word opens it): a MIME message whose HTML part is the page. Its parts,
 * transfer encodings (quoted-printable, base64) and charsets are read by postal-mime; the page is then
 * read as any HTML report is (markup.ts).
 */
import PostalMime from 'postal-mime'
import { normaliseReportText } from './text'

/** A MIME message: header lines from the first byte, one of them MIME-Version or a multipart Content-Type. */
export function isWebArchive(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1')
  return /^[A-Za-z][\w-]*:/.test(head) && /^(?:MIME-Version:|Content-Type:\s*multipart\/)/im.test(head.split(/\r?\n\r?\n/)[0])
}

/** The text of a web archive's page (its HTML part, else its plain text part); throws, in words, when it has none. */
export async function webArchiveText(bytes: Uint8Array): Promise<string> {
  let message: Awaited<ReturnType<typeof PostalMime.parse>>
  try {
    message = await PostalMime.parse(bytes)
  } catch (err) {
    throw new Error(`it is not a readable web archive (MIME): ${err instanceof Error ? err.message : String(err)}`)
  }
  const page = message.html ?? message.text
  if (!page || page.trim() === '') throw new Error('the web archive holds no HTML or text page')
  return normaliseReportText(page)
}

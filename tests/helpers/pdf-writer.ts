/**
 * Writes small PDF reports as report systems do: each line a text object, Latin text in Helvetica
 * (WinAnsiEncoding), Chinese in STSong-Light with the UniGB-UCS2-H encoding and the font not
 * embedded — the way iText-based Chinese RIS write them, so that reading them needs pdf.js's
 * character maps.
 */
import zlib from 'node:zlib'

export interface PdfOptions {
  /** An /Encrypt entry whose user password is not empty: the reader must refuse it. */
  passwordProtected?: boolean
  /** Blanks after each page's text, its content stream deflated (as most PDF writers do): a PDF bomb when large. */
  deflatedPadding?: number
  /** Points (11 when not given); the lines stand 1.45 of it apart. pdf.js leaves out text beyond the page. */
  fontSize?: number
  /**
   * Draws the cells column by column — every line's first cell from the top, then every second one —
   * as report templates draw their labels, then the values beside them: the stream's order is not the page's.
   */
  columnsFirst?: boolean
}

/** Text at a distance from the page's left edge, in points; a line of cells is a row of a header's table. */
export interface PdfCell {
  x: number
  text: string
  /** Drawn at 45°, as a watermark is. */
  slanted?: boolean
  /** Sheared as report generators fake italics (the text matrix's third number): upright text still. */
  italic?: boolean
  /** Drawn twice, the second a little to the right: bold faked by printing drivers with no bold face. */
  overprinted?: boolean
}

export type PdfLine = string | PdfCell[]

const chineseText = /[^\x00-\xff]/

/** A string operand: UCS-2 hex for the Chinese font, an escaped literal for Helvetica. */
function textOperand(line: string): string {
  if (chineseText.test(line)) return '<' + [...line].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('') + '>'
  return '(' + line.replace(/[()\\]/g, (m) => '\\' + m) + ')'
}

function pageContent(lines: PdfLine[], options: PdfOptions): string {
  const size = options.fontSize ?? 11
  const rows = lines.map((line) => (typeof line === 'string' ? [{ x: 56, text: line }] : line))
  const drawn = rows.flatMap((cells, row) =>
    cells.flatMap((cell, column) => [{ ...cell, row, column }, ...(cell.overprinted ? [{ ...cell, x: cell.x + 0.4, row, column }] : [])])
  )
  if (options.columnsFirst) drawn.sort((a, b) => a.column - b.column || a.row - b.row)
  const shown = drawn.map(
    (cell) =>
      `/${chineseText.test(cell.text) ? 'F2' : 'F1'} ${size} Tf ${cell.slanted ? '0.7071 0.7071 -0.7071 0.7071' : cell.italic ? '1 0 0.21 1' : '1 0 0 1'} ${cell.x} ${770 - 1.45 * size * cell.row} Tm ${textOperand(cell.text)} Tj`
  )
  return ['BT', ...shown, 'ET'].join('\n')
}

/** A content stream object; deflated (its bytes as latin1 characters) when padded. */
function contentStream(content: string, padding: number | undefined): string {
  if (padding === undefined) return `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`
  const deflated = zlib.deflateSync(Buffer.concat([Buffer.from(content, 'latin1'), Buffer.alloc(padding, 0x20)]), { level: 1 })
  return `<< /Length ${deflated.length} /Filter /FlateDecode >>\nstream\n${deflated.toString('latin1')}\nendstream`
}

/** A PDF of pages, each a list of lines. */
export function writePdf(pages: PdfLine[][], options: PdfOptions = {}): Buffer {
  const objects: string[] = []
  const add = (body: string): number => objects.push(body)
  const helvetica = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>')
  const descriptor = add(
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>'
  )
  const cidFont = add(
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor ${descriptor} 0 R >>`
  )
  const song = add(`<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [${cidFont} 0 R] >>`)
  // The page tree's number is known once the pages are: contents and page of each, then the tree.
  const pagesId = objects.length + 2 * pages.length + 1
  const kids = pages.map((lines) => {
    const stream = add(contentStream(pageContent(lines, options), options.deflatedPadding))
    return add(
      `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${helvetica} 0 R /F2 ${song} 0 R >> >> /Contents ${stream} 0 R >>`
    )
  })
  add(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`)
  const catalog = add(`<< /Type /Catalog /Pages ${pagesId} 0 R >>`)
  const encrypt = options.passwordProtected ? add(`<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`) : null

  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
  const offsets = objects.map((body, i) => {
    const offset = Buffer.byteLength(pdf, 'latin1')
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`
    return offset
  })
  const xref = Buffer.byteLength(pdf, 'latin1')
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  const encryption = encrypt ? ` /Encrypt ${encrypt} 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]` : ''
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${encryption} >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

/** A broken page tree and a stray ")" in the other page's resources: pdf.js then fails outside any promise it hands back. */
export function pdfThatEndsItsThread(): Buffer {
  let text = writePdf([['FINDINGS:', 'No nodule.'], ['IMPRESSION:', 'Normal.']]).toString('latin1')
  text = text.replace('/Type /Page /Parent', '/Type /Page /%arent')
  const resources = text.lastIndexOf('/F2 4 0 R >>')
  text = text.slice(0, resources) + '/F2 4 0 R)>>' + text.slice(resources + '/F2 4 0 R >>'.length)
  return Buffer.from(text, 'latin1')
}

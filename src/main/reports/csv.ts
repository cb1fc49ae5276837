/**
 * RFC 4180 CSV: fields separated by a delimiter, optionally double-quoted, "" inside quotes for a
 * quote, line breaks inside quotes kept, CRLF or LF rows. The delimiter is sniffed from the header
 * line (comma, semicolon, tab or pipe — spreadsheet exports in some locales use ';', hospital
 * information systems' flat files '|').
 */

export function sniffDelimiter(text: string): string {
  const candidates = [',', ';', '\t', '|']
  const counts = new Map(candidates.map((c) => [c, 0]))
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  }
  return candidates.reduce((best, c) => ((counts.get(c) ?? 0) > (counts.get(best) ?? 0) ? c : best), ',')
}

/** Thrown by parseCsv past its `maxRows`: the table is not read on. */
export class TooManyRows extends Error {}

/** Excel's columns: a row of more fields is no table of reports (a line of nothing but commas). */
const MAX_FIELDS_A_ROW = 16_384

/** Rows of fields; throws a plain-language error for an unterminated quoted field or a row of more fields than a sheet has columns, and TooManyRows past `maxRows`. */
export function parseCsv(text: string, delimiter = sniffDelimiter(text), maxRows = Infinity): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let line = 1
  let i = 0
  // A field's text is taken a run at a time, never a character at a time: a string grown by one
  // character per step costs V8 tens of bytes per character until it is flattened, so a table of long
  // reports near the read limit would take gigabytes.
  // (a delimiter is punctuation or a tab, each read as itself escaped)
  const plainRun = new RegExp(`[^\\${delimiter}\\r\\n]+`, 'y')
  // A blank line is an empty row, kept so that the rows after it keep the numbers a spreadsheet shows.
  const endRow = (): void => {
    row.push(field)
    field = ''
    rows.push(row)
    row = []
    if (rows.length > maxRows) throw new TooManyRows(`more than ${maxRows.toLocaleString('en')} rows`)
  }
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"' && field === '') {
      const quoted = quotedField(text, i, line)
      field = quoted.value
      line += quoted.lineBreaks
      i = quoted.end
    } else if (ch === delimiter) {
      row.push(field)
      field = ''
      i++
      if (row.length >= MAX_FIELDS_A_ROW) throw new Error(`line ${line} holds more than ${MAX_FIELDS_A_ROW.toLocaleString('en')} fields, more than a spreadsheet has columns`)
    } else if (ch === '\n' || ch === '\r') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      endRow()
    } else {
      plainRun.lastIndex = i
      plainRun.test(text)
      field += text.slice(i, plainRun.lastIndex)
      i = plainRun.lastIndex
    }
  }
  if (field !== '' || row.length) endRow()
  return rows
}

/** The quoted field that opens at `start`: its value ("" read as "), where it ends, and the line breaks it holds. */
function quotedField(text: string, start: number, line: number): { value: string; end: number; lineBreaks: number } {
  const parts: string[] = []
  let i = start + 1
  for (;;) {
    const quote = text.indexOf('"', i)
    if (quote < 0) throw new Error(`a quoted field that starts on line ${line} is never closed`)
    parts.push(text.slice(i, quote))
    if (text[quote + 1] !== '"') {
      const value = parts.join('"')
      return { value, end: quote + 1, lineBreaks: lineBreaksIn(value) }
    }
    i = quote + 2
  }
}

function lineBreaksIn(value: string): number {
  let count = 0
  for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) count++
  return count
}

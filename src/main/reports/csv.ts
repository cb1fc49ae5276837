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

/** Rows of fields; throws a plain-language error for an unterminated quoted field. */
export function parseCsv(text: string, delimiter = sniffDelimiter(text)): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let line = 1
  let i = 0
  const endField = (): void => {
    row.push(field)
    field = ''
  }
  // A blank line is an empty row, kept so that the rows after it keep the numbers a spreadsheet shows.
  const endRow = (): void => {
    endField()
    rows.push(row)
    row = []
  }
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"' && field === '') {
      const openedAt = line
      i++
      for (;;) {
        if (i >= text.length) throw new Error(`a quoted field that starts on line ${openedAt} is never closed`)
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        if (text[i] === '\n') line++
        field += text[i++]
      }
      continue
    }
    if (ch === delimiter) endField()
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      line++
      endRow()
    } else field += ch
    i++
  }
  if (field !== '' || row.length) endRow()
  return rows
}

/**
 * Report text stored as markup, read as the text a reader sees: HTML and RTF.
 *
 * HTML — a RIS database column or a web export put into a CSV cell or a .txt: block elements and line breaks are lines, table cells
 * are words apart, entities are their characters (the `entities` package: the full HTML table,
 * &times; and &#x53F3; included), tags, scripts and styles are gone. Without it a header in <b>
 * is no header and sentences run together across </p><p>.
 */
import { decodeHTML } from 'entities'

const tagNames =
  'html|head|body|title|meta|style|script|p|br|div|span|font|b|i|u|em|strong|small|big|sub|sup|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|pre|blockquote|center|hr'
/** Markup: one of those tags, or an entity where a report has none in plain text. */
const markupPattern = new RegExp(`<\\/?(?:${tagNames})(?:\\s[^<>]*)?\\/?>|&(?:nbsp|amp|lt|gt|quot|#\\d+|#x[0-9a-f]+);`, 'i')

export function looksLikeHtml(text: string): boolean {
  return markupPattern.test(text)
}

/**
 * Any tag once the text is known to be HTML (Word's saved pages hold <o:p>, <a name>, <img>), a
 * declaration (<!DOCTYPE>, Word's <![if !supportLists]>) or a processing instruction (<?xml?>).
 */
const anyTag = /<\/?[a-z][\w:.-]*(?:\s[^<>]*)?\/?>|<![^<>]*>|<\?[^<>]*\?>/gi

/**
 * A tag whose style breaks the printed page before or after it (a RIS's "print all" page, Word's
 * <br style="page-break-before:always">): a form feed, so that a page of several reports splits. A
 * break after an element is put at its start: every report's block carries it, so the parts are the same.
 */
const pageBreakingTag = /<[a-z][\w:.-]*\s[^<>]*(?:page-break-(?:before|after)\s*:\s*always|break-(?:before|after)\s*:\s*page)[^<>]*>/gi

export function htmlToText(html: string): string {
  const text = withoutBlocks(withoutBlocks(html, /<(script|style|head)\b[^<>]*>/gi, (name) => new RegExp(`<\\/${name}\\s*>`, 'gi')), /<!--()/g, () => /-->/g)
    .replace(pageBreakingTag, '\n\f\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|li|tr|h[1-6]|table|thead|tbody|tfoot|caption|ul|ol|dl|dt|dd|pre|blockquote|center|hr|body|html|section|article|header|footer|main|nav|aside|address|figure|figcaption|form)\b[^<>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(anyTag, '')
  return textLines(text).join('\n')
}

/**
 * The lines of markup whose tags are gone (blocks already line ends): entities as their characters
 * (HTML's table holds XML's), white space in a line collapsed, blank lines dropped (tidyLines).
 */
export function textLines(untagged: string): string[] {
  return tidyLines(decodeHTML(untagged).replace(/\u00a0/g, ' '))
}

/** The lines of text, white space in each collapsed, blank lines dropped; a page break (\f) is a line of its own, not white space. */
function tidyLines(text: string): string[] {
  return text
    .replace(/\f/g, '\n\f\n')
    .split('\n')
    .map((line) => (line === '\f' ? line : line.replace(/[ \t]+/g, ' ').trim()))
    .filter((line) => line !== '')
}

/**
 * The rows of an HTML table as cell text: what many web-based RIS export as "Excel" (an .xls that is
 * a web page). Each <tr> is a row, each <td>/<th> in it a cell (closing tags optional, as HTML has
 * them); a split at each opening keeps the scan linear.
 */
export function htmlTableRows(html: string): string[][] {
  const body = withoutBlocks(html, /<(script|style|head)\b[^<>]*>/gi, (name) => new RegExp(`<\\/${name}\\s*>`, 'gi'))
  return body
    .split(/<tr\b[^<>]*>/i)
    .slice(1)
    .map((row) =>
      row
        .split(/<\/tr\s*>/i)[0]
        .split(/<t[dh]\b[^<>]*>/i)
        .slice(1)
        .map((cell) => htmlToText(cell).replace(/\n/g, ' '))
    )
}

/**
 * The text without each block from an opening (`open`, its group 1 naming it) to the close after
 * it. Each close is searched once from its opening, and a name whose close is missing is not
 * searched again: a hostile text of many openings and no close costs one pass, not one per opening.
 * An opening without a close stays, and its tag is stripped with the others.
 */
export function withoutBlocks(text: string, open: RegExp, closeOf: (name: string) => RegExp): string {
  let out = ''
  let kept = 0
  const unclosed = new Set<string>()
  open.lastIndex = 0
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const name = m[1].toLowerCase()
    if (unclosed.has(name)) continue
    const close = closeOf(name)
    close.lastIndex = open.lastIndex
    const found = close.exec(text)
    if (!found) {
      unclosed.add(name)
      continue
    }
    out += text.slice(kept, m.index)
    kept = open.lastIndex = found.index + found[0].length
  }
  return out + text.slice(kept)
}

/**
 * Report text a RIS or a word processor stored as RTF (a .rtf report, an RTF column exported to a
 * CSV cell), read as its text: groups, control words and the destinations that hold no text (font,
 * colour and style tables, document info, pictures, field instructions, `\*` groups) are dropped;
 * \par and \line are lines, \page a form feed, \tab a tab, \cell a space; \'hh bytes are decoded in the document's
 * code page (\ansicpg936 GBK, 950 Big5, …), \uN is the character N. Written here: the RTF packages
 * on the registry de-encapsulate Outlook's RTF or build a document model, none reads a plain
 * document's text in its code page.
 */
export function looksLikeRtf(text: string): boolean {
  return /^\s*\{\\rtf/.test(text)
}

const textlessDestinations = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'themedata', 'colorschememapping', 'datastore',
  'xmlnstbl', 'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'latentstyles', 'filetbl', 'revtbl', 'fldinst',
  'header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl', 'footerr', 'footerf', 'footnote', 'mmathPr'
])
const wordCharacters: Record<string, string> = {
  // a page break is a form feed, so that a file of reports a page each splits (report-records.ts)
  par: '\n', line: '\n', row: '\n', sect: '\n', page: '\f', tab: '\t', cell: ' ',
  emdash: '—', endash: '–', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', bullet: '•', emspace: ' ', enspace: ' '
}
const symbolCharacters: Record<string, string> = { '\\': '\\', '{': '{', '}': '}', '~': ' ', _: '-', '-': '', '\n': '\n', '\r': '\n' }

function codePageOf(rtf: string): string {
  const cp = /\\ansicpg(\d+)/.exec(rtf)?.[1]
  const named: Record<string, string> = { '936': 'gbk', '950': 'big5', '932': 'shift_jis', '949': 'euc-kr', '65001': 'utf-8' }
  if (cp) return named[cp] ?? `windows-${cp}`
  return /\\fcharset134/.test(rtf) ? 'gbk' : /\\fcharset136/.test(rtf) ? 'big5' : 'windows-1252'
}

function decoderFor(label: string): TextDecoder {
  try {
    return new TextDecoder(label)
  } catch {
    return new TextDecoder('windows-1252')
  }
}

export function rtfToText(rtf: string): string {
  const decoder = decoderFor(codePageOf(rtf))
  const groups: { skip: boolean; uc: number }[] = []
  let group = { skip: false, uc: 1 }
  let out = ''
  let bytes: number[] = []
  // characters after \uN that stand in for it in readers without Unicode
  let fallbackLeft = 0
  const emit = (text: string): void => {
    if (!group.skip) out += text
  }
  const flushBytes = (): void => {
    if (bytes.length) emit(decoder.decode(Uint8Array.from(bytes)))
    bytes = []
  }
  let i = 0
  while (i < rtf.length) {
    const ch = rtf[i]
    if (ch === '\\' && rtf[i + 1] === "'") {
      if (fallbackLeft > 0) fallbackLeft--
      else bytes.push(parseInt(rtf.slice(i + 2, i + 4), 16))
      i += 4
      continue
    }
    flushBytes()
    if (ch === '{' || ch === '}') {
      if (ch === '{') groups.push({ ...group })
      else group = groups.pop() ?? group
      fallbackLeft = 0
      i++
      continue
    }
    if (ch === '\\') {
      const control = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(rtf.slice(i + 1, i + 46))
      if (control) {
        i += 1 + control[0].length
        const [word, param] = [control[1], control[2] === undefined ? null : Number(control[2])]
        if (textlessDestinations.has(word)) group.skip = true
        else if (word === 'uc' && param !== null) group.uc = param
        else if (word === 'u' && param !== null) {
          emit(String.fromCharCode(param < 0 ? param + 65536 : param))
          fallbackLeft = group.uc
        } else if (word === 'bin' && param !== null) i += param
        else if (word in wordCharacters) emit(wordCharacters[word])
        continue
      }
      const symbol = rtf[i + 1] ?? ''
      if (symbol === '*') group.skip = true
      else emit(symbolCharacters[symbol] ?? '')
      i += 2
      continue
    }
    if (ch !== '\n' && ch !== '\r') {
      if (fallbackLeft > 0) fallbackLeft--
      else emit(ch)
    }
    i++
  }
  flushBytes()
  return tidyLines(out).join('\n')
}

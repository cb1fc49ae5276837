/**
 * Report text a RIS stored as HTML — a database column or a web export put into a CSV cell or a
 * .txt — read as the text a reader sees: block elements and line breaks are lines, table cells
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

export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|li|tr|h[1-6]|table|thead|tbody|ul|ol|pre|blockquote|center|hr|body|html)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(new RegExp(`<\\/?(?:${tagNames})(?:\\s[^<>]*)?\\/?>`, 'gi'), '')
  return decodeHTML(text)
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n')
}

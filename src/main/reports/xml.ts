/**
 * A RIS's or HIS's XML export of reports (<Reports><Report><AccessionNo>…</AccessionNo><Findings>…), read as
 * its elements: each element that holds leaf elements, with their names and text and its own
 * attributes, and its parts (child elements that hold elements: <ExamInfo>, <ReportInfo>), so that
 * report-records.ts can read records from them as it reads JSON objects. Read
 * by one linear pass of a tokenizer (no entity of a DTD is expanded, no external file read); namespace
 * prefixes are dropped; a document that is not well formed is refused in words.
 */
import { decodeXML } from 'entities'

export interface XmlElement {
  name: string
  /** Its attributes, then its leaf elements (no elements of their own), in document order: name and text. */
  values: [string, string][]
  /** Its child elements that hold elements of their own (a report's <ExamInfo>, <ReportInfo>), found before it. */
  parts: XmlElement[]
  /** The 1-based position among the elements that hold values, for messages. */
  index: number
}

/** Nesting deeper than any export: a hostile document of endless openings is refused, not followed. */
const MAX_DEPTH = 64
/**
 * The most of its descendants' text an element keeps (see Frame.text): more than any report, so that a
 * large export's enclosing elements do not each hold a copy of the whole file.
 */
const MAX_HELD_TEXT = 1 << 20

const token = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^<>[]|\[[^\]]*\])*>|<(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_\u0080-\uffff][\w.\-\u0080-\uffff]*)((?:[^<>"']|"[^"<]*"|'[^'<]*')*?)(\/?)>|([^<]+)|</g
const attribute = /(?:([A-Za-z_][\w.-]*):)?([A-Za-z_\u0080-\uffff][\w.\-\u0080-\uffff]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g

interface Frame {
  name: string
  /** Its text and its descendants': a value written with markup inside (<Findings>…<br/>…</Findings>) is one value. */
  text: string
  /** Text of its own beside its elements: mixed content, a value, not a record. */
  ownText: boolean
  values: [string, string][]
  hasElements: boolean
  parts: XmlElement[]
}

/** Elements of markup inside a value that end a line. */
const lineEnding = new Set(['br', 'p', 'div', 'li', 'tr', 'paragraph'])

/** The root element's name (ClinicalDocument for CDA), or null when the text holds no element. */
export function xmlRootName(xml: string): string | null {
  return /<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_\u0080-\uffff][\w.\-\u0080-\uffff]*)/.exec(xml)?.[1] ?? null
}

/** The elements that hold values (see XmlElement), in the order they close. */
export function xmlElements(xml: string): XmlElement[] {
  const found: XmlElement[] = []
  const stack: Frame[] = []
  let sawRoot = false
  for (const m of xml.matchAll(token)) {
    const [whole, cdata, closing, name, attributes, selfClosing, text] = m
    const top = stack[stack.length - 1]
    if (cdata !== undefined || text !== undefined) {
      const content = cdata ?? decodeXML(text ?? '')
      if (top) {
        top.text += content
        top.ownText ||= content.trim() !== ''
      } else if (content.trim() !== '') throw new Error('it is not well-formed XML: it holds text outside its root element')
    } else if (name === undefined) {
      if (whole === '<') throw new Error('it is not well-formed XML: a "<" begins no tag')
    } else if (closing) {
      if (!top || top.name !== name) throw new Error(`it is not well-formed XML: </${name}> closes ${top ? `<${top.name}>` : 'no element'}`)
      stack.pop()
      close(top, stack[stack.length - 1], found)
    } else {
      if (stack.length === 0 && sawRoot) throw new Error('it is not well-formed XML: it has more than one root element')
      if (stack.length >= MAX_DEPTH) throw new Error(`it is not well-formed XML for a report export: elements nest more than ${MAX_DEPTH} deep`)
      sawRoot = true
      if (top) top.hasElements = true
      const frame: Frame = { name, text: '', ownText: false, values: attributesOf(attributes ?? ''), hasElements: false, parts: [] }
      if (selfClosing) close(frame, top, found)
      else stack.push(frame)
    }
  }
  if (stack.length > 0) throw new Error(`it is not well-formed XML: <${stack[stack.length - 1].name}> is never closed (the file may be cut short)`)
  if (!sawRoot) throw new Error('it is not XML: it holds no element')
  return found
}

/** An element's attributes, not its namespace declarations (xmlns="…", xmlns:report="…"). */
function attributesOf(source: string): [string, string][] {
  return [...source.matchAll(attribute)].filter((a) => a[1] !== 'xmlns' && a[2] !== 'xmlns').map((a) => [a[2], decodeXML(a[3] ?? a[4] ?? '')])
}

/**
 * Attributes that name the value an element holds, where the element's own name is generic:
 * <AbstractText Label="FINDINGS"> (Open-i's chest X-ray reports), <Field name="AccessionNumber">.
 */
const namingAttributes = new Set(['label', 'name', 'title', 'key', 'field'])

/**
 * A leaf, or an element of mixed content, gives its text to its parent as a value — under its name,
 * and under the name an attribute gives it; an element holding values is one of the found.
 */
function close(frame: Frame, parent: Frame | undefined, found: XmlElement[]): void {
  const isValue = !frame.hasElements || frame.ownText
  if (parent) {
    if (parent.text.length < MAX_HELD_TEXT) parent.text += frame.text + (lineEnding.has(frame.name.toLowerCase()) ? '\n' : '')
    if (isValue) {
      parent.values.push([frame.name, frame.text])
      for (const [attribute, name] of frame.values) if (namingAttributes.has(attribute.toLowerCase()) && name.trim() !== '') parent.values.push([name, frame.text])
    }
  }
  if (!isValue || frame.values.length > 0) {
    const element = { name: frame.name, values: frame.values, parts: frame.parts, index: found.length + 1 }
    found.push(element)
    if (parent && !isValue) parent.parts.push(element)
  }
}

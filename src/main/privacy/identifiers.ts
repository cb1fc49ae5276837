/**
 * Cleaning free text of a patient's identifiers: the values the study stores (name, ID, birth
 * date, accession number), wherever a report or a finding repeats them. Used by every export and
 * by training, whose text must never carry a patient into a tokenizer, a checkpoint or a log.
 */

/** What identifies a patient in a study: the values free text must not carry. */
export interface StudyIdentifiers {
  patientName?: string | null
  patientId?: string | null
  birthDate?: string | null
  accessionNumber?: string | null
}

export const REMOVED = '[removed]'

const HAN = /\p{Script=Han}/u
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The strings to look for: each identifier, each part of a name (3+ letters, or 2+ Han characters), dates as written. */
function identifyingStrings(studies: readonly StudyIdentifiers[]): string[] {
  const found = new Set<string>()
  const add = (value: string | null | undefined) => value && value.trim() && found.add(value.trim())
  for (const s of studies) {
    add(s.patientName)
    add(s.patientId)
    add(s.accessionNumber)
    // PN: family^given^middle^prefix^suffix, with "=" before ideographic and phonetic forms.
    for (const group of (s.patientName ?? '').split('=')) {
      const parts = group.split(/[\^\s,]+/).filter(Boolean)
      for (const part of parts) if (part.length >= 3 || (HAN.test(part) && part.length >= 2)) add(part)
      if (parts.length > 1) {
        add(parts.join(' '))
        add([...parts].reverse().join(' '))
        if (parts.every((p) => HAN.test(p))) add(parts.join(''))
      }
    }
    if (s.birthDate && /^\d{8}$/.test(s.birthDate)) {
      const [y, m, d] = [s.birthDate.slice(0, 4), s.birthDate.slice(4, 6), s.birthDate.slice(6, 8)]
      for (const form of [s.birthDate, `${y}-${m}-${d}`, `${y}/${m}/${d}`, `${y}.${m}.${d}`, `${d}.${m}.${y}`, `${d}/${m}/${y}`, `${m}/${d}/${y}`, `${y}年${Number(m)}月${Number(d)}日`]) add(form)
    }
  }
  // Longest first, so a full name goes before its parts.
  return [...found].sort((a, b) => b.length - a.length)
}

/** A date as reports write one: year first, day or month first, or DICOM's eight digits. */
const WRITTEN_DATE = String.raw`(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{8})`

/**
 * Identifiers a report may carry that no stored field holds, each after its label: a birth date
 * (DOB, born, 出生日期 …), a telephone number (Tel, 电话, 手机 …), an identity card number
 * (身份证号 …). The label (group 1) stays, its value goes.
 */
const LABELLED_IDENTIFIERS = [
  String.raw`((?<!\p{L})(?:DOB|D\.O\.B\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|出生日期|出生年月日?|生日)\s*[:：]?\s*)${WRITTEN_DATE}`,
  String.raw`((?<!\p{L})(?:tel(?:ephone)?|phone|mobile|联系电话|电话号码|电话|手机号码|手机号|手机)\s*(?:no\.?|number|#)?\s*[:：]?\s*)\+?\d[\d\s()-]{5,}\d`,
  String.raw`((?:居民身份证|身份证)(?:号码|号)?\s*[:：]?\s*|(?<!\p{L})ID\s*card(?:\s*no\.?)?\s*[:：]?\s*)[0-9A-Za-z]{6,}`
].map((pattern) => new RegExp(pattern, 'giu'))

/** A Chinese resident identity number (GB 11643): 17 digits and a check character, not within a longer code (Han text around it has no spaces). */
const RESIDENT_ID = /(?<![\p{N}A-Za-z])\d{17}[\dXx](?![\p{N}A-Za-z])/gu

/** Whether the 18 characters' check character is right (ISO 7064 MOD 11-2): an accession number of 18 digits rarely is. */
function isResidentId(value: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = weights.reduce((total, weight, i) => total + weight * Number(value[i]), 0)
  return '10X98765432'[sum % 11] === value[17].toUpperCase()
}

/** Text without the identifiers no study stores: labelled birth dates, telephone and identity numbers, resident identity numbers. */
function withoutUnstoredIdentifiers(text: string): string {
  const labelled = LABELLED_IDENTIFIERS.reduce((cleaned, pattern) => cleaned.replace(pattern, `$1${REMOVED}`), text)
  return labelled.replace(RESIDENT_ID, (id) => (isResidentId(id) ? REMOVED : id))
}

/**
 * A cleaner for the identifiers of these studies, and for those free text carries that no study
 * stores (withoutUnstoredIdentifiers). Latin identifiers match whole words only (a name part "Ada"
 * leaves "adapted" alone), case-insensitively; Han text has no word breaks, so Han identifiers
 * match anywhere.
 */
export function identifierCleaner(studies: readonly StudyIdentifiers[]): (text: string) => string {
  const strings = identifyingStrings(studies)
  if (strings.length === 0) return withoutUnstoredIdentifiers
  const pattern = strings.map((s) => (HAN.test(s) ? escapeRegExp(s) : `(?<![\\p{L}\\p{N}])${escapeRegExp(s)}(?![\\p{L}\\p{N}])`)).join('|')
  const identifying = new RegExp(pattern, 'giu')
  return (text) => withoutUnstoredIdentifiers(text.replace(identifying, REMOVED))
}

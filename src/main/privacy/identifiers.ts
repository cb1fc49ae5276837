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

/**
 * A cleaner for the identifiers of these studies. Latin identifiers match whole words only (a
 * name part "Ada" leaves "adapted" alone), case-insensitively; Han text has no word breaks, so
 * Han identifiers match anywhere.
 */
export function identifierCleaner(studies: readonly StudyIdentifiers[]): (text: string) => string {
  const strings = identifyingStrings(studies)
  if (strings.length === 0) return (text) => text
  const pattern = strings.map((s) => (HAN.test(s) ? escapeRegExp(s) : `(?<![\\p{L}\\p{N}])${escapeRegExp(s)}(?![\\p{L}\\p{N}])`)).join('|')
  const identifying = new RegExp(pattern, 'giu')
  return (text) => text.replace(identifying, REMOVED)
}

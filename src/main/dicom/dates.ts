/**
 * A year-first date as DICOM's YYYYMMDD: 20260105, 2026-01-05, 2026/1/5, 2026.01.05, 2026年1月5日,
 * with or without a time after it. Null for any other form: 05/01/2026 is the 5th of January or
 * the 1st of May depending on who wrote it.
 */
export function yearFirstDate(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?!\d{1,3}(?:\D|$))/.exec(value) ?? /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)/.exec(value)
  if (!m) return null
  const [year, month, day] = m.slice(1).map(Number)
  // 1850 lets through an old record's birth date and the 1899-12-30 some systems write for none: the
  // stored birth date is what reports are cleaned of.
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1850) return null
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`
}

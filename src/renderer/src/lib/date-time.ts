/**
 * A stored instant (ISO 8601, UTC) as this workstation's local date and time, `YYYY-MM-DD HH:mm`: the
 * reader's own clock, and one year-first form that reads the same in English and Chinese (the
 * browser's locale would write 12/3/2026, 9:40 AM on a Chinese page). A value that is no time is shown as it is.
 */
export function localDateTime(iso: string): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  const two = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`
}

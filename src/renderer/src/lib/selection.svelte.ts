/** What the reader has open, shared by Library, Viewer and Review; PHI display is a per-session choice. */
export const selection = $state<{ studyId: number | null; imageId: number | null; showNames: boolean }>({
  studyId: null,
  imageId: null,
  showNames: false
})

export function openStudy(studyId: number): void {
  selection.studyId = studyId
  selection.imageId = null
  location.hash = '#/viewer'
}

/** DICOM person names come as Family^Given^Middle; shown as "Family, Given Middle". */
export function personName(name: string | null | undefined): string {
  if (!name) return ''
  const [family = '', given = '', middle = ''] = name.split('=')[0].split('^')
  return [family, [given, middle].filter(Boolean).join(' ')].filter(Boolean).join(', ')
}

export function formatStudyDate(date: string | null): string {
  return date && /^\d{8}$/.test(date) ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}` : (date ?? '')
}

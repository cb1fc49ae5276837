/** The viewport's keyboard commands (OHIF conventions, REFERENCE D), shared by Viewer and Review. */
export interface ViewportCommands {
  toggleInvert(): void
  flipHorizontal(): void
  flipVertical(): void
  rotate(quarterTurns: 1 | -1): void
  auto(): void
  applyPreset(n: number): boolean
  toggleFit(): void
  fit(): void
  zoomBy(factor: number): void
  reset(): void
}

/** How far one press of + or − zooms. */
const ZOOM_STEP = 1.25

/** True when the key typed goes into a form field and must not drive the viewer. */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

/** Runs the viewport command for `e` (I, H, V, [ ], 0, 1–9, Z, + − =, space); returns whether it handled it. */
export function viewportKey(e: KeyboardEvent, viewport: ViewportCommands | undefined): boolean {
  if (!viewport || e.ctrlKey || e.metaKey || e.altKey) return false
  const key = e.key.toLowerCase()
  if (key === 'i') viewport.toggleInvert()
  else if (key === 'h') viewport.flipHorizontal()
  else if (key === 'v') viewport.flipVertical()
  else if (key === ']') viewport.rotate(1)
  else if (key === '[') viewport.rotate(-1)
  else if (key === '0') viewport.auto()
  else if (/^[1-9]$/.test(key)) return viewport.applyPreset(Number(key))
  else if (key === 'z') viewport.toggleFit()
  else if (key === '+') viewport.zoomBy(ZOOM_STEP)
  else if (key === '-') viewport.zoomBy(1 / ZOOM_STEP)
  else if (key === '=') viewport.fit()
  else if (key === ' ') viewport.reset()
  else return false
  return true
}

/**
 * The item after (1) or before (−1) the one with `currentId` in a list, as OHIF's ↑/↓ and PageUp/PageDown
 * step through images and series; null at either end, or when the current one is not in the list.
 */
export function neighbourOf<T extends { id: number }>(items: readonly T[], currentId: number | null, step: 1 | -1): T | null {
  const at = items.findIndex((item) => item.id === currentId)
  return at < 0 ? null : (items[at + step] ?? null)
}

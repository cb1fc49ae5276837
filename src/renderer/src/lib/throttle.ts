/**
 * Runs `fn` at most once per `ms`: the first call runs at once, calls during the wait collapse
 * into one trailing run. Keeps the page responsive while a run streams progress events.
 */
export function throttle(fn: () => Promise<void> | void, ms: number): () => void {
  let last = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  return () => {
    if (timer) return
    const wait = Math.max(0, last + ms - Date.now())
    timer = setTimeout(() => {
      timer = null
      last = Date.now()
      void fn()
    }, wait)
  }
}

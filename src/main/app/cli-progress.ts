import type { TaskProgress } from '../../shared/contract'
import { formatDuration } from '../../shared/format'

/**
 * A progress bar for the terminal: bar, count, rate and ETA on one redrawn line when stderr is a
 * TTY; a plain line every few seconds otherwise (CI logs, pipes).
 */
export class CliProgressBar {
  private lastPlainAt = 0

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr
  ) {}

  update(p: TaskProgress): void {
    const line = renderProgress(this.label, p)
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`)
    else if (Date.now() - this.lastPlainAt > 2000 || (p.total !== null && p.done >= p.total)) {
      this.lastPlainAt = Date.now()
      this.stream.write(line + '\n')
    }
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n')
  }
}

export function renderProgress(label: string, p: TaskProgress, width = 28): string {
  const fraction = p.total ? Math.min(1, p.done / p.total) : null
  const bar =
    fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `
  const count = p.total !== null ? `${compact(p.done)}/${compact(p.total)} ${p.unit}` : `${compact(p.done)} ${p.unit}`
  const rate = p.ratePerSecond !== null ? ` ${compact(p.ratePerSecond)}/s` : ''
  const eta = p.etaSeconds !== null ? ` ETA ${formatDuration(p.etaSeconds)}` : ''
  const message = p.message ? ` ${p.message}` : ''
  return `${label} ${bar}${count}${rate}${eta}${message}`
}

function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}

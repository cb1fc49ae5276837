/**
 * Every benchmark and experiment ends its output with one line `RESULT <name> key=value …`, so
 * its figures can be read by a script and compared from run to run.
 */
export type ResultValue = number | string | boolean | null

export function formatResultLine(name: string, fields: Record<string, ResultValue>): string {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`RESULT name must be one word: ${name}`)
  const parts = Object.entries(fields).map(([key, value]) => {
    if (!/^[\w.-]+$/.test(key)) throw new Error(`RESULT key must be one word: ${key}`)
    return `${key}=${formatValue(value)}`
  })
  return ['RESULT', name, ...parts].join(' ')
}

function formatValue(value: ResultValue): string {
  if (value === null) return 'na'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'na'
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)))
  }
  return String(value).replace(/\s+/g, '_')
}

export function printResultLine(name: string, fields: Record<string, ResultValue>): void {
  process.stdout.write(formatResultLine(name, fields) + '\n')
}

/** Reads a RESULT line back (used by tests and scripts that compare runs). */
export function parseResultLine(line: string): { name: string; fields: Record<string, string> } | null {
  const m = /^RESULT (\S+)((?: \S+=\S*)*)\s*$/.exec(line.trim())
  if (!m) return null
  const fields: Record<string, string> = {}
  for (const part of m[2].trim().split(' ').filter(Boolean)) {
    const i = part.indexOf('=')
    fields[part.slice(0, i)] = part.slice(i + 1)
  }
  return { name: m[1], fields }
}

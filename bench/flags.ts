/** The value after `--name` on a bench's command line, or undefined when the flag is absent. */
export function flag(name: string): string | undefined {
  const args = process.argv.slice(2)
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}

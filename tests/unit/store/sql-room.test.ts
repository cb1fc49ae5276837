import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/** The main process's sources outside store/, with their text. */
function sourcesOutsideStore(): { file: string; text: string }[] {
  return (fs.readdirSync('src/main', { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.startsWith(`store${path.sep}`))
    .map((file) => ({ file: `src/main/${file.split(path.sep).join('/')}`, text: fs.readFileSync(path.join('src/main', file), 'utf8') }))
}

describe('the SQL room (README: store/ is the only code that writes SQL)', () => {
  it('no room but store/ prepares or runs a statement of its own', () => {
    const sqlAt = /\bdb\.(?:prepare|exec)\(|\bstatement\(db\b|import \{[^}]*\bstatement\b[^}]*\} from '[./]*store\/database'/
    const offenders = sourcesOutsideStore()
      .filter(({ text }) => sqlAt.test(text))
      .map(({ file }) => file)
    expect(offenders).toEqual([])
  })
})

/**
 * A reader's session through the real API, as a child process the hardening tests can kill:
 * decisions (accept, edit, reject with a reason, uncertain; now and then an undo) on the review
 * queue, then, with --export, the CSV, JSON and one SR per reviewed study. After every call that
 * returned it prints one line (`decided <reviewId>`, `undone <findingId>`, `exported <file>`), so
 * whoever kills it knows exactly what had committed.
 *
 *   tsx tests/hardening/review-session.ts --data-dir D --decisions N --seed S [--export]
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { MethodName, Output } from '../../src/shared/contract'
import { dispatch } from '../../src/main/api/dispatch'
import { createServices } from '../../src/main/app/services'
import { Rng } from '../../src/main/random'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, decisions: { type: 'string' }, seed: { type: 'string' }, export: { type: 'boolean' } } })
const services = createServices({ dataDir: values['data-dir']!, shell: 'cli', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
const rng = new Rng(Number(values.seed ?? 1))

/** One committed action, written straight to stdout: console.log to a pipe is buffered, so a kill would arrive after every line or none. */
function committed(line: string): void {
  fs.writeSync(1, `${line}\n`)
}

async function call<M extends MethodName>(method: M, input: unknown = {}): Promise<Output<M>> {
  const envelope = await dispatch(services.handlers, method, input)
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as Output<M>
}

async function decideOne(): Promise<void> {
  const queue = await call('review.queue', {})
  if (queue.rows.length === 0) throw new Error('The review queue is empty: no findings to review')
  const item = queue.rows[rng.below(queue.rows.length)]
  const kind = rng.below(5)
  if (kind === 4) {
    const undone = await call('review.undo')
    committed(`undone ${undone?.findingId ?? 'none'}`)
    return
  }
  const decision = (['accept', 'edit', 'reject', 'uncertain'] as const)[kind]
  const input: Record<string, unknown> = { findingId: item.findingId, decision, secondsOnTask: rng.uniform(1, 30) }
  if (decision === 'reject') Object.assign(input, rng.chance(0.5) ? { reason: 'nipple-shadow' } : { reason: 'other', reasonText: 'overlapping rib ends' })
  if (decision === 'edit') input.edited = { text: `${item.text} (size checked)`, structured: item.structured ?? { presence: 'uncertain', count: 0, items: [] } }
  const { reviewId } = await call('review.decide', input)
  committed(`decided ${reviewId}`)
}

async function exportAll(): Promise<void> {
  for (const format of ['csv', 'json'] as const) committed(`exported ${(await call('review.export', { format })).fileName}`)
  const studies = new Set((await call('review.queue', {})).rows.filter((r) => r.review !== null).map((r) => r.studyId))
  for (const studyId of studies) committed(`exported ${(await call('review.export', { format: 'sr', studyId })).fileName}`)
}

async function session(): Promise<void> {
  try {
    await call('settings.set', { reviewerName: 'Dr Session Reader' })
    for (let i = 0; i < Number(values.decisions ?? 10); i++) await decideOne()
    if (values.export) await exportAll()
  } finally {
    services.close()
  }
}

session().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exitCode = 1
})

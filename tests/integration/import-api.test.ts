import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Output } from '../../src/shared/contract'
import { dispatch } from '../../src/main/api/dispatch'
import { createServices, type Services } from '../../src/main/app/services'
import { parseResultLine } from '../../src/main/app/result-line'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'
import { image } from '../helpers/dicom-corpus'
import { u12 } from '../helpers/import-corpus'

let tmp: string
let folder: string
let services: Services

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-import-api-'))
  folder = path.join(tmp, 'radiographs')
  fs.mkdirSync(path.join(folder, 'a', 'b'), { recursive: true })
  fs.writeFileSync(path.join(folder, 'a', 'IMG1'), image(u12, { extra: { PatientName: 'Secret^Person', PatientID: 'MRN-4711' } }).bytes)
  fs.writeFileSync(path.join(folder, 'a', 'b', 'IMG2'), image({ ...u12, seed: 2 }, { extra: { Modality: 'CR' } }).bytes)
  fs.writeFileSync(path.join(folder, 'a', 'b', 'broken.dcm'), Buffer.from('not dicom at all'))
  // A link back up the tree must not trap the walk.
  fs.symlinkSync(folder, path.join(folder, 'a', 'b', 'loop'))
  services = createServices({ dataDir: path.join(tmp, 'data'), shell: 'cli', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
})

afterAll(() => {
  services?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function call<T>(method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const envelope = await dispatch(services.handlers, method, input)
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as T
}

describe('import through the API (task child process)', () => {
  it('refuses roots that are relative, missing, or neither folders nor files', async () => {
    await expect(call('import.start', { roots: ['relative/path'] })).rejects.toThrow(/invalid_input: Import folders must be absolute paths/)
    await expect(call('import.start', { roots: [path.join(tmp, 'nope')] })).rejects.toThrow(/invalid_input: The folder .* does not exist/)
    await expect(call('import.start', { roots: ['/dev/null'] })).rejects.toThrow(/invalid_input: \/dev\/null is neither a folder nor a file/)
  })

  it('imports in a task, then lists pseudonymised studies and the job errors', async () => {
    const { taskId } = await call<Output<'import.start'>>('import.start', { roots: [folder] })
    const summary = await services.tasks.whenFinished(taskId)
    expect(summary?.status).toBe('done')
    expect(summary?.progress?.done).toBe(3)
    expect(summary?.result).toMatchObject({ imported: 2, failed: 1, already: 0 })

    const studies = await call<Output<'studies.list'>>('studies.list', {})
    expect(studies.total).toBe(2)
    expect(studies.counts).toEqual({ studies: 2, images: 2, errors: 1, withoutModelImage: 0 })
    expect(studies.rows.every((r) => /^CXR-[A-Z0-9]{8}$/.test(r.pseudonym))).toBe(true)
    expect(JSON.stringify(studies)).not.toMatch(/Secret|MRN-4711/)
    const cr = await call<Output<'studies.list'>>('studies.list', { modality: 'CR' })
    expect(cr.rows.map((r) => r.modalities)).toEqual([['CR']])
    const byPseudonym = await call<Output<'studies.list'>>('studies.list', { pseudonym: studies.rows[0].pseudonym.slice(4) })
    expect(byPseudonym.rows.map((r) => r.id)).toEqual([studies.rows[0].id])

    const [job] = await call<Output<'import.jobs'>>('import.jobs', {})
    expect(job).toMatchObject({ status: 'done', imported: 2, failed: 1, already: 0, roots: [folder] })
    const errors = await call<Output<'import.errors'>>('import.errors', { jobId: job.id })
    expect(errors.total).toBe(1)
    expect(errors.rows[0]).toEqual({ file: path.join(folder, 'a', 'b', 'broken.dcm'), reason: 'The file is too short to be DICOM (16 bytes; a DICOM file has a 132-byte preamble and marker)', jobId: job.id })
    await expect(call('import.errors', { jobId: 999 })).rejects.toThrow(/not_found/)
    // Without a job: every failed file the library holds (the Library's "import errors" filter).
    expect(await call<Output<'import.errors'>>('import.errors', {})).toEqual(errors)
  })

  it('cancel stops the import task between files and keeps what it imported', async () => {
    const many = path.join(tmp, 'many')
    fs.mkdirSync(many)
    for (let i = 0; i < 16; i++) fs.writeFileSync(path.join(many, `IMG${i}`), image({ rows: 768, columns: 768, bitsAllocated: 16, bitsStored: 12, seed: 50 + i }).bytes)
    const { taskId } = await call<Output<'import.start'>>('import.start', { roots: [many] })
    const cancelOnFirstProgress = (e: { taskId: number }) => {
      if (e.taskId === taskId) services.tasks.cancel(taskId)
    }
    services.events.on('task.progress', cancelOnFirstProgress)
    const summary = await services.tasks.whenFinished(taskId)
    expect(summary?.status).toBe('cancelled')
    const job = (await call<Output<'import.jobs'>>('import.jobs', {}))[0]
    expect(job.status).toBe('cancelled')
    expect(job.imported).toBeGreaterThan(0)
    expect(job.imported).toBeLessThan(16)
    expect(services.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })

  it('`vzw import` shows progress and ends with the RESULT line; a second run finds everything already there', async () => {
    const dataDir = path.join(tmp, 'cli-data')
    // A lateral view alone in its study: imported, never the model's, and the import says so.
    const lateral = path.join(tmp, 'lateral')
    fs.mkdirSync(lateral)
    fs.writeFileSync(path.join(lateral, 'LAT'), image({ ...u12, seed: 3 }, { extra: { ViewPosition: 'LL' } }).bytes)
    const run = async () => {
      const { stdout, stderr } = await promisify(execFile)('npx', ['vzw', 'import', folder, lateral, '--data-dir', dataDir], { timeout: 60_000 })
      expect(stderr).toMatch(/import \[#+\] 100% 4\/4 files .*MB\/s/)
      expect(stdout).toContain('1 study has no frontal chest film')
      return parseResultLine(stdout.trim().split('\n').at(-1)!)
    }
    const fields = { failed: '1', reports_matched: '0', reports_unmatched: '0', studies_without_model_image: '1' }
    expect(await run()).toEqual({ name: 'import-job', fields: { imported: '3', already: '0', ...fields } })
    expect(await run()).toEqual({ name: 'import-job', fields: { imported: '0', already: '3', ...fields } })
  })
})

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodName, Output } from '../../src/shared/contract'
import { dispatch } from '../../src/main/api/dispatch'
import { createServices, type Services } from '../../src/main/app/services'
import { verifyAuditChain } from '../../src/main/store/audit-log'
import { insertFinding } from '../../src/main/store/review-repository'
import { forkTaskProcess, taskChildEntry } from '../../src/main/tasks/fork-task-process'
import { cohortStudies, noduleFinding, writeReviewCohort } from '../helpers/review-cohort'

let tmp: string
let root: string
let outside: string
let services: Services

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-review-api-'))
  root = path.join(tmp, 'site-root')
  outside = path.join(tmp, 'outside')
  writeReviewCohort(path.join(root, 'cohort'))
  fs.mkdirSync(path.join(root, '.hidden'))
  fs.mkdirSync(outside)
  // A link inside the root that leads out of it, and one that stays inside.
  fs.symlinkSync(outside, path.join(root, 'escape'))
  fs.symlinkSync(path.join(root, 'cohort', 'dicom'), path.join(root, 'dicom-link'))
  services = createServices({ dataDir: path.join(tmp, 'data'), shell: 'web', spawnTaskProcess: forkTaskProcess(taskChildEntry(path.resolve('src/main'))) })
})

afterAll(() => {
  services?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function call<M extends MethodName>(method: M, input: unknown = {}): Promise<Output<M>> {
  const envelope = await dispatch(services.handlers, method, input)
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as Output<M>
}

const auditRows = () =>
  services.db.prepare('SELECT actor, action, entity_id AS entityId, before_json AS beforeJson, after_json AS afterJson FROM audit_log ORDER BY id').all() as {
    actor: string
    action: string
    entityId: number
    beforeJson: string | null
    afterJson: string | null
  }[]

describe('data roots: the browser may only see and import folders inside them', () => {
  it('stores roots as real absolute folders and refuses others', async () => {
    await expect(call('settings.set', { dataRoots: ['relative/folder'] })).rejects.toThrow(/invalid_input: Folders must be absolute paths/)
    await expect(call('settings.set', { dataRoots: [path.join(tmp, 'missing')] })).rejects.toThrow(/invalid_input: The folder .* does not exist/)
    const settings = await call('settings.set', { dataRoots: [root, root + '/'] })
    expect(settings.dataRoots).toEqual([fs.realpathSync(root)])
  })

  it('lists subfolders inside a root, never hidden ones or links that lead out', async () => {
    const top = await call('library.folders', {})
    expect(top.folders.map((f) => f.path)).toEqual([fs.realpathSync(root)])
    const listing = await call('library.folders', { path: root })
    expect(listing.parent).toBeNull()
    expect(listing.folders.map((f) => f.name)).toEqual(['cohort', 'dicom-link'])
    const cohort = await call('library.folders', { path: path.join(root, 'cohort') })
    expect(cohort.parent).toBe(fs.realpathSync(root))
    expect(cohort.folders.map((f) => f.name)).toEqual(['dicom', 'reports'])
  })

  it('refuses folders outside the roots, with .. or through a link that escapes', async () => {
    await expect(call('library.folders', { path: outside })).rejects.toThrow(/invalid_input: .* is outside the data roots/)
    await expect(call('library.folders', { path: `${root}/cohort/../../outside` })).rejects.toThrow(/invalid_input: .*'\.\.'/)
    await expect(call('library.folders', { path: path.join(root, 'escape') })).rejects.toThrow(/invalid_input: .* is outside the data roots/)
    await expect(call('library.folders', { path: '/' })).rejects.toThrow(/outside the data roots/)
    await expect(call('import.start', { roots: [outside] })).rejects.toThrow(/invalid_input: .* is outside the data roots/)
    await expect(call('import.start', { roots: [path.join(root, 'escape')] })).rejects.toThrow(/outside the data roots/)
    // The browser has no native dialog.
    expect(await call('import.chooseFolders')).toEqual({ available: false, folders: [] })
  })

  it('imports a folder inside a root; the study list carries pseudonyms, names only on request', async () => {
    const { taskId } = await call('import.start', { roots: [path.join(root, 'cohort')] })
    const summary = await services.tasks.whenFinished(taskId)
    expect(summary?.status).toBe('done')
    expect(summary?.result).toMatchObject({ imported: 3, failed: 0, reportsMatched: 3 })
    const plain = await call('studies.list', {})
    expect(plain.total).toBe(3)
    expect(JSON.stringify(plain)).not.toMatch(/Lovelace|MRN-9000|1948/)
    const named = await call('studies.list', { withPatientNames: true })
    expect(named.rows.map((r) => r.patientName).sort()).toEqual(cohortStudies.map((s) => s.patientName).sort())
    expect((await call('studies.list', { hasFindings: true })).total).toBe(0)
  })
})

describe('viewer data', () => {
  it('returns the 16-bit display image with the file presets and spacing kind; reports with evidence', async () => {
    const { rows } = await call('studies.list', { withPatientNames: true })
    const ada = rows.find((r) => r.patientName === 'Lovelace^Ada')!
    const study = await call('studies.get', { studyId: ada.id })
    expect(study.patientName).toBeUndefined()
    expect(study.images).toHaveLength(1)
    const report = study.reports[0]
    const item = report.nodules!.items[0]
    expect(item.sizeMm).toBe(12)
    expect(report.text.slice(item.evidence!.start, item.evidence!.end)).toContain('12 mm solid nodule')
    const display = await call('images.display', { imageId: study.images[0].id })
    expect([display.width, display.height]).toEqual([256, 320])
    expect(Buffer.from(display.pixels, 'base64').length).toBe(256 * 320 * 2)
    expect(display.windows.map((w) => [w.center, w.width, w.explanation])).toEqual([
      [2048, 4096, 'FULL'],
      [1500, 1200, 'LUNG']
    ])
    expect(display.spacing).toEqual({ rowMm: 1.4, colMm: 1.4, kind: 'pixel' })
    expect(display.tags).not.toHaveProperty('displayParamsPath')
    const alan = rows.find((r) => r.patientName === 'Turing^Alan')!
    const alanImage = (await call('studies.get', { studyId: alan.id })).images[0]
    expect((await call('images.display', { imageId: alanImage.id })).spacing.kind).toBe('imager')
    await expect(call('images.display', { imageId: 99999 })).rejects.toThrow(/not_found/)
  })
})

describe('review decisions, audit and export', () => {
  let findingIds: number[] = []
  beforeAll(async () => {
    const { rows } = await call('studies.list', {})
    const studyId = rows[0].id
    const imageId = (await call('studies.get', { studyId })).images[0].id
    findingIds = [0, 1, 2].map((i) =>
      insertFinding(services.db, { studyId, imageId, text: `Nodule ${i + 1} in the right upper zone`, structured: noduleFinding('right', 'upper', 10 + i) })
    )
  })

  it('refuses decisions without a reviewer name or without what they need, writing nothing', async () => {
    await call('settings.set', { reviewerName: '' })
    await expect(call('review.decide', { findingId: findingIds[0], decision: 'accept', secondsOnTask: 1 })).rejects.toThrow(/reviewer in Settings/)
    await call('settings.set', { reviewerName: 'Dr Reader' })
    await expect(call('review.decide', { findingId: findingIds[0], decision: 'reject', secondsOnTask: 1 })).rejects.toThrow(/needs a reason/)
    await expect(call('review.decide', { findingId: findingIds[0], decision: 'reject', reason: 'other', secondsOnTask: 1 })).rejects.toThrow(/in words/)
    await expect(call('review.decide', { findingId: findingIds[0], decision: 'edit', secondsOnTask: 1 })).rejects.toThrow(/edited finding/)
    await expect(call('review.decide', { findingId: 424242, decision: 'accept', secondsOnTask: 1 })).rejects.toThrow(/not_found/)
    expect(services.db.prepare('SELECT count(*) AS n FROM reviews').get()).toEqual({ n: 0 })
    expect(auditRows()).toHaveLength(0)
  })

  it('writes each decision with an audit row holding before and after; undo restores and is audited', async () => {
    await call('review.decide', { findingId: findingIds[0], decision: 'accept', secondsOnTask: 4.5 })
    await call('review.decide', { findingId: findingIds[1], decision: 'reject', reason: 'nipple-shadow', comment: '  seen on both films ', secondsOnTask: 3 })
    const edited = { text: 'Nodule 9 mm, right middle zone', structured: noduleFinding('right', 'middle', 9) }
    await call('review.decide', { findingId: findingIds[2], decision: 'edit', edited, secondsOnTask: 12 })
    let queue = await call('review.queue', {})
    expect(queue.remaining).toBe(0)
    expect(queue.rows.map((r) => r.review?.decision)).toEqual(['accept', 'reject', 'edit'])
    expect(queue.rows[1].review?.reason).toBe('nipple-shadow')
    expect(queue.rows[1].review?.comment).toBe('seen on both films')
    expect(queue.rows[0].review?.comment).toBeNull()
    expect(queue.rows[2].review?.edited).toEqual(edited)
    expect(queue.rows[2].text).toBe('Nodule 3 in the right upper zone')

    const rows = auditRows()
    expect(rows.map((r) => r.action)).toEqual(['review.accept', 'review.reject', 'review.edit'])
    expect(rows.every((r) => r.actor === 'Dr Reader')).toBe(true)
    const editRow = rows[2]
    expect(JSON.parse(editRow.beforeJson!)).toMatchObject({ finding: { id: findingIds[2], text: 'Nodule 3 in the right upper zone' }, review: null })
    expect(JSON.parse(editRow.afterJson!)).toMatchObject({ review: { decision: 'edit', edited, reviewer: 'Dr Reader', secondsOnTask: 12 } })
    expect(JSON.parse(rows[1].afterJson!)).toMatchObject({ review: { decision: 'reject', comment: 'seen on both films' } })

    expect(await call('review.undo')).toEqual({ findingId: findingIds[2], decision: 'edit' })
    queue = await call('review.queue', {})
    expect(queue.remaining).toBe(1)
    const undo = auditRows().at(-1)!
    expect(undo.action).toBe('review.undo')
    expect(JSON.parse(undo.beforeJson!).review.decision).toBe('edit')
    expect(JSON.parse(undo.afterJson!).review).toBeNull()
    expect(verifyAuditChain(services.db)).toEqual({ ok: true, rows: 4 })
    expect((await call('studies.list', { reviewStatus: 'pending' })).total).toBe(1)
  })

  it('takes a reader\'s word on a film\'s view, signed and audited; the study\'s model image follows', async () => {
    const studyId = (await call('studies.list', {})).rows[0].id
    const [film] = (await call('studies.get', { studyId })).images
    expect(film).toMatchObject({ projection: 'frontal', isModelImage: true })
    await call('settings.set', { reviewerName: '' })
    await expect(call('images.setProjection', { imageId: film.id, projection: 'lateral' })).rejects.toThrow(/reviewer in Settings/)
    await call('settings.set', { reviewerName: 'Dr Reader' })
    await expect(call('images.setProjection', { imageId: 424242, projection: 'lateral' })).rejects.toThrow(/not_found/)
    await expect(call('images.setProjection', { imageId: film.id, projection: 'sideways' })).rejects.toThrow(/invalid_input/)
    const lateral = await call('images.setProjection', { imageId: film.id, projection: 'lateral' })
    expect(lateral.images[0]).toMatchObject({ id: film.id, projection: 'lateral', isModelImage: false })
    const row = auditRows().at(-1)!
    expect({ actor: row.actor, action: row.action, entityId: row.entityId }).toEqual({ actor: 'Dr Reader', action: 'image.projection', entityId: film.id })
    expect([JSON.parse(row.beforeJson!), JSON.parse(row.afterJson!)]).toEqual([
      { projection: 'frontal', studyModelImage: film.id },
      { projection: 'lateral', studyModelImage: null }
    ])
    const evidence = services.db.prepare('SELECT tags_json FROM images WHERE id = ?').pluck().get(film.id) as string
    expect(JSON.parse(evidence).projectionEvidence).toBe('set to lateral by a reader (Dr Reader)')
    expect((await call('images.setProjection', { imageId: film.id, projection: 'frontal' })).images[0].isModelImage).toBe(true)
    expect(verifyAuditChain(services.db).ok).toBe(true)
  })

  it('exports reviewed findings de-identified as CSV and JSON under the data folder', async () => {
    await call('review.decide', { findingId: findingIds[2], decision: 'uncertain', secondsOnTask: 2 })
    for (const format of ['csv', 'json'] as const) {
      const out = await call('review.export', { format })
      expect(out.rows).toBe(3)
      const text = Buffer.from(out.base64, 'base64').toString('utf8')
      const onDisk = fs.readFileSync(path.join(services.config.dataDir, 'exports', out.fileName), 'utf8')
      expect(onDisk).toBe(text)
      expect(text).toMatch(/CXR-[A-Z0-9]{8}/)
      for (const s of cohortStudies) {
        for (const phi of [s.patientName, s.patientName.split('^')[0], s.patientId, s.birthDate]) expect(text).not.toContain(phi)
      }
      expect(text).toContain('nipple-shadow')
    }
    const json = JSON.parse(Buffer.from((await call('review.export', { format: 'json' })).base64, 'base64').toString('utf8')) as {
      findings: { decision: string; finalText: string; comment: string | null }[]
    }
    expect(json.findings.map((f) => f.decision)).toEqual(['accept', 'reject', 'uncertain'])
    expect(json.findings.map((f) => f.comment)).toEqual([null, 'seen on both films', null])
  })

  it.skipIf(!dsrdumpAvailable)('exports one study as a DICOM Comprehensive SR that dsrdump reads, without PHI', async () => {
    await expect(call('review.export', { format: 'sr' })).rejects.toThrow(/invalid_input: .*name the study/)
    await expect(call('review.export', { format: 'sr', studyId: 4242 })).rejects.toThrow(/not_found/)
    const studyId = services.db.prepare('SELECT study_id AS id FROM findings LIMIT 1').get() as { id: number }
    const out = await call('review.export', { format: 'sr', studyId: studyId.id })
    const file = path.join(services.config.dataDir, 'exports', out.fileName)
    expect(out.mediaType).toBe('application/dicom')
    // +Pl prints long texts in full; dsrdump warns on stderr about any structure it finds invalid.
    const run = spawnSync('dsrdump', ['+Pl', file], { encoding: 'utf8' })
    expect(run.status).toBe(0)
    // (dcmtk's VR checker does not cover UTF-8, which the SR needs for Chinese text; it says so.)
    expect(run.stderr.split('\n').filter((l) => l && !/VR checker does not support this Specific Character Set: ISO_IR 192/.test(l))).toEqual([])
    const dump = run.stdout
    expect(dump).toContain('Comprehensive SR')
    expect(dump).toContain('TEXT:(,,"Finding")="Nodule 1 in the right upper zone"')
    expect(dump).toContain('TEXT:(,,"Clinician review decision")="reject"')
    expect(dump).toContain('TEXT:(,,"Reason for rejection")="nipple-shadow"')
    expect(dump).toContain('TEXT:(,,"Comment")="seen on both films"')
    expect(dump).toContain('NUM:(,,"Nodule long-axis size")="11" (mm,UCUM,"millimeter")')
    // Reviewers are people other than the patient: the profile replaces their names too.
    expect(dump).toContain('Reviewer 1')
    expect(dump).not.toContain('Dr Reader')
    const bytes = fs.readFileSync(file).toString('latin1')
    for (const s of cohortStudies) for (const phi of [s.patientName, s.patientId, s.birthDate, s.accession]) expect(bytes).not.toContain(phi)
    const studyUid = (services.db.prepare('SELECT study_uid FROM studies WHERE id = ?').get(studyId.id) as { study_uid: string }).study_uid
    expect(bytes).not.toContain(studyUid)
  })
})

const dsrdumpAvailable = spawnSync('dsrdump', ['--version']).status === 0

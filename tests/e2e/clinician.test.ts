/**
 * The clinician's flow in Chromium through the web host: data root → import with progress →
 * viewer (W/L drag, presets, length) → review by keyboard with undo → audit rows → de-identified
 * export, with a screenshot of every page in English and Chinese.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSettings, writeSettings } from '../../src/main/store/settings-repository'
import { listStudies } from '../../src/main/store/import-repository'
import { insertFinding } from '../../src/main/store/review-repository'
import { image } from '../helpers/dicom-corpus'
import { pngPicture } from '../helpers/picture-files'
import { cohortStudies, noduleFinding, writeReviewCohort } from '../helpers/review-cohort'
import { tempServices } from '../helpers/temp-services'
import { openApp, screenshotDir, type AppSession } from './browser'

/** Studies without reports beside the cohort, so the import runs long enough to show progress. */
const FILLER_STUDIES = 30

let ctx: ReturnType<typeof tempServices>
let app: AppSession
let page: Page
let siteRoot: string

beforeAll(async () => {
  ctx = tempServices('web')
  siteRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-e2e-site-'))
  const cohort = path.join(siteRoot, 'cohort-2026')
  writeReviewCohort(cohort)
  for (let i = 0; i < FILLER_STUDIES; i++) {
    const dir = path.join(cohort, 'dicom', 'others', `s${i}`)
    fs.mkdirSync(dir, { recursive: true })
    // The first filler is a film of the first cohort patient taken a year before: the study to compare with.
    const priorOfFirst = i === 0 ? { PatientName: cohortStudies[0].patientName, PatientID: cohortStudies[0].patientId, PatientBirthDate: cohortStudies[0].birthDate, StudyDate: '20250105' } : {}
    fs.writeFileSync(path.join(dir, 'IM1.dcm'), image({ rows: 384, columns: 320, bitsAllocated: 16, bitsStored: 12, seed: 100 + i }, { extra: priorOfFirst }).bytes)
  }
  fs.writeFileSync(path.join(cohort, 'dicom', 'others', 'truncated.dcm'), Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(10)]))
  // a CD viewer's image of a film: a copy, passed over and said so
  fs.mkdirSync(path.join(cohort, 'viewer'))
  fs.writeFileSync(path.join(cohort, 'viewer', 'preview.png'), pngPicture({ width: 320, height: 384 }))
  // a table of films naming one: the Library says it was read
  fs.writeFileSync(path.join(cohort, 'dicom', 'others', 'films.csv'), 'filename,ViewPosition\ns0/IM1.dcm,PA\n')
  // a report export that is no workbook: listed with its reason beside the DICOM that failed
  fs.writeFileSync(path.join(cohort, 'ris-export.xls'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]))
  app = await openApp(ctx.services, { width: 1440, height: 900 })
  page = app.page
})
afterAll(async () => {
  await app?.close()
  ctx?.cleanup()
  if (siteRoot) fs.rmSync(siteRoot, { recursive: true, force: true })
})

const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, `clinician-${name}.png`) })
/** The finding a queue row is for: its "#id". */
const findingIdOf = (row: string): number => Number(/#(\d+)/.exec(row)![1])
const text = (testId: string) => page.textContent(`[data-testid=${testId}]`)
const go = async (route: string) => {
  await page.click(`[data-testid=nav-${route}]`)
  await page.waitForSelector(`[data-testid=page-${route}]`)
}
/**
 * How far a filter's label text sits from its select: the two on one line, the text before it. A page's
 * layout rule that leaks onto another page's filters puts each label beside the previous control.
 */
const labelOffset = (testId: string) =>
  page.$eval(`[data-testid=${testId}]`, (select) => {
    const label = select.closest('label')!
    const range = document.createRange()
    range.setStart(label, 0)
    range.setEndBefore(select)
    const words = range.getBoundingClientRect()
    const box = select.getBoundingClientRect()
    return { rows: Math.round(Math.abs(words.top + words.height / 2 - (box.top + box.height / 2))), textBefore: words.right <= box.left + 1 }
  })
/** The viewer toolbar's buttons whose label broke over lines (a squeezed group breaks 左右翻转 into 左右翻 / 转). */
const brokenToolbarLabels = () =>
  page.$$eval('[role=toolbar] button', (buttons) => {
    const lineHeight = (b: Element) => parseFloat(getComputedStyle(b).lineHeight) || parseFloat(getComputedStyle(b).fontSize) * 1.3
    return buttons.filter((b) => b.getBoundingClientRect().height - 2 * parseFloat(getComputedStyle(b).paddingTop) > 1.5 * lineHeight(b)).map((b) => b.textContent)
  })
/** Sum of the viewport's rendered pixels in a central patch: changes whenever the display does. */
const canvasSignature = () =>
  page.$eval('[data-testid=viewport-canvas]', (el) => {
    const c = el as HTMLCanvasElement
    const d = c.getContext('2d')!.getImageData(Math.floor(c.width / 2) - 50, Math.floor(c.height / 2) - 50, 100, 100).data
    let sum = 0
    for (let i = 0; i < d.length; i += 4) sum += d[i]
    return sum
  })

describe('the clinician flow in Chromium', () => {
  it('sets the reviewer and a data root in Settings', async () => {
    await page.goto(app.host.url)
    await go('settings')
    await page.fill('[data-testid=data-root-input]', 'relative/folder')
    await page.click('[data-testid=data-root-add]')
    await expect.poll(() => text('data-root-error')).toMatch(/absolute paths/)
    await page.fill('[data-testid=data-root-input]', siteRoot)
    await page.click('[data-testid=data-root-add]')
    await expect.poll(() => text('data-roots')).toContain(fs.realpathSync(siteRoot))
    const reviewer = page.locator('input[maxlength="100"]')
    await reviewer.fill('Dr E2E Reader')
    await reviewer.press('Tab')
    await expect.poll(() => readSettings(ctx.services.db).reviewerName).toBe('Dr E2E Reader')
  })

  it('imports a folder picked under the data root, with progress, errors and filters', async () => {
    await go('library')
    await page.click('[data-testid=folder-entry]')
    await expect.poll(() => text('folder-path')).toBe(fs.realpathSync(siteRoot))
    await page.click('[data-testid=folder-entry] >> text=cohort-2026')
    await page.click('[data-testid=import-here]')
    await page.waitForSelector('[data-testid=import-progress] [role=progressbar]')
    await expect.poll(() => text('import-status'), { timeout: 60_000 }).toBe('done')
    const files = FILLER_STUDIES + cohortStudies.length + 1
    // the phase shown last is the reports', with its own count and rate; the job's row counts the files
    expect(await text('import-progress')).toMatch(/\b(\d+) \/ \1 reports\b/)
    expect(await text('import-progress')).toMatch(/reports\/s/)
    await expect.poll(() => page.locator('[data-testid=import-jobs] tbody tr >> nth=0 >> td >> nth=3').textContent()).toBe(`${files}`)
    // Started at, in the workstation's time and one year-first form for either language.
    expect(await page.locator('[data-testid=import-jobs] tbody tr >> nth=0 >> td >> nth=1').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    await expect.poll(() => text('library-counts')).toContain(`${FILLER_STUDIES + cohortStudies.length} studies`)
    expect(await text('pictures-among-dicom')).toContain('passed over 1 PNG/JPEG picture(s): they lie in a folder that holds DICOM films')
    expect(await text('films-indexed')).toContain('tables of films named 1 of the films')
    await page.click('[data-testid=job-errors]')
    expect(await text('error-list')).toContain('truncated.dcm')
    expect(await text('job-report-errors')).toBe('1')
    expect(await text('error-list')).toContain('ris-export.xls: it is truncated: 108 bytes')
    // The "import errors" filter lists every failed file of every job in place of the studies.
    await page.check('[data-testid=filter-errors]')
    await expect.poll(() => text('failed-files')).toContain('truncated.dcm')
    await shot('library-errors-en')
    await page.uncheck('[data-testid=filter-errors]')
    for (const filter of ['filter-report', 'filter-findings', 'filter-model-image', 'filter-review']) {
      const offset = await labelOffset(filter)
      expect(offset.rows, filter).toBeLessThan(6)
      expect(offset.textBefore, filter).toBe(true)
    }
    await page.selectOption('[data-testid=filter-report]', 'yes')
    await expect.poll(() => page.locator('[data-testid=study-row]').count()).toBe(cohortStudies.length)
    expect(await text('study-list')).not.toContain('Lovelace')
    await page.check('[data-testid=show-names]')
    await expect.poll(() => text('study-list')).toContain('Lovelace, Ada')
    await shot('library-names-en')
    await page.uncheck('[data-testid=show-names]')
    await expect.poll(() => text('study-list')).not.toContain('Lovelace')
    await shot('library-en')
  })

  it('reads a radiograph: W/L drag, presets, invert, length in mm and at detector, report evidence, tags', async () => {
    await page.check('[data-testid=show-names]')
    await page.click('[data-testid=study-row] >> text=Lovelace, Ada')
    await page.waitForSelector('[data-testid=page-viewer] [data-testid=viewport-canvas]')
    await expect.poll(() => text('viewer-window')).toBe('W 4096 / L 2048 · FULL')
    const before = await canvasSignature()
    const box = (await page.locator('[data-testid=viewport-canvas]').boundingBox())!
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    await page.mouse.move(cx - 150, cy + 60, { steps: 5 })
    await page.mouse.up()
    const dragged = (await text('viewer-window'))!
    const [, w, l] = dragged.match(/W (\d+) \/ L (\d+)/)!.map(Number)
    expect(w).toBeLessThan(4096)
    expect(l).toBeGreaterThan(2048)
    expect(await canvasSignature()).not.toBe(before)
    await page.keyboard.press('2')
    await expect.poll(() => text('viewer-window')).toBe('W 1200 / L 1500 · LUNG')
    const lung = await canvasSignature()
    await page.keyboard.press('i')
    await expect.poll(() => text('viewer-window')).toContain('inverted')
    expect(await canvasSignature()).not.toBe(lung)
    await page.keyboard.press('0')
    await page.keyboard.press(' ')
    await expect.poll(() => text('viewer-window')).toBe('W 4096 / L 2048 · FULL')
    // + and − zoom about the centre (OHIF's keys), = fits the film again.
    const zoomPercent = async () => Number((await text('viewer-zoom'))!.match(/(\d+)%/)![1])
    const fitted = await zoomPercent()
    await page.keyboard.press('+')
    await expect.poll(zoomPercent).toBeGreaterThan(fitted * 1.2)
    expect(await zoomPercent()).toBeLessThan(fitted * 1.3)
    await page.keyboard.press('-')
    await expect.poll(zoomPercent).toBe(fitted)
    await page.keyboard.press('-')
    await expect.poll(zoomPercent).toBeLessThan(fitted)
    await page.keyboard.press('=')
    await expect.poll(zoomPercent).toBe(fitted)
    // The edges say where the patient is; a flip moves the letters with the image, space undoes it.
    const edges = async () => Promise.all(['left', 'right', 'top', 'bottom'].map((e) => text(`orientation-${e}`)))
    expect(await edges()).toEqual(['R', 'L', 'H', 'F'])
    const unflipped = await canvasSignature()
    await page.keyboard.press('h')
    await expect.poll(edges).toEqual(['L', 'R', 'H', 'F'])
    await page.click('[data-testid=viewer-flip-v]')
    await expect.poll(edges).toEqual(['L', 'R', 'F', 'H'])
    expect(await canvasSignature()).not.toBe(unflipped)
    await page.keyboard.press('v')
    await expect.poll(edges).toEqual(['L', 'R', 'H', 'F'])
    await page.keyboard.press('h')
    // A quarter turn clockwise: the head to the right edge, the patient's right to the top.
    await page.keyboard.press(']')
    await expect.poll(edges).toEqual(['F', 'H', 'R', 'L'])
    const turned = await canvasSignature()
    expect(turned).not.toBe(unflipped)
    expect(turned).toBeGreaterThan(0.2 * unflipped)
    await page.click('[data-testid=viewer-rotate-left]')
    await expect.poll(edges).toEqual(['R', 'L', 'H', 'F'])
    expect(await canvasSignature()).toBe(unflipped)
    await page.keyboard.press(']')
    await page.keyboard.press(' ')
    await expect.poll(edges).toEqual(['R', 'L', 'H', 'F'])
    expect(await canvasSignature()).toBe(unflipped)
    await page.click('[data-testid=tool-measure]')
    await page.mouse.move(cx - 100, cy)
    await page.mouse.down()
    await page.mouse.move(cx + 100, cy, { steps: 4 })
    await page.mouse.up()
    expect(await text('viewer-measures')).toMatch(/^\s*\d+\.\d mm\s*$/)
    expect(await page.textContent('[data-testid=evidence-positive]')).toContain('12 mm solid nodule')
    await shot('viewer-en')
    await page.click('[data-testid=tab-tags]')
    expect(await text('tag-table')).toContain('Window Center / Width (0028,1050 / 1051)FULL C 2048 W 4096; LUNG C 1500 W 1200')
    expect(await text('tag-table')).not.toMatch(/Lovelace|MRN-9000/)
    expect(await text('tag-table')).toContain('Patient Orientation (0020,0020)L\\F')
    expect(await text('tag-table')).toContain('Model image turned to the standard viewno')
    await shot('viewer-tags-en')
    // The reader corrects the film's view: marked lateral, the study has no film the model reads; frontal again, it has; both signed.
    expect(await page.$eval('[data-testid=viewer-view]', (el) => (el as HTMLSelectElement).value)).toBe('frontal')
    await page.selectOption('[data-testid=viewer-view]', 'lateral')
    await page.waitForSelector('[data-testid=no-model-image]')
    await page.selectOption('[data-testid=viewer-view]', 'frontal')
    await page.waitForSelector('[data-testid=no-model-image]', { state: 'detached' })
    expect(ctx.services.db.prepare("SELECT actor FROM audit_log WHERE action = 'image.projection'").pluck().all()).toEqual(['Dr E2E Reader', 'Dr E2E Reader'])
    // Without a reviewer name the correction is refused in words, and the select still shows the film's view.
    writeSettings(ctx.services.db, { reviewerName: '' })
    await page.selectOption('[data-testid=viewer-view]', 'lateral')
    await expect.poll(() => text('view-problem')).toContain('reviewer in Settings')
    expect(await page.$eval('[data-testid=viewer-view]', (el) => (el as HTMLSelectElement).value)).toBe('frontal')
    writeSettings(ctx.services.db, { reviewerName: 'Dr E2E Reader' })
    // PageDown and PageUp move to the next and the previous study of the list.
    const chosenStudy = () => page.$eval('[data-testid=viewer-study]', (el) => (el as HTMLSelectElement).selectedIndex)
    const ada = await chosenStudy()
    await page.keyboard.press('PageDown')
    await expect.poll(chosenStudy).toBe(ada + 1)
    await page.keyboard.press('PageUp')
    await expect.poll(chosenStudy).toBe(ada)
    const alan = await page.locator('[data-testid=viewer-study] option', { hasText: 'Turing' }).getAttribute('value')
    await page.selectOption('[data-testid=viewer-study]', alan!)
    await expect.poll(() => text('page-viewer')).toContain('lengths at detector')
    await page.mouse.move(cx - 100, cy)
    await page.mouse.down()
    await page.mouse.move(cx + 100, cy + 20, { steps: 4 })
    await page.mouse.up()
    expect(await text('viewer-measures')).toMatch(/mm at detector/)
    await page.click('[data-testid=tool-window]')
  })

  it('reviews five findings by keyboard with undo; every decision is audited with before and after', async () => {
    const studies = listStudies(ctx.services.db, { hasReport: true, limit: 10, offset: 0 })
    const findings: number[] = []
    // the model's certainty of each, in the order they are written; the last was stored without one
    const certainties = [0.91, 0.48, 0.73, 0.35, null]
    const certainty = () => certainties[findings.length]
    for (const [i, s] of studies.rows.entries()) {
      const imageId = (ctx.services.db.prepare('SELECT i.id FROM images i JOIN series se ON se.id = i.series_id WHERE se.study_id = ?').get(s.id) as { id: number }).id
      findings.push(
        insertFinding(ctx.services.db, { studyId: s.id, imageId, text: `Right upper zone nodule ${10 + i} mm`, structured: noduleFinding('right', 'upper', 10 + i), certainty: certainty() })
      )
      if (i < 2) {
        findings.push(
          insertFinding(ctx.services.db, { studyId: s.id, imageId, text: `Left lower zone nodule ${6 + i} mm`, structured: noduleFinding('left', 'lower', 6 + i), certainty: certainty() })
        )
      }
    }
    expect(findings).toHaveLength(5)
    await go('review')
    await expect.poll(() => text('review-remaining')).toBe('5 of 5 findings left to review')
    await page.waitForSelector('[data-testid=page-review] [data-testid=viewport-canvas]')
    await shot('review-en')
    await page.keyboard.press('?')
    await page.waitForSelector('[data-testid=help-overlay]')
    await shot('review-help-en')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('[data-testid=help-overlay]').count()).toBe(0)

    await page.keyboard.press('a')
    await expect.poll(() => text('review-remaining')).toBe('4 of 5 findings left to review')
    await page.keyboard.press('r')
    await page.waitForSelector('[data-testid=reject-dialog]')
    await shot('review-reject-en')
    await page.keyboard.press('1')
    await expect.poll(() => text('review-remaining')).toBe('3 of 5 findings left to review')
    await page.keyboard.press('e')
    await page.waitForSelector('[data-testid=finding-editor]')
    await page.fill('[data-testid=edit-text]', 'Left middle zone nodule 9 mm')
    await page.selectOption('[data-testid=edit-side]', 'left')
    await page.selectOption('[data-testid=edit-zone]', 'middle')
    await page.fill('[data-testid=edit-size]', '9')
    await page.locator('[data-testid=edit-size]').press('Tab')
    await shot('review-edit-en')
    await page.click('[data-testid=edit-save]')
    await expect.poll(() => text('review-remaining')).toBe('2 of 5 findings left to review')
    await page.keyboard.press('u')
    await expect.poll(() => text('review-remaining')).toBe('1 of 5 findings left to review')
    await page.keyboard.press('Control+z')
    await expect.poll(() => text('review-remaining')).toBe('2 of 5 findings left to review')
    await page.keyboard.press('o')
    await expect.poll(() => page.textContent('.review-image')).toContain('Outline hidden')
    const heading = () => page.textContent('[data-testid=current-finding] h2')
    const here = (await heading())!
    await page.keyboard.press('j')
    await expect.poll(heading).not.toBe(here)
    await page.keyboard.press('k')
    await expect.poll(heading).toBe(here)
    const studyOf = async () => (await heading())!.split(' · ')[1]
    await page.click('[data-testid=queue-item] >> nth=0')
    const first = await studyOf()
    await page.keyboard.press('Shift+J')
    await expect.poll(studyOf).not.toBe(first)
    await page.keyboard.press('Shift+K')
    await expect.poll(studyOf).toBe(first)

    const reviews = ctx.services.db.prepare('SELECT finding_id, decision, reason, edited_json, reviewer FROM reviews ORDER BY id').all() as {
      finding_id: number
      decision: string
      reason: string | null
      edited_json: string | null
      reviewer: string
    }[]
    expect(reviews.map((r) => r.decision)).toEqual(['accept', 'reject', 'edit'])
    expect(reviews[1].reason).toBe('nipple-shadow')
    expect(JSON.parse(reviews[2].edited_json!)).toMatchObject({ text: 'Left middle zone nodule 9 mm', structured: { items: [{ side: 'left', zone: 'middle', sizeMm: 9 }] } })
    expect(reviews.every((r) => r.reviewer === 'Dr E2E Reader')).toBe(true)
    const audit = ctx.services.db.prepare("SELECT action, actor, before_json, after_json FROM audit_log WHERE entity = 'finding' ORDER BY id").all() as {
      action: string
      actor: string
      before_json: string
      after_json: string
    }[]
    expect(audit.map((a) => a.action)).toEqual(['review.accept', 'review.reject', 'review.edit', 'review.uncertain', 'review.undo'])
    for (const a of audit) {
      expect(a.actor).toBe('Dr E2E Reader')
      expect(JSON.parse(a.before_json)).toHaveProperty('finding.text')
      expect(JSON.parse(a.after_json)).toHaveProperty('finding.text')
    }
    expect(JSON.parse(audit[2].after_json).review.edited.text).toBe('Left middle zone nodule 9 mm')
    expect(JSON.parse(audit[4].before_json).review.decision).toBe('uncertain')
    expect(JSON.parse(audit[4].after_json).review).toBeNull()
  })

  it('exports the reviewed findings de-identified as CSV and JSON', async () => {
    const download = page.waitForEvent('download')
    await page.click('[data-testid=export-csv]')
    const csv = fs.readFileSync((await (await download).path())!, 'utf8')
    const jsonDownload = page.waitForEvent('download')
    await page.click('[data-testid=export-json]')
    const json = fs.readFileSync((await (await jsonDownload).path())!, 'utf8')
    expect(JSON.parse(json).findings).toHaveLength(3)
    expect(csv.trim().split('\r\n')).toHaveLength(4)
    for (const out of [csv, json]) {
      expect(out).toMatch(/CXR-[A-Z0-9]{8}/)
      for (const s of cohortStudies) for (const phi of [s.patientName, s.patientName.split('^')[0], s.patientId, s.birthDate]) expect(out).not.toContain(phi)
    }
    expect(await text('export-notice')).toMatch(/exports\/review-.*\.json/)
    // The study of the first finding (accepted) has reviewed findings: its DICOM SR document.
    await page.click('[data-testid=queue-item] >> nth=0')
    const srDownload = page.waitForEvent('download')
    await page.click('[data-testid=export-sr]')
    const sr = await srDownload
    expect(sr.suggestedFilename()).toMatch(/^review-CXR-[A-Z0-9]{8}-.*\.dcm$/)
    const srBytes = fs.readFileSync((await sr.path())!).toString('latin1')
    expect(srBytes.slice(128, 132)).toBe('DICM')
    for (const s of cohortStudies) for (const phi of [s.patientName, s.patientId, s.birthDate]) expect(srBytes).not.toContain(phi)
    expect(fs.readdirSync(path.join(ctx.dataDir, 'exports'))).toHaveLength(3)
    // The audit log, verbatim, for the site's own audit: every row with its chain.
    const auditDownload = page.waitForEvent('download')
    await page.click('[data-testid=export-audit]')
    const audit = JSON.parse(fs.readFileSync((await (await auditDownload).path())!, 'utf8'))
    const logged = (ctx.services.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
    expect(audit).toMatchObject({ kind: 'vision-zero-audit-log', chain: { ok: true, rows: logged } })
    expect(audit.entries).toHaveLength(logged)
    expect(audit.entries.every((e: { actor: string }) => e.actor === 'Dr E2E Reader')).toBe(true)
    expect(await text('export-notice')).toContain(`Exported ${logged} audit log entries`)
  })

  it('in read-first mode shows an undecided finding only once the reader asks for it', async () => {
    await go('settings')
    await page.click('[data-testid=read-before-reveal]')
    await expect.poll(() => readSettings(ctx.services.db).readBeforeReveal).toBe(true)
    await go('review')
    await expect.poll(() => text('review-remaining')).toBe('2 of 5 findings left to review')
    // The current finding is an undecided one: nothing of what the model wrote is on the page.
    await page.waitForSelector('[data-testid=read-first]')
    expect(await page.locator('[data-testid=current-finding] .finding-text').count()).toBe(0)
    expect(await page.locator('[data-testid=decide-accept]').count()).toBe(0)
    const queueTexts = await page.locator('[data-testid=queue-item]').allTextContents()
    expect(queueTexts.filter((q) => q.includes('AI finding hidden until read'))).toHaveLength(2)
    expect(queueTexts.filter((q) => q.includes('zone nodule'))).toHaveLength(3)
    await shot('review-read-first-en')
    // A decision key does nothing before the finding is shown.
    await page.keyboard.press('a')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid=current-finding] .finding-text')
    expect(await text('current-finding')).toMatch(/zone nodule \d+ mm/)
    expect(await text('review-remaining')).toBe('2 of 5 findings left to review')
    await page.keyboard.press('a')
    await expect.poll(() => text('review-remaining')).toBe('1 of 5 findings left to review')
    // The next undecided finding is hidden again; the accepted one shows what was accepted.
    await page.waitForSelector('[data-testid=read-first]')
    await page.click('[data-testid=reveal-finding]')
    await page.waitForSelector('[data-testid=decide-accept]')
    await page.keyboard.press('Control+z')
    await expect.poll(() => text('review-remaining')).toBe('2 of 5 findings left to review')
    await go('settings')
    await page.click('[data-testid=read-before-reveal]')
    await expect.poll(() => readSettings(ctx.services.db).readBeforeReveal).toBe(false)
  })

  it('filters the queue by decision and by what the model wrote; the keys act on what the filter shows', async () => {
    await go('review')
    await expect.poll(() => text('review-remaining')).toBe('2 of 5 findings left to review')
    const items = page.locator('[data-testid=queue-item]')
    for (const filter of ['filter-status', 'filter-presence', 'queue-order']) {
      const offset = await labelOffset(filter)
      expect(offset.rows, filter).toBeLessThan(6)
      expect(offset.textBefore, filter).toBe(true)
    }
    await page.selectOption('[data-testid=filter-status]', 'reject')
    await expect.poll(() => items.count()).toBe(1)
    expect(await items.first().textContent()).toContain('Rejected')
    await page.selectOption('[data-testid=filter-status]', 'pending')
    await expect.poll(() => items.count()).toBe(2)
    const [first, second] = (await items.allTextContents()).map(findingIdOf)
    // A comment goes with the decision; Esc leaves the field so the keys act again.
    await page.keyboard.press('m')
    await page.keyboard.type('Stable against the prior film')
    await page.keyboard.press('Escape')
    await page.keyboard.press('a')
    await expect.poll(() => text('review-remaining')).toBe('1 of 5 findings left to review')
    expect(ctx.services.db.prepare('SELECT decision, comment FROM reviews ORDER BY id DESC LIMIT 1').get()).toEqual({ decision: 'accept', comment: 'Stable against the prior film' })
    expect(await page.inputValue('[data-testid=review-comment]')).toBe('')
    // The accepted finding leaves the pending list; the other pending one is now the current.
    await expect.poll(() => items.count()).toBe(1)
    expect(await text('current-finding')).toContain(`Finding ${second}`)
    expect(first).not.toBe(second)
    await page.keyboard.press('Control+z')
    await expect.poll(() => items.count()).toBe(2)
    await page.selectOption('[data-testid=filter-presence]', 'absent')
    await page.waitForSelector('[data-testid=filter-none]')
    await page.selectOption('[data-testid=filter-presence]', 'present')
    await page.selectOption('[data-testid=filter-status]', 'all')
    await expect.poll(() => items.count()).toBe(5)
    // The findings the model was least certain of first (the one stored without a certainty last), each card saying how certain.
    const findingIds = async () => (await items.allTextContents()).map(findingIdOf)
    const byStudy = await findingIds()
    await page.selectOption('[data-testid=queue-order]', 'least-certain')
    const leastCertainFirst = ctx.services.db.prepare('SELECT id FROM findings ORDER BY certainty IS NULL, certainty').pluck().all()
    await expect.poll(findingIds).toEqual(leastCertainFirst)
    expect(await text('finding-certainty')).toBe('Model certainty 35 %')
    expect(await page.locator('[data-testid=queue-certainty]').allTextContents()).toEqual(['35 %', '48 %', '73 %', '91 %'])
    await page.keyboard.press('j')
    await expect.poll(() => text('finding-certainty')).toBe('Model certainty 48 %')
    await page.selectOption('[data-testid=queue-order]', 'study')
    await expect.poll(findingIds).toEqual(byStudy)
  })

  it('compares a film with the same patient’s earlier one, zoom and pan linked', async () => {
    const { pseudonym } = ctx.services.db.prepare("SELECT pseudonym FROM studies WHERE patient_id = ? AND study_date != '20250105'").get(cohortStudies[0].patientId) as { pseudonym: string }
    await go('review')
    await page.locator('[data-testid=queue-item]', { hasText: pseudonym }).first().click()
    await page.waitForSelector('[data-testid=compare-toggle]')
    expect(await text('compare-toggle')).toContain('Compare with another film of the patient (1)')
    await page.keyboard.press('c')
    await page.waitForSelector('[data-testid=compare-pane] [data-testid=viewport-canvas]')
    expect(await text('compare-this')).toBe('This study · 2026-01-05')
    expect(await page.locator('[data-testid=compare-study] option').allTextContents()).toEqual([expect.stringMatching(/^2025-01-05 · prior · CXR-[A-Z0-9]{8}$/)])
    // Zooming the film under review zooms the earlier one with it, and the other way round.
    const zoomOf = (pane: string) => page.textContent(`${pane} [data-testid=viewer-zoom]`)
    const compared = await zoomOf('[data-testid=compare-pane]')
    const box = (await page.locator('[data-testid=viewport-canvas] >> nth=0').boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.wheel(0, -400)
    await expect.poll(() => zoomOf('[data-testid=compare-pane]')).not.toBe(compared)
    const current = await zoomOf('.pane:first-child')
    const other = (await page.locator('[data-testid=compare-pane] [data-testid=viewport-canvas]').boundingBox())!
    await page.mouse.move(other.x + other.width / 2, other.y + other.height / 2)
    await page.mouse.wheel(0, 400)
    await expect.poll(() => zoomOf('.pane:first-child')).not.toBe(current)
    await shot('review-compare-en')
    await page.keyboard.press('c')
    await expect.poll(() => page.locator('[data-testid=compare-pane]').count()).toBe(0)
    // The Viewer compares the same way.
    const { id } = ctx.services.db.prepare('SELECT id FROM studies WHERE pseudonym = ?').get(pseudonym) as { id: number }
    await go('viewer')
    await page.selectOption('[data-testid=viewer-study]', String(id))
    await page.waitForSelector('[data-testid=compare-toggle]')
    await page.keyboard.press('c')
    await page.waitForSelector('[data-testid=compare-pane] [data-testid=viewport-canvas]')
    expect(await text('compare-this')).toBe('This study · 2026-01-05')
    await page.keyboard.press('c')
    await expect.poll(() => page.locator('[data-testid=compare-pane]').count()).toBe(0)
  })

  it('leaves a screenshot of every page in English and Chinese', async () => {
    await go('training')
    await shot('training-en')
    await go('evaluation')
    await shot('evaluation-en')
    await go('settings')
    await shot('settings-en')
    await page.selectOption('[data-testid=settings-language]', 'zh-CN')
    await expect.poll(() => text('nav-library')).toBe('影像库')
    await shot('settings-zh-CN')
    await go('library')
    await expect.poll(() => text('study-list')).toContain('化名')
    await shot('library-zh-CN')
    await go('viewer')
    await expect.poll(() => text('viewer-window')).toContain('窗宽')
    expect(await brokenToolbarLabels()).toEqual([])
    await shot('viewer-zh-CN')
    await go('review')
    await expect.poll(() => text('review-remaining')).toContain('待审核')
    expect(await brokenToolbarLabels()).toEqual([])
    await shot('review-zh-CN')
    await page.keyboard.press('r')
    await page.waitForSelector('[data-testid=reject-dialog]')
    await shot('review-reject-zh-CN')
    await page.keyboard.press('Escape')
    await go('training')
    await shot('training-zh-CN')
    await go('evaluation')
    await shot('evaluation-zh-CN')
  })

  it('draws only the rows of a long queue that are in view, and keeps the current one in view', async () => {
    // A finding for each of the other studies too: 35 studies' findings, and a second model's for each.
    const others = ctx.services.db.prepare('SELECT id FROM studies WHERE id NOT IN (SELECT study_id FROM findings)').all() as { id: number }[]
    for (const round of [1, 2]) for (const s of others) insertFinding(ctx.services.db, { studyId: s.id, imageId: null, text: `Round ${round}: no nodule`, structured: { presence: 'absent', count: 0, items: [] } })
    await go('training')
    await go('review')
    const total = 5 + 2 * others.length
    await expect.poll(() => text('review-remaining')).toContain(`${total}`)
    const drawn = await page.locator('[data-testid=queue-item]').count()
    expect(drawn).toBeGreaterThan(5)
    expect(drawn).toBeLessThan(total)
    await page.click('[data-testid=queue-item] >> nth=0')
    for (let i = 0; i < total - 1; i++) await page.keyboard.press('j')
    // The last row of the queue (its last study's last finding) is drawn, visible and current.
    const lastRow = ctx.services.db.prepare('SELECT f.id, s.pseudonym FROM findings f JOIN studies s ON s.id = f.study_id ORDER BY f.study_id DESC, f.id DESC LIMIT 1').get() as { id: number; pseudonym: string }
    const current = page.locator('.queue-item.current')
    await expect.poll(() => current.textContent()).toContain(`#${lastRow.id} · ${lastRow.pseudonym}`)
    expect(await current.isVisible()).toBe(true)
    expect(await page.textContent('[data-testid=current-finding] h2')).toContain(lastRow.pseudonym)
  })

  it('opens in the Viewer a study the Library found beyond the Viewer’s first 500, shown as the chosen one', async () => {
    const add = ctx.services.db.prepare("INSERT INTO studies (study_uid, pseudonym, study_date, created_at) VALUES (?, ?, '20270101', ?)")
    ctx.services.db.transaction(() => {
      for (let i = 0; i < 520; i++) add.run(`2.25.880${i}`, `CXR-NEWER${String(i).padStart(3, '0')}`, new Date().toISOString())
    })()
    const { pseudonym } = ctx.services.db.prepare('SELECT pseudonym FROM studies WHERE patient_id = ? AND study_date = ?').get(cohortStudies[0].patientId, '20260105') as { pseudonym: string }
    await go('library')
    await page.fill('[data-testid=filter-text]', pseudonym)
    await expect.poll(() => page.locator('[data-testid=study-row]').count()).toBe(1)
    await page.click(`[data-testid=study-row] button`)
    await page.waitForSelector('[data-testid=page-viewer]')
    await expect.poll(() => page.$eval('[data-testid=viewer-study]', (el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')).toContain(pseudonym)
  })

  it('ran with no console errors (CSP violations included) and never left the app’s origin', () => {
    expect(app.consoleErrors).toEqual([])
    expect(app.foreignRequests).toEqual([])
  })
})

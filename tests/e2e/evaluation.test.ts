/**
 * The Evaluation page shows what experiments and self-play runs stored: rows written through the
 * same repository the experiment and the round runner write with, read back through the contract,
 * drawn in Chromium.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Arm, EvaluationMetrics } from '../../src/shared/evaluation'
import { createExperiment, finishExperiment, insertEvaluation, insertExperimentArm } from '../../src/main/store/evaluation-repository'
import { createRun, insertCheckpoint } from '../../src/main/store/training-repository'
import { insertFinding, recordDecision } from '../../src/main/store/review-repository'
import { emptyNoduleItem, type NoduleFinding } from '../../src/shared/finding'
import { writeSettings } from '../../src/main/store/settings-repository'
import { tempServices } from '../helpers/temp-services'
import { openApp, screenshotDir, type AppSession } from './browser'

const HELD_OUT = 40
let ctx: ReturnType<typeof tempServices>
let app: AppSession
let page: Page
let selfPlayRunId: number

/** Scores with `finding` correct of 40 images, 16 of which have a nodule. */
function metrics(presence: number, finding: number, sideZone: number): EvaluationMetrics {
  return { images: HELD_OUT, presence: { correct: presence, total: HELD_OUT }, sideZone: { correct: sideZone, total: 16 }, size: { correct: Math.max(0, sideZone - 2), total: 16 }, finding: { correct: finding, total: HELD_OUT } }
}

/** "No nodule" for every one of the 40 images: right on the 24 clear ones, wrong on the 16 with a nodule. */
const NO_NODULE: EvaluationMetrics = { images: HELD_OUT, presence: { correct: 24, total: HELD_OUT }, sideZone: { correct: 0, total: 16 }, size: { correct: 0, total: 16 }, finding: { correct: 24, total: HELD_OUT } }

/** Finding accuracy per arm and seed: (a) 50 %, 52.5 %, 55 %; (b) 70 %, 72.5 %, 75 %; (c) 75 %, 77.5 %, 80 %. */
const findingCorrect: Record<Arm, number[]> = { warmup: [20, 21, 22], selfplay: [28, 29, 30], supervised: [30, 31, 32] }

/** A finished experiment over `seeds` (seed i scores as the i-th column of `findingCorrect`). */
function storeExperiment(seeds: number[]): number {
  const db = ctx.services.db
  const experimentId = createExperiment(db, { preset: 'demo', configJson: '{}', seeds, truthSource: 'synthetic', heldOut: HELD_OUT, noNodule: NO_NODULE })
  for (const [i, seed] of seeds.entries()) {
    for (const arm of ['warmup', 'selfplay', 'supervised'] as const) {
      const runId = createRun(db, { name: arm === 'selfplay' ? 'selfplay' : 'warmup', configJson: '{}', seed, device: 'test', executionProvider: 'cpu' })
      const finding = findingCorrect[arm][i]
      insertExperimentArm(
        db,
        experimentId,
        { seed, arm, runId, computeSeconds: arm === 'warmup' ? 120 : 300, warmupSteps: 60, selfPlayRounds: arm === 'selfplay' ? 4 : 0 },
        { runId, roundIndex: null, checkpointPath: `checkpoints/run-${runId}/final.safetensors`, truthSource: 'synthetic', metrics: metrics(finding + 4, finding, 8 + 2 * i), seconds: 5 }
      )
      if (arm === 'selfplay') selfPlayRunId = runId
    }
  }
  finishExperiment(db, experimentId, { status: 'done' })
  return experimentId
}

const rightUpper12: NoduleFinding = { presence: 'present', count: 1, items: [{ ...emptyNoduleItem(), side: 'right', zone: 'upper', sizeMm: 12 }] }

/**
 * Four findings of the newest self-play run's round-3 model: Dr A accepts one, moves one to the left
 * lower zone, rejects one as a nipple shadow and leaves one undecided; Dr B reads the first two again
 * and accepts both.
 */
function storeReviews(): number {
  const db = ctx.services.db
  const checkpointId = insertCheckpoint(db, { runId: selfPlayRunId, roundIndex: 3, path: `checkpoints/run-${selfPlayRunId}/round-3.safetensors`, sha256: 'x'.repeat(64), metricsJson: null })
  // the model was more certain of the two findings accepted in the end than of the one rejected
  const findings = [0.9, 0.8, 0.4, 0.3].map((certainty, i) => {
    const studyId = Number(db.prepare('INSERT INTO studies (study_uid, pseudonym, created_at) VALUES (?, ?, ?)').run(`2.25.77${i + 1}`, `CXR-REVIEW${i + 1}`, new Date().toISOString()).lastInsertRowid)
    return insertFinding(db, { studyId, imageId: null, checkpointId, text: 'Right upper zone nodule 12 mm', structured: rightUpper12, certainty })
  })
  const leftLower: NoduleFinding = { ...rightUpper12, items: [{ ...rightUpper12.items[0], side: 'left', zone: 'lower' }] }
  recordDecision(db, { findingId: findings[0], decision: 'accept', reviewer: 'Dr A', secondsOnTask: 4 })
  recordDecision(db, { findingId: findings[1], decision: 'edit', edited: { text: 'Left lower zone nodule 12 mm', structured: leftLower }, reviewer: 'Dr A', secondsOnTask: 10 })
  recordDecision(db, { findingId: findings[2], decision: 'reject', reason: 'nipple-shadow', reviewer: 'Dr A', secondsOnTask: 6 })
  recordDecision(db, { findingId: findings[0], decision: 'accept', reviewer: 'Dr B', secondsOnTask: 3 })
  recordDecision(db, { findingId: findings[1], decision: 'accept', reviewer: 'Dr B', secondsOnTask: 5 })
  return checkpointId
}
let reviewedModel: number

function storeRows(): void {
  const db = ctx.services.db
  storeExperiment([1, 2, 3])
  reviewedModel = storeReviews()
  // Periodic evaluations of the newest self-play run on a 16-image sample after rounds 0…3.
  for (let round = 0; round < 4; round++) {
    insertEvaluation(db, { runId: selfPlayRunId, roundIndex: round, checkpointPath: `checkpoints/run-${selfPlayRunId}/round-${round}.safetensors`, truthSource: 'synthetic', metrics: { ...metrics(10 + round, 6 + round, 4), images: 16, presence: { correct: 10 + round, total: 16 }, finding: { correct: 6 + round, total: 16 } }, seconds: 2 })
  }
}

beforeAll(async () => {
  ctx = tempServices('web')
  storeRows()
  app = await openApp(ctx.services, { width: 1440, height: 1400 })
  page = app.page
})
afterAll(async () => {
  await app?.close()
  ctx?.cleanup()
})

const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, `evaluation-${name}.png`), fullPage: true })

describe('the Evaluation page', () => {
  it('shows the arms table with mean ± spread over seeds, the comparisons and the plot', async () => {
    await page.goto(`${app.host.url}#/evaluation`)
    await page.waitForSelector('[data-testid=evaluation-table]')
    const row = (arm: Arm) => page.locator(`[data-testid=evaluation-arm-${arm}] td`).allTextContents()
    // Finding accuracy is the 4th metric column; spread = sample standard deviation of 3 seeds 2.5 points apart.
    expect(await row('warmup')).toEqual(['62.5% ± 2.5', '62.5% ± 12.5', '50.0% ± 12.5', '52.5% ± 2.5', '2.00', '3'])
    expect((await row('selfplay'))[3]).toBe('72.5% ± 2.5')
    expect((await row('supervised'))[3]).toBe('77.5% ± 2.5')
    // The floor the arms are read against: "no nodule" written for every image.
    expect(await page.locator('[data-testid=evaluation-no-nodule] th').textContent()).toBe('"No nodule" for every image')
    expect(await page.locator('[data-testid=evaluation-no-nodule] td').allTextContents()).toEqual(['60.0%', '0.0%', '0.0%', '60.0%', '–', '–'])
    expect(await page.textContent('[data-testid=evaluation-heldout]')).toContain('40 held-out images')
    const gain = await page.textContent('[data-testid=evaluation-gain]')
    expect(gain).toContain('20.0 points; seed spread 2.5')
    expect(gain).toContain('Self-play gains more than the seed spread.')
    expect(await page.textContent('[data-testid=evaluation-ratio]')).toContain((0.725 / 0.775).toFixed(3))
    // 4 metrics × 3 arms with a mean each, and 3 seed dots per bar.
    expect(await page.locator('[data-testid=evaluation-plot] rect.bar').count()).toBe(12)
    expect(await page.locator('[data-testid=evaluation-plot] circle').count()).toBe(36)
    expect(await page.locator('[data-testid=evaluation-plot] line.floor').count()).toBe(4)
    // The periodic evaluation of the newest self-play run: one point per round, then its final score.
    const finding = await page.getAttribute('[data-testid=chart-periodic] polyline[data-series="finding accuracy"]', 'points')
    expect(finding?.trim().split(' ')).toHaveLength(4)
    expect(await page.textContent('[data-testid=evaluation-final]')).toContain('75.0% (30/40)')
    await shot('en')
  })

  it('shows what the clinicians decided on each model’s findings, and how two readers agree', async () => {
    const row = page.locator(`[data-testid=evaluation-review-model-${reviewedModel}]`)
    await row.waitFor()
    expect(await row.locator('th').textContent()).toBe(`Self-play run #${selfPlayRunId} · round 3`)
    // The latest decisions: Dr B accepted the first two, Dr A rejected the third; the fourth is undecided.
    // Both signed findings say what the model wrote (Dr B accepted the moved one as written).
    expect(await row.locator('td').allTextContents()).toEqual([
      '3 of 4',
      '2 (66.7%)',
      '0 (0.0%)',
      '1 (33.3%)',
      '0 (0.0%)',
      '100.0% (2/2)',
      '100.0% (2/2)',
      '100.0% (2/2)',
      '100.0% (2/2)',
      '5.0',
      '1.00',
      'False positive: nipple shadow 1'
    ])
    // Accept/accept and edit/accept: one decision in two the same; kappa 0 (Dr B accepts whatever Dr A decides).
    expect(await page.textContent('[data-testid=evaluation-double-read]')).toContain('2 findings; the same decision on 50.0%; Cohen’s κ 0.00')
    await row.scrollIntoViewIfNeeded()
    await shot('review-en')
  })

  it('speaks Chinese too', async () => {
    writeSettings(ctx.services.db, { language: 'zh-CN' })
    await page.reload()
    await page.waitForSelector('[data-testid=evaluation-table]')
    expect(await page.textContent('[data-testid=evaluation-arm-selfplay] th')).toBe('(b) 预热 + 自我对弈')
    expect(await page.textContent('[data-testid=evaluation-no-nodule] th')).toBe('每幅图像均写“未见结节”')
    expect(await page.textContent('[data-testid=evaluation-plot] svg title')).toContain('各实验组')
    expect(await page.textContent('[data-testid=evaluation-gain]')).toContain('自我对弈的提升大于种子间离散度')
    expect(await page.textContent(`[data-testid=evaluation-review-model-${reviewedModel}] th`)).toBe(`自我对弈运行 #${selfPlayRunId} · 第 3 轮`)
    await shot('zh-CN')
  })

  it('says a one-seed experiment has no spread to compare its gain with', async () => {
    writeSettings(ctx.services.db, { language: 'en' })
    const oneSeed = storeExperiment([1])
    await page.reload()
    await page.waitForSelector('[data-testid=evaluation-table]')
    await page.selectOption('[data-testid=evaluation-experiment]', String(oneSeed))
    await page.waitForFunction(() => document.querySelector('[data-testid=evaluation-arm-warmup] td:last-child')?.textContent === '1')
    const gain = await page.textContent('[data-testid=evaluation-gain]')
    expect(gain).toContain('20.0 points')
    expect(gain).toContain('One seed: no seed spread to compare with')
    expect(gain).not.toContain('more than the seed spread')
  })

  it('ran with no console errors and never left the app’s origin', () => {
    expect(app.consoleErrors).toEqual([])
    expect(app.foreignRequests).toEqual([])
  })
})

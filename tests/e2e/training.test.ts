/**
 * The Training page charts what a self-play run stored: rounds written through the same
 * repository the round runner commits with, read back through the contract, drawn in Chromium.
 * Then a real tiny run on a synthetic cohort imported through the API: started, paused, resumed
 * and stopped from the page while its charts grow, and a round's transcripts with both images.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commitRound } from '../../src/main/store/selfplay-repository'
import { createRun, setRunStatus } from '../../src/main/store/training-repository'
import { dispatch } from '../../src/main/api/dispatch'
import { writeSmallCohort } from '../helpers/small-cohort'
import { describeStudy } from '../../src/main/model/describe'
import { writeSettings } from '../../src/main/store/settings-repository'
import { defaultSelfPlayConfig, withSettings } from '../../src/main/selfplay/config'
import { advanceScheduler, initialSchedulerState } from '../../src/main/selfplay/scheduler'
import type { RoundMetrics } from '../../src/main/training/selfplay-round'
import { tempServices } from '../helpers/temp-services'
import { openApp, screenshotDir, type AppSession } from './browser'

const ROUNDS = 14
/** Rounds the run started from the page plans (see the pause/stop test). */
const PLANNED_ROUNDS = 1000
let ctx: ReturnType<typeof tempServices>
let app: AppSession
let page: Page

/** Rounds whose votes are right at first and then go wrong, so the scheduler switches on the way. */
function storeRun(): void {
  const db = ctx.services.db
  const selfplay = withSettings(defaultSelfPlayConfig, ['spy.clueTemperature=0.3'])
  const runId = createRun(db, { name: 'selfplay', configJson: JSON.stringify({ selfplay }), seed: 1, device: 'test', executionProvider: 'cpu' })
  let state = initialSchedulerState
  for (let i = 0; i < ROUNDS; i++) {
    const accuracy = i < 8 ? 0.95 : 0.1
    const step = advanceScheduler(state, { accuracy, naRate: 0.05 }, defaultSelfPlayConfig.scheduler)
    const metrics: RoundMetrics = {
      stage: state.stage,
      spyGames: 2,
      qaGames: 2,
      voteAccuracy: accuracy,
      voteNaRate: 0.05,
      scheduler: { accuracy: step.accuracy, naRate: step.naRate, error: step.error, stageAfter: step.state.stage, updatesInStage: step.state.updatesInStage },
      switched: step.switched,
      baselines: { spy: -0.02 * i, civilian: 0.01 * i, voter: 0.1, questioner: 0.05 * Math.sin(i), answerer: 0.02 * i },
      answererAccuracy: 0.2 + 0.02 * i,
      questionerReward: 0.4,
      samples: { voter: 48 },
      policySteps: 3,
      loss: 0.5 - 0.02 * i,
      kl: 0.001 * i,
      generatedTokens: 500,
      tokensPerSecond: 120 + i,
      seconds: { games: 1, update: 2 }
    }
    commitRound(db, {
      runId,
      roundIndex: i,
      stage: state.stage,
      metricsJson: JSON.stringify(metrics),
      startedAt: new Date().toISOString(),
      seconds: 3,
      games: [],
      checkpoint: { path: `checkpoints/run-${runId}/round-${i}.safetensors`, sha256: '0'.repeat(64), metricsJson: null }
    })
    state = step.state
  }
  setRunStatus(db, runId, 'done')
}

/** A synthetic cohort written as DICOM files and reports and imported through the contract, as the Library does. */
async function importCohort(): Promise<void> {
  const folder = await writeSmallCohort(ctx.dataDir, { seed: 3, studies: 8, language: 'en' })
  const envelope = await dispatch(ctx.services.handlers, 'settings.set', { dataRoots: [folder] })
  expect(envelope.ok).toBe(true)
  const started = await dispatch(ctx.services.handlers, 'import.start', { roots: [folder] })
  if (!started.ok) throw new Error(started.error.message)
  const task = await ctx.services.tasks.whenFinished((started.value as { taskId: number }).taskId)
  expect(task?.status).toBe('done')
}

beforeAll(async () => {
  ctx = tempServices('web')
  storeRun()
  await importCohort()
  app = await openApp(ctx.services, { width: 1440, height: 900 })
  page = app.page
})
afterAll(async () => {
  await app?.close()
  ctx?.cleanup()
})

const text = (testId: string) => page.textContent(`[data-testid=${testId}]`)
const timelineLength = () => page.locator('[data-testid=training-timeline] .stage').count()
/** Opens a round's transcripts and waits until its games are shown. */
async function openRound(round: string): Promise<void> {
  await page.selectOption('[data-testid=transcript-round]', round)
  await page.waitForSelector(`[data-testid=transcripts][data-round="${round}"]`)
}

/** Opens a QA game whose question was read and answered, if the run played one (a tiny model often writes unreadable questions). */
async function openAnsweredQaGame(): Promise<void> {
  const rounds = await page.$$eval('[data-testid=transcript-round] option', (options) => options.map((o) => (o as HTMLOptionElement).value))
  for (const round of rounds) {
    await openRound(round)
    for (let i = 0; i < (await page.locator('[data-testid=game-qa]').count()); i++) {
      await page.click(`[data-testid=game-qa] >> nth=${i}`)
      await page.waitForSelector('[data-testid=qa-game]')
      if (await page.locator('[data-testid=qa-answers]').count()) return
    }
  }
}

/** The page scrolls inside its content pane: bring the transcript viewer to the top for its screenshots. */
const showTranscripts = () => page.$eval('[data-testid=transcripts]', (el) => el.scrollIntoView())
const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, `training-${name}.png`), fullPage: true })

describe('the Training page', () => {
  it('charts every stored round: EMAs with thresholds, baselines per role, QA, loss, throughput and the stage timeline', async () => {
    await page.goto(`${app.host.url}#/training`)
    await page.waitForSelector('[data-testid=chart-votes] polyline')
    expect(await page.locator('[data-testid=training-timeline] .stage').count()).toBe(ROUNDS)
    expect(await page.locator('[data-testid=training-timeline] .stage-clue').count()).toBeGreaterThan(0)
    expect(await page.locator('[data-testid=training-timeline] .switch').count()).toBeGreaterThanOrEqual(1)
    const accuracy = await page.getAttribute('[data-testid=chart-votes] polyline[data-series="vote accuracy"]', 'points')
    expect(accuracy?.trim().split(' ')).toHaveLength(ROUNDS)
    expect(await page.locator('[data-testid=chart-votes] .threshold').count()).toBe(2)
    expect(await page.locator('[data-testid=chart-baselines] polyline').count()).toBe(5)
    // What the run changed from DESIGN's defaults, so two runs' charts can be compared.
    expect(await page.textContent('[data-testid=training-settings]')).toBe('Self-play settings changed from the design defaults: spy.clueTemperature=0.3')
    await shot('en')
  })

  it('speaks Chinese too', async () => {
    writeSettings(ctx.services.db, { language: 'zh-CN' })
    await page.reload()
    await page.waitForSelector('[data-testid=chart-votes] polyline')
    expect(await page.textContent('[data-testid=chart-votes] figcaption')).toContain('卧底游戏')
    await shot('zh-CN')
  })

  it('starts a tiny run from the page, charts its rounds as they land, pauses, resumes and stops it', async () => {
    writeSettings(ctx.services.db, { language: 'en' })
    await page.reload()
    await page.waitForSelector('[data-testid=run-start]')
    await page.selectOption('[data-testid=run-preset]', 'tiny')
    // Far more rounds than the test waits for: a tiny round takes well under a second on a quiet
    // machine, and the stop must land while the run still plays (40 rounds could all be done first).
    await page.fill('[data-testid=run-rounds]', String(PLANNED_ROUNDS))
    await page.click('[data-testid=run-start]')
    await expect.poll(() => text('run-status')).toBe('training')
    expect(await page.isDisabled('[data-testid=run-start]')).toBe(true)
    await page.waitForSelector('[data-testid=run-phase] [role=progressbar]', { timeout: 60_000 })
    // The charts follow the run: the timeline grows round by round without a reload.
    await expect.poll(timelineLength, { timeout: 120_000 }).toBeGreaterThanOrEqual(2)
    await expect.poll(() => text('run-phase')).toMatch(/rounds.*ETA/s)
    await shot('run-en')

    await page.click('[data-testid=run-pause]')
    await expect.poll(() => text('run-status'), { timeout: 60_000 }).toBe('paused')
    const pausedAt = await timelineLength()
    expect(pausedAt).toBeLessThan(PLANNED_ROUNDS)
    expect(await text('run-progress')).toContain(`${pausedAt} of ${PLANNED_ROUNDS} rounds`)
    await expect.poll(() => page.isEnabled('[data-testid=run-start]')).toBe(true)
    expect(await page.isDisabled('[data-testid=run-pause]')).toBe(true)
    expect(await page.isDisabled('[data-testid=run-stop]')).toBe(true)
    await shot('paused-en')

    await page.click('[data-testid=run-resume]')
    await expect.poll(() => text('run-status')).toBe('training')
    await expect.poll(timelineLength, { timeout: 120_000 }).toBeGreaterThan(pausedAt + 1)
    await page.click('[data-testid=run-stop]')
    await expect.poll(() => text('run-status'), { timeout: 30_000 }).toBe('stopped')
    await expect.poll(() => page.isEnabled('[data-testid=run-resume]')).toBe(true)
    expect(await page.isDisabled('[data-testid=run-stop]')).toBe(true)
    const stoppedAt = await timelineLength()
    expect(stoppedAt).toBeLessThan(PLANNED_ROUNDS)
    expect(await text('run-progress')).toContain(`${stoppedAt} of ${PLANNED_ROUNDS} rounds`)
  }, 300_000)

  it('shows a round’s games: clues in speaking order, votes, and the civilians’ image beside the spy’s edited one', async () => {
    await page.waitForSelector('[data-testid=transcripts]')
    await openRound('1')
    await page.click('[data-testid=game-spy] >> nth=0')
    await page.waitForSelector('[data-testid=image-civilian]')
    await page.waitForSelector('[data-testid=image-spy]')
    const sizes = await page.$$eval('[data-testid=game-images] img', (imgs) => imgs.map((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]))
    expect(sizes).toEqual([
      [256, 256],
      [256, 256]
    ])
    expect(await page.locator('[data-testid=clues] li').count()).toBe(4)
    expect(await page.locator('[data-testid=seats] tbody tr').count()).toBe(4)
    expect(await page.locator('[data-testid=votes] tbody tr').count()).toBe(3)
    expect(await text('edit-kind')).toMatch(/nodule (inserted|removed|moved|resized)/)
    await showTranscripts()
    await shot('transcript-spy-en')
    await openAnsweredQaGame()
    expect(await text('qa-question')).toMatch(/→/)
    await showTranscripts()
    await shot('transcript-qa-en')

    writeSettings(ctx.services.db, { language: 'zh-CN' })
    await page.reload()
    await page.waitForSelector('[data-testid=transcripts]')
    await expect.poll(() => text('run-status')).toBe('已停止')
    await shot('run-zh-CN')
    await openRound('1')
    await page.click('[data-testid=game-spy] >> nth=0')
    await page.waitForSelector('[data-testid=image-spy]')
    expect(await text('game-images')).toContain('卧底的图像')
    await showTranscripts()
    await shot('transcript-spy-zh-CN')
    await openAnsweredQaGame()
    await showTranscripts()
    await shot('transcript-qa-zh-CN')
  }, 120_000)

  it('writes findings from the Review page for the studies the model under review has not described, with the count left', async () => {
    // \`vzw describe\` writes one study's finding with the run's warm-up: that model is now under review, and the other studies have none from it.
    const { pseudonym } = ctx.services.db.prepare('SELECT pseudonym FROM studies ORDER BY id LIMIT 1').get() as { pseudonym: string }
    await describeStudy(ctx.services.db, ctx.dataDir, pseudonym, { threads: 1 })
    const studies = (ctx.services.db.prepare('SELECT COUNT(*) AS n FROM studies').get() as { n: number }).n
    writeSettings(ctx.services.db, { language: 'en' })
    await page.goto(`${app.host.url}#/review`)
    await expect.poll(() => text('new-findings')).toContain(`Studies imported since the model wrote its findings, with none yet: ${studies - 1}.`)
    expect(await page.locator('[data-testid=queue-item]').count()).toBe(1)
    await shot('review-new-findings-en')
    await page.click('[data-testid=write-new-findings]')
    await expect.poll(() => page.locator('[data-testid=queue-item]').count(), { timeout: 120_000 }).toBe(studies)
    await expect.poll(() => page.locator('[data-testid=new-findings]').count()).toBe(0)
  }, 180_000)

  it('ran with no console errors and never left the app’s origin', () => {
    expect(app.consoleErrors).toEqual([])
    expect(app.foreignRequests).toEqual([])
  })
})

/**
 * The Training page charts what a self-play run stored: rounds written through the same
 * repository the round runner commits with, read back through the contract, drawn in Chromium.
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commitRound } from '../../src/main/store/selfplay-repository'
import { createRun } from '../../src/main/store/training-repository'
import { writeSettings } from '../../src/main/store/settings-repository'
import { defaultSelfPlayConfig } from '../../src/main/selfplay/config'
import { advanceScheduler, initialSchedulerState } from '../../src/main/selfplay/scheduler'
import type { RoundMetrics } from '../../src/main/training/selfplay-round'
import { tempServices } from '../helpers/temp-services'
import { openApp, screenshotDir, type AppSession } from './browser'

const ROUNDS = 14
let ctx: ReturnType<typeof tempServices>
let app: AppSession
let page: Page

/** Rounds whose votes are right at first and then go wrong, so the scheduler switches on the way. */
function storeRun(): void {
  const db = ctx.services.db
  const runId = createRun(db, { name: 'selfplay', configJson: JSON.stringify({ selfplay: defaultSelfPlayConfig }), seed: 1, device: 'test', executionProvider: 'cpu' })
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
}

beforeAll(async () => {
  ctx = tempServices('web')
  storeRun()
  app = await openApp(ctx.services, { width: 1440, height: 900 })
  page = app.page
})
afterAll(async () => {
  await app?.close()
  ctx?.cleanup()
})

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
    await shot('en')
  })

  it('speaks Chinese too', async () => {
    writeSettings(ctx.services.db, { language: 'zh-CN' })
    await page.reload()
    await page.waitForSelector('[data-testid=chart-votes] polyline')
    expect(await page.textContent('[data-testid=chart-votes] figcaption')).toContain('卧底游戏')
    await shot('zh-CN')
  })

  it('ran with no console errors and never left the app’s origin', () => {
    expect(app.consoleErrors).toEqual([])
    expect(app.foreignRequests).toEqual([])
  })
})

import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WebHost } from '../../src/main/host/web-host'
import { databasePath, openDatabase } from '../../src/main/store/database'
import { readSettings } from '../../src/main/store/settings-repository'
import { latestSchemaVersion } from '../../src/main/store/migrations'
import { tempServices } from '../helpers/temp-services'
import { openApp, screenshotDir, type AppSession } from './browser'

let ctx: ReturnType<typeof tempServices>
let app: AppSession
let host: WebHost
let page: Page

beforeAll(async () => {
  ctx = tempServices('web')
  app = await openApp(ctx.services, { width: 1280, height: 800 })
  ;({ host, page } = app)
})
afterAll(async () => {
  await app?.close()
  ctx?.cleanup()
})

const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, `shell-${name}.png`), fullPage: true })

describe('the app shell in Chromium through the web host', () => {
  it('shows app.info read by the real handler from the real SQLite file', async () => {
    await page.goto(host.url)
    await expect.poll(() => page.textContent('[data-testid=status-db]')).toContain('Database OK')
    expect(await page.textContent('[data-testid=ai-banner]')).toContain('a clinician must confirm')
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain('token=')
    await shot('library-en')
    await page.click('[data-testid=nav-settings]')
    await expect.poll(() => page.textContent('[data-testid=info-datadir]')).toBe(ctx.dataDir)
    expect(await page.textContent('[data-testid=info-schema]')).toMatch(new RegExp(`^${latestSchemaVersion} · wal`))
    expect(await page.textContent('[data-testid=info-eps]')).toContain('cpu')
    // No GPU here: the provider that runs is the CPU, and the status bar says so.
    expect(await page.textContent('[data-testid=status-ep]')).toBe('Compute: cpu')
    await shot('settings-en')
  })

  it('runs the demonstration task in the child process with a live progress bar', async () => {
    await page.click('[data-testid=demo-task]')
    await page.waitForSelector('[role=progressbar]')
    await expect.poll(() => page.textContent('[data-testid=demo-status]'), { timeout: 60_000 }).toBe('done')
  })

  it('switches to Chinese, keeps it in the database, and after a reload', async () => {
    await page.selectOption('[data-testid=settings-language]', 'zh-CN')
    await expect.poll(() => page.textContent('[data-testid=nav-library]')).toBe('影像库')
    expect(await page.textContent('[data-testid=ai-banner]')).toContain('须经临床医生确认')
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await shot('settings-zh-CN')
    const db = openDatabase(databasePath(ctx.dataDir))
    expect(readSettings(db).language).toBe('zh-CN')
    db.close()
    await page.reload()
    await expect.poll(() => page.textContent('[data-testid=nav-review]')).toBe('审核')
    await page.click('[data-testid=nav-library]')
    await expect.poll(() => page.textContent('[data-testid=status-db]')).toContain('数据库正常')
    await shot('library-zh-CN')
  })

  it('ran with no console errors (CSP violations included) and never left the app’s origin', () => {
    expect(app.consoleErrors).toEqual([])
    expect(app.foreignRequests).toEqual([])
  })
})

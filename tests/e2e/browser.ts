import fs from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Services } from '../../src/main/app/services'
import { startWebHost, type WebHost } from '../../src/main/host/web-host'

/** Debian's chromium (installed by .ci/run); no browser is ever downloaded. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: run .ci/run or apt-get install chromium`)
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run'
    ]
  })
}

export const screenshotDir = 'test-results'

/** The app served by the loopback web host in a fresh Chromium page; console errors are collected. */
export interface AppSession {
  host: WebHost
  browser: Browser
  page: Page
  consoleErrors: string[]
  /** Every request the page made to anything but the app's own loopback origin. */
  foreignRequests: string[]
  close(): Promise<void>
}

export async function openApp(services: Services, viewport: { width: number; height: number }): Promise<AppSession> {
  const host = await startWebHost(services, { rendererDir: 'out/renderer' })
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport, acceptDownloads: true })
  const consoleErrors: string[] = []
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  const foreignRequests: string[] = []
  page.on('request', (r) => {
    const url = r.url()
    if (!url.startsWith(`${host.origin}/`) && !url.startsWith(host.origin.replace('http', 'ws')) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url)
  })
  fs.mkdirSync(screenshotDir, { recursive: true })
  return {
    host,
    browser,
    page,
    consoleErrors,
    foreignRequests,
    async close() {
      await browser.close()
      await host.close()
    }
  }
}

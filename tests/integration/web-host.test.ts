import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebHost, type WebHost } from '../../src/main/host/web-host'
import { tempDataDir, tempServices } from '../helpers/temp-services'

let ctx: ReturnType<typeof tempServices>
let host: WebHost
let renderer: ReturnType<typeof tempDataDir>

beforeAll(async () => {
  ctx = tempServices('web')
  // A stand-in renderer folder: this test is about the host, not the UI (the e2e test covers that).
  renderer = tempDataDir('vzw-renderer-')
  fs.writeFileSync(path.join(renderer.dir, 'index.html'), '<!doctype html><title>t</title>')
  fs.writeFileSync(path.join(path.dirname(renderer.dir), 'vzw-secret.txt'), 'outside')
  host = await startWebHost(ctx.services, { rendererDir: renderer.dir })
})
afterAll(async () => {
  await host.close()
  ctx.cleanup()
  renderer.cleanup()
})

function connect(url: string, origin: string | undefined): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }))
    ws.once('error', () => undefined)
  })
}

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(host.origin)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, headers }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

const apiUrl = () => `${host.origin.replace('http', 'ws')}/api?token=${host.token}`

describe('the loopback web host', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
  })

  it('answers the API over WebSocket with the token from its own origin', async () => {
    const r = await connect(apiUrl(), host.origin)
    if (!('ws' in r)) throw new Error(`refused with ${r.status}`)
    const reply = await new Promise<{ id: number; envelope: { ok: boolean; value: { dataDir: string } } }>((resolve) => {
      r.ws.once('message', (m) => resolve(JSON.parse(String(m))))
      r.ws.send(JSON.stringify({ id: 7, method: 'app.info', input: {} }))
    })
    expect(reply.id).toBe(7)
    expect(reply.envelope.ok).toBe(true)
    expect(reply.envelope.value.dataDir).toBe(ctx.dataDir)
    r.ws.close()
  })

  it('refuses a connection without the token or with a wrong one', async () => {
    expect(await connect(`${host.origin.replace('http', 'ws')}/api`, host.origin)).toEqual({ status: 401 })
    expect(await connect(`${host.origin.replace('http', 'ws')}/api?token=${'x'.repeat(32)}`, host.origin)).toEqual({ status: 401 })
  })

  it('refuses a page of another origin, even with the token', async () => {
    expect(await connect(apiUrl(), 'http://evil.example')).toEqual({ status: 403 })
    expect(await connect(apiUrl(), undefined)).toEqual({ status: 403 })
    const port = new URL(host.origin).port
    expect(await connect(apiUrl(), `http://127.0.0.1:${Number(port) + 1}`)).toEqual({ status: 403 })
  })

  it('refuses requests naming another host (DNS rebinding)', async () => {
    expect((await get('/', { host: 'attacker.example' })).status).toBe(421)
    expect((await get('/')).status).toBe(200)
  })

  it('serves only files inside the renderer folder', async () => {
    for (const p of ['/../vzw-secret.txt', '/%2e%2e/vzw-secret.txt', '/..%2fvzw-secret.txt', '/%2e%2e%2f%2e%2e%2fetc/passwd', '/index.html%00.js']) {
      const r = await get(p)
      expect(r.status, p).toBeGreaterThanOrEqual(400)
      expect(r.body).not.toContain('outside')
    }
    const page = await get('/')
    expect(page.headers['content-security-policy']).toContain("default-src 'none'")
  })

  it('refuses messages over the size limit without crashing', async () => {
    const r = await connect(apiUrl(), host.origin)
    if (!('ws' in r)) throw new Error('refused')
    const closed = new Promise<number>((resolve) => r.ws.once('close', (code) => resolve(code)))
    r.ws.send('x'.repeat(3 << 20))
    expect(await closed).toBe(1009)
    const again = await connect(apiUrl(), host.origin)
    expect('ws' in again).toBe(true)
    if ('ws' in again) again.ws.close()
  })
})

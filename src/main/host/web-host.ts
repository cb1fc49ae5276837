import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Services } from '../app/services'
import { dispatch } from '../api/dispatch'
import { rendererCspHeader } from '../app/renderer-policy'

/**
 * The loopback web host: serves the built renderer and the same handler map over a WebSocket, for
 * browser mode and the e2e tests. It listens on 127.0.0.1 only; the API needs the per-launch
 * token and a page of this very origin, and every request must name this host (DNS rebinding).
 */
export interface WebHost {
  url: string
  origin: string
  token: string
  close(): Promise<void>
}

export interface WebHostOptions {
  rendererDir: string
  port?: number
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2'
}

/** Largest WebSocket message accepted from a page. */
const MAX_MESSAGE_BYTES = 2 << 20

export async function startWebHost(services: Services, options: WebHostOptions): Promise<WebHost> {
  const rendererDir = path.resolve(options.rendererDir)
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${rendererDir}/index.html is missing): run npm run build`)
  }
  const token = crypto.randomBytes(24).toString('base64url')
  const server = http.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const port = (server.address() as { port: number }).port
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])

  server.on('request', (req, res) => {
    if (!hosts.has(req.headers.host ?? '')) return refuse(res, 421, 'Wrong host')
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed')
    serveStatic(rendererDir, req, res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const verdict = checkApiRequest(req, { hosts, origins, token })
    if (verdict) {
      socket.end(`HTTP/1.1 ${verdict}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(services, ws))
  })

  const origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Returns an HTTP status line when the API request must be refused, else null. */
export function checkApiRequest(
  req: http.IncomingMessage,
  allowed: { hosts: Set<string>; origins: Set<string>; token: string }
): string | null {
  const url = new URL(req.url ?? '/', 'http://placeholder')
  if (url.pathname !== '/api') return '404 Not Found'
  if (!allowed.hosts.has(req.headers.host ?? '')) return '421 Misdirected Request'
  if (!allowed.origins.has(req.headers.origin ?? '')) return '403 Forbidden'
  if (!sameSecret(url.searchParams.get('token') ?? '', allowed.token)) return '401 Unauthorized'
  return null
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && crypto.timingSafeEqual(a, b)
}

function serveApi(services: Services, ws: WebSocket): void {
  const unsubscribe = services.events.onAny((event, payload) => ws.send(JSON.stringify({ event, payload })))
  ws.on('close', unsubscribe)
  // Oversized or malformed frames close this socket; without a listener they would crash the host.
  ws.on('error', () => ws.terminate())
  ws.on('message', async (data) => {
    let request: { id?: unknown; method?: unknown; input?: unknown }
    try {
      request = JSON.parse(data.toString()) as typeof request
    } catch {
      ws.send(JSON.stringify({ id: null, envelope: { ok: false, error: { code: 'invalid_input', message: 'Not JSON' } } }))
      return
    }
    const envelope = await dispatch(services.handlers, request.method, request.input)
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id ?? null, envelope }))
  })
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://placeholder').pathname)
  } catch {
    return refuse(res, 400, 'Bad path')
  }
  if (pathname.includes('\0')) return refuse(res, 400, 'Bad path')
  const file = path.resolve(root, '.' + path.posix.normalize(pathname === '/' ? '/index.html' : pathname))
  if (file !== root && !file.startsWith(root + path.sep)) return refuse(res, 403, 'Forbidden')
  fs.stat(file, (err, stat) => {
    if (err || !stat.isFile()) return refuse(res, 404, 'Not found')
    res.writeHead(200, {
      'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': rendererCspHeader
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file).pipe(res)
  })
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  res.end(message)
}

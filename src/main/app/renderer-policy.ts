/** Where the renderer is served from in Electron, and the Content-Security-Policy it runs under. */
export const APP_HOST = 'app'
export const APP_ORIGIN = `app://${APP_HOST}`

/**
 * No remote content at all: scripts, styles and fonts only from the app itself; images may be
 * blobs (decoded radiographs); the API is IPC (Electron) or the loopback WebSocket (browser).
 */
export const rendererCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'"
].join('; ')

/** Headers may carry what a meta tag cannot: nobody may frame the app. */
export const rendererCspHeader = `${rendererCsp}; frame-ancestors 'none'`

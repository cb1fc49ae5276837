import path from 'node:path'
import { startWebHost } from '../host/web-host'
import type { CliCommand } from './command'

/**
 * The built renderer: out/renderer beside out/main when bundled; from a checkout (the CLI run from src/main)
 * the checkout's out/renderer — src/renderer beside it holds the source page, which a browser cannot run.
 */
export function rendererDir(entryDir: string): string {
  const fromCheckout = path.basename(path.dirname(entryDir)) === 'src'
  return path.resolve(entryDir, fromCheckout ? '../../out/renderer' : '../renderer')
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the app to a browser on 127.0.0.1 (prints the URL with its one-time token)',
  usage: 'vzw serve [--port N]',
  options: { port: { type: 'string' } },
  async run(ctx) {
    const services = ctx.services()
    const port = ctx.values.port ? Number(ctx.values.port) : 0
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${ctx.values.port}`)
    const host = await startWebHost(services, { rendererDir: rendererDir(ctx.entryDir), port })
    console.log(`Vision-Zero Workstation is served at ${host.url}`)
    console.log('Open it in a browser on this machine. Press Ctrl+C to stop.')
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await host.close()
    services.close()
    return 0
  }
}

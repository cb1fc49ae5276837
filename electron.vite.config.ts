import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { Plugin } from 'vite'
import { rendererCsp } from './src/main/app/renderer-policy'

/** The built page carries the strict CSP in a meta tag; the dev server's inline HMR could not run under it. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'vzw-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: rendererCsp }, injectTo: 'head-prepend' }
    ]
  }
}

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        // Entries share one bundle folder: the Electron adapter, the headless CLI, the child process
        // that runs long tasks, the synthetic cohort's worker thread, the PDF reader's, the report-file reader's
        // and the film decoder's (found beside their starter).
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli.ts'),
          'task-child': resolve('src/main/task-child.ts'),
          'synth-worker': resolve('src/main/synth/synth-worker.ts'),
          'pdf-worker': resolve('src/main/reports/pdf-worker.ts'),
          'report-worker': resolve('src/main/reports/report-worker.ts'),
          'film-worker': resolve('src/main/importer/film-worker.ts')
        }
      }
    }
  },
  preload: {
    // A sandboxed preload must be one self-contained CommonJS file with no Node shims.
    build: {
      isolatedEntries: true,
      externalizeDeps: false,
      rolldownOptions: { output: { format: 'cjs' } }
    }
  },
  renderer: {
    plugins: [svelte(), contentSecurityPolicy()]
  }
})

#!/usr/bin/env node
// Launches the CLI: from the TypeScript source in a checkout (through tsx), else the bundle.
// The app needs the Node that Electron 45 embeds (24); better-sqlite3 13 crashes on Node 20.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
const pinnedNode = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node')
if (major < 24) {
  if (!existsSync(pinnedNode)) {
    console.error(`vzw needs Node 24 (this is ${process.version}); run npm ci to install the pinned one`)
    process.exit(1)
  }
  const r = spawnSync(pinnedNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}

const source = path.join(root, 'src', 'main', 'cli.ts')
const bundle = path.join(root, 'out', 'main', 'cli.js')
const entry = existsSync(source) ? source : bundle
const args = existsSync(source) ? ['--import', 'tsx', entry] : [entry]
const r = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exit(r.status ?? 1)

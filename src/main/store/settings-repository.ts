import { Settings, defaultSettings } from '../../shared/contract'
import type { Db } from './database'

/** Settings live as one JSON value per key; unknown or invalid stored values fall back to defaults. */
export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value_json FROM settings').all() as { key: string; value_json: string }[]
  const stored: Record<string, unknown> = {}
  for (const r of rows) stored[r.key] = JSON.parse(r.value_json)
  const merged = { ...defaultSettings, ...stored }
  const parsed = Settings.safeParse(merged)
  return parsed.success ? parsed.data : defaultSettings
}

export function writeSettings(db: Db, patch: Partial<Settings>): Settings {
  const next = Settings.parse({ ...readSettings(db), ...patch })
  const upsert = db.prepare(
    'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json'
  )
  db.transaction(() => {
    for (const key of Object.keys(patch) as (keyof Settings)[]) upsert.run(key, JSON.stringify(next[key]))
  })()
  return next
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch, MAX_INPUT_BYTES } from '../../../src/main/api/dispatch'
import type { Services } from '../../../src/main/app/services'
import { openDatabase, databasePath } from '../../../src/main/store/database'
import { readSettings } from '../../../src/main/store/settings-repository'
import { latestSchemaVersion } from '../../../src/main/store/migrations'
import { createApi, type Api } from '../../../src/shared/client'
import { ApiError, methodNames, methods } from '../../../src/shared/contract'
import { tempServices } from '../../helpers/temp-services'

let ctx: ReturnType<typeof tempServices>
let services: Services
let api: Api

beforeAll(() => {
  ctx = tempServices()
  services = ctx.services
  // The same client the renderer and preload use, over the real handler map.
  api = createApi({ invoke: (m, input) => dispatch(services.handlers, m, input), subscribe: (e, l) => services.events.on(e, l) })
})
afterAll(() => ctx.cleanup())

describe('the API contract', () => {
  it('has a handler for every method and nothing else', () => {
    expect(Object.keys(services.handlers).sort()).toEqual([...methodNames].sort())
  })

  it('answers app.info from the real SQLite file', async () => {
    const info = await api.app.info()
    expect(info.dataDir).toBe(ctx.dataDir)
    expect(info.schemaVersion).toBe(latestSchemaVersion)
    expect(info.database).toMatchObject({ state: 'ok', journalMode: 'wal', studies: 0 })
    expect(info.database.sizeBytes).toBeGreaterThan(0)
    expect(info.executionProviders.available).toContain('cpu')
    expect(methods['app.info'].output.safeParse(info).success).toBe(true)
  })

  it('persists settings in the database file', async () => {
    const saved = await api.settings.set({ language: 'zh-CN', intraOpThreads: 2 })
    expect(saved).toMatchObject({ language: 'zh-CN', intraOpThreads: 2 })
    const db = openDatabase(databasePath(ctx.dataDir))
    expect(readSettings(db)).toMatchObject({ language: 'zh-CN', intraOpThreads: 2 })
    db.close()
  })

  it('refuses unknown methods, inputs of the wrong shape, extra keys and oversized payloads', async () => {
    expect(await dispatch(services.handlers, 'app.dropTables', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    expect(await dispatch(services.handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    const wrongType = await dispatch(services.handlers, 'settings.set', { language: 'fr' })
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(!wrongType.ok && wrongType.error.message).toMatch(/settings\.set.*language/s)
    expect(await dispatch(services.handlers, 'settings.set', { sql: 'DROP TABLE studies' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const huge = await dispatch(services.handlers, 'settings.set', { reviewerName: 'x'.repeat(MAX_INPUT_BYTES + 1) })
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(await api.settings.get()).toMatchObject({ language: 'zh-CN' })
  })

  it('throws ApiError with the code on the client side', async () => {
    await expect(api.tasks.cancel({ taskId: 999_999 })).rejects.toThrow(ApiError)
    await expect(api.tasks.cancel({ taskId: 999_999 })).rejects.toMatchObject({ code: 'not_found' })
  })
})

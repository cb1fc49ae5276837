import type { AppInfo, Settings } from '../../../shared/contract'
import { api, onConnectionState, type ConnectionState } from './api'
import { setLanguage } from './i18n.svelte'

/** State the whole shell shares: app.info, settings and the connection to the main side. */
export const appState = $state<{
  info: AppInfo | null
  settings: Settings | null
  connection: ConnectionState
  error: string | null
}>({ info: null, settings: null, connection: window.api ? 'open' : 'connecting', error: null })

onConnectionState((s) => (appState.connection = s))

export async function loadAppState(): Promise<void> {
  try {
    const [info, settings] = await Promise.all([api.app.info(), api.settings.get()])
    appState.info = info
    applySettings(settings)
  } catch (err) {
    appState.error = err instanceof Error ? err.message : String(err)
  }
}

export async function refreshInfo(): Promise<void> {
  appState.info = await api.app.info()
}

export async function saveSettings(patch: Partial<Settings>): Promise<void> {
  applySettings(await api.settings.set(patch))
}

function applySettings(settings: Settings): void {
  appState.settings = settings
  setLanguage(settings.language)
  const dark = settings.theme === 'dark' || (settings.theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}

/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { Api } from '../../shared/client'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode, where the WebSocket client is used. */
    api?: Api
  }
}

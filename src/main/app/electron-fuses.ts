/**
 * The Electron fuses the packaged app ships with (Electron security checklist item 19,
 * REFERENCE B §4). Fuses are bits in the Electron binary, flipped once at package time, before
 * signing: no Node mode, no NODE_OPTIONS or --inspect, code only from an integrity-checked asar,
 * cookies encrypted, and no extra privileges for file://.
 *
 * Usage at package time: `npm run fuses -- path/to/electron` (or ELECTRON_EXEC_PATH).
 */
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses'

export const productionFuses: FuseV1Config = {
  version: FuseVersion.V1,
  // Any fuse a newer Electron adds must be decided here, not left at its default.
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  // WebAssembly trap handlers are a speed feature with no security cost; Electron's default.
  [FuseV1Options.WasmTrapHandlers]: true
}

/** Flips the production fuses on the Electron binary at `electronPath` and returns the wire read back from it. */
export async function applyProductionFuses(electronPath: string): Promise<Awaited<ReturnType<typeof getCurrentFuseWire>>> {
  await flipFuses(electronPath, productionFuses)
  return getCurrentFuseWire(electronPath)
}

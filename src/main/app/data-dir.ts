import os from 'node:os'
import path from 'node:path'

/**
 * The data folder (database, images, checkpoints): `--data-dir`, else `VZW_DATA_DIR`, else the
 * platform's app-data folder.
 */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): string {
  if (flag) return path.resolve(flag)
  if (env.VZW_DATA_DIR) return path.resolve(env.VZW_DATA_DIR)
  return path.join(platformAppDataDir(env, platform), 'Vision-Zero Workstation')
}

function platformAppDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const home = os.homedir()
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME ?? path.join(home, '.config')
}

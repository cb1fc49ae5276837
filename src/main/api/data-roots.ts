import fs from 'node:fs'
import path from 'node:path'
import type { FolderListing } from '../../shared/contract'

/**
 * Containment of renderer-supplied paths in the site's data roots. Every check resolves symbolic
 * links first (fs.realpathSync), so `..`, links pointing outside and odd spellings of a path all
 * land where they really are before they are compared with the roots.
 */

/** The real path of an existing folder, or an error that names it. */
export function realFolder(folder: string): string {
  if (!path.isAbsolute(folder)) throw new Error(`Folders must be absolute paths: ${folder}`)
  let real: string
  try {
    real = fs.realpathSync(folder)
  } catch {
    throw new Error(`The folder ${folder} does not exist`)
  }
  if (!fs.statSync(real).isDirectory()) throw new Error(`${folder} is not a folder`)
  return real
}

/** Data roots as stored in Settings: absolute, existing folders, each once, by real path. */
export function normaliseDataRoots(roots: string[]): string[] {
  return [...new Set(roots.map(realFolder))]
}

function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
}

/** The root that holds `real`, if any (roots are compared by their own real paths). */
function holdingRoot(real: string, roots: string[]): string | null {
  for (const root of roots) {
    let realRoot: string
    try {
      realRoot = fs.realpathSync(root)
    } catch {
      continue
    }
    if (isInside(real, realRoot)) return realRoot
  }
  return null
}

/** The real path of `folder` when it lies inside one of `roots`; otherwise an error naming it. */
export function containedFolder(folder: string, roots: string[]): string {
  if (folder.split(/[\\/]/).includes('..')) throw new Error(`Folder paths may not contain '..': ${folder}`)
  const real = realFolder(folder)
  if (!holdingRoot(real, roots)) throw new Error(`${folder} is outside the data roots set in Settings`)
  return real
}

/**
 * The subfolders of a folder inside the roots (hidden ones left out), or the roots themselves when
 * no folder is named. A link to a folder is listed only when it stays inside the roots.
 */
export function listFolders(folder: string | undefined, roots: string[]): FolderListing {
  if (folder === undefined) {
    const existing = roots.filter((r) => fs.existsSync(r))
    return { path: null, parent: null, folders: existing.map((r) => ({ name: r, path: r })) }
  }
  const real = containedFolder(folder, roots)
  const root = holdingRoot(real, roots)!
  const folders: FolderListing['folders'] = []
  for (const entry of fs.readdirSync(real, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const full = path.join(real, entry.name)
    if (entry.isDirectory() || (entry.isSymbolicLink() && linkStaysInside(full, roots))) folders.push({ name: entry.name, path: full })
  }
  folders.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
  return { path: real, parent: real === root ? null : path.dirname(real), folders }
}

function linkStaysInside(link: string, roots: string[]): boolean {
  try {
    const target = fs.realpathSync(link)
    return fs.statSync(target).isDirectory() && holdingRoot(target, roots) !== null
  } catch {
    return false
  }
}

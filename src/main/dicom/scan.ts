import fs from 'node:fs'
import path from 'node:path'
import { DicomFileError, hasDicmMarker, parseDicomFile, rawDataSetSyntax } from './parse'
import { pictureFormat } from './picture'
import { projectionInWords } from './projection'

/**
 * Finds the files an import looks at: every DICOMDIR (used as an index: its referenced files,
 * matched case-insensitively with ISO 9660 `;1` suffixes stripped) and a walk of every folder
 * that sniffs `DICM` at byte 128 (or the start of a raw data set), since DICOM files often have no
 * extension.
 */

export interface ScanResult {
  /** Files to import as DICOM, each once. */
  dicomFiles: string[]
  /** PNG and JPEG files to import as films (see picture.ts), each with the study it belongs to (see pictureStudies). */
  pictureFiles: PictureFile[]
  /** Files the report importer claims (by its own rule). */
  reportFiles: string[]
  /** Files DICOMDIRs list that are not on disk, and DICOMDIRs that cannot be read. */
  problems: { file: string; reason: string }[]
  dicomdirs: { file: string; referenced: number }[]
  /** Files that are neither DICOM, pictures nor reports (notes, programs), and pictures in a folder tree of DICOM films. */
  skipped: number
  /** Of those, the pictures passed over for lying under an imported folder that holds DICOM films. */
  picturesAmongDicom: number
  totalBytes: number
}

export interface PictureFile {
  file: string
  /** The folder whose pictures make one study, or the file when it is a study alone. */
  study: string
}

const dicomExtensions = new Set(['.dcm', '.dicom', '.dic', '.ima'])

/**
 * Whether a file should be read as DICOM: the Part 10 marker, the start of a raw data set, or a
 * DICOM extension (it then gets a reason if it is not).
 */
function looksLikeDicom(file: string, head: Uint8Array): boolean {
  return hasDicmMarker(head) || rawDataSetSyntax(head) !== null || dicomExtensions.has(path.extname(file).toLowerCase())
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r')
  try {
    const head = new Uint8Array(132)
    const n = fs.readSync(fd, head, 0, 132, 0)
    return head.subarray(0, n)
  } finally {
    fs.closeSync(fd)
  }
}

/** Resolves a DICOMDIR Referenced File ID (path components) against its folder, ignoring case and `;1`. */
function resolveReferencedFile(baseDir: string, components: string[]): string | null {
  let dir = baseDir
  for (const component of components) {
    const wanted = component.replace(/;\d+$/, '').toUpperCase()
    let names: string[]
    try {
      names = fs.readdirSync(dir)
    } catch {
      return null
    }
    const match = names.find((n) => n.replace(/;\d+$/, '').toUpperCase() === wanted)
    if (!match) return null
    dir = path.join(dir, match)
  }
  return dir
}

/** The files a DICOMDIR references: `[found, missing]`. */
export function readDicomdir(file: string): { found: string[]; missing: string[] } {
  const dataSet = parseDicomFile(fs.readFileSync(file))
  const records = dataSet.elements.x00041220?.items ?? []
  const found: string[] = []
  const missing: string[] = []
  for (const record of records) {
    const ref = record.dataSet?.string('x00041500')
    if (!ref) continue
    const components = ref.split('\\').map((c) => c.trim()).filter(Boolean)
    const resolved = resolveReferencedFile(path.dirname(file), components)
    if (resolved) found.push(resolved)
    else missing.push(path.join(path.dirname(file), ...components))
  }
  return { found, missing }
}

export function isDicomdirName(file: string): boolean {
  return path.basename(file).replace(/;\d+$/, '').toUpperCase() === 'DICOMDIR'
}

/**
 * What a symbolic link leads to: a file (imported like one), a folder (not followed, so loops
 * cannot trap the walk), or nothing readable — a dangling link or a loop, named as a problem.
 */
function linkTarget(file: string): 'file' | 'folder' | { problem: string } {
  try {
    return fs.statSync(file).isFile() ? 'file' : 'folder'
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP') return { problem: 'The link leads to itself in a loop (ELOOP)' }
    if (code === 'ENOENT') return { problem: 'The link leads to nothing: its target is missing (ENOENT)' }
    return { problem: `The link cannot be followed (${code ?? String(err)})` }
  }
}

/** A root that is a file, not a folder (`vzw import ris-export.xlsx`): sorted as a file the walk finds is. */
function isFileRoot(root: string): boolean {
  try {
    return fs.statSync(root).isFile()
  } catch {
    return false
  }
}

const archiveSignatures: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'a RAR'],
  [[0x1f, 0x8b], 'a gzip']
]
const archiveExtensions: Record<string, string> = { '.zip': 'a ZIP', '.7z': 'a 7-Zip', '.rar': 'a RAR', '.gz': 'a gzip', '.tgz': 'a gzip', '.tar': 'a tar' }

/**
 * PACS and CD exports are often zipped, and an archive's films are not seen unless it is unpacked:
 * say so, rather than count the archive among the skipped files. By its first bytes, or its name.
 */
function archiveKind(file: string, head: Uint8Array): string | null {
  const signed = archiveSignatures.find(([magic]) => magic.every((b, i) => head[i] === b))
  return signed?.[1] ?? archiveExtensions[path.extname(file).toLowerCase()] ?? null
}

/** Walks the roots (following links to files, never to folders, so loops cannot trap it) and sorts what it finds. */
export async function scanRoots(roots: string[], isReportFile: (file: string) => boolean, signal?: AbortSignal): Promise<ScanResult> {
  const result: ScanResult = { dicomFiles: [], pictureFiles: [], reportFiles: [], problems: [], dicomdirs: [], skipped: 0, picturesAmongDicom: 0, totalBytes: 0 }
  const pictures: string[] = []
  const seen = new Set<string>()
  const addDicom = (file: string, size: number) => {
    if (seen.has(file)) return
    seen.add(file)
    result.dicomFiles.push(file)
    result.totalBytes += size
  }
  const fileRoots = roots.filter(isFileRoot)
  const pending = roots.filter((root) => !fileRoots.includes(root))
  for (const file of fileRoots) classify(file, result, addDicom)
  while (pending.length) {
    signal?.throwIfAborted()
    const dir = pending.pop()!
    let entries: fs.Dirent[]
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true })
    } catch (err) {
      result.problems.push({ file: dir, reason: `The folder cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` })
      continue
    }
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const entry of entries) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) pending.push(file)
      else if (entry.isFile()) classify(file, result, addDicom)
      else if (entry.isSymbolicLink()) {
        const target = linkTarget(file)
        if (target === 'file') classify(file, result, addDicom)
        else if (target === 'folder') result.skipped++
        else result.problems.push({ file, reason: target.problem })
      }
    }
  }
  result.pictureFiles = pictureStudies(pictures, result.dicomFiles, result.reportFiles, roots)
  result.picturesAmongDicom = pictures.length - result.pictureFiles.length
  result.skipped += result.picturesAmongDicom
  return result

  function classify(file: string, into: ScanResult, add: (file: string, size: number) => void): void {
    if (isDicomdirName(file)) {
      try {
        const { found, missing } = readDicomdir(file)
        into.dicomdirs.push({ file, referenced: found.length + missing.length })
        for (const f of found) add(f, fs.statSync(f).size)
        for (const m of missing) into.problems.push({ file: m, reason: `Listed in the DICOMDIR ${file} but missing on disk` })
      } catch (err) {
        const reason = err instanceof DicomFileError ? err.reason : String(err)
        into.problems.push({ file, reason: `The DICOMDIR cannot be read: ${reason}` })
      }
      return
    }
    if (isReportFile(file)) {
      into.reportFiles.push(file)
      return
    }
    let head: Uint8Array
    let size: number
    try {
      size = fs.statSync(file).size
      head = readHead(file)
    } catch (err) {
      into.problems.push({ file, reason: `The file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` })
      return
    }
    const archive = hasDicmMarker(head) ? null : archiveKind(file, head)
    if (archive) into.problems.push({ file, reason: `It is ${archive} archive: the import does not open archives — unpack it and import the folder` })
    else if (looksLikeDicom(file, head)) add(file, size)
    else if (pictureFormat(head)) {
      pictures.push(file)
      into.totalBytes += size
    } else into.skipped++
  }
}

/** A folder of this many pictures or fewer may be one study's: a dataset's study folder holds its views (a frontal and a lateral). */
const PICTURES_PER_STUDY_FOLDER = 4

/** A folder named as a study is: MIMIC-CXR-JPG's s50414267, CheXpert's study1. */
const STUDY_FOLDER_NAME = /^(?:s|st|study|exam)[-_ ]?\d+$/i

/** Pictures whose names say a frontal and a lateral view (frontal.png and lateral.png, chest_pa.jpg and chest_lat.jpg): one study's views. */
function namesFrontalAndLateral(files: string[]): boolean {
  const views = new Set(files.map((file) => projectionInWords(path.basename(file, path.extname(file)))))
  return views.has('frontal') && views.has('lateral')
}

/**
 * Which study each picture belongs to. A dataset either keeps a study's views in a folder of their
 * own (MIMIC-CXR-JPG's s50414267/, CheXpert's study1/) or every film in one flat folder (NIH
 * ChestX-ray14, IU X-ray). A folder of a few pictures is one study when something says it is one: its
 * name (s50414267, study1), a report named like it beside it (MIMIC-CXR's s50414267.txt), one report
 * in it that is named like none of them (an export with each study's report among its films), or its
 * pictures' names, which say a frontal and a lateral view; a folder of one picture is its study's too
 * (case1/image.png: the study is named "case1", as a report of that name is).
 * Otherwise each picture is a study alone: a few films in a folder (a teaching set, films gathered to
 * try the app) are as likely to be different patients', and films kept apart are still compared by
 * their patient when a table names it. Pictures under an imported folder that holds DICOM films are
 * left out: there they are copies of those films — a CD viewer's images, an export's thumbnails.
 */
function pictureStudies(pictures: string[], dicomFiles: string[], reportFiles: string[], roots: string[]): PictureFile[] {
  const withoutExtension = (file: string): string => file.slice(0, file.length - path.extname(file).length)
  const reportPlaces = new Set(reportFiles.map(withoutExtension))
  const rootOf = (file: string): string => roots.find((root) => file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) ?? path.dirname(file)
  const rootsWithDicom = new Set(dicomFiles.map(rootOf))
  const byFolder = new Map<string, string[]>()
  for (const file of pictures) {
    if (rootsWithDicom.has(rootOf(file))) continue
    const folder = path.dirname(file)
    const files = byFolder.get(folder)
    if (files) files.push(file)
    else byFolder.set(folder, [file])
  }
  const reportsIn = new Map<string, number>()
  for (const report of reportFiles) reportsIn.set(path.dirname(report), (reportsIn.get(path.dirname(report)) ?? 0) + 1)
  const isStudyFolder = (folder: string, files: string[]): boolean => {
    if (files.length > PICTURES_PER_STUDY_FOLDER || files.some((file) => reportPlaces.has(withoutExtension(file)))) return false
    // a folder of one picture is named as its study (case1/image.png), as a study folder is
    return files.length === 1 || STUDY_FOLDER_NAME.test(path.basename(folder)) || reportPlaces.has(folder) || reportsIn.get(folder) === 1 || namesFrontalAndLateral(files)
  }
  return [...byFolder].flatMap(([folder, files]) => {
    const oneStudy = isStudyFolder(folder, files)
    // a picture imported by its own name is a study alone: films of a flat folder imported one by one stay apart
    return files.map((file) => ({ file, study: oneStudy && !roots.includes(file) ? folder : file }))
  })
}

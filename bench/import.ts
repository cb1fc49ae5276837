/**
 * Import throughput on realistic radiographs (2048×2048, 12 bits in 16): uncompressed and JPEG
 * Lossless SV1 (dcmtk's dcmcjpeg), each against a plain read of the same bytes, and the uncompressed
 * films again decoded in the importing thread alone (what the decoder threads gain, side by side), and
 * the folder imported a second time (a nightly re-import: every film known, only its header read);
 * and the same films kept as pictures (16-bit PNG, 8-bit JPEG), as public datasets keep them.
 * Last line: RESULT import files_s=… mb_s=… raw_ratio=… jpegll_mb_s=… threads=… one_thread_files_s=… thread_speedup=… reimport_files_s=… reimport_ratio=…
 *   png_files_s=… jpeg_files_s=… png_ratio=… (pictures against the uncompressed DICOM films)
 */
import * as reports from '../src/main/reports'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { printResultLine } from '../src/main/app/result-line'
import { defaultDecodeThreads } from '../src/main/importer/film-decoder'
import { importFolders } from '../src/main/importer/import-folders'
import { openDatabase } from '../src/main/store/database'
import { dcmtk, dcmtkAvailable, dcmtkMissingReason, image, type ImageSpec } from '../tests/helpers/dicom-corpus'
import { jpegPicture, pngPicture } from '../tests/helpers/picture-files'

const FILES = Number(process.env.BENCH_IMPORT_FILES ?? 8)
const spec: ImageSpec = { rows: 2048, columns: 2048, bitsAllocated: 16, bitsStored: 12 }

function plainReadMbPerSecond(folder: string): number {
  const files = fs.readdirSync(folder).map((f) => path.join(folder, f))
  const t = performance.now()
  let bytes = 0
  for (const f of files) bytes += fs.readFileSync(f).length
  return bytes / 1e6 / ((performance.now() - t) / 1000)
}

/** Imports the folder's FILES films (`expect: 'already'`: the folder again, all of them known). */
async function importOnce(folder: string, dataDir: string, decodeThreads = defaultDecodeThreads(), expect: 'imported' | 'already' = 'imported') {
  const db = openDatabase(path.join(dataDir, 'vzw.sqlite'))
  try {
    const summary = await importFolders(db, dataDir, [folder], { reports, decodeThreads })
    if (summary[expect] !== FILES) throw new Error(`expected ${FILES} ${expect}, got ${summary[expect]} (failed ${summary.failed})`)
    return { filesPerSecond: FILES / summary.seconds, mbPerSecond: summary.mbPerSecond, seconds: summary.seconds }
  } finally {
    db.close()
  }
}

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-bench-import-'))
  try {
    const raw = path.join(tmp, 'uncompressed')
    const jpegll = path.join(tmp, 'jpeg-lossless')
    const png = path.join(tmp, 'png')
    const jpg = path.join(tmp, 'jpeg')
    for (const dir of [raw, jpegll, png, jpg]) fs.mkdirSync(dir)
    for (let i = 0; i < FILES; i++) {
      const bytes = image({ ...spec, seed: i + 1 }).bytes
      fs.writeFileSync(path.join(raw, `IMG${i}`), bytes)
      if (dcmtkAvailable) fs.writeFileSync(path.join(jpegll, `IMG${i}`), dcmtk('dcmcjpeg', ['+e1'], bytes, path.join(tmp, 'scratch')))
      const picture = { width: spec.columns, height: spec.rows, seed: i + 1 }
      fs.writeFileSync(path.join(png, `film${i}.png`), pngPicture({ ...picture, depth: 16 }))
      fs.writeFileSync(path.join(jpg, `film${i}.jpg`), await jpegPicture(picture))
    }
    const size = (dir: string) => fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) / 1e6
    console.log(`${FILES} radiographs ${spec.columns}×${spec.rows}, ${spec.bitsStored} bits in 16: ${size(raw).toFixed(1)} MB uncompressed`)

    const rawRead = plainReadMbPerSecond(raw)
    const plain = await importOnce(raw, path.join(tmp, 'data-raw'))
    console.log(`uncompressed: plain read ${rawRead.toFixed(0)} MB/s; import ${plain.filesPerSecond.toFixed(2)} files/s, ${plain.mbPerSecond.toFixed(1)} MB/s (${defaultDecodeThreads()} decoder threads)`)
    const oneThread = await importOnce(raw, path.join(tmp, 'data-one-thread'), 0)
    console.log(`uncompressed, decoded in the importing thread: ${oneThread.filesPerSecond.toFixed(2)} files/s`)
    const again = await importOnce(raw, path.join(tmp, 'data-raw'), defaultDecodeThreads(), 'already')
    console.log(`uncompressed, imported again (all already in the library): ${again.filesPerSecond.toFixed(0)} files/s`)

    let jpeg: { filesPerSecond: number; mbPerSecond: number } | null = null
    if (dcmtkAvailable) {
      const jpegRead = plainReadMbPerSecond(jpegll)
      jpeg = await importOnce(jpegll, path.join(tmp, 'data-jpegll'))
      console.log(
        `JPEG lossless SV1 (${size(jpegll).toFixed(1)} MB): plain read ${jpegRead.toFixed(0)} MB/s; import ${jpeg.filesPerSecond.toFixed(2)} files/s, ` +
          `${jpeg.mbPerSecond.toFixed(1)} MB/s of compressed files`
      )
    } else console.log(`JPEG lossless skipped: ${dcmtkMissingReason}`)

    const pngImport = await importOnce(png, path.join(tmp, 'data-png'))
    const jpegImport = await importOnce(jpg, path.join(tmp, 'data-jpeg'))
    console.log(`pictures: 16-bit PNG ${pngImport.filesPerSecond.toFixed(2)} files/s (${size(png).toFixed(1)} MB), 8-bit JPEG ${jpegImport.filesPerSecond.toFixed(2)} files/s (${size(jpg).toFixed(1)} MB)`)

    printResultLine('import', {
      files_s: plain.filesPerSecond,
      mb_s: plain.mbPerSecond,
      raw_ratio: plain.mbPerSecond / rawRead,
      jpegll_mb_s: jpeg?.mbPerSecond ?? null,
      jpegll_files_s: jpeg?.filesPerSecond ?? null,
      threads: defaultDecodeThreads(),
      one_thread_files_s: oneThread.filesPerSecond,
      thread_speedup: plain.filesPerSecond / oneThread.filesPerSecond,
      reimport_files_s: again.filesPerSecond,
      reimport_ratio: again.filesPerSecond / plain.filesPerSecond,
      png_files_s: pngImport.filesPerSecond,
      jpeg_files_s: jpegImport.filesPerSecond,
      png_ratio: pngImport.filesPerSecond / plain.filesPerSecond
    })
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

void main()

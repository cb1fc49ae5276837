import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { TransferSyntax } from '../../src/main/dicom/uids'
import { importFolders } from '../../src/main/importer/import-folders'
import * as reports from '../../src/main/reports'
import { openDatabase } from '../../src/main/store/database'
import { dcmtk, dcmtkAvailable, encapsulatedImage, encodeWithWasm, image, seededRandom, syntheticPixels, type ImageSpec } from '../helpers/dicom-corpus'

const MUTANTS = 200
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vzw-fuzz-'))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const spec: ImageSpec = { rows: 48, columns: 64, bitsAllocated: 16, bitsStored: 12 }

/** Valid seeds in several syntaxes, so mutants reach the parser, the RLE decoder and the WASM codecs. */
async function seeds(): Promise<Buffer[]> {
  const pixels = syntheticPixels(spec)
  const out = [image(spec).bytes, encapsulatedImage(spec, TransferSyntax.jpeg2000Lossless, await encodeWithWasm('openjpeg', pixels, spec), pixels).bytes]
  if (dcmtkAvailable) for (const [tool, args] of [['dcmcrle', []], ['dcmcjpls', []], ['dcmcjpeg', ['+e1']], ['dcmconv', ['+td']]] as const) out.push(dcmtk(tool, [...args], image(spec).bytes, path.join(tmp, 'scratch')))
  return out
}

/** Gives a mutant its own SOP Instance UID (same length), so dedup never hides it from the decoders. */
function uniqueSop(bytes: Buffer, index: number): Buffer {
  const out = Buffer.from(bytes)
  const text = out.toString('latin1')
  const sop = /2\.25\.\d{20,}/.exec(text.slice(text.indexOf('\x08\x00\x18\x00')))?.[0]
  if (!sop) return out
  const replacement = sop.slice(0, -4) + String(index).padStart(4, '0')
  for (let at = text.indexOf(sop); at >= 0; at = text.indexOf(sop, at + 1)) out.write(replacement, at, 'latin1')
  return out
}

function mutate(bytes: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(bytes)
  const pick = () => Math.floor(rand() * out.length)
  switch (Math.floor(rand() * 5)) {
    case 0: // flip a few bytes anywhere
      for (let k = 0; k < 1 + rand() * 8; k++) out[pick()] = Math.floor(rand() * 256)
      return out
    case 1: // truncate
      return out.subarray(0, pick())
    case 2: // a random 32-bit length somewhere in the header
      out.writeUInt32LE(Math.floor(rand() * 2 ** 32), Math.min(out.length - 4, 132 + Math.floor(rand() * 600)))
      return out
    case 3: // a random 16-bit value (element lengths, Rows, Bits …) in the header
      out.writeUInt16LE(Math.floor(rand() * 65536), Math.min(out.length - 2, 132 + Math.floor(rand() * 600)))
      return out
    default: // damage the tail (pixel data, fragments, delimiters)
      for (let k = 0; k < 16; k++) out[out.length - 1 - Math.floor(rand() * Math.min(out.length, 400))] = Math.floor(rand() * 256)
      return out
  }
}

it(`${MUTANTS} seeded mutants never crash the importer or corrupt the database`, async () => {
  const dataDir = path.join(tmp, 'data')
  const db = openDatabase(path.join(dataDir, 'vzw.sqlite'))
  const good = path.join(tmp, 'good')
  fs.mkdirSync(good)
  for (let i = 0; i < 3; i++) fs.writeFileSync(path.join(good, `GOOD${i}`), image({ ...spec, seed: 100 + i }).bytes)
  const before = await importFolders(db, dataDir, [good], { reports })
  expect(before.imported).toBe(3)
  const committed = db.prepare("SELECT sop_instance_uid, display_sha256 FROM images WHERE status = 'ok' ORDER BY id").all()

  const rand = seededRandom(20261129)
  const bases = await seeds()
  const mutants = path.join(tmp, 'mutants')
  fs.mkdirSync(mutants)
  for (let i = 0; i < MUTANTS; i++) fs.writeFileSync(path.join(mutants, `M${String(i).padStart(4, '0')}.dcm`), mutate(uniqueSop(bases[i % bases.length], i), rand))

  const summary = await importFolders(db, dataDir, [mutants], { reports })
  expect(summary.imported + summary.failed + summary.already + summary.skipped).toBe(MUTANTS)
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  expect(db.prepare("SELECT sop_instance_uid, display_sha256 FROM images WHERE status = 'ok' ORDER BY id LIMIT 3").all()).toEqual(committed)
  // Every failure names its problem in words, never a bare stack or an empty reason.
  const reasons = db.prepare("SELECT error FROM images WHERE status = 'error'").all() as { error: string }[]
  expect(reasons.length).toBe(summary.newErrors)
  for (const { error } of reasons) expect(error).toMatch(/^[A-Z][^\n]{10,}$/)
  db.close()
})

/**
 * A site folder of `total` files of which a share is hostile, made by code: tiny 64×64 good
 * radiographs in patient/study folders, and bad files of every kind an importer meets — each kind
 * bad by construction (none can import by luck), each listed with its path so the test can check
 * that every one is named.
 */
import fs from 'node:fs'
import path from 'node:path'
import { image, imageAttributes, seededRandom, writeDicom, type ImageSpec } from '../helpers/dicom-corpus'
import { pdfThatEndsItsThread, writePdf } from '../helpers/pdf-writer'

const spec: ImageSpec = { rows: 64, columns: 64, bitsAllocated: 16, bitsStored: 12 }

export interface HostileFolder {
  root: string
  /** A folder of pictures beside the site's (pictures among DICOM films are taken for copies of them, not read). */
  pictureRoot: string
  good: Set<string>
  /** Path → the kind of damage. */
  hostile: Map<string, string>
}

/** The offset of an element's 4-byte length (explicit VR, long form) or 2-byte length (short form) in a Part 10 file. */
function lengthOffset(bytes: Buffer, group: number, element: number): { at: number; long: boolean } {
  const tag = Buffer.alloc(4)
  tag.writeUInt16LE(group, 0)
  tag.writeUInt16LE(element, 2)
  const at = bytes.indexOf(tag, 132)
  if (at < 0) throw new Error(`tag (${group.toString(16)},${element.toString(16)}) not in the template`)
  const vr = bytes.toString('latin1', at + 4, at + 6)
  return ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN'].includes(vr) ? { at: at + 8, long: true } : { at: at + 6, long: false }
}

/** The kinds of hostile file, each a function of a seeded random source and a valid file to spoil. */
const hostileKinds: Record<string, (rand: () => number, valid: Buffer) => Buffer> = {
  'truncated in the pixel data': (rand, valid) => valid.subarray(0, valid.length - 1 - Math.floor(rand() * 4000)),
  'truncated in the header': (rand, valid) => valid.subarray(0, 140 + Math.floor(rand() * 200)),
  'wrong magic': (rand, valid) => {
    const out = Buffer.from(valid)
    out.write(['DICX', 'MZ\x90\x00', '\x89PNG', 'dicm'][Math.floor(rand() * 4)], 128, 'latin1')
    return out
  },
  'huge declared length': (rand, valid) => {
    const out = Buffer.from(valid)
    const { at, long } = lengthOffset(out, 0x7fe0, 0x0010)
    if (long) out.writeUInt32LE(0xfffffff0 - Math.floor(rand() * 1000) * 2, at)
    return out
  },
  'huge declared length in the header': (rand, valid) => {
    const out = Buffer.from(valid)
    const { at, long } = lengthOffset(out, 0x0010, 0x0010)
    if (long) out.writeUInt32LE(0x7ffffff0, at)
    else out.writeUInt16LE(0xfff0 - Math.floor(rand() * 100) * 2, at)
    return out
  },
  'zero bytes': () => Buffer.alloc(0),
  'only zero bytes': (rand) => Buffer.alloc(1 + Math.floor(rand() * 5000)),
  'random binary named .dcm': (rand) => Buffer.from(Array.from({ length: 200 + Math.floor(rand() * 5000) }, () => Math.floor(rand() * 256))),
  'a PNG named .dcm': () => Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
  'fuzzed meta header': (rand, valid) => {
    const out = Buffer.from(valid)
    for (let i = 132; i < 200; i++) out[i] = Math.floor(rand() * 256)
    return out
  },
  'no pixel data': () => writeDicom({ extra: imageAttributes(spec) }).bytes,
  'pixel data shorter than rows × columns': () => image(spec, { extra: { Rows: 640 } }).bytes
}

/** A report kept in the study as an Encapsulated PDF (the PDF reader must name it and go on). */
function encapsulatedPdf(document: Buffer): Buffer {
  const data = document.buffer.slice(document.byteOffset, document.byteOffset + document.byteLength)
  return writeDicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.104.1', extra: { Modality: 'DOC', MIMETypeOfEncapsulatedDocument: 'application/pdf', EncapsulatedDocument: [data] } }).bytes
}

/** A PDF whose page unpacks to 300 MB of blanks: made once (the deflate takes a while), written many times. */
let pdfBomb: Buffer | null = null
hostileKinds['an Encapsulated PDF bomb'] = () => encapsulatedPdf((pdfBomb ??= writePdf([['FINDINGS:', 'No nodule.']], { deflatedPadding: 300 << 20 })))
hostileKinds['an Encapsulated PDF pdf.js fails on outside its promises'] = () => encapsulatedPdf(pdfThatEndsItsThread())
hostileKinds['a password-protected Encapsulated PDF'] = () => encapsulatedPdf(writePdf([['FINDINGS:', 'No nodule.']], { passwordProtected: true }))

/** A PNG of the given header size and no image data: the size is all a decoder would go by. */
function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([16, 0, 0, 0, 0], 8)
  const chunk = Buffer.concat([Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR', 'latin1'), header, Buffer.alloc(4)])
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk])
}

/** A JPEG's start and one frame header (start-of-frame `marker`, 8-bit, `size` square, one component), then `rest`. */
function jpegFraming(marker: number, size: number, rest: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, marker, 0, 11, 8, size >> 8, size & 0xff, size >> 8, size & 0xff, 1, 1, 0x11, 0]), rest])
}

/** Pictures an import reads as films (picture.ts) when they are: named .png or .jpg, each bad by construction. */
const hostilePictures: Record<string, { extension: string; make: (rand: () => number) => Buffer }> = {
  'a PNG declaring a billion pixels': { extension: '.png', make: () => pngDeclaring(40_000, 30_000) },
  'a PNG cut short': { extension: '.png', make: (rand) => pngDeclaring(512, 512).subarray(0, 20 + Math.floor(rand() * 10)) },
  'a JPEG of noise after its frame header': {
    extension: '.jpg',
    make: (rand) => jpegFraming(0xc0, 512, Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rand() * 256))))
  },
  'an arithmetic-coded JPEG': { extension: '.jpg', make: () => jpegFraming(0xc9, 512, Buffer.alloc(100)) }
}

const LINK_KINDS = ['a link that loops to itself', 'a link to a missing file'] as const

/** Writes the folder: `total` files (links included), `hostileShare` of them hostile. */
export function writeHostileFolder(root: string, total: number, hostileShare: number, seed: number): HostileFolder {
  const rand = seededRandom(seed)
  const folder: HostileFolder = { root, pictureRoot: `${root}-pictures`, good: new Set(), hostile: new Map() }
  const hostileCount = Math.round(total * hostileShare)
  const kinds = [...Object.keys(hostileKinds), ...Object.keys(hostilePictures), ...LINK_KINDS, 'hostile file deep in nested folders']
  const template = image({ ...spec, seed: 1 }).bytes
  for (let i = 0; i < total - hostileCount; i++) {
    const file = path.join(root, `P${String(Math.floor(i / 10)).padStart(4, '0')}`, `S${i % 3}`, `IM${String(i).padStart(5, '0')}`)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, image({ ...spec, seed: i }).bytes)
    folder.good.add(file)
  }
  for (let i = 0; i < hostileCount; i++) {
    const kind = kinds[i % kinds.length]
    const picture = hostilePictures[kind]
    let dir = picture ? path.join(folder.pictureRoot, `H${String(i % 50).padStart(2, '0')}`) : path.join(root, 'mixed', `H${String(i % 50).padStart(2, '0')}`)
    if (kind === 'hostile file deep in nested folders') dir = path.join(dir, ...Array.from({ length: 100 + (i % 60) }, (_, d) => `d${d}`))
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `BAD${String(i).padStart(4, '0')}${picture?.extension ?? '.dcm'}`)
    if (picture) fs.writeFileSync(file, picture.make(rand))
    else if (kind === LINK_KINDS[0]) fs.symlinkSync(path.basename(file), file)
    else if (kind === LINK_KINDS[1]) fs.symlinkSync(path.join(dir, 'gone.dcm'), file)
    else {
      const make = hostileKinds[kind] ?? hostileKinds['truncated in the pixel data']
      fs.writeFileSync(file, make(rand, template))
    }
    folder.hostile.set(file, kind)
  }
  // Links to folders (one a loop back to the root) are not followed: a walk must not get trapped.
  fs.symlinkSync(root, path.join(root, 'mixed', 'loop-to-root'))
  return folder
}

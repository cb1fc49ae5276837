/**
 * MS-CFB, the OLE compound file that Office 97–2003 documents are kept in (.xls, .doc, WPS's .wps):
 * its sectors, and the stream of a name in its directory. Every count and pointer a file gives is
 * checked against its size, so a hostile file is refused in words, never followed into a loop or an
 * allocation it names.
 */
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
const END_OF_CHAIN = 0xfffffffe
const FREE_SECTOR = 0xffffffff
const MINI_SECTOR_SIZE = 64

export function isCompoundFile(bytes: Uint8Array): boolean {
  return CFB_SIGNATURE.every((b, i) => bytes[i] === b)
}

export class CompoundFile {
  private readonly view: DataView
  private readonly sectorSize: number
  private readonly sectorCount: number
  private readonly fat: Uint32Array

  /** `what` names the document in the reasons a file is refused ("an Excel 97–2003 workbook"). */
  constructor(
    private readonly bytes: Uint8Array,
    what: string
  ) {
    if (!isCompoundFile(bytes)) throw new Error(`it is not ${what} (no OLE compound file signature)`)
    if (bytes.length < 1024) throw new Error(`it is truncated: ${bytes.length} bytes, less than the header and one sector of ${what}`)
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const shift = this.view.getUint16(0x1e, true)
    if (shift !== 9 && shift !== 12) throw new Error(`its compound file declares a sector shift of ${shift} (9 or 12: 512- or 4096-byte sectors, expected)`)
    this.sectorSize = 1 << shift
    this.sectorCount = Math.floor((bytes.length - this.sectorSize) / this.sectorSize)
    this.fat = this.readFat()
  }

  private u32(offset: number): number {
    return this.view.getUint32(offset, true)
  }

  private sectorOffset(sector: number): number {
    if (sector >= this.sectorCount) throw new Error(`its compound file points to sector ${sector}, beyond its end (it is truncated or damaged)`)
    return (sector + 1) * this.sectorSize
  }

  /**
   * The FAT: its sectors are listed in the header's 109 DIFAT entries, then in a chain of DIFAT
   * sectors — as many as the header counts, and no more than the file has, so that a hostile
   * count or a sector listed again and again allocates no more than the file's size.
   */
  private readFat(): Uint32Array {
    const count = Math.min(this.u32(0x2c), this.sectorCount)
    const fatSectors: number[] = []
    for (let i = 0; i < 109 && fatSectors.length < count; i++) fatSectors.push(this.u32(0x4c + 4 * i))
    let difat = this.u32(0x44)
    for (let hops = 0; fatSectors.length < count && difat !== END_OF_CHAIN && difat !== FREE_SECTOR; hops++) {
      if (hops > this.sectorCount) throw new Error('its compound file\'s sector table runs in a loop')
      const at = this.sectorOffset(difat)
      const perSector = this.sectorSize / 4 - 1
      for (let i = 0; i < perSector && fatSectors.length < count; i++) fatSectors.push(this.u32(at + 4 * i))
      difat = this.u32(at + 4 * perSector)
    }
    const perSector = this.sectorSize / 4
    const fat = new Uint32Array(fatSectors.length * perSector).fill(FREE_SECTOR)
    fatSectors.forEach((sector, i) => {
      if (sector === FREE_SECTOR || sector === END_OF_CHAIN) return
      const at = this.sectorOffset(sector)
      for (let k = 0; k < perSector; k++) fat[i * perSector + k] = this.u32(at + 4 * k)
    })
    return fat
  }

  /** The sectors of a chain, each once: a chain that loops or leaves the file is damage. */
  private chain(start: number, table: ArrayLike<number>, limit: number): number[] {
    const sectors: number[] = []
    for (let sector = start; sector !== END_OF_CHAIN; sector = table[sector]) {
      if (sector === undefined || sector >= limit || sectors.length >= limit) throw new Error('its compound file has a broken sector chain (it is truncated or damaged)')
      sectors.push(sector)
    }
    return sectors
  }

  /** A chain's sectors, read one after the other. */
  private chainBytes(start: number): Uint8Array {
    const sectors = this.chain(start, this.fat, this.sectorCount)
    const out = new Uint8Array(sectors.length * this.sectorSize)
    sectors.forEach((sector, i) => {
      const at = this.sectorOffset(sector)
      out.set(this.bytes.subarray(at, at + this.sectorSize), i * this.sectorSize)
    })
    return out
  }

  private regularStream(start: number, size: number): Uint8Array {
    const out = this.chainBytes(start)
    if (out.length < size) throw new Error('its compound file holds less of a stream than it declares (it is truncated)')
    return out.subarray(0, size)
  }

  /** The directory's entries: name, kind, first sector and size. */
  private entries(): { name: string; type: number; start: number; size: number }[] {
    const directory = this.chainBytes(this.u32(0x30))
    const entries = []
    for (let at = 0; at + 128 <= directory.length; at += 128) {
      const view = new DataView(directory.buffer, directory.byteOffset + at, 128)
      const nameBytes = Math.min(64, view.getUint16(0x40, true))
      const name = Buffer.from(directory.subarray(at, at + Math.max(0, nameBytes - 2))).toString('utf16le')
      entries.push({ name, type: view.getUint8(0x42), start: view.getUint32(0x74, true), size: view.getUint32(0x78, true) })
    }
    return entries
  }

  /** The stream of the first of `names` the directory holds, or null. */
  stream(names: string[]): { name: string; bytes: Uint8Array } | null {
    const entries = this.entries()
    const root = entries[0]
    const entry = entries.find((e) => e.type === 2 && names.includes(e.name))
    if (!root || !entry) return null
    if (entry.size >= this.view.getUint32(0x38, true)) return { name: entry.name, bytes: this.regularStream(entry.start, entry.size) }
    // Small streams live in the mini stream (the root entry's), in 64-byte sectors.
    const mini = this.regularStream(root.start, root.size)
    const miniFatStart = this.u32(0x3c)
    const miniFatBytes = miniFatStart === END_OF_CHAIN ? new Uint8Array(0) : this.chainBytes(miniFatStart)
    const miniFatView = new DataView(miniFatBytes.buffer, miniFatBytes.byteOffset, miniFatBytes.byteLength)
    const miniFat = Array.from({ length: miniFatBytes.length / 4 }, (_, i) => miniFatView.getUint32(4 * i, true))
    const sectors = this.chain(entry.start, miniFat, Math.floor(mini.length / MINI_SECTOR_SIZE))
    const out = new Uint8Array(sectors.length * MINI_SECTOR_SIZE)
    sectors.forEach((sector, i) => out.set(mini.subarray(sector * MINI_SECTOR_SIZE, (sector + 1) * MINI_SECTOR_SIZE), i * MINI_SECTOR_SIZE))
    if (out.length < entry.size) throw new Error('its compound file holds less of a stream than it declares (it is truncated)')
    return { name: entry.name, bytes: out.subarray(0, entry.size) }
  }
}

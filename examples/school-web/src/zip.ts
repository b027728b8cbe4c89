/**
 * A ZIP archive of files, written in memory (PKWARE APPNOTE 6.3.x, the subset every unzip reads):
 * each file deflated (method 8) or, when deflating does not make it smaller, stored (method 0);
 * names in UTF-8 (general purpose bit 11); no ZIP64, so at most 65,535 files and 4 GiB. The
 * modification time is written from the date's UTC fields: a ZIP time has no zone, and the host's
 * zone must not change the bytes.
 */
import { crc32, deflateRawSync } from 'node:zlib'

/** One file of an archive. */
export interface ZipEntry {
  /** Its path in the archive (`/` separated, no leading `/`, no `..`). */
  name: string
  bytes: Uint8Array
  /** Its modification time (written to the second, even seconds, in UTC). */
  modified: Date
}

const MAX_ENTRIES = 0xffff
const MAX_SIZE = 0xffffffff

/** The DOS date and time of a date, from its UTC fields (1980 to 2107). */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107)
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  }
}

/**
 * The bytes of a ZIP archive of `entries`, in the order given.
 *
 * @example
 * const zip = zipArchive([{ name: 'fiche-Martin-Leo.pdf', bytes: pdf, modified: new Date('2027-01-20T09:00:00Z') }])
 * @throws Error for a name that is empty, absolute or climbs out (`..`), a name twice, more than 65,535 files, or a file over 4 GiB.
 */
export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > MAX_ENTRIES) throw new Error(`[school-web] a ZIP archive holds at most ${MAX_ENTRIES} files (ZIP64 is not written)`)
  const seen = new Set<string>()
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    if (e.name === '' || e.name.startsWith('/') || e.name.split('/').includes('..')) throw new Error(`[school-web] ZIP entry name ${JSON.stringify(e.name)}: must be a relative path without ..`)
    if (seen.has(e.name)) throw new Error(`[school-web] ZIP entry name ${JSON.stringify(e.name)} is given twice`)
    seen.add(e.name)
    if (e.bytes.length > MAX_SIZE) throw new Error(`[school-web] ZIP entry ${JSON.stringify(e.name)} is over 4 GiB (ZIP64 is not written)`)
    const name = Buffer.from(e.name, 'utf8')
    const deflated = deflateRawSync(e.bytes)
    const stored = deflated.length >= e.bytes.length
    const data = stored ? Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength) : deflated
    const crc = crc32(e.bytes)
    const { time, date } = dosTime(e.modified)
    // the fields a local header and its central directory entry share, from "version needed" on
    const common = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at) // version needed: 2.0 (deflate)
      header.writeUInt16LE(0x0800, at + 2) // flags: names in UTF-8
      header.writeUInt16LE(stored ? 0 : 8, at + 4)
      header.writeUInt16LE(time, at + 6)
      header.writeUInt16LE(date, at + 8)
      header.writeUInt32LE(crc, at + 10)
      header.writeUInt32LE(data.length, at + 14)
      header.writeUInt32LE(e.bytes.length, at + 18)
      header.writeUInt16LE(name.length, at + 22)
    }
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0) // local file header signature
    common(local, 4) // then no extra field
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0) // central directory header signature
    central.writeUInt16LE(0x0314, 4) // made by: Unix, 2.0
    common(central, 6)
    // extra 30, comment 32, disk 34, internal attributes 36: zero
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38) // external attributes: a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42)
    if (offset > MAX_SIZE) throw new Error('[school-web] a ZIP archive over 4 GiB needs ZIP64, which is not written')
    locals.push(local, name, data)
    centrals.push(central, name)
    offset += local.length + name.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0) // end of central directory signature
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return new Uint8Array(Buffer.concat([...locals, directory, end]))
}

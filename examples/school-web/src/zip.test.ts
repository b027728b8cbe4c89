import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { zipArchive } from './zip'

// Each archive is read back by Debian's unzip (Info-ZIP), not by code of ours.
const dir = mkdtempSync(join(tmpdir(), 'school-web-zip-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
function written(bytes: Uint8Array): string {
  const path = join(dir, `a${++n}.zip`)
  writeFileSync(path, bytes)
  return path
}
const AT = new Date('2027-01-20T09:14:36Z')

describe('zipArchive', () => {
  it('writes files unzip tests as sound and extracts byte for byte: text deflated, random bytes stored, an empty file, a UTF-8 name', () => {
    const text = new TextEncoder().encode('Fiche de renseignements\n'.repeat(200))
    const noise = new Uint8Array(randomBytes(5000))
    const files = [
      { name: 'fiche-Martin-Léo.pdf', bytes: text, modified: AT },
      { name: 'bruit/aleatoire.bin', bytes: noise, modified: AT },
      { name: 'vide.txt', bytes: new Uint8Array(0), modified: AT },
    ]
    const path = written(zipArchive(files))
    expect(execFileSync('unzip', ['-tq', path], { encoding: 'utf8' })).toContain('No errors detected')
    expect(execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n')).toEqual(files.map((f) => f.name))
    for (const f of files) expect(new Uint8Array(execFileSync('unzip', ['-p', path, f.name]))).toEqual(f.bytes)
    // the repeated text is deflated, the random bytes are stored
    const verbose = execFileSync('unzip', ['-Zv', path], { encoding: 'utf8' })
    expect(verbose).toMatch(/fiche-Martin-Léo\.pdf[\s\S]*?compression method:\s+deflated/)
    expect(verbose).toMatch(/bruit\/aleatoire\.bin[\s\S]*?compression method:\s+none \(stored\)/)
  })

  it('writes the modification time from the UTC fields, whatever the host zone (to the even second)', () => {
    const path = written(zipArchive([{ name: 'a.txt', bytes: new Uint8Array([1]), modified: AT }]))
    // zipinfo -T: yyyymmdd.hhmmss of the stored DOS time
    expect(execFileSync('unzip', ['-ZT', path], { encoding: 'utf8' })).toContain('20270120.091436')
  })

  it('writes an archive of no file that unzip reads as empty', () => {
    const bytes = zipArchive([])
    expect(bytes.length).toBe(22)
    // unzip says so on stderr, with its warning exit code 1 (not 9, "not a zipfile")
    const read = spawnSync('unzip', ['-tq', written(bytes)], { encoding: 'utf8' })
    expect([read.status, read.stdout + read.stderr]).toEqual([1, expect.stringContaining('zipfile is empty')])
  })

  it('refuses a name that is empty, absolute, climbs out or is given twice', () => {
    const one = (name: string) => ({ name, bytes: new Uint8Array([1]), modified: AT })
    expect(() => zipArchive([one('')])).toThrow(/must be a relative path/)
    expect(() => zipArchive([one('/etc/passwd')])).toThrow(/must be a relative path/)
    expect(() => zipArchive([one('a/../../b')])).toThrow(/must be a relative path/)
    expect(() => zipArchive([one('a.pdf'), one('a.pdf')])).toThrow(/given twice/)
  })
})

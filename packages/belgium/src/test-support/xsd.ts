import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { validateXML } from 'xmllint-wasm'

/** The official Belcotax XSD of income year 2024 (see test/fixtures/SOURCE.md). */
export const XSD_PATH = path.resolve(import.meta.dirname, '../../test/fixtures/Belcotax-2024.xsd')
let xsd: string | undefined

/** Validates files against the XSD with xmllint-wasm (no native build): the errors, [] when valid. */
export async function xsdErrors(files: readonly Uint8Array[]): Promise<string[]> {
  xsd ??= fs.readFileSync(XSD_PATH, 'utf8')
  const result = await validateXML({
    xml: files.map((bytes, i) => ({ fileName: `file-${i}.xml`, contents: new TextDecoder().decode(bytes) })),
    schema: [{ fileName: 'Belcotax-2024.xsd', contents: xsd }],
    maxMemoryPages: 16384,
  })
  const errors = result.errors.map((e) => e.rawMessage)
  return result.valid || errors.length > 0 ? errors : [result.rawOutput || 'invalid']
}

/** Whether Debian's xmllint is on this machine. */
export function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Validates one file with Debian's `xmllint --schema` (the second opinion): its exit code and output. */
export function xmllintCli(bytes: Uint8Array): { status: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'belcotax-'))
  const file = path.join(dir, 'file.xml')
  fs.writeFileSync(file, bytes)
  try {
    const r = spawnSync('xmllint', ['--noout', '--schema', XSD_PATH, file], { encoding: 'utf8' })
    return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Runs `fn` with `bytes` written to a temporary PDF file, then removes it. */
export function withPdfFile<T>(bytes: Uint8Array, fn: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ecole-pdf-'))
  try {
    const path = join(dir, 'doc.pdf')
    writeFileSync(path, bytes)
    return fn(path, dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `qpdf --check`: throws with qpdf's report when the structure is broken. */
export function qpdfCheck(bytes: Uint8Array): string {
  return withPdfFile(bytes, (path) => execFileSync('qpdf', ['--check', path], { encoding: 'utf8' }))
}

/** The text of the PDF as `pdftotext -layout` reads it (pages separated by form feeds). */
export function pdfText(bytes: Uint8Array, options: { layout?: boolean; first?: number; last?: number } = {}): string {
  const args = [...(options.layout === false ? [] : ['-layout']), ...(options.first ? ['-f', String(options.first)] : []), ...(options.last ? ['-l', String(options.last)] : [])]
  return withPdfFile(bytes, (path) => execFileSync('pdftotext', [...args, '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }))
}

/** `pdfinfo` as a map of its fields (Title, Author, Pages...); with `meta`, the XMP packet too. */
export function pdfInfo(bytes: Uint8Array, meta = false): Record<string, string> & { xmp?: string } {
  return withPdfFile(bytes, (path) => {
    const out: Record<string, string> & { xmp?: string } = {}
    for (const line of execFileSync('pdfinfo', [path], { encoding: 'utf8' }).split('\n')) {
      const at = line.indexOf(':')
      if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim()
    }
    if (meta) out.xmp = execFileSync('pdfinfo', ['-meta', path], { encoding: 'utf8' })
    return out
  })
}

/** Renders page `page` to PNG at `dpi` and decodes every QR code on it with `zbarimg --raw` (exact bytes, UTF-8). */
export function zbarDecode(bytes: Uint8Array, page = 1, dpi = 200): string[] {
  return withPdfFile(bytes, (path, dir) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-png', path, join(dir, 'page')])
    const png = readdirSync(dir).find((f) => f.endsWith('.png'))!
    const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sbinary', join(dir, png)])
    // with -Sbinary zbar writes the symbol's bytes as they are, each symbol followed by a newline
    const text = out.toString('utf8')
    return [text.endsWith('\n') ? text.slice(0, -1) : text]
  })
}

/** Renders every page to PNG files in `folder` (for a person to look at), returning their paths. */
export function renderPngs(bytes: Uint8Array, folder: string, name: string, dpi = 70): string[] {
  return withPdfFile(bytes, (path) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', path, join(folder, name)])
    return readdirSync(folder).filter((f) => f.startsWith(name) && f.endsWith('.png')).map((f) => join(folder, f))
  })
}

/**
 * What the documents tests share (issue 18, staffdocs): the demo school's host on PGlite, a
 * staff or portal client that also posts multipart forms with a file (as a browser's file input
 * sends it), and small files whose bytes are what their type says (or not).
 */
import { deflateSync } from 'node:zlib'
import { Client, type Page } from '../support'

/** Logs a client in to the back office. */
export async function staffLogin(c: Client, username: string, password: string): Promise<void> {
  await c.get('/staff/login')
  const r = await c.post('/staff/login', { username, password })
  if (r.status !== 303) throw new Error(`staff login of ${username} answered ${r.status}`)
}

/** Posts a multipart form with one file and the CSRF token of the last page read. */
export async function upload(c: Client, path: string, file: { name: string; bytes: Uint8Array; type?: string }, form: Record<string, string | string[]> = {}, field = 'file'): Promise<Page> {
  const body = new FormData()
  body.append('_csrf', c.csrf)
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  body.append(field, new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? 'application/pdf' }))
  const h = new Headers({ Host: new URL(c.origin).host })
  if (c.cookies.size) h.set('Cookie', [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
  const res = await c.app.request(`${c.origin}${path}`, { method: 'POST', headers: h, body })
  const text = await res.clone().text()
  return { status: res.status, headers: res.headers, text, res }
}

/** A small PDF (one page, a line of text): what a scanned certificate would be. */
export function pdfBytes(line: string): Uint8Array {
  const content = `BT /F1 18 Tf 72 720 Td (${line}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return new TextEncoder().encode(out)
}

function crc32(bytes: Uint8Array): number {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

/** A PNG of `w` x `h` pixels: a coloured disc on white (a stand-in logo or stamp). */
export function pngBytes(w: number, h: number, rgb: [number, number, number] = [30, 90, 160]): Uint8Array {
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (Math.min(w, h) / 2.2) ** 2
      const o = y * (w * 3 + 1) + 1 + x * 3
      raw[o] = inside ? rgb[0] : 255
      raw[o + 1] = inside ? rgb[1] : 255
      raw[o + 2] = inside ? rgb[2] : 255
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]))
}

/** The id of the document a list row shows for a name. */
export function documentIdOf(html: string, name: string): string {
  const rows = html.split('<tr data-document="').slice(1)
  const row = rows.find((r) => r.includes(`>${name}<`))
  return row ? row.slice(0, row.indexOf('"')) : ''
}

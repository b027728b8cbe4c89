// Renders the README's picture of an invoice: `npm run docs:image -w @ecole/pdf` (needs poppler's pdftoppm).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderPdfBytes } from '../src/renderer'
import { invoiceRequest } from '../src/test-support/fixtures'

const dir = mkdtempSync(join(tmpdir(), 'ecole-pdf-readme-'))
const pdf = join(dir, 'invoice.pdf')
writeFileSync(pdf, await renderPdfBytes({ kind: 'invoice', data: invoiceRequest() }))
execFileSync('pdftoppm', ['-r', '48', '-png', '-singlefile', '-f', '1', '-l', '1', pdf, join(dir, 'invoice')])
renameSync(join(dir, 'invoice.png'), new URL('../docs/invoice.png', import.meta.url).pathname)
rmSync(dir, { recursive: true, force: true })
console.log('wrote packages/pdf/docs/invoice.png')

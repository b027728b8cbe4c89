// The declarations name pdfkit's global `PDFKit` namespace (from @types/pdfkit, a dependency); the
// bundled .d.ts files lose the `/// <reference types="pdfkit" />` that makes a consumer's compiler load
// it (a project with `types: [...]` does not load it otherwise). Run after tsup.
import { readFileSync, writeFileSync } from 'node:fs'

const directive = '/// <reference types="pdfkit" />\n'
for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
  const text = readFileSync(file, 'utf8')
  if (!text.startsWith(directive)) writeFileSync(file, directive + text)
}

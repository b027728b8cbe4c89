// Bundle size of single imports, as a consumer's bundler sees them (esbuild, minified, not gzipped).
// Needs `npm run build` first: it bundles the published `dist` files, never the sources.
// Usage: node scripts/bundle-size.mjs [--json]   (exit 1 when a target is exceeded)
import { build } from 'esbuild'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')

/** Each case: what a consumer imports, and the budget in bytes (minified). */
export const cases = [
  { name: "ogm from '@ecole/core'", code: "import { ogm } from '@ecole/core'; console.log(ogm.generate('1234567890'))", budget: 15_000 },
  { name: "Money from '@ecole/core'", code: "import { Money } from '@ecole/core'; console.log(Money.of('1', 'EUR'))", budget: 60_000 },
  { name: "parseCamt053 from '@ecole/bank'", code: "import { parseCamt053 } from '@ecole/bank'; console.log(parseCamt053)", budget: 120_000 },
  { name: "buildBelcotax28186 from '@ecole/belgium'", code: "import { buildBelcotax28186 } from '@ecole/belgium'; console.log(buildBelcotax28186)", budget: 150_000 },
  // pkijs + asn1js (the .p7m envelopes) are most of it
  { name: "parseFatturaPA from '@ecole/italy'", code: "import { parseFatturaPA } from '@ecole/italy'; console.log(parseFatturaPA)", budget: 700_000 },
  { name: "buildFec from '@ecole/france'", code: "import { buildFec } from '@ecole/france'; console.log(buildFec)", budget: 150_000 },
  { name: "everything of '@ecole/core'", code: "import * as core from '@ecole/core'; console.log(core)", budget: Infinity },
]

export async function measure(c) {
  const result = await build({
    stdin: { contents: c.code, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', metafile: true,
  })
  return result.outputFiles[0].contents.byteLength
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let over = 0
  const rows = []
  for (const c of cases) {
    const bytes = await measure(c)
    const ok = bytes <= c.budget
    if (!ok) over++
    rows.push({ import: c.name, kb: (bytes / 1000).toFixed(1), budgetKb: Number.isFinite(c.budget) ? c.budget / 1000 : '-', ok })
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2))
  else console.table(rows)
  process.exit(over ? 1 : 0)
}

// TSDoc reads a word starting with "@" as a block tag: "@ecole" in prose must be written `@ecole`.
// This rewrites bare @ecole mentions inside /** */ comment lines to inline code. Idempotent.
import fs from 'node:fs'
import path from 'node:path'

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue
    const p = path.join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else if (p.endsWith('.ts')) out.push(p)
  }
  return out
}
let changed = 0
for (const file of [...walk('packages'), ...walk('examples')]) {
  const src = fs.readFileSync(file, 'utf8')
  const next = src
    .split('\n')
    .map((line) => (/^\s*(\/\*\*|\*)/.test(line) ? line.replace(/(^|[\s(])@ecole(\/[a-z-]+)?(?![`'"\w/-])/g, (_, pre, sub = '') => `${pre}\`@ecole${sub}\``) : line))
    .join('\n')
  if (next !== src) {
    fs.writeFileSync(file, next)
    changed++
  }
}
console.log(`rewrote @ecole mentions in ${changed} files`)

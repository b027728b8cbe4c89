// The packed-tarball smoke test: what a consumer gets from npm, not what the workspace links.
// 1. `npm pack` every published package (or take the tarballs scripts/check-packages.mjs left in
//    `--packs <dir>`); 2. install the tarballs into an empty scratch project; 3. run the README's
//    "A taste" block from ESM with its `//=>` results asserted, and load every package from ESM and
//    from CommonJS; 4. type-check a sample against the installed declarations under
//    moduleResolution node16, nodenext and bundler, strict, without skipLibCheck.
// Needs `npm run build` first. Usage: node scripts/check-consumer.mjs [--packs <dir>] [--keep]
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { transformSync } from 'esbuild'
import { checkedProgram, codeBlocks } from './doc-examples.mjs'
import { argValue, packPublished, root } from './pack-packages.mjs'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecole-consumer-'))
const run = (cmd, args, cwd = scratch) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
let failed = 0
const fail = (what, error) => {
  failed++
  console.error(`!! ${what}\n${error?.stdout ?? ''}${error?.stderr ?? ''}${error?.stdout || error?.stderr ? '' : error}`)
}

// ---- 1. pack (or reuse what check-packages.mjs packed)
const packs = argValue('--packs')
const packed = packPublished(packs ? path.resolve(packs) : scratch, { reuse: Boolean(packs) })
const tarballs = packed.map((p) => p.tarball)
const names = packed.map((p) => p.pkg.name)
console.log(`${packs ? 'took' : 'packed'} ${tarballs.length} packages${packs ? ` from ${packs}` : ` into ${scratch}`}`)

// ---- 2. install into an empty project (the drivers the storage adapter peer-depends on, too)
fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2))
try {
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'pg', '@electric-sql/pglite', '@types/node@20', '@types/pg', '@types/emscripten'])
  console.log('installed the tarballs into an empty project')
} catch (e) {
  fail('the tarballs do not install into an empty project', e)
  process.exit(1)
}

// ---- 3a. README's "A taste", from ESM, results asserted
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const taste = codeBlocks(readme).find((b) => b.heading === 'A taste')
if (!taste) fail("README.md has no ts block under '## A taste'")
else {
  const { program, assertions } = checkedProgram(taste.code)
  const js = transformSync(program, { loader: 'ts', format: 'esm' }).code
  const prelude = `import { deepStrictEqual } from 'node:assert'\nconst __check = (actual, expected, label) => deepStrictEqual(actual, expected, 'README A taste, ' + label)\n`
  fs.writeFileSync(path.join(scratch, 'taste.mjs'), prelude + js)
  try {
    run('node', ['taste.mjs'])
    console.log(`README "A taste": ${assertions} results asserted from ESM`)
  } catch (e) {
    fail('README "A taste" does not run as written', e)
  }
}

// ---- 3b. every package from ESM and CommonJS (outside any test runner: @ecole/testing's root and
// its conformance suite need vitest, an optional peer; its arbitraries need only fast-check)
const entries = names.flatMap((n) => (n === '@ecole/testing' ? [`${n}/arbitraries`] : n === '@ecole/core' ? [n, `${n}/ports`] : [n]))
// one process per module system, each entry loaded on its own and reported by name
const loader = (kind) => `const entries = ${JSON.stringify(entries)}
const failures = []
for (const name of entries) {
  try {
    const m = ${kind === 'ESM' ? 'await import(name)' : 'require(name)'}
    if (Object.keys(m).length === 0 && !name.endsWith('/ports')) throw new Error('no exports')
  } catch (e) { failures.push(name + ': ' + (e && e.stack || e)) }
}
if (failures.length) { console.error(failures.join('\\n')); process.exit(1) }
`
for (const kind of ['ESM', 'CJS']) {
  const file = path.join(scratch, `load-${kind}.${kind === 'ESM' ? 'mjs' : 'cjs'}`)
  fs.writeFileSync(file, loader(kind))
  try {
    run('node', [file])
  } catch (e) {
    fail(`packages that cannot be loaded from ${kind}`, e)
  }
}
console.log(`loaded ${entries.join(', ')} from ESM and CommonJS`)

// ---- 4. types, strict, under three resolutions
const sample = `${taste?.code ?? ''}
import { Money as M } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
type IsAny<T> = 0 extends 1 & T ? true : false
// Money.decimalOf once became 'any' under node16 with skipLibCheck: it must stay typed
export const decimalIsTyped: IsAny<ReturnType<typeof M.decimalOf>> = false
export type Ports = StoragePorts
${names.filter((n) => n !== '@ecole/core').map((n, i) => `import * as p${i} from '${n}'\nexport const n${i}: number = Object.keys(p${i}).length`).join('\n')}
`
fs.writeFileSync(path.join(scratch, 'sample.ts'), sample)
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
for (const [module, resolution] of [['node16', 'node16'], ['nodenext', 'nodenext'], ['esnext', 'bundler']]) {
  const config = {
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module, moduleResolution: resolution, skipLibCheck: false,
      types: ['node', 'emscripten'], lib: ['ES2022', 'DOM'],
    },
    files: ['sample.ts'],
  }
  fs.writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify(config, null, 2))
  try {
    run('node', [tsc, '-p', 'tsconfig.json'])
    console.log(`types check under moduleResolution ${resolution} (strict, no skipLibCheck)`)
  } catch (e) {
    fail(`types fail under moduleResolution ${resolution}`, e)
  }
}

if (!process.argv.includes('--keep')) fs.rmSync(scratch, { recursive: true, force: true })
process.exit(failed ? 1 : 0)

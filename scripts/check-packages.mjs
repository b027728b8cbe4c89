// publint --strict and @arethetypeswrong/cli on every published package, both reading the tarball
// `npm pack` makes (needs `npm run build` first). Each package is packed once: with `--packs <dir>`
// the tarballs are left there for scripts/check-consumer.mjs (`npm run check:packages` does so).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { argValue, packPublished, root } from './pack-packages.mjs'

const keep = argValue('--packs')
const dest = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'ecole-packs-'))
if (keep) fs.rmSync(dest, { recursive: true, force: true })
const packed = packPublished(dest)
let failed = 0
for (const { pkg, tarball } of packed) {
  const { name } = pkg
  console.log(`\n-- publint --strict ${name}`)
  const tgz = fs.readFileSync(tarball)
  const { messages } = await publint({ strict: true, pack: { tarball: tgz.buffer.slice(tgz.byteOffset, tgz.byteOffset + tgz.byteLength) } })
  for (const m of messages) console.log(`${m.type}: ${formatMessage(m, pkg)}`)
  // strict: warnings count as errors, suggestions are printed only
  if (messages.some((m) => m.type === 'error' || m.type === 'warning')) {
    failed++
    console.error(`!! publint reported problems in ${name}`)
  } else console.log(messages.length ? `${messages.length} suggestion(s)` : 'All good!')

  console.log(`\n-- attw ${name}`)
  try {
    // node10 resolution has no subpath exports; every supported runtime (Node >= 20, bundlers) resolves them
    execFileSync(path.join(root, 'node_modules', '.bin', 'attw'), [tarball, '--profile', 'node16', '--format', 'table-flipped'], { stdio: 'inherit', cwd: root })
  } catch {
    failed++
    console.error(`!! attw reported problems in ${name}`)
  }
}
if (!keep) fs.rmSync(dest, { recursive: true, force: true })
process.exit(failed ? 1 : 0)

// publint --strict and @arethetypeswrong/cli on every published package (needs `npm run build` first).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const dirs = fs.readdirSync(path.join(root, 'packages')).map((d) => path.join(root, 'packages', d))
let failed = 0
for (const dir of dirs) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  if (pkg.private) continue
  for (const [cmd, args] of [
    ['publint', ['--strict', dir]],
    // node10 resolution has no subpath exports; every supported runtime (Node >= 20, bundlers) resolves them
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    console.log(`\n-- ${cmd} ${pkg.name}`)
    try {
      execFileSync(path.join(root, 'node_modules', '.bin', cmd), args, { stdio: 'inherit', cwd: root })
    } catch {
      failed++
      console.error(`!! ${cmd} reported problems in ${pkg.name}`)
    }
  }
}
process.exit(failed ? 1 : 0)

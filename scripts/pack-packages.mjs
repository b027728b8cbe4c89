// Packs every published package once (`npm pack`), for the checks that read what a consumer gets:
// publint and attw (scripts/check-packages.mjs) and the consumer smoke test (scripts/check-consumer.mjs).
// `npm run check:packages` packs into `.packs/` once and hands the tarballs to both.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

export const root = path.resolve(import.meta.dirname, '..')

/**
 * The published packages (not `private`), each with its directory and its package.json.
 *
 * @returns {{ dir: string, pkg: { name: string, version: string } }[]}
 */
export function publishedPackages() {
  return fs
    .readdirSync(path.join(root, 'packages'))
    .map((d) => path.join(root, 'packages', d))
    .map((dir) => ({ dir, pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private)
}

/**
 * Packs every published package into `dest` (created if missing) and returns each package with its
 * tarball. With `reuse`, a tarball already in `dest` under the name `npm pack` gives is taken as is.
 *
 * @param {string} dest
 * @param {{ reuse?: boolean }} [options]
 * @returns {{ dir: string, pkg: { name: string, version: string }, tarball: string }[]}
 */
export function packPublished(dest, options = {}) {
  fs.mkdirSync(dest, { recursive: true })
  return publishedPackages().map(({ dir, pkg }) => {
    const expected = path.join(dest, `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`)
    if (options.reuse && fs.existsSync(expected)) return { dir, pkg, tarball: expected }
    const out = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }))
    return { dir, pkg, tarball: path.join(dest, out[0].filename) }
  })
}

/** The value of a `--name value` argument, if given. */
export function argValue(name) {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

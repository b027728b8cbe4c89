import fs from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'esbuild'
import { defineConfig, type Options } from 'tsup'

/** Source files that are not part of a published build (tests, benchmarks, test fixtures). */
const notPublished = [
  '!src/**/*.test.ts',
  '!src/**/*.test-prop.ts',
  '!src/**/*.test-d.ts',
  '!src/**/*.bench.ts',
  '!src/**/*.bench-data.ts',
  '!src/**/*.test-support.ts',
  '!src/**/test-support/**',
]

/**
 * An esbuild plugin that leaves every relative import external, with the `.js` extension Node's ESM
 * loader needs (`'../money'` becomes `'../money/index.js'`): each source module becomes one output
 * module, and a consumer's bundler sees the same module graph as the sources.
 */
const relativeImportsAsFiles: Plugin = {
  name: 'ecole-relative-imports-as-files',
  setup(build) {
    build.onResolve({ filter: /^\.\.?(\/|$)/ }, (args) => {
      if (!args.importer) return undefined
      const target = path.resolve(path.dirname(args.importer), args.path)
      if (fs.existsSync(`${target}.ts`)) return { path: `${args.path}.js`, external: true }
      if (fs.existsSync(path.join(target, 'index.ts'))) return { path: `${args.path.replace(/\/$/, '')}/index.js`, external: true }
      return undefined
    })
  },
}

/**
 * The build every @ecole package shares, Node 20:
 *
 * - ESM, one output file per source module (relative imports stay imports, with `.js` added), so a
 *   consumer's bundler keeps only the modules it imports: `"sideEffects": false` lets it drop the
 *   rest whole, top-level schemas included (`import { ogm } from '@ecole/core'` costs a few KB,
 *   not the library). `src/x/y.ts` becomes `dist/x/y.js`.
 * - CJS, one bundled file per public entry (`dist/<name>.cjs`): `require` does not tree-shake.
 * - Type declarations for the public entries only (`dist/<name>.d.ts` and `.d.cts`).
 *
 * Each package's tsup.config.ts names only its public entries. `npm run build` empties `dist` first
 * (the three builds run together, so none of them cleans).
 */
export function packageBuild(entry: Record<string, string> = { index: 'src/index.ts' }): Options[] {
  const common: Options = { target: 'node20', sourcemap: true, clean: false, outDir: 'dist' }
  return defineConfig([
    {
      ...common,
      entry: ['src/**/*.ts', ...notPublished],
      format: ['esm'],
      splitting: false,
      dts: false,
      esbuildPlugins: [relativeImportsAsFiles],
    },
    { ...common, entry, format: ['cjs'], splitting: false, dts: false },
    { ...common, entry, format: ['esm', 'cjs'], dts: { only: true } },
  ]) as Options[]
}

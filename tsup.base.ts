import { defineConfig, type Options } from 'tsup'

/**
 * The build every @ecole package shares: ESM + CJS + type declarations, source maps, Node 20.
 * Each package's tsup.config.ts names only its entries.
 */
export function packageBuild(entry: Record<string, string> = { index: 'src/index.ts' }): Options {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
  }) as Options
}

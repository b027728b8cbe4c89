import { defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'
import { projects } from './vitest.workspace'

export default defineConfig({
  // Node tests go through Vite's SSR resolver: resolve workspace packages to their sources
  // (the "@ecole/source" export condition) so tests never run against a stale dist.
  ssr: { resolve: { conditions: ['@ecole/source', ...defaultServerConditions] } },
  resolve: { conditions: ['@ecole/source'] },
  test: {
    projects,
    passWithNoTests: false,
    // vitest's default is one worker fewer than the cores: a single worker on the 2-core reference
    // machine, while most test files wait on PostgreSQL, SMTP or Chromium. Three overlap those waits.
    maxWorkers: 3,
    minWorkers: 1,
    // A test's timeout guards against a hang, it is not a speed target (those are benchmarks): with
    // three workers, Chromium and PostgreSQL on 2 cores, a worker can wait seconds for a core, and
    // vitest's 5 s cut pure tests short in CI (build-pain-008 under two time zones). Projects that
    // wait on servers set more.
    testTimeout: 30_000,
    benchmark: { include: ['src/**/*.bench.ts', 'bench/**/*.bench.ts'] },
  },
})

import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config'

/**
 * The test projects. Time-sensitive code (the pure core) runs once per time zone: a host zone
 * must never change a result. America/Los_Angeles is behind UTC and catches the classic
 * "new Date('YYYY-MM-DD') read as local time" bug that UTC, Paris and Apia miss.
 */
export const timeZones = ['UTC', 'Europe/Paris', 'Pacific/Apia', 'America/Los_Angeles'] as const

const testFiles = ['src/**/*.test.ts', 'src/**/*.test-prop.ts', 'test/**/*.test.ts']

/**
 * The pure packages run in the `vmForks` pool: one process runs file after file, each in a fresh
 * `vm` context, so a file no longer pays a process start and a cold module graph (the core under
 * one zone: 33 s instead of 72 s on the 2-core reference machine). Forks, not `vmThreads`: a
 * thread shares its process's time zone, so every zone's project would silently run in the
 * runner's zone (`src/time/host-zone.test.ts` checks the zone is the project's).
 */
function perZone(pkg: string): TestProjectInlineConfiguration[] {
  return timeZones.map((tz) => ({
    extends: true,
    test: { name: `${pkg} [${tz}]`, root: `packages/${pkg}`, include: testFiles, env: { TZ: tz }, pool: 'vmForks' },
  }))
}

function once(pkg: string, dir = 'packages', extra: Record<string, unknown> = {}): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: { name: pkg, root: `${dir}/${pkg}`, include: testFiles, env: { TZ: 'Europe/Paris' }, ...extra },
  }
}

export const projects: TestProjectInlineConfiguration[] = [
  ...perZone('core'),
  ...perZone('bank'),
  once('testing'),
  once('storage-memory'),
  once('storage-postgres', 'packages', { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false }),
  once('workflows'),
  once('pdf', 'packages', { testTimeout: 60_000 }),
  once('belgium', 'packages', { testTimeout: 60_000 }),
  once('mail-smtp', 'packages', { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false }),
  once('italy', 'packages', { testTimeout: 60_000, hookTimeout: 120_000 }),
  once('france', 'packages', { testTimeout: 60_000 }),
  once('billing-run', 'examples', { testTimeout: 60_000 }),
  once('city-bench', 'examples', { testTimeout: 600_000 }),
  once('school-web', 'examples', { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false }),
  // the ts blocks of docs/*.md and the READMEs, type-checked and run (scripts/doc-examples.test.ts)
  { extends: true, test: { name: 'docs', root: '.', include: ['scripts/doc-examples.test.ts'], env: { TZ: 'Europe/Paris' }, testTimeout: 120_000 } },
]

// keep defineProject referenced for editors that type-check this file alone
void defineProject

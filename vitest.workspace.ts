import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config'

/**
 * The test projects. Time-sensitive code (the pure core) runs once per time zone: a host zone
 * must never change a result. America/Los_Angeles is behind UTC and catches the classic
 * "new Date('YYYY-MM-DD') read as local time" bug that UTC, Paris and Apia miss.
 */
export const timeZones = ['UTC', 'Europe/Paris', 'Pacific/Apia', 'America/Los_Angeles'] as const

const testFiles = ['src/**/*.test.ts', 'src/**/*.test-prop.ts', 'test/**/*.test.ts']

function perZone(pkg: string): TestProjectInlineConfiguration[] {
  return timeZones.map((tz) => ({
    extends: true,
    test: { name: `${pkg} [${tz}]`, root: `packages/${pkg}`, include: testFiles, env: { TZ: tz } },
  }))
}

function once(pkg: string, dir = 'packages', extra: Record<string, unknown> = {}): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: { name: pkg, root: `${dir}/${pkg}`, include: testFiles, env: { TZ: 'Europe/Paris' }, ...extra },
  }
}

/** The school-web browser tests whose file names start with a to f: a group of their own (below). */
const schoolWebBrowserAToF = ['test/browser.test.ts', 'test/staff/[a-f]*-browser.test.ts']

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
  // school-web's files run one at a time in each of two groups (each file starts its own host,
  // PGlite and often Chromium; more at once on 2 cores makes them slow, not fast): in one group they
  // took 29 min of CI's 38, the longest path of the run. The browser tests a-f (about 12 min) and
  // everything else (about 17 min) run side by side.
  once('school-web', 'examples', { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false, exclude: schoolWebBrowserAToF }),
  once('school-web', 'examples', { name: 'school-web (browser a-f)', testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false, include: schoolWebBrowserAToF }),
  // the ts blocks of docs/*.md and the READMEs, type-checked and run (scripts/doc-examples.test.ts)
  { extends: true, test: { name: 'docs', root: '.', include: ['scripts/doc-examples.test.ts'], env: { TZ: 'Europe/Paris' }, testTimeout: 120_000 } },
]

// keep defineProject referenced for editors that type-check this file alone
void defineProject

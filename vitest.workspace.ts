import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config'

/**
 * The test projects. Time-sensitive code (the pure core) runs once per time zone: a host zone
 * must never change a result. America/Los_Angeles is behind UTC and catches the classic
 * "new Date('YYYY-MM-DD') read as local time" bug that UTC, Paris and Apia miss.
 */
export const timeZones = ['UTC', 'Europe/Paris', 'Pacific/Apia', 'America/Los_Angeles'] as const

const testFiles = ['src/**/*.test.ts', 'src/**/*.test-prop.ts', 'test/**/*.test.ts']

/**
 * The pure packages (core and bank, once per zone) run each zone's files one after the other in
 * one process that keeps its modules between files (`singleFork`, `isolate: false`): the core
 * and zod are loaded once per zone instead of once per file. On the 2-core reference machine the
 * eight projects take 120 CPU-seconds that way, against 331 in the `vmForks` pool (a fresh `vm`
 * context per file, where two thirds of the time went to loading modules again) and more in
 * plain forks. Their tests share no module state: nothing in them mocks, spies or stubs.
 * Forks, not threads: a thread shares its process's time zone, so every zone's project would
 * silently run in the runner's zone (`src/time/host-zone.test.ts` checks the zone is the
 * project's). Vitest runs these after the other projects' files of the forks pool.
 */
function perZone(pkg: string): TestProjectInlineConfiguration[] {
  return timeZones.map((tz) => ({
    extends: true,
    test: {
      name: `${pkg} [${tz}]`, root: `packages/${pkg}`, include: testFiles, env: { TZ: tz },
      pool: 'forks', poolOptions: { forks: { singleFork: true, isolate: false } },
    },
  }))
}

/**
 * The packages whose tests need no process of their own (no child process, no signal, and no
 * dependence on the host's zone: a thread shares its process's zone, so the zone matrix stays with
 * {@link perZone}): each project's files run one after the other in one worker thread that keeps
 * its modules between files (`singleThread`, `isolate: false`). Being the only projects of the
 * `threads` pool, they start at once, beside the `forks` pool, where the `singleFork` projects of
 * {@link perZone} wait for the others. Measured alone on the reference machine, these eight
 * projects took 149 CPU-seconds (150 s wall) that way, against 409 (215 s) with a new process
 * and a cold module graph per file: two thirds of that went to loading the same modules again.
 */
const SHARED_THREAD = { pool: 'threads', poolOptions: { threads: { singleThread: true, isolate: false } } } as const

function once(pkg: string, dir = 'packages', extra: Record<string, unknown> = {}): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: { name: pkg, root: `${dir}/${pkg}`, include: testFiles, env: { TZ: 'Europe/Paris' }, ...extra },
  }
}

export const projects: TestProjectInlineConfiguration[] = [
  ...perZone('core'),
  ...perZone('bank'),
  once('testing', 'packages', SHARED_THREAD),
  once('storage-memory', 'packages', SHARED_THREAD),
  once('storage-postgres', 'packages', { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false }),
  once('workflows', 'packages', SHARED_THREAD),
  once('pdf', 'packages', { testTimeout: 60_000, ...SHARED_THREAD }),
  once('belgium', 'packages', { testTimeout: 60_000, ...SHARED_THREAD }),
  once('mail-smtp', 'packages', { testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false }),
  once('italy', 'packages', { testTimeout: 60_000, hookTimeout: 120_000, ...SHARED_THREAD }),
  once('france', 'packages', { testTimeout: 60_000, ...SHARED_THREAD }),
  once('billing-run', 'examples', { testTimeout: 60_000, ...SHARED_THREAD }),
  once('city-bench', 'examples', { testTimeout: 600_000 }),
  once('school-web', 'examples', { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false }),
  // the ts blocks of docs/*.md and the READMEs, type-checked and run (scripts/doc-examples.test.ts)
  { extends: true, test: { name: 'docs', root: '.', include: ['scripts/doc-examples.test.ts'], env: { TZ: 'Europe/Paris' }, testTimeout: 120_000 } },
]

// keep defineProject referenced for editors that type-check this file alone
void defineProject

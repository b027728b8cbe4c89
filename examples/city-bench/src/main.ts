/**
 * `npm run bench:city -- [--children 50000] [--storage pglite|memory|postgres] [--database-url URL]
 * [--month 2027-01] [--seed N] [--no-documents] [--no-floors] [--data-dir DIR] [--report file.json]`
 *
 * Generates the city, runs its month end to end, prints every stage's figures and the month's
 * invariants, writes the JSON report, and exits with 1 if an invariant failed.
 */
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { getHeapStatistics } from 'node:v8'
import { table } from '@ecole/example-billing-run/print'
import { generateCity } from './city'
import { runCity, type CityReport } from './run-city'
import { openCityStorage, type StorageKind } from './storage'

interface Args {
  children: number
  storage: StorageKind
  databaseUrl?: string | undefined
  month: string
  seed: number
  documents: boolean
  floors: boolean
  report?: string | undefined
  dataDir?: string | undefined
  progress: boolean
  profile?: { stage: string; file: string } | undefined
  schema?: string | undefined
  /** V8's old-space limit in MB for the run (0: V8's default); see {@link heapLimitOf}. */
  heapLimitMb?: number | undefined
}

/**
 * The heap limit of a run on a PostgreSQL server (MB). V8's default limit on the reference machine
 * is about 4 GB, and the collector lets garbage pile up towards it: the 50,000-child month peaked at
 * 2.1 to 2.3 GB of RSS with about 1.1 GB of live data. With 1,536 MB the collector works earlier and
 * the same month peaks near 1.2 GB of RSS at no measurable CPU cost (docs/performance.md). In
 * memory and on PGlite the database lives in the process too, so V8's default is kept there.
 */
export const SERVER_HEAP_LIMIT_MB = 1536

/** The heap limit a run uses: `--heap-limit` when given, else {@link SERVER_HEAP_LIMIT_MB} on a server, else V8's default (0). */
export function heapLimitOf(args: Pick<Args, 'storage' | 'heapLimitMb'>): number {
  return args.heapLimitMb ?? (args.storage === 'postgres' ? SERVER_HEAP_LIMIT_MB : 0)
}

const HELP = `npm run bench:city -- [options]
  --children N         children in the city (50000)
  --storage KIND       pglite (default), memory or postgres
  --database-url URL   the PostgreSQL server (postgresql://user@host:5432/db; ECOLE_PG_URL by default); its ecole_* tables are dropped first
  --month YYYY-MM      the month to run (2027-01)
  --seed N             the city's seed (20270101)
  --no-documents       no invoice PDFs and no mails
  --no-floors          do not measure the floors
  --data-dir DIR       PGlite on disk in DIR (in memory by default)
  --report FILE        write the JSON report to FILE
  --no-progress        no progress bars (a line per stage instead)
  --schema NAME        on the server, run in a schema of its own (created empty, dropped at the end)
  --profile STAGE      write a CPU profile of STAGE (e.g. bookings, or charges,drafts) to city-STAGE.cpuprofile
  --heap-limit MB      V8's heap limit for the run (1536 with --storage postgres, V8's default otherwise; 0: V8's default);
                       the run starts itself again with --max-old-space-size when the limit is not already set`

function parseArgs(argv: string[]): Args {
  const args: Args = { children: 50_000, storage: 'pglite', month: '2027-01', seed: 20270101, documents: true, floors: true, progress: process.stdout.isTTY === true, databaseUrl: process.env['ECOLE_PG_URL'] }
  const value = (i: number, name: string) => {
    const v = argv[i]
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value (try --help)`)
    return v
  }
  for (let i = 0; i < argv.length; i++) {
    const [a, inline] = argv[i]!.split('=', 2) as [string, string | undefined]
    const next = () => inline ?? value(++i, a)
    if (a === '--children') {
      args.children = Number(next())
      if (!Number.isInteger(args.children) || args.children < 10) throw new Error('--children must be an integer of at least 10')
    } else if (a === '--storage') {
      const s = next()
      if (s !== 'pglite' && s !== 'memory' && s !== 'postgres') throw new Error(`--storage must be pglite, memory or postgres, got ${s}`)
      args.storage = s
    } else if (a === '--database-url') {
      args.databaseUrl = next()
      if (!argv.includes('--storage')) args.storage = 'postgres'
    } else if (a === '--month') args.month = next()
    else if (a === '--seed') args.seed = Number(next())
    else if (a === '--no-documents') args.documents = false
    else if (a === '--no-floors') args.floors = false
    else if (a === '--no-progress') args.progress = false
    else if (a === '--report') args.report = next()
    else if (a === '--profile') {
      const stage = next()
      args.profile = { stage, file: 'city-{stage}.cpuprofile' }
    }
    else if (a === '--data-dir') args.dataDir = next()
    else if (a === '--schema') args.schema = next()
    else if (a === '--heap-limit') {
      args.heapLimitMb = Number(next())
      if (!Number.isInteger(args.heapLimitMb) || args.heapLimitMb < 0) throw new Error('--heap-limit must be a whole number of MB (0: V8\'s default)')
    }
    else if (a === '--help' || a === '-h') {
      console.log(HELP)
      process.exit(0)
    } else throw new Error(`unknown option ${a} (try --help)`)
  }
  return args
}

const seconds = (ms: number) => (ms / 1000).toFixed(2)

/** The stage table printed at the end of a run. */
export function stageTable(report: CityReport): string {
  return table(
    ['stage', 'items', 'unit', 'wall s', 'CPU s', 'per s', 'peak RSS MB', 'heap MB', 'floor s', 'x floor'],
    report.stages.map((s) => [s.name, s.items, s.unit, seconds(s.wallMs), seconds(s.cpuMs), s.itemsPerSecond, s.peakRssMb, s.peakHeapMb, s.floor ? seconds(s.floor.wallMs) : '-', s.floor ? s.floor.ratio.toFixed(1) : '-']),
    ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  )
}

/**
 * Starts this run again in a Node process with `--max-old-space-size` when a heap limit is wanted
 * and none is set (by the flags or NODE_OPTIONS); answers the child's exit code, or undefined to
 * run here.
 */
function withHeapLimit(args: Args): number | undefined {
  const limit = heapLimitOf(args)
  const flags = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`
  if (limit === 0 || /--max-old-space-size/.test(flags) || process.env['ECOLE_CITY_HEAP_LIMIT'] !== undefined) return undefined
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${limit}`, process.argv[1]!, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, ECOLE_CITY_HEAP_LIMIT: String(limit) },
  })
  if (child.error) throw child.error
  return child.status ?? 2
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const relaunched = withHeapLimit(args)
  if (relaunched !== undefined) process.exit(relaunched)
  const startedAt = new Date().toISOString()
  const opened = await openCityStorage(args.storage, { databaseUrl: args.databaseUrl, dataDir: args.dataDir, privateSchema: args.schema })
  const city = generateCity({ children: args.children, month: args.month, seed: args.seed })
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024)
  console.log(`@ecole city run: ${city.children.length} children in ${city.households.length} households, ${city.schools.length} schools, ${args.month}; storage: ${opened.label}${args.documents ? '' : '; no documents'}; V8 heap limit ${heapMb} MB`)
  let report: CityReport
  try {
    const r = await runCity({ city, storage: opened.storage, raw: opened.raw, documents: args.documents, floors: args.floors, progress: args.progress, profile: args.profile })
    report = { ...r.report, storage: args.storage, startedAt, heapLimitMb: heapMb }
    if (opened.retries) report.counts['transactionsRetriedAfterCutConnection'] = opened.retries()
  } finally {
    await opened.close()
  }
  console.log(`\n${stageTable(report)}`)
  console.log(`\nstages: ${seconds(report.totals.wallMs)} s wall, ${seconds(report.totals.cpuMs)} s CPU (this process); peak RSS ${report.totals.peakRssMb} MB; database ${report.totals.databaseMb ?? '-'} MB`)
  for (const [name, m] of Object.entries(report.phases ?? {})) console.log(`untimed ${name}: peak RSS ${m.peakRssMb} MB, heap ${m.peakHeapMb} MB`)
  console.log(`counts: ${Object.entries(report.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`)
  console.log('\ninvariants:')
  for (const i of report.invariants) console.log(`  ${i.ok ? 'ok  ' : 'FAIL'} ${i.rule}\n       ${i.detail}`)
  if (args.report) {
    writeFileSync(args.report, JSON.stringify(report, null, 2) + '\n')
    console.log(`\nreport written to ${args.report}`)
  }
  if (report.invariants.some((i) => !i.ok)) process.exit(1)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(2)
})

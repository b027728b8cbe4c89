/**
 * `npm run bench:city -- [--children 50000] [--storage pglite|memory|postgres] [--database-url URL]
 * [--month 2027-01] [--seed N] [--no-documents] [--no-floors] [--data-dir DIR] [--report file.json]`
 *
 * Generates the city, runs its month end to end, prints every stage's figures and the month's
 * invariants, writes the JSON report, and exits with 1 if an invariant failed.
 */
import { writeFileSync } from 'node:fs'
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
  --profile STAGE      write a CPU profile of STAGE (e.g. bookings, or charges,drafts) to city-STAGE.cpuprofile`

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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const startedAt = new Date().toISOString()
  const opened = await openCityStorage(args.storage, { databaseUrl: args.databaseUrl, dataDir: args.dataDir, privateSchema: args.schema })
  const city = generateCity({ children: args.children, month: args.month, seed: args.seed })
  console.log(`@ecole city run: ${city.children.length} children in ${city.households.length} households, ${city.schools.length} schools, ${args.month}; storage: ${opened.label}${args.documents ? '' : '; no documents'}`)
  let report: CityReport
  try {
    const r = await runCity({ city, storage: opened.storage, raw: opened.raw, documents: args.documents, floors: args.floors, progress: args.progress, profile: args.profile })
    report = { ...r.report, storage: args.storage, startedAt }
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

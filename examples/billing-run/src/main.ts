/**
 * `npm run demo`: December 2026 and January 2027 of a demo school, end to end.
 *
 * Storage: embedded PostgreSQL (PGlite) in `examples/billing-run/.demo-data/` by default (wiped at
 * each run), a PostgreSQL server with `--database-url postgresql://user@host:5432/db`, or memory
 * with `--memory`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { StoragePorts } from '@ecole/core/ports'
import { runDemo } from './run-demo'
import { writeDemoPdfs } from './write-pdfs'

interface Args { databaseUrl?: string; memory: boolean; dataDir: string }

function parseArgs(argv: readonly string[]): Args {
  const here = dirname(fileURLToPath(import.meta.url))
  const args: Args = { memory: false, dataDir: resolve(here, '..', '.demo-data') }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--memory') args.memory = true
    else if (a === '--database-url') args.databaseUrl = argv[++i]
    else if (a.startsWith('--database-url=')) args.databaseUrl = a.slice('--database-url='.length)
    else if (a === '--data-dir') args.dataDir = resolve(argv[++i]!)
    else if (a === '--help' || a === '-h') {
      console.log('npm run demo [-- --memory | --database-url postgresql://user@host:5432/db | --data-dir DIR]')
      process.exit(0)
    } else throw new Error(`unknown option ${a} (try --help)`)
  }
  return args
}

async function openStorage(args: Args): Promise<{ storage: StoragePorts; label: string }> {
  if (args.memory) {
    const { createMemoryStorage } = await import('@ecole/storage-memory')
    return { storage: createMemoryStorage(), label: 'in memory (@ecole/storage-memory)' }
  }
  const { createPostgresStorage } = await import('@ecole/storage-postgres')
  if (args.databaseUrl) return { storage: await createPostgresStorage({ connectionString: args.databaseUrl }), label: `PostgreSQL at ${args.databaseUrl.replace(/:[^:@/]*@/, ':***@')}` }
  rmSync(args.dataDir, { recursive: true, force: true })
  mkdirSync(args.dataDir, { recursive: true })
  try {
    return { storage: await createPostgresStorage({ pglite: { dataDir: join(args.dataDir, 'pglite') } }), label: `embedded PostgreSQL (PGlite) in ${args.dataDir}/pglite` }
  } catch (e) {
    // embedded PostgreSQL could not start here: say so and run in memory rather than not at all
    const { createMemoryStorage } = await import('@ecole/storage-memory')
    return { storage: createMemoryStorage(), label: `in memory (@ecole/storage-memory), because PGlite could not start: ${(e as Error).message}` }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const started = performance.now()
  console.log('@ecole billing run: a French school, December 2026 and January 2027')
  const { storage, label } = await openStorage(args)
  console.log(`storage: ${label}`)
  try {
    const outDir = args.memory ? undefined : args.dataDir
    const result = await runDemo({
      storage,
      writeFile: (name, content) => {
        if (!outDir) return
        mkdirSync(outDir, { recursive: true })
        writeFileSync(join(outDir, name), content)
        console.log(`   written: ${join(outDir, name)}`)
      },
    })
    const pdfDir = join(args.dataDir, 'pdf')
    rmSync(pdfDir, { recursive: true, force: true })
    const invoices = [...result.decemberInvoices, ...result.januaryInvoices]
    const count = await writeDemoPdfs({ storage, invoices, reminders: result.reminders, walletGuardianIds: result.walletBalances.map((w) => w.guardianId) }, pdfDir)
    console.log(`\n== PDF documents (@ecole/pdf)\n   ${count} documents written to ${pdfDir}`)
  } finally {
    await storage.close()
  }
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})

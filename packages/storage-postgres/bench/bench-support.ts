/**
 * Helpers of the storage benchmarks: where the server is, a timed loop over N concurrent
 * clients, and figures formatting. The server benchmarks run only when `ECOLE_PG_URL` names a
 * PostgreSQL server; the PGlite ones always run.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import pg from 'pg'

/** The server URL, or undefined (then the server benchmarks are skipped, saying why). */
export function benchServerUrl(file: string): string | undefined {
  const url = process.env['ECOLE_PG_URL']
  if (!url) console.log(`[ecole] ${file}: ECOLE_PG_URL is not set, the PostgreSQL server benchmarks are skipped (set it to postgresql://user@host:5432/db); the PGlite ones run`)
  return url
}

/** A fresh site id for one benchmark run (the tables are append-only: each run writes its own site). */
export function benchSiteId(name: string): string {
  return `bench-${name}-${randomUUID().slice(0, 8)}`
}

/** A timed run's outcome. */
export interface Rate {
  /** Operations completed. */
  ops: number
  /** Wall time, seconds. */
  seconds: number
  /** Operations per second. */
  perSecond: number
  /** CPU time spent meanwhile (this process and the server's backends), ms, when measured. */
  cpuMs?: number
}

/**
 * Runs `op` in a loop on `clients` concurrent workers for about `ms` milliseconds (each worker
 * starts its next call only when the previous one resolved) and counts `op`'s returned units.
 */
export async function timed(ms: number, clients: number, op: (client: number, seq: number) => Promise<number>): Promise<Rate> {
  const start = performance.now()
  const end = start + ms
  let ops = 0
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let seq = 0; performance.now() < end; seq++) {
        // Not `ops += await op()`: that reads `ops` before the await and loses the other clients' counts.
        const done = await op(client, seq)
        ops += done
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  return { ops, seconds, perSecond: ops / seconds }
}

/**
 * Measures two workloads alternately, `slices` times `ms / slices` each after a short warm-up of
 * both (pool connections opened), so that both see the same machine load: on a shared machine a
 * baseline measured a few seconds before its comparison is not comparable.
 */
export async function interleaved(
  ms: number,
  slices: number,
  clients: number,
  a: (client: number, seq: number) => Promise<number>,
  b: (client: number, seq: number) => Promise<number>,
  cpu?: CpuMeter,
): Promise<[Rate, Rate]> {
  let seqA = 1_000_000
  let seqB = 1_000_000
  const offsetA = (client: number, seq: number) => a(client, seqA + seq)
  const offsetB = (client: number, seq: number) => b(client, seqB + seq)
  await timed(100, clients, offsetA)
  seqA += 100_000
  await timed(100, clients, offsetB)
  seqB += 100_000
  const total: [Rate, Rate] = [{ ops: 0, seconds: 0, perSecond: 0, cpuMs: 0 }, { ops: 0, seconds: 0, perSecond: 0, cpuMs: 0 }]
  for (let i = 0; i < slices; i++) {
    for (const [k, f] of [[0, offsetA], [1, offsetB]] as const) {
      const before = await cpu?.()
      const r = await timed(ms / slices / 2, clients, f)
      const after = await cpu?.()
      total[k].ops += r.ops
      total[k].seconds += r.seconds
      if (before === undefined || after === undefined) delete total[k].cpuMs
      else if (total[k].cpuMs !== undefined) total[k].cpuMs += after - before
    }
    seqA += 100_000
    seqB += 100_000
  }
  for (const r of total) r.perSecond = r.ops / r.seconds
  return total
}

/** Cumulative CPU time (ms) of the work measured, or undefined when it cannot be read. */
export type CpuMeter = () => Promise<number | undefined>

/**
 * A {@link CpuMeter} of this process and of the server backends connected to the pool's database,
 * read from `/proc` (so only when the server runs on this machine: undefined otherwise). On a
 * machine shared with other work, CPU time per operation says more than a rate: the rate depends
 * on how much of the CPU the scheduler gives each side.
 */
export function processAndServerCpu(pool: pg.Pool): CpuMeter {
  let local: boolean | undefined
  // Last ticks read per backend: a backend that ends (the pool closes idle connections) keeps
  // counting with what it had used, so the sum never goes back.
  const ticksOf = new Map<number, number>()
  return async () => {
    if (local === undefined) {
      const { rows } = await pool.query<{ addr: string | null }>('SELECT host(inet_server_addr()) AS addr')
      const addr = rows[0]?.addr ?? null
      local = (addr === null || addr === '127.0.0.1' || addr === '::1') && existsSync('/proc/self/stat')
    }
    if (!local) return undefined
    const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        ticksOf.set(pid, Number(fields[11]) + Number(fields[12]))
      } catch {
        // a backend that ended meanwhile
      }
    }
    let ticks = 0
    for (const t of ticksOf.values()) ticks += t
    const own = process.cpuUsage()
    // clock ticks are 1/100 s on Linux
    return ticks * 10 + (own.user + own.system) / 1000
  }
}

/** CPU per operation, `123 us CPU/op`, or empty when not measured. */
export function cpuPerOp(rate: Rate): string {
  return rate.cpuMs === undefined || rate.ops === 0 ? '' : ` (${Math.round((rate.cpuMs * 1000) / rate.ops)} us CPU each)`
}

/** The machine's load average over the last minute, with its core count (`load 3.2 on 2 cores`). */
export function machineLoad(): string {
  return `load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`
}

/**
 * Wraps a measurement so that it runs on the first call only: vitest bench calls a task more than
 * once even with `iterations: 1`, and these measurements take seconds and print their figures.
 */
export function firstCallOnly(fn: () => Promise<void>): () => Promise<void> {
  let started = false
  return async () => {
    if (started) return
    started = true
    await fn()
  }
}

/** `12,345/s`. */
export function perSecond(rate: Rate): string {
  return `${Math.round(rate.perSecond).toLocaleString('en-US')}/s`
}

/** Ratio of two rates, two decimals. */
export function ratio(a: Rate, b: Rate): string {
  return (a.perSecond / b.perSecond).toFixed(2)
}

/** The server's durability settings, printed beside the figures. */
export async function durability(pool: pg.Pool): Promise<{ fsync: string; synchronousCommit: string; line: string }> {
  const { rows } = await pool.query<{ fsync: string; sc: string; v: string }>(
    "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, current_setting('server_version') AS v",
  )
  const r = rows[0]!
  const durable = r.fsync === 'on' && r.sc === 'on'
  return {
    fsync: r.fsync,
    synchronousCommit: r.sc,
    line: `PostgreSQL ${r.v}, fsync=${r.fsync}, synchronous_commit=${r.sc}${durable ? '' : ' (NOT durable: the figures are not comparable to the targets)'}`,
  }
}

/**
 * The baseline: plain single-row INSERT transactions (BEGIN; INSERT; COMMIT on a pooled
 * connection, as the adapter runs a transaction) into a scratch table; one row per call.
 */
export function insertBaseline(pool: pg.Pool, table: string): (client: number, seq: number) => Promise<number> {
  return async (client, seq) => {
    const c = await pool.connect()
    try {
      await c.query('BEGIN')
      await c.query(`INSERT INTO ${table} (id, client, amount) VALUES ($1, $2, $3)`, [`${client}-${seq}-${randomUUID()}`, client, 1000 + seq])
      await c.query('COMMIT')
    } finally {
      c.release()
    }
    return 1
  }
}

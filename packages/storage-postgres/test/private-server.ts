/**
 * A private PostgreSQL server for tests that must stop and restart a server (never the shared
 * one): `initdb` in a temporary folder with the PostgreSQL 15 binaries, on a free port, run as
 * the `postgres` user through `runuser` when this process is root (PostgreSQL refuses to run as
 * root). Trust authentication, listening on 127.0.0.1 only, fsync off (nothing here tests
 * durability).
 *
 * @module
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, chownSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where the PostgreSQL 15 server binaries are expected. */
export const PG_BIN = process.env['ECOLE_PG_BIN'] ?? '/usr/lib/postgresql/15/bin'

/** What it takes to control one private server (plain data: it is passed to child processes as JSON). */
export interface PrivateServer {
  /** Data folder (also holds the socket and the log). */
  dataDir: string
  /** TCP port on 127.0.0.1. */
  port: number
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`. */
  url: string
  /** The user the server runs as (`postgres` when this process is root), or undefined to run as this user. */
  runAs: string | undefined
}

/** Why a private server cannot be started here, or undefined when it can. */
export function privateServerUnavailable(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, tool))) return `${join(PG_BIN, tool)} is absent (set ECOLE_PG_BIN to the PostgreSQL server binaries)`
  }
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser') && !existsSync('/usr/bin/runuser')) {
    return 'running as root without runuser to start PostgreSQL as postgres'
  }
  return undefined
}

function run(server: Pick<PrivateServer, 'runAs'>, tool: string, args: string[]): string {
  const command = join(PG_BIN, tool)
  const [file, argv] = server.runAs ? ['runuser', ['-u', server.runAs, '--', command, ...args]] : [command, args]
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Creates a cluster in a new temporary folder and starts it on a free port. */
export async function createPrivateServer(): Promise<PrivateServer> {
  const runAs = process.getuid?.() === 0 ? 'postgres' : undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'ecole-private-pg-'))
  if (runAs) {
    const uid = Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', runAs], { encoding: 'utf8' }).trim())
    chownSync(dataDir, uid, gid)
  }
  const server: PrivateServer = { dataDir, port: await freePort(), url: '', runAs }
  server.url = `postgresql://postgres@127.0.0.1:${server.port}/postgres`
  run(server, 'initdb', ['-D', join(dataDir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'])
  startPrivateServer(server)
  return server
}

/** Starts the (stopped) server and waits until it accepts connections. */
export function startPrivateServer(server: PrivateServer): void {
  const options = `-p ${server.port} -k ${server.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`
  run(server, 'pg_ctl', ['-D', join(server.dataDir, 'data'), '-o', options, '-l', join(server.dataDir, 'log'), '-w', '-t', '60', 'start'])
}

/** Stops the server (fast shutdown: open sessions are terminated) and waits until it is down. */
export function stopPrivateServer(server: PrivateServer): void {
  run(server, 'pg_ctl', ['-D', join(server.dataDir, 'data'), '-m', 'fast', '-w', '-t', '60', 'stop'])
}

/** Stops the server if it runs, and removes its folder. */
export function destroyPrivateServer(server: PrivateServer): void {
  try {
    stopPrivateServer(server)
  } catch {
    // already stopped
  }
  rmSync(server.dataDir, { recursive: true, force: true })
}

/**
 * Makes a streaming-replication replica of a running private server: `pg_basebackup` over
 * loopback into a new temporary folder (`-R` writes `standby.signal` and the connection to the
 * primary), then starts it as a hot standby on a free port. `applyDelayMs` sets
 * `recovery_min_apply_delay`, so the replica visibly lags the primary.
 */
export async function createPrivateReplica(primary: PrivateServer, options: { applyDelayMs?: number } = {}): Promise<PrivateServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecole-private-pg-replica-'))
  if (primary.runAs) {
    const uid = Number(execFileSync('id', ['-u', primary.runAs], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', primary.runAs], { encoding: 'utf8' }).trim())
    chownSync(dataDir, uid, gid)
  }
  const replica: PrivateServer = { dataDir, port: await freePort(), url: '', runAs: primary.runAs }
  replica.url = `postgresql://postgres@127.0.0.1:${replica.port}/postgres`
  run(replica, 'pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', join(dataDir, 'data'), '-R', '-X', 'stream', '--no-sync'])
  const delay = options.applyDelayMs ?? 0
  const extra = `-c hot_standby=on -c recovery_min_apply_delay=${delay}ms`
  const serverOptions = `-p ${replica.port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40 ${extra}`
  run(replica, 'pg_ctl', ['-D', join(dataDir, 'data'), '-o', serverOptions, '-l', join(dataDir, 'log'), '-w', '-t', '60', 'start'])
  return replica
}

/** Why a replica cannot be made here (pg_basebackup absent), or undefined when it can. */
export function replicaUnavailable(): string | undefined {
  return privateServerUnavailable() ?? (existsSync(join(PG_BIN, 'pg_basebackup')) ? undefined : `${join(PG_BIN, 'pg_basebackup')} is absent`)
}

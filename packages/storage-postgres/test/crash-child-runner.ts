/**
 * Runs `crash-child.ts` in a child process and, when asked, kills it with SIGKILL once it has
 * reported a number of commits, noting whether it had a transaction open on the server at that
 * moment (from `pg_stat_activity`, through the child's `application_name`).
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url))
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

/** What one run of the child reported. */
export interface ChildRun {
  /** The payload of every `committed` line, in order. */
  committed: unknown[]
  /** The payload of the `done` line, when it got there. */
  done: unknown
  /** Whether the runner killed it. */
  killed: boolean
  /** Whether the server showed its transaction open when it was killed. */
  killedInTransaction: boolean
  /** Exit code (null when killed). */
  code: number | null
  /** What it wrote on stderr. */
  stderr: string
}

/** `url` with an `application_name` naming this child, to find its backend on the server. */
export function withApplicationName(url: string, name: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}application_name=${encodeURIComponent(name)}`
}

/**
 * Starts the child with `args` (`mode url siteId ...`; the url is given separately and tagged
 * with `appName`), kills it (SIGKILL) right after its `killAfter`-th commit when `killAfter` is
 * given, and resolves when it has exited.
 */
export async function runChild(options: { mode: string; url: string; appName: string; siteId: string; args: string[]; killAfter?: number | undefined }): Promise<ChildRun> {
  const probe = new pg.Client({ connectionString: options.url })
  await probe.connect()
  try {
    const child = spawn(
      process.execPath,
      ['--conditions=@ecole/source', '--import', 'tsx', CHILD, options.mode, withApplicationName(options.url, options.appName), options.siteId, ...options.args],
      { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const run: ChildRun = { committed: [], done: undefined, killed: false, killedInTransaction: false, code: null, stderr: '' }
    let buffer = ''
    let killing = false
    const exited = new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.on('exit', (code) => {
        run.code = code
        resolve()
      })
    })
    const closed = new Promise<void>((resolve) => child.stdout.on('close', resolve))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk))
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk
      let nl: number
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        const space = line.indexOf(' ')
        const kind = line.slice(0, space)
        const payload: unknown = JSON.parse(line.slice(space + 1))
        if (kind === 'committed') run.committed.push(payload)
        else if (kind === 'done') run.done = payload
        if (options.killAfter !== undefined && !killing && run.committed.length >= options.killAfter) {
          killing = true
          // Kill while the server shows the child's transaction open (waiting for its next
          // statement). The child is frozen (SIGSTOP) before each look, so what the server shows
          // is still true when the kill lands: a child seen between two transactions is let go
          // (SIGCONT) and looked at again a moment later, up to 400 times.
          void (async () => {
            for (let probes = 0; probes < 400 && !run.killedInTransaction; probes++) {
              if (!child.kill('SIGSTOP')) break
              const r = await probe
                .query<{ open: boolean }>("SELECT bool_or(state = 'idle in transaction') AS open FROM pg_stat_activity WHERE application_name = $1", [options.appName])
                .catch(() => undefined)
              run.killedInTransaction = r?.rows[0]?.open === true
              if (run.killedInTransaction) break
              child.kill('SIGCONT')
              await new Promise((resolve) => setTimeout(resolve, 1 + (probes % 7)))
            }
            run.killed = child.kill('SIGKILL')
          })()
        }
      }
    })
    await exited
    await closed
    // Wait until the server has noticed the dead connection and rolled its transaction back.
    for (let i = 0; i < 200; i++) {
      const r = await probe.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [options.appName])
      if (r.rows[0]?.n === '0') break
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    return run
  } finally {
    await probe.end()
  }
}

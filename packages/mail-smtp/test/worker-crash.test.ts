import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { deliverOutbox, queueMail, type MailDeliveryRecord } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer } from '../src/index'
import { startTestSmtpServer, type TestSmtpServer } from './smtp-test-server'
import { freshSite } from './storages'

const here = import.meta.dirname
const dataDir = mkdtempSync(join(tmpdir(), 'ecole-crash-'))
const cases: Array<{ name: string; where: string }> = [{ name: 'PGlite (a data folder)', where: `pglite:${dataDir}` }]
if (process.env['ECOLE_PG_URL']) cases.push({ name: 'the PostgreSQL server', where: process.env['ECOLE_PG_URL'] })
else console.log('[ecole] ECOLE_PG_URL is not set: the crash case on a PostgreSQL server is skipped')

let server: TestSmtpServer
const children = new Set<ReturnType<typeof spawn>>()
beforeAll(async () => {
  server = await startTestSmtpServer()
})
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') // a test that timed out
  await server.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

function open(where: string) {
  return where.startsWith('pglite:') ? createPostgresStorage({ pglite: { dataDir: where.slice(7) } }) : createPostgresStorage({ connectionString: where })
}

/** Runs the worker in a child process and SIGKILLs it as soon as it has sent (before it records). */
function runAndKill(where: string, site: string): Promise<{ messageId: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@ecole/source', '--import', 'tsx', join(here, 'crash-worker.ts'), where, site, String(server.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.add(child)
    let out = ''
    let err = ''
    let messageId = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /SENT (\S+)/.exec(out)
      if (m && !messageId) {
        messageId = m[1]!
        child.kill('SIGKILL')
      }
    })
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    child.on('exit', (_code, signal) => (messageId ? resolve({ messageId, signal }) : reject(new Error(`worker ended without sending: ${err}`))))
  })
}

describe.each(cases)('a worker process killed between the send and the record, on $name', ({ where }) => {
  it('is resumed by the next worker: the message is resent with the same Message-ID and recorded once, saying an attempt went unrecorded', async () => {
    const site = freshSite()
    let storage = await open(where)
    await storage.transaction(site, (tx) =>
      queueMail(tx.outbox!, site, { id: 'invoice-42', purpose: 'invoiceAvailable', mail: { from: 'no-reply@ecole.example', to: ['marie@example.fr'], subject: 'Facture 42', text: 'Votre facture est disponible.' } }),
    )
    if (where.startsWith('pglite:')) await storage.close() // one process at a time on a PGlite folder
    const before = server.received.length
    const { messageId, signal } = await runAndKill(where, site)
    expect(signal).toBe('SIGKILL')
    expect(server.received.length).toBe(before + 1)
    if (where.startsWith('pglite:')) storage = await open(where)
    const claimed = await storage.outbox!.get(site, 'invoice-42')
    expect(claimed).toMatchObject({ status: 'pending', attempts: 1 })
    expect(claimed?.record).toBeUndefined()
    // after the dead worker's lease (2 s), a new worker takes the message over
    const mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: server.port, security: 'none', fromAddress: 'no-reply@ecole.example' } })
    try {
      const report = await deliverOutbox({ outbox: storage.outbox!, mailer, clock: { now: () => new Date(Date.now() + 5_000) } }, site, { messageIdDomain: 'ecole.example' })
      expect(report).toEqual({ claimed: 1, delivered: 1, retried: 0, dead: 0 })
    } finally {
      await mailer.close()
    }
    const sent = server.received.slice(before)
    expect(sent).toHaveLength(2)
    const ids = await Promise.all(sent.map(async (r) => (await server.parse(r)).messageId))
    expect(ids).toEqual([messageId, messageId])
    const done = await storage.outbox!.get(site, 'invoice-42')
    const record = done?.record as MailDeliveryRecord
    expect(done?.status).toBe('delivered')
    expect(record.messageId).toBe(messageId)
    expect(Object.keys(record.recipients)).toEqual(['marie@example.fr'])
    expect(record).toMatchObject({ attempts: 1, unrecordedAttempts: 1 })
    await storage.close()
  }, 240_000) // a child process starting tsx and PGlite takes seconds, far more on a loaded machine
})

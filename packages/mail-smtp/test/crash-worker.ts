// A worker process for the crash test: it claims the site's mail, sends it, prints "SENT <Message-ID>"
// and then hangs before recording, so that the test can SIGKILL it between the send and the record.
// Run: node --conditions=@ecole/source --import tsx test/crash-worker.ts <storage> <siteId> <smtpPort>
//   <storage> is a PostgreSQL URL or `pglite:<dataDir>`.
import type { Mailer } from '@ecole/core/ports'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { deliverOutbox } from '@ecole/workflows'
import { createSmtpMailer } from '../src/index'

const [where = '', siteId = '', port = ''] = process.argv.slice(2)
const storage = where.startsWith('pglite:') ? await createPostgresStorage({ pglite: { dataDir: where.slice('pglite:'.length) } }) : await createPostgresStorage({ connectionString: where })
const real = createSmtpMailer({ platform: { host: '127.0.0.1', port: Number(port), security: 'none', fromAddress: 'no-reply@ecole.example' } })
const mailer: Mailer = {
  verify: (...args) => real.verify(...args),
  async send(site, message, settings) {
    const result = await real.send(site, message, settings)
    process.stdout.write(`SENT ${message.messageId ?? ''}\n`)
    return new Promise(() => undefined) // never records: the test kills this process now
  },
}
await deliverOutbox({ outbox: storage.outbox!, mailer, clock: { now: () => new Date() } }, siteId, { messageIdDomain: 'ecole.example', leaseMs: 2_000 })

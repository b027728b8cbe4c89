/**
 * An SMTP server on loopback for the site screen's tests: it accepts one account (user `ecole`,
 * password `bonne-cle`, plain AUTH on loopback), refuses any other with 535, and keeps what it
 * receives. Started before a test file's tests, closed after them.
 */
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll } from 'vitest'

/** The user and password the server accepts. */
export const SMTP_ACCOUNT = { username: 'ecole', password: 'bonne-cle' } as const

export function smtpServerForFile(): { port: number; received: Array<{ to: string[]; data: string }> } {
  const holder = { port: 0, received: [] as Array<{ to: string[]; data: string }> }
  let server: SMTPServer | undefined
  beforeAll(async () => {
    server = new SMTPServer({
      secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === SMTP_ACCOUNT.username && auth.password === SMTP_ACCOUNT.password) cb(null, { user: auth.username })
        else cb(Object.assign(new Error('5.7.8 authentication failed'), { responseCode: 535 }))
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          holder.received.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') })
          cb()
        })
      },
    })
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', () => ok()))
    const address = server.server.address()
    holder.port = typeof address === 'object' && address ? address.port : 0
  })
  afterAll(async () => {
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()))
  })
  return holder
}

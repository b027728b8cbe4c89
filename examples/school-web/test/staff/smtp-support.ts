/**
 * An SMTP server on loopback for a test file, keeping what it receives: by default the site
 * screen's server, which accepts one account (user `ecole`, password `bonne-cle`, plain AUTH on
 * loopback) and refuses any other with 535; with `{ auth: false }` a relay as the host's platform
 * mailer uses it (no authentication). Started before the file's tests, closed after them.
 */
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll } from 'vitest'

/** The user and password the server accepts. */
export const SMTP_ACCOUNT = { username: 'ecole', password: 'bonne-cle' } as const

export function smtpServerForFile(options: { readonly auth?: boolean } = {}): { port: number; received: Array<{ to: string[]; data: string }> } {
  const holder = { port: 0, received: [] as Array<{ to: string[]; data: string }> }
  let server: SMTPServer | undefined
  const auth = options.auth ?? true
  beforeAll(async () => {
    server = new SMTPServer({
      secure: false, logger: false,
      ...(auth ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true } : { disabledCommands: ['STARTTLS', 'AUTH'], authOptional: true }),
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

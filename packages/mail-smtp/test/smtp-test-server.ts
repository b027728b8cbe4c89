// An SMTP server on loopback for the tests (smtp-server in-process): it can refuse
// authentication, the sender or a recipient (452 / 550), drop the connection in the middle of a
// message, or be stopped and started again on the same port. Received messages are kept raw and
// parsed back with postal-mime.
import type { Socket } from 'node:net'
import PostalMime from 'postal-mime'
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server'

export interface Received {
  /** Envelope recipients. */
  rcptTo: string[]
  /** Envelope sender. */
  mailFrom: string
  /** The raw message. */
  raw: Buffer
  /** When it arrived (performance.now()). */
  at: number
  /** The queue id the server answered. */
  queueId: string
}

export interface Behaviour {
  /** Accepted user name and password; any when absent. */
  credentials?: { user: string; pass: string } | undefined
  /** Reply code per recipient address (452 temporary, 550 permanent). */
  refuseRecipients?: Map<string, 452 | 550> | undefined
  /** Reply code for every sender. */
  refuseSender?: 550 | undefined
  /** Drop the connection in the middle of the next N messages. */
  dropMidData?: number | undefined
  /** The reply to the end of DATA instead of 250 (451 temporary, 554 permanent); the message is not kept. */
  dataReply?: { code: number; text: string } | undefined
  /** Messages whose DATA was answered with `dataReply`. */
  dataRefused?: number | undefined
}

export interface TestSmtpServer {
  port: number
  received: Received[]
  behaviour: Behaviour
  start(): Promise<void>
  stop(): Promise<void>
  parse(r: Received): ReturnType<typeof PostalMime.parse>
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code })
}

/** TLS of the test server: implicit TLS (port 465 style) or STARTTLS offered, with this key and certificate. */
export interface TestTls {
  key: string
  cert: string
  implicit: boolean
}

export async function startTestSmtpServer(behaviour: Behaviour = {}, port = 0, tls?: TestTls): Promise<TestSmtpServer> {
  const received: Received[] = []
  let server: SMTPServer | undefined
  let sockets = new Set<Socket>()
  let queue = 0
  const self: TestSmtpServer = {
    port,
    received,
    behaviour,
    async start() {
      sockets = new Set()
      const s = new SMTPServer({
        secure: tls?.implicit ?? false,
        disabledCommands: tls ? [] : ['STARTTLS'],
        ...(tls ? { key: tls.key, cert: tls.cert } : {}),
        authOptional: true,
        allowInsecureAuth: true,
        logger: false,
        size: 25 * 1024 * 1024,
        onAuth(auth, _session, cb) {
          const c = self.behaviour.credentials
          if (c && (auth.username !== c.user || auth.password !== c.pass)) return cb(smtpError(535, '5.7.8 Authentication credentials invalid'))
          cb(null, { user: auth.username })
        },
        onMailFrom(_address: SMTPServerAddress, _session: SMTPServerSession, cb) {
          if (self.behaviour.refuseSender) return cb(smtpError(self.behaviour.refuseSender, '5.7.1 Sender address rejected: not owned by user'))
          cb()
        },
        onRcptTo(address: SMTPServerAddress, _session: SMTPServerSession, cb) {
          const code = self.behaviour.refuseRecipients?.get(address.address)
          if (code === 452) return cb(smtpError(452, '4.2.2 Mailbox full, try again later'))
          if (code === 550) return cb(smtpError(550, '5.1.1 No such user here'))
          cb()
        },
        onData(stream, session, cb) {
          const chunks: Buffer[] = []
          let dropped = false
          stream.on('data', (c: Buffer) => {
            chunks.push(c)
            if (!dropped && (self.behaviour.dropMidData ?? 0) > 0) {
              dropped = true
              self.behaviour.dropMidData = (self.behaviour.dropMidData ?? 0) - 1
              for (const sock of sockets) if (sock.remotePort === session.remotePort) sock.destroy()
            }
          })
          stream.on('end', () => {
            if (dropped) return
            const reply = self.behaviour.dataReply
            if (reply) {
              self.behaviour.dataRefused = (self.behaviour.dataRefused ?? 0) + 1
              return cb(smtpError(reply.code, reply.text))
            }
            const queueId = `Q${++queue}`
            received.push({
              rcptTo: session.envelope.rcptTo.map((a) => a.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              raw: Buffer.concat(chunks),
              at: performance.now(),
              queueId,
            })
            cb(null, `Ok: queued as ${queueId}`)
          })
        },
      })
      s.server.on(tls?.implicit ? 'secureConnection' : 'connection', (sock: Socket) => {
        sockets.add(sock)
        sock.on('close', () => sockets.delete(sock))
      })
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject)
        s.listen(self.port, '127.0.0.1', () => resolve())
      })
      s.on('error', () => undefined)
      const address = s.server.address()
      if (address && typeof address === 'object') self.port = address.port
      server = s
    },
    async stop() {
      const s = server
      server = undefined
      if (!s) return
      for (const sock of sockets) sock.destroy()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    parse(r: Received) {
      return PostalMime.parse(r.raw)
    },
  }
  await self.start()
  return self
}

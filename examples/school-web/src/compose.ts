/**
 * The composition root: the ONE file where the host wires the library's adapters into its
 * workflows (storage, clock, ids, mail, PDF) and reads its configuration. Everything else in the
 * host receives the {@link AppContext} built here; nothing else reads `process.env` or opens a
 * connection.
 *
 * - storage: `@ecole/storage-postgres` over embedded PGlite in a data folder by default, or a
 *   PostgreSQL server with `DATABASE_URL`;
 * - mail: `@ecole/mail-smtp` fed by the outbox worker of `@ecole/workflows`; in development, and
 *   only when `DEV_MAILBOX=1` says so, the SMTP server is an in-process one on loopback whose
 *   messages show on `/dev/mailbox` to requests from the host itself (refused with an https
 *   `PUBLIC_URL`: a public host never shows its mail, reset codes included, on a page);
 * - PDF: `@ecole/pdf`;
 * - clock: the real one, or a demo clock that starts at `DEMO_NOW` and runs from there.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes, randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { EcoleError, type SmtpSettings } from '@ecole/core'
import type { Clock, IdSource, PdfRenderer, StoragePorts } from '@ecole/core/ports'
import { createSmtpMailer, type SmtpMailer } from '@ecole/mail-smtp'
import { createPdfRenderer, type PdfRequest } from '@ecole/pdf'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { createSecretBox, smtpSettingsForSending, startOutboxWorker, type OutboxWorker, type SecretBox } from '@ecole/workflows'
import PostalMime from 'postal-mime'
import { SMTPServer } from 'smtp-server'
import { SessionStore, type SessionTimeouts } from './security/sessions'
import type { BodyLimits } from './security/body-limit'
import { SlowDown, type SlowDownOptions } from './security/rate-limit'
import { SITE, type ServiceBookingSettings } from './site-settings'
import { BATCH_JOB_TIMING, type BatchJobTiming } from './staff/staff-money'

/** The host's configuration (from the environment by {@link configFromEnv}, or given by a test). */
export interface WebConfig {
  /** Port to listen on (`PORT`, 3000). */
  port: number
  /** The address people reach the host at (`PUBLIC_URL`, `http://localhost:<port>`). */
  publicUrl: string
  /** Served over HTTPS (the public URL starts with https): cookies get `Secure` and the `__Host-` prefix, HSTS is sent. */
  https: boolean
  /** The site this host serves (one tenant per host in the example; the storage is multi-tenant). */
  siteId: string
  /** Where PGlite keeps its data (`DATA_DIR`, `examples/school-web/data`); unused with `databaseUrl`. */
  dataDir: string
  /** A PostgreSQL server (`DATABASE_URL`), instead of PGlite. */
  databaseUrl?: string | undefined
  /** Keep PGlite in memory (tests). */
  inMemory?: boolean | undefined
  /**
   * Start the in-process SMTP server and the `/dev/mailbox` page (`DEV_MAILBOX=1`; off unless
   * turned on). The page shows every mail, password reset codes included, so it is served only to
   * requests from a loopback address, and a host served over HTTPS refuses to start with it.
   */
  devMailbox: boolean
  /** An SMTP relay for real mail (`SMTP_HOST`, `SMTP_PORT`), used when `devMailbox` is off. */
  smtp?: { host: string; port: number } | undefined
  /** The demo clock's starting instant (`DEMO_NOW`); the real clock when absent. */
  demoNow?: string | undefined
  /** Session timeouts. */
  sessions?: Partial<SessionTimeouts> | undefined
  /** Login and token rate limits. */
  slowDown?: Partial<SlowDownOptions> | undefined
  /**
   * The largest request bodies read, in bytes (`DEFAULT_BODY_LIMITS` for what is absent; from
   * `MAX_FORM_BYTES`, `MAX_DOCUMENT_BYTES`, `MAX_IMAGE_BYTES`, `MAX_BANK_FILE_BYTES`): a larger one is refused with 413.
   */
  bodyLimits?: Partial<BodyLimits> | undefined
  /** How the host waits (tests record the delays instead of sleeping). */
  sleep?: ((ms: number) => Promise<void>) | undefined
  /** The services' booking settings (cut-offs, prices, capacity); the demo site's when absent. */
  bookingServices?: readonly ServiceBookingSettings[] | undefined
  /** Run the outbox worker (on by default). */
  outboxWorker?: boolean | undefined
  /** How invoice batch jobs are written and when a silent one is interrupted (`BATCH_JOB_TIMING` when absent). */
  batchJobs?: Partial<BatchJobTiming> | undefined
  /**
   * The key that seals the site's SMTP passwords (`SECRET_KEY`: 32 bytes, base64). When absent,
   * a key is made once and kept in `<dataDir>/secret.key` (a host over an in-memory or given
   * storage makes one per process).
   */
  secretKey?: string | undefined
}

/** One message received by the development SMTP server. */
export interface MailboxMessage {
  id: number
  receivedAt: Date
  to: string[]
  subject: string
  text: string
}

/** The development mailbox: an SMTP server on loopback and what it received. */
export interface DevMailbox {
  readonly port: number
  readonly messages: readonly MailboxMessage[]
  close(): Promise<void>
}

/** Everything the routes use. */
export interface AppContext {
  config: WebConfig
  storage: StoragePorts
  clock: Clock
  ids: IdSource
  mailer: SmtpMailer
  /** Seals and opens the site's SMTP passwords (the back office's site screen). */
  secrets: SecretBox
  pdf: PdfRenderer<PdfRequest>
  sessions: SessionStore
  slowDown: SlowDown
  sleep: (ms: number) => Promise<void>
  mailbox?: DevMailbox | undefined
  outbox?: OutboxWorker | undefined
  /** Writes a line to the host's log (never shown to visitors). */
  log: (line: string, detail?: unknown) => void
  /** How invoice batch jobs are written and when a silent one is interrupted. */
  batchJobs: BatchJobTiming
  /** Delivers queued mail now (instead of waiting for the next poll). */
  flushMail(): Promise<void>
  close(): Promise<void>
}

/**
 * The configuration from environment variables.
 *
 * @example
 * configFromEnv({ PORT: '3000', DEV_MAILBOX: '1' }).devMailbox //=> true
 * configFromEnv({ NODE_ENV: 'development' }).devMailbox //=> false (off unless turned on)
 * configFromEnv({ DEV_MAILBOX: '1', PUBLIC_URL: 'https://portail.example' }) // throws EcoleError INVALID_INPUT naming DEV_MAILBOX
 * @throws EcoleError `INVALID_INPUT` naming `DEV_MAILBOX` when it is neither on (`1`, `true`) nor off (`0`, `false`, empty), or on with an https `PUBLIC_URL`.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const port = Number(env.PORT ?? 3000)
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`
  const config: WebConfig = {
    port,
    publicUrl,
    https: publicUrl.startsWith('https:'),
    siteId: SITE.id,
    dataDir: resolve(env.DATA_DIR ?? resolve(import.meta.dirname, '..', 'data')),
    databaseUrl: env.DATABASE_URL || undefined,
    devMailbox: devMailboxFromEnv(env.DEV_MAILBOX),
    smtp: env.SMTP_HOST ? { host: env.SMTP_HOST, port: Number(env.SMTP_PORT ?? 25) } : undefined,
    demoNow: env.DEMO_NOW ?? SITE.demoNow,
    secretKey: env.SECRET_KEY || undefined,
    bodyLimits: bodyLimitsFromEnv(env),
  }
  assertDevMailboxAllowed(config)
  return config
}

/** `DEV_MAILBOX`: on only when set to `1` or `true` (absent, empty, `0` or `false`: off); anything else is refused, naming it. */
function devMailboxFromEnv(value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase()
  if (v === '' || v === '0' || v === 'false') return false
  if (v === '1' || v === 'true') return true
  throw EcoleError.invalidInput('DEV_MAILBOX', `must be 1 (on) or 0 (off), not "${value}"`)
}

/**
 * Refuses the development mailbox on a host served over HTTPS: such a host is reachable from
 * outside (usually behind a proxy, where every request seems to come from loopback), and the
 * mailbox page shows every mail, password reset codes included.
 *
 * @example
 * assertDevMailboxAllowed({ ...config, https: true, devMailbox: true }) // throws EcoleError INVALID_INPUT naming DEV_MAILBOX
 * @throws EcoleError `INVALID_INPUT` naming `DEV_MAILBOX`.
 */
export function assertDevMailboxAllowed(config: Pick<WebConfig, 'devMailbox' | 'https' | 'publicUrl'>): void {
  if (config.devMailbox && config.https) {
    throw EcoleError.invalidInput('DEV_MAILBOX', `must be off when the host is served over HTTPS (PUBLIC_URL ${config.publicUrl}): the development mailbox shows every mail, password reset codes included`)
  }
}

/** The body limits set in the environment (a positive whole number of bytes each; others are ignored). */
function bodyLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<BodyLimits> {
  const names: Record<keyof BodyLimits, string> = { formBytes: 'MAX_FORM_BYTES', documentBytes: 'MAX_DOCUMENT_BYTES', imageBytes: 'MAX_IMAGE_BYTES', bankFileBytes: 'MAX_BANK_FILE_BYTES' }
  const limits: Partial<BodyLimits> = {}
  for (const [key, name] of Object.entries(names) as Array<[keyof BodyLimits, string]>) {
    const value = Number(env[name])
    if (Number.isSafeInteger(value) && value > 0) limits[key] = value
  }
  return limits
}

/** The host's sealing key: the configured one, or one kept in the data folder, or (in memory) one per process. */
function secretKeyOf(config: WebConfig, storageGiven: boolean): string {
  if (config.secretKey) return config.secretKey
  if (storageGiven || config.inMemory) return randomBytes(32).toString('base64')
  const file = resolve(config.dataDir, 'secret.key')
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true })
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  }
  return readFileSync(file, 'utf8').trim()
}

/** Starts an SMTP server on loopback that keeps what it receives (development only). */
export async function startDevMailbox(): Promise<DevMailbox> {
  const messages: MailboxMessage[] = []
  const server = new SMTPServer({
    secure: false, authOptional: true, disabledCommands: ['STARTTLS'], logger: false, size: 10 * 1024 * 1024,
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        PostalMime.parse(Buffer.concat(chunks))
          .then((m) => {
            messages.unshift({ id: messages.length + 1, receivedAt: new Date(), to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? '', text: m.text ?? '' })
            if (messages.length > 200) messages.pop()
            cb(null, 'Ok')
          })
          .catch((e: Error) => cb(e))
      })
    },
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { port, messages, close: () => new Promise<void>((ok) => server.close(() => ok())) }
}

/** A clock that starts at `start` and runs with real time from there. */
export function runningClock(start: string | undefined): Clock {
  if (!start) return { now: () => new Date() }
  const offset = new Date(start).getTime() - Date.now()
  return { now: () => new Date(Date.now() + offset) }
}

/**
 * The SMTP account a site's mail goes through (seed 000: « les notifications par e-mail seront
 * envoyées directement depuis votre adresse personnalisée »), its sealed password opened at
 * delivery; `undefined` (the platform's server) for a site without one, or not stored.
 */
async function siteSmtp(storage: StoragePorts, secrets: SecretBox, siteId: string): Promise<SmtpSettings | undefined> {
  const directory = storage.directory
  if (!directory || !(await directory.getSite(siteId))?.smtp) return undefined
  return smtpSettingsForSending({ directory, secrets }, siteId)
}

/**
 * Builds the context: opens the storage, starts the mailbox (when `devMailbox` is on) and the outbox worker.
 *
 * @throws EcoleError `INVALID_INPUT` naming `DEV_MAILBOX` when the mailbox is on for a host served over HTTPS.
 */
export async function compose(config: WebConfig, overrides: { clock?: Clock; storage?: StoragePorts } = {}): Promise<AppContext> {
  assertDevMailboxAllowed(config)
  const secrets = createSecretBox({ keys: { k1: secretKeyOf(config, overrides.storage !== undefined) }, currentKeyId: 'k1' })
  let storage = overrides.storage
  if (!storage) {
    if (config.databaseUrl) storage = await createPostgresStorage({ connectionString: config.databaseUrl, poolSize: 20 })
    else if (config.inMemory) storage = await createPostgresStorage({ pglite: {} })
    else {
      mkdirSync(config.dataDir, { recursive: true })
      storage = await createPostgresStorage({ pglite: { dataDir: resolve(config.dataDir, 'pglite') } })
    }
  }
  const clock = overrides.clock ?? runningClock(config.demoNow)
  const ids: IdSource = { next: () => randomUUID() }
  const mailbox = config.devMailbox ? await startDevMailbox() : undefined
  const relay = mailbox ? { host: '127.0.0.1', port: mailbox.port } : config.smtp ?? { host: '127.0.0.1', port: 25 }
  const mailer = createSmtpMailer({ platform: { ...relay, security: 'none', fromAddress: SITE.platformFrom } })
  const log = (line: string, detail?: unknown) => console.error(`[school-web] ${line}`, detail ?? '')
  const outbox = config.outboxWorker === false || !storage.outbox
    ? undefined
    : startOutboxWorker({ outbox: storage.outbox, mailer, clock, smtpSettings: (siteId) => siteSmtp(storage!, secrets, siteId) }, { siteIds: [config.siteId], messageIdDomain: SITE.mailDomain, pollMs: 1000, onError: (e) => log('outbox worker', e) })
  const ctx: AppContext = {
    config, storage, clock, ids, mailer, secrets, mailbox, outbox, log,
    batchJobs: { ...BATCH_JOB_TIMING, ...config.batchJobs },
    pdf: createPdfRenderer(),
    sessions: new SessionStore({ timeouts: config.sessions ?? {}, now: () => clock.now().getTime() }),
    slowDown: new SlowDown(config.slowDown ?? {}, () => clock.now().getTime()),
    sleep: config.sleep ?? ((ms) => new Promise((ok) => setTimeout(ok, ms))),
    async flushMail() {
      if (outbox) await outbox.wake()
    },
    async close() {
      await outbox?.stop()
      await mailer.close()
      await mailbox?.close()
      await storage!.close()
    },
  }
  return ctx
}

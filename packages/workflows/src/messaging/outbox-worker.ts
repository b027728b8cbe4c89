import { asInputError, checkOptions, EcoleError, isEcoleError, type OptionKinds, type SmtpSettings } from '@ecole/core'
import type { ClaimedOutboxMessage, Clock, Mailer, OutboxMarkResult, OutboxMessage, OutboxStore } from '@ecole/core/ports'
import { distinctRecipients, MAIL_TOPIC, outboxMessageId, outgoingMail, type MailPayload } from './mail-outbox'
import { asUseCaseError } from '../use-case-error'

/**
 * What happened to one recipient of an outbox mail: `sent` (with the server's reply and queue
 * id), `deferred` (a 4xx reply or the server unreachable: retried), or `refused` (a 5xx reply:
 * given up, with the reply).
 *
 * @example
 * const r: RecipientDelivery = { status: 'sent', at: '2026-10-05T08:00:00.000Z', response: '250 Ok: queued as 7F3A', queueId: '7F3A' }
 */
export type RecipientDelivery =
  | { status: 'sent'; at: string; response?: string | undefined; queueId?: string | undefined }
  | { status: 'deferred'; at: string; response: string; code?: number | undefined }
  | { status: 'refused'; at: string; response: string; code?: number | undefined }

/**
 * The record the worker keeps of an outbox mail (the outbox message's `record`): per recipient,
 * and the claims that ended without a record (a crash between the send and the record: the
 * message may have gone out twice, each time with the same `Message-ID`).
 *
 * @example
 * const rec = (await storage.outbox!.get('s1', 'invoice-42'))?.record as MailDeliveryRecord
 * rec.recipients['marie@example.fr']?.status //=> 'sent'
 */
export interface MailDeliveryRecord {
  /** The `Message-ID` every attempt used. */
  messageId: string
  /** When the first attempt was recorded (ISO instant). */
  firstAttemptAt: string
  /** The claim count when this record was written. */
  lastClaim: number
  /** Attempts recorded. */
  attempts: number
  /** Claims that ended without a record (crash between send and record), so sends that may have been repeated. */
  unrecordedAttempts: number
  /**
   * Per recipient address, as queued (the server's answer, which may spell an address in another
   * case, is matched to it ignoring case; a mailbox reached under one spelling is never sent to
   * again under another).
   */
  recipients: Record<string, RecipientDelivery>
  /** The last failure that concerned the whole message (server down, authentication...). */
  lastFailure?: { stage: string; response: string; code?: number | undefined; at: string } | undefined
}

/**
 * Options of the outbox worker.
 *
 * @example
 * const o: OutboxWorkerOptions = { messageIdDomain: 'ecole.example', concurrency: 5, backoff: { baseMs: 60_000, maxMs: 3_600_000 } }
 */
export interface OutboxWorkerOptions {
  /** The domain of the `Message-ID`s (the platform's mail domain). */
  messageIdDomain: string
  /** Messages claimed at a time (20). */
  batchSize?: number | undefined
  /** How long a claim holds its messages (10 minutes): longer than sending a batch takes. */
  leaseMs?: number | undefined
  /** Messages sent at the same time (5: one per pooled connection). */
  concurrency?: number | undefined
  /** Retry delays: `baseMs * 2^(attempt-1)` capped at `maxMs`, times a random factor in [1 - jitter, 1 + jitter] (1 min, 1 h, 0.2). */
  backoff?: { baseMs?: number | undefined; maxMs?: number | undefined; jitter?: number | undefined } | undefined
  /** Attempts after which a recipient still refused for now (4xx) is given up (8). */
  maxAttempts?: number | undefined
  /** How long a message may wait for an unreachable server before it is given up (3 days). */
  giveUpAfterMs?: number | undefined
  /** A random number in [0, 1) for the jitter (Math.random). */
  random?: (() => number) | undefined
  /** Handlers of other topics than `mail` (a message of a topic without one is given up). */
  handlers?: Readonly<Record<string, (siteId: string, message: OutboxMessage) => Promise<void>>> | undefined
}

/**
 * The ports the outbox worker uses.
 *
 * @example
 * const ports: OutboxWorkerPorts = { outbox: storage.outbox!, mailer, clock: { now: () => new Date() }, smtpSettings: (s) => smtpSettingsForSending(sitePorts, s) }
 */
export interface OutboxWorkerPorts {
  /** The outbox. */
  outbox: OutboxStore
  /** The mailer. */
  mailer: Mailer
  /** The clock. */
  clock: Clock
  /** The site's own SMTP settings (password opened), or `undefined` for the platform's sender. */
  smtpSettings?: ((siteId: string) => Promise<SmtpSettings | undefined>) | undefined
}

/**
 * What one pass of the worker did.
 *
 * @example
 * const r: DeliveryReport = await deliverOutbox(ports, 's1', options) //=> { claimed: 3, delivered: 2, retried: 1, dead: 0 }
 */
export interface DeliveryReport {
  /**
   * Messages claimed. A claim that ended in none of the three others was taken over: its lease
   * passed before the send (nothing sent), or another worker claimed the message meanwhile and its
   * outcome stands (this worker's was dropped).
   */
  claimed: number
  /** Messages delivered to every recipient. */
  delivered: number
  /** Messages to retry later. */
  retried: number
  /** Messages given up (dead letters). */
  dead: number
}

const QUEUE_ID = /queued as ([A-Za-z0-9._-]+)/i
const PERMANENT_CODES = new Set(['INVALID_HEADER', 'INVALID_INPUT', 'INSECURE_SMTP'])

function backoffMs(attempt: number, o: OutboxWorkerOptions, random: () => number): number {
  const base = o.backoff?.baseMs ?? 60_000
  const max = o.backoff?.maxMs ?? 3_600_000
  const jitter = o.backoff?.jitter ?? 0.2
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return Math.max(0, Math.round(raw * (1 - jitter + 2 * jitter * random())))
}

function isMailRecord(r: unknown): r is MailDeliveryRecord {
  return typeof r === 'object' && r !== null && 'recipients' in r && 'messageId' in r
}

/** `stale`: this worker's claim no longer holds (its lease passed before the send, also while the mailer waited to send, or another claim took the message over): nothing sent or recorded. */
type Outcome = 'delivered' | 'retried' | 'dead' | 'stale'

/** The stages at which the server was not reached or refused the account: waited for up to `giveUpAfterMs`. A reply to the sender, a recipient or the message (`sender`, `recipient`, `send`) counts against `maxAttempts`. */
const TRANSPORT_STAGES = new Set(['dns', 'connect', 'tls', 'authenticate'])

/** Ends the claim `m` with a fenced outcome: `stale` when another claim took the message over meanwhile (the outcome is dropped). */
async function settle(outcome: Exclude<Outcome, 'stale'>, marked: Promise<OutboxMarkResult>): Promise<Outcome> {
  return (await marked) === 'stale' ? 'stale' : outcome
}


/**
 * What the record says of `to`: its own entry, unless the mailbox was reached under another
 * spelling (`Marie.Dupont@Example.fr` sent as `marie.dupont@example.fr`): then it was sent.
 */
function deliveryOf(recipients: Record<string, RecipientDelivery>, to: string): RecipientDelivery | undefined {
  const own = recipients[to]
  if (own?.status === 'sent') return own
  const key = to.toLowerCase()
  for (const [address, d] of Object.entries(recipients)) if (d.status === 'sent' && address.toLowerCase() === key) return d
  return own
}

async function deliverOne(ports: OutboxWorkerPorts, siteId: string, m: ClaimedOutboxMessage, o: OutboxWorkerOptions, random: () => number): Promise<Outcome> {
  const now = ports.clock.now()
  const at = now.toISOString()
  const payload = m.payload as MailPayload
  const previous = isMailRecord(m.record) ? m.record : undefined
  const messageId = outboxMessageId(siteId, m.id, o.messageIdDomain)
  // a record with a later claim than this one: a person retried the dead letter (attempts back to 0)
  const newLife = previous !== undefined && m.attempts <= previous.lastClaim
  const record: MailDeliveryRecord = {
    messageId,
    firstAttemptAt: previous && !newLife ? previous.firstAttemptAt : at,
    lastClaim: m.attempts,
    attempts: previous && !newLife ? previous.attempts + 1 : 1,
    unrecordedAttempts: (previous?.unrecordedAttempts ?? 0) + Math.max(0, m.attempts - 1 - (previous && !newLife ? previous.lastClaim : 0)),
    recipients: { ...(previous?.recipients ?? {}) },
  }
  // recipients already sent are never sent again (under any spelling); those refused for good
  // only after a person's retry; a mailbox named twice (a mail queued before recipients were kept
  // once each) is sent to once
  const pending = distinctRecipients(payload.to).filter((to) => {
    const s = deliveryOf(record.recipients, to)?.status
    return s !== 'sent' && (newLife || s !== 'refused')
  })
  let transportFailure = false
  if (pending.length > 0) {
    // aborted when the lease ends: the mailer then no longer hands the message over (ABORTED)
    const leaseEnd = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      const settings = ports.smtpSettings ? await ports.smtpSettings(siteId) : undefined
      // a claim whose lease has passed (the batch waited its turn, or on the site's settings) is
      // another worker's to take: sending now could send the message twice at once
      const leaseLeftMs = m.availableAt.getTime() - ports.clock.now().getTime()
      if (leaseLeftMs <= 0) return 'stale'
      // the same holds inside the mailer, which may wait (the site's rate limit) before it sends
      // (a lease longer than a timer can hold, some 24 days, is left without one)
      if (leaseLeftMs <= 2_147_483_647) timer = setTimeout(() => leaseEnd.abort(new Error('the claim’s lease has passed')), leaseLeftMs)
      const result = await ports.mailer.send(siteId, outgoingMail(payload, messageId, pending), settings, { signal: leaseEnd.signal })
      // the server's answer names addresses as they went on the wire (the SMTP library lower-cases
      // the domain): match them back case-insensitively (pending holds one spelling per mailbox)
      const byLower = new Map(pending.map((p) => [p.toLowerCase(), p]))
      const answered = new Set<string>()
      for (const address of result.accepted) {
        const to = byLower.get(address.toLowerCase()) ?? address
        answered.add(to)
        record.recipients[to] = { status: 'sent', at, response: result.response, queueId: result.response?.match(QUEUE_ID)?.[1] }
      }
      for (const r of result.refused) {
        const to = byLower.get(r.address.toLowerCase()) ?? r.address
        answered.add(to)
        record.recipients[to] = r.permanent ? { status: 'refused', at, response: r.response, code: r.code } : { status: 'deferred', at, response: r.response, code: r.code }
      }
      // a recipient the server neither accepted nor refused (it should not happen) is retried
      for (const address of pending) if (!answered.has(address)) record.recipients[address] = { status: 'deferred', at, response: 'no answer for this recipient' }
    } catch (e) {
      // the lease passed while the mailer waited: nothing sent, the message is another claim's
      if (isEcoleError(e, 'ABORTED') && leaseEnd.signal.aborted) return 'stale'
      // a message the mailer refuses as such (a header with a line break...) will never go: dead;
      // anything else (the server, the site's settings, their sealed password) may be fixed: retried
      const d = (isEcoleError(e) ? e.details : {}) as { stage?: string; code?: number; response?: string; permanent?: boolean }
      const code = isEcoleError(e) ? e.code : 'ERROR'
      const permanent = code === 'MAIL_NOT_SENT' ? d.permanent === true : PERMANENT_CODES.has(code)
      const response = d.response ?? (e instanceof Error ? e.message : String(e))
      record.lastFailure = { stage: d.stage ?? code, response, code: d.code, at }
      for (const address of pending) record.recipients[address] = permanent ? { status: 'refused', at, response, code: d.code } : { status: 'deferred', at, response, code: d.code }
      // the server unreachable or refusing the account (or the site's settings not usable yet) is
      // waited for; a 4xx reply to the sender, a recipient or the message is an attempt like any other
      transportFailure = !permanent && !(code === 'MAIL_NOT_SENT' && d.stage !== undefined && !TRANSPORT_STAGES.has(d.stage))
    } finally {
      clearTimeout(timer)
    }
  }
  const statuses = distinctRecipients(payload.to).map((to) => deliveryOf(record.recipients, to)!)
  const deferred = statuses.filter((s) => s.status === 'deferred')
  const refused = statuses.filter((s) => s.status === 'refused')
  if (deferred.length > 0) {
    const waited = now.getTime() - Date.parse(record.firstAttemptAt)
    const giveUp = transportFailure ? waited >= (o.giveUpAfterMs ?? 3 * 24 * 3_600_000) : record.attempts >= (o.maxAttempts ?? 8)
    const error = `${deferred.length} of ${statuses.length} recipient(s) not reached yet: ${deferred[0]!.response}`
    if (!giveUp) {
      return settle('retried', ports.outbox.markFailed(siteId, m.id, { error, retryAt: new Date(now.getTime() + backoffMs(record.attempts, o, random)), record }, m))
    }
    return settle('dead', ports.outbox.markFailed(siteId, m.id, { error: `given up after ${record.attempts} attempt(s): ${error}`, record }, m))
  }
  if (refused.length > 0) {
    return settle('dead', ports.outbox.markFailed(siteId, m.id, { error: `${refused.length} of ${statuses.length} recipient(s) refused: ${refused[0]!.response}`, record }, m))
  }
  return settle('delivered', ports.outbox.markDelivered(siteId, m.id, record, m))
}

async function handle(ports: OutboxWorkerPorts, siteId: string, m: ClaimedOutboxMessage, o: OutboxWorkerOptions, random: () => number): Promise<Outcome> {
  if (m.topic === MAIL_TOPIC) return deliverOne(ports, siteId, m, o, random)
  const handler = o.handlers?.[m.topic]
  if (!handler) {
    return settle('dead', ports.outbox.markFailed(siteId, m.id, { error: `no handler for topic ${JSON.stringify(m.topic)}` }, m))
  }
  if (ports.clock.now().getTime() >= m.availableAt.getTime()) return 'stale'
  try {
    await handler(siteId, m)
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e)
    return settle('retried', ports.outbox.markFailed(siteId, m.id, { error, retryAt: new Date(ports.clock.now().getTime() + backoffMs(m.attempts, o, random)) }, m))
  }
  return settle('delivered', ports.outbox.markDelivered(siteId, m.id, undefined, m))
}

/**
 * One pass of the outbox worker over a site: claims the due messages (in enqueue order, a batch
 * at a time, `SKIP LOCKED` on PostgreSQL so several workers share the work), sends each mail with
 * a `Message-ID` derived from its outbox id, and records the outcome per recipient:
 * - accepted: `sent`, with the server's reply and queue id;
 * - refused for now (4xx) or the server unreachable: retried with exponential backoff and jitter,
 *   only to the recipients not yet reached (addresses compared ignoring case: one mailbox is sent
 *   one message, whatever the spellings it was queued or answered under); given up after `maxAttempts` (4xx) or `giveUpAfterMs`
 *   (server unreachable: nothing is lost while it is down);
 * - refused for good (5xx): the message becomes a dead letter with the reply (a person may retry
 *   it, which resends only to the recipients not reached, or discard it).
 *
 * A crash between a send and its record leaves the claim to expire; the next claim resends to
 * the recipients not recorded, with the same `Message-ID`, and the record counts the
 * `unrecordedAttempts`. Each outcome is fenced by its claim (its `claimId`, which no other claim
 * of the message has, even after a person's retry put the count of attempts back to 0): a worker
 * whose lease has passed sends nothing, and its late outcome never overwrites the outcome of the
 * worker that claimed the message after it (the store answers `stale`). Returns when no message is
 * due (or after `maxMessages`), or after a batch in which a claim ended `stale` (the next pass,
 * or another worker, takes the message up).
 *
 * The lease is checked before the send and holds inside the mailer: the worker gives
 * `mailer.send` a signal that aborts when the lease ends, and a mailer still waiting then (the
 * SMTP mailer's per-site `rateLimit` queues sends, and a slow limit or a long queue can outlast a
 * lease) sends nothing and throws `ABORTED`: the claim ends `stale`, not counted as a failed
 * attempt, and the worker that claims the message next sends it. What the signal cannot stop is a
 * send already under way: the connection, TLS and login of a new pooled connection (bounded by the
 * mailer's `timeouts`) and the SMTP exchange itself. Keep `leaseMs` well above those timeouts, and
 * `concurrency` at most the pool's `maxConnections` (5 and 5 by default) for each mailer, so that no
 * send waits in the pool for a connection once it has left the rate limit. A send that outlasts the
 * lease all the same may go out twice, with the same `Message-ID`, and only the later claim's
 * outcome is recorded.
 *
 * @example
 * const report = await deliverOutbox({ outbox: storage.outbox!, mailer, clock }, 's1', { messageIdDomain: 'ecole.example' })
 * report //=> { claimed: 12, delivered: 11, retried: 1, dead: 0 }
 */
export async function deliverOutbox(ports: OutboxWorkerPorts, siteId: string, options: DeliverOutboxOptions): Promise<DeliveryReport> {
  try {
    checkWorkerOptions('deliverOutbox', options, DELIVER_KINDS)
    const report: DeliveryReport = { claimed: 0, delivered: 0, retried: 0, dead: 0 }
    const random = options.random ?? Math.random
    const batchSize = options.batchSize ?? 20
    const concurrency = Math.max(1, options.concurrency ?? 5)
    const leaseMs = options.leaseMs ?? 600_000
    const max = options.maxMessages ?? Infinity
    while (report.claimed < max) {
      const batch = await ports.outbox.claim(siteId, { now: ports.clock.now(), limit: Math.min(batchSize, max - report.claimed), leaseMs })
      if (batch.length === 0) break
      report.claimed += batch.length
      let next = 0
      let stale = false
      const lane = async () => {
        while (next < batch.length) {
          const m = batch[next++]!
          const outcome = await handle(ports, siteId, m, options, random)
          if (outcome === 'stale') stale = true
          else report[outcome]++
        }
      }
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, lane))
      // a lease passed before a send (or another worker took a message over): claiming again at
      // once would take back the message whose lease just passed, only to wait as long again
      if (stale) break
    }
    return report
  } catch (error) {
    throw asUseCaseError(error, 'deliverOutbox', { ports: [ports, 'object', 'the worker’s ports ({ outbox, mailer, clock })'], siteId: [siteId, 'string'], options: [options, 'object', 'the worker’s options'] })
  }
}

/**
 * A running outbox worker (see {@link startOutboxWorker}).
 *
 * @example
 * const worker: OutboxWorker = startOutboxWorker(ports, { siteIds: ['s1'], messageIdDomain: 'ecole.example' })
 * await worker.stop()
 */
export interface OutboxWorker {
  /**
   * Stops after the pass under way; resolves when it has ended.
   *
   * @example
   * await worker.stop()
   */
  stop(): Promise<void>
  /**
   * Runs a pass now instead of waiting for the next poll; resolves with its report.
   *
   * @example
   * await worker.wake() //=> [{ siteId: 's1', claimed: 1, delivered: 1, retried: 0, dead: 0 }]
   */
  wake(): Promise<Array<DeliveryReport & { siteId: string }>>
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const hasFunctions = (x: unknown, names: readonly string[]): boolean => isObject(x) && names.every((n) => typeof x[n] === 'function')

/** The worker's wiring, checked before its first pass and timer: `INVALID_INPUT` naming what is not what the worker needs. */
/**
 * The options of one {@link deliverOutbox} pass: the worker's, and at most how many messages it sends.
 *
 * @example
 * const options: DeliverOutboxOptions = { messageIdDomain: 'ecole.example', maxMessages: 100 }
 */
export interface DeliverOutboxOptions extends OutboxWorkerOptions {
  /** Stop after this many messages (all that are due when absent). */
  maxMessages?: number | undefined
}

/**
 * The options of {@link startOutboxWorker}: the worker's, the sites it serves, how often it polls
 * and where a failed pass is reported.
 *
 * @example
 * const options: StartOutboxWorkerOptions = { siteIds: ['s1'], messageIdDomain: 'ecole.example', pollMs: 1000, onError: console.error }
 */
export interface StartOutboxWorkerOptions extends OutboxWorkerOptions {
  /** The sites whose outboxes it delivers. */
  siteIds: readonly string[]
  /** The time between two passes, in milliseconds (1,000 by default). */
  pollMs?: number | undefined
  /** Called with the error of a pass that failed (the next poll retries). */
  onError?: ((error: unknown) => void) | undefined
}

const WORKER_KINDS: OptionKinds<OutboxWorkerOptions> = {
  messageIdDomain: 'any', batchSize: 'integer?', leaseMs: 'number?', concurrency: 'integer?', backoff: 'object?', maxAttempts: 'integer?', giveUpAfterMs: 'number?', random: 'function?', handlers: 'object?',
}
const DELIVER_KINDS: OptionKinds<DeliverOutboxOptions> = { ...WORKER_KINDS, maxMessages: 'number?' }
const START_KINDS: OptionKinds<StartOutboxWorkerOptions> = { ...WORKER_KINDS, siteIds: 'any', pollMs: 'any', onError: 'any' }
const BACKOFF_KINDS: OptionKinds<NonNullable<OutboxWorkerOptions['backoff']>> = { baseMs: 'number?', maxMs: 'number?', jitter: 'number?' }

/** Checks the worker's options key by key, and its `backoff`'s (`INVALID_INPUT` naming `options.<key>` and the nearest known key). */
function checkWorkerOptions<T extends OutboxWorkerOptions>(fn: string, options: unknown, kinds: OptionKinds<T>): void {
  const o = checkOptions<T>(fn, 'options', options, kinds)
  if (o.backoff !== undefined) checkOptions(fn, 'options.backoff', o.backoff, BACKOFF_KINDS)
}

function checkWorkerWiring(ports: unknown, options: unknown): void {
  if (!isObject(ports)) throw EcoleError.invalidInput('ports', 'must be the worker’s ports ({ outbox, mailer, clock })')
  if (!hasFunctions(ports['outbox'], ['claim', 'markDelivered', 'markFailed'])) throw EcoleError.invalidInput('ports.outbox', 'must be an outbox port (claim, markDelivered, markFailed)')
  if (!hasFunctions(ports['mailer'], ['send'])) throw EcoleError.invalidInput('ports.mailer', 'must be a mailer (send)')
  if (!hasFunctions(ports['clock'], ['now'])) throw EcoleError.invalidInput('ports.clock', 'must be a clock (now)')
  if (ports['smtpSettings'] !== undefined && typeof ports['smtpSettings'] !== 'function') throw EcoleError.invalidInput('ports.smtpSettings', 'must be a function or undefined')
  if (!isObject(options)) throw EcoleError.invalidInput('options', 'must be the worker’s options ({ siteIds, messageIdDomain })')
  const siteIds = options['siteIds']
  if (!Array.isArray(siteIds) || !siteIds.every((id) => typeof id === 'string')) throw EcoleError.invalidInput('siteIds', 'must be an array of site ids')
  if (typeof options['messageIdDomain'] !== 'string') throw EcoleError.invalidInput('messageIdDomain', 'must be a string (the domain of the Message-IDs)')
  const pollMs = options['pollMs']
  if (pollMs !== undefined && (typeof pollMs !== 'number' || !Number.isFinite(pollMs) || pollMs < 0)) throw EcoleError.invalidInput('pollMs', 'must be a non-negative number of milliseconds')
  if (options['onError'] !== undefined && typeof options['onError'] !== 'function') throw EcoleError.invalidInput('onError', 'must be a function or undefined')
}

/**
 * Runs {@link deliverOutbox} for each site every `pollMs` (1 s) until stopped: the long-running
 * worker of a host. A pass that throws (the database away) is retried at the next poll; the
 * outbox keeps everything meanwhile, and a worker started again after a crash resumes where the
 * claims left off.
 *
 * @example
 * const worker = startOutboxWorker({ outbox: storage.outbox!, mailer, clock }, { siteIds: ['s1'], messageIdDomain: 'ecole.example', onError: console.error })
 * @throws EcoleError `INVALID_INPUT` without sites, or with ports or options that are not the worker's (checked before it starts).
 */
export function startOutboxWorker(
  ports: OutboxWorkerPorts,
  options: StartOutboxWorkerOptions,
): OutboxWorker {
  try {
    if (typeof options === 'object' && options !== null) checkWorkerOptions('startOutboxWorker', options, START_KINDS)
    checkWorkerWiring(ports, options)
    const { siteIds: _s, pollMs: _p, onError: _e, ...deliver } = options
    if (options.siteIds.length === 0) throw new EcoleError('INVALID_INPUT', 'siteIds: the worker needs at least one site', { details: { field: 'siteIds' } })
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let running: Promise<Array<DeliveryReport & { siteId: string }>> | undefined
    const pass = async () => {
      const reports: Array<DeliveryReport & { siteId: string }> = []
      for (const siteId of options.siteIds) {
        try {
          reports.push({ siteId, ...(await deliverOutbox(ports, siteId, deliver)) })
        } catch (e) {
          options.onError?.(e)
        }
      }
      return reports
    }
    const run = (): Promise<Array<DeliveryReport & { siteId: string }>> => {
      if (running) return running.then(run)
      clearTimeout(timer)
      const current = pass().finally(() => {
        running = undefined
        if (!stopped) timer = setTimeout(() => void run(), options.pollMs ?? 1000)
      })
      running = current
      return current
    }
    void run()
    return {
      async stop() {
        stopped = true
        clearTimeout(timer)
        if (running) await running
      },
      wake: run,
    }
  } catch (error) {
    throw asInputError(error, 'startOutboxWorker', { ports: [ports, 'object', 'the worker’s ports ({ outbox, mailer, clock })'], options: [options, 'object', 'the worker’s options'] })
  }
}

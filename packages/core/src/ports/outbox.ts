/**
 * The transactional outbox: messages (mail to send, events to publish) written in the same
 * transaction as the change that caused them, and delivered afterwards by a relay.
 *
 * @module
 */
import { EcoleError } from '../errors'
import type { Page, PageRequest } from './storage'

/**
 * Where an outbox message is in its life: waiting (or retrying), delivered, given up (`dead`,
 * shown to a person who may retry it), or `discarded` by that person.
 *
 * @example
 * const dead = await storage.outbox!.list('site-1', { status: 'dead' satisfies OutboxStatus })
 */
export type OutboxStatus = 'pending' | 'delivered' | 'dead' | 'discarded'

/**
 * A message to put in the outbox. `payload` must be plain JSON.
 *
 * @example
 * const input: OutboxMessageInput = { id: 'mail-42', topic: 'mail.invoice', payload: { invoiceId: 'inv-42' } }
 */
export interface OutboxMessageInput {
  /** Client-chosen id, unique per site: enqueuing the same id twice stores it once. */
  id: string
  /** What the message is about, e.g. `mail.invoice` or `invoice.validated`. */
  topic: string
  /** The message body, plain JSON (no bigint, no Date, no undefined inside arrays). */
  payload: unknown
  /** Not to be delivered before this instant; immediately when absent. */
  availableAt?: Date | undefined
}

/**
 * A stored outbox message.
 *
 * @example
 * const msg: OutboxMessage | undefined = await storage.outbox!.get('site-1', 'mail-42')
 */
export interface OutboxMessage {
  /** The client-chosen id. */
  id: string
  /** What the message is about. */
  topic: string
  /** The message body. */
  payload: unknown
  /** Where the message is in its life. */
  status: OutboxStatus
  /** Delivery attempts so far (claims); back to 0 when a person retries a dead message. */
  attempts: number
  /**
   * The identity of the claim under way: written by each {@link OutboxStore.claim} (never the
   * same for two claims of any message, also across a person's retry), removed when
   * `markDelivered` or `markFailed` ends the claim. Absent while no claim is under way.
   */
  claimId?: string | undefined
  /** Not to be claimed before this instant (also the end of the current claim's lease). */
  availableAt: Date
  /** Position in the site's outbox: increases with each enqueue, delivery follows it. */
  sequence: number
  /** The error of the last failed attempt. */
  lastError?: string | undefined
  /**
   * The relay's record of the delivery (plain JSON: per recipient, sent or refused, with the
   * server's reply), as last written by `markDelivered` or `markFailed`.
   */
  record?: unknown
}

/**
 * A message as {@link OutboxStore.claim} returned it: with the identity of that claim, which
 * `markDelivered` and `markFailed` take back (pass the claimed message itself as their `claim`).
 *
 * @example
 * const [msg]: ClaimedOutboxMessage[] = await storage.outbox!.claim('site-1', { now, limit: 1, leaseMs: 60_000 })
 * msg.claimId //=> '0b6f1c9e-...' (a new one for each claim)
 */
export interface ClaimedOutboxMessage extends OutboxMessage {
  /** The identity of this claim (see {@link OutboxMessage.claimId}). */
  claimId: string
}

/**
 * Options of {@link OutboxStore.claim}.
 *
 * @example
 * const options: OutboxClaimOptions = { now: clock.now(), limit: 10, leaseMs: 60_000 }
 */
export interface OutboxClaimOptions {
  /** The current instant (stores have no clock). */
  now: Date
  /** At most this many messages. */
  limit: number
  /** How long the claim holds the messages; after it they can be claimed again. */
  leaseMs: number
}

/**
 * What {@link OutboxStore.enqueue} did: stored the message, or found the same one already.
 *
 * @example
 * const r: OutboxEnqueueResult = await tx.outbox!.enqueue('site-1', message) // 'created' or 'exists'
 */
export type OutboxEnqueueResult = 'created' | 'exists'

/**
 * The claim an outcome belongs to, as {@link OutboxStore.claim} returned it (pass the claimed
 * message itself): its `claimId`, which no other claim of the message ever has (a count of
 * attempts would not do: a person's retry puts it back to 0, so the first claim after the retry
 * had the same count as the claim before it), and its `attempts`.
 *
 * *Changed in 0.2:* the claim was named by `attempts` alone; `claimId` is required (a claim
 * without it is refused with `INVALID_INPUT`).
 *
 * @example
 * const [msg] = await storage.outbox!.claim('site-1', { now, limit: 1, leaseMs: 60_000 })
 * const claim: OutboxClaim = msg // { claimId: '0b6f1c9e-...', attempts: 1, ... }
 */
export interface OutboxClaim {
  /** The claimed message's `claimId`: the identity of the claim. */
  claimId: string
  /**
   * The claimed message's `attempts`. Checked too, so that a claim by a worker of an older release
   * (which counts the attempt but writes no `claimId`) also ends this one.
   */
  attempts: number
}

/**
 * Checks the `claim` given to {@link OutboxStore.markDelivered} or {@link OutboxStore.markFailed}:
 * absent (an unfenced outcome), or a claim naming itself (a string `claimId`, a whole `attempts`).
 * Adapters call it before reading: a claim of before the claim ids (`{ attempts }` alone) cannot be
 * fenced, and would otherwise be dropped as `stale` without a word.
 *
 * @example
 * assertOutboxClaim(claimedMessage) // fine
 * assertOutboxClaim({ attempts: 1 } as OutboxClaim) // throws INVALID_INPUT naming claim.claimId
 * @throws EcoleError `INVALID_INPUT` naming `claim`, `claim.claimId` or `claim.attempts`.
 */
export function assertOutboxClaim(claim: OutboxClaim | undefined): void {
  if (claim === undefined) return
  if (typeof claim !== 'object' || claim === null) throw EcoleError.invalidInput('claim', 'must be the claimed message, as claim returned it')
  if (typeof claim.claimId !== 'string' || claim.claimId === '') throw EcoleError.invalidInput('claim.claimId', 'is required: pass the claimed message, as claim returned it')
  if (!Number.isInteger(claim.attempts)) throw EcoleError.invalidInput('claim.attempts', 'must be the claimed message’s attempts')
}

/**
 * What {@link OutboxStore.markDelivered} or {@link OutboxStore.markFailed} did with an outcome:
 * recorded it (`marked`), or dropped it (`stale`) because the claim it belongs to no longer holds
 * (another worker claimed the message after this claim's lease expired, or already ended it).
 *
 * @example
 * const r: OutboxMarkResult = await storage.outbox!.markDelivered('site-1', 'm1', record, msg) // 'marked' or 'stale'
 */
export type OutboxMarkResult = 'marked' | 'stale'

/**
 * Outbox storage.
 *
 * Contract:
 * - `enqueue` inside a transaction commits or rolls back with it (a rolled-back change sends
 *   nothing); the same id and body again returns `exists`; the same id with another topic or
 *   payload throws `EcoleError` `IDEMPOTENCY_CONFLICT`;
 * - `claim` returns pending messages whose `availableAt` is not after `now`, in `sequence` order,
 *   and hides them from other claims for `leaseMs` (concurrent relays never get the same message
 *   within a lease); each claim counts one attempt;
 * - `markDelivered` and `markFailed` end a claim; a message marked failed without `retryAt`
 *   becomes `dead`; both keep the relay's `record` when given (it replaces the previous one);
 * - each claim gives each message it returns a new `claimId`, an identity no other claim of any
 *   message ever gets (random or from a sequence; never derived from `attempts`);
 * - given the claim (`claim`: the claimed message), they are fenced: they change the message only
 *   while that claim still holds — the message `pending` with the same `claimId` and the same
 *   `attempts` — and otherwise change nothing and return `stale` (a worker whose lease expired
 *   never overwrites the outcome of the worker that claimed the message after it, even after a
 *   person's retry put `attempts` back to 0); either way they end the claim (`claimId` removed:
 *   a second outcome of the same claim is `stale`); a `claim` without a string `claimId` throws
 *   `EcoleError` `INVALID_INPUT`; without `claim` they change the message whatever its state, as
 *   before (an unfenced outcome: avoid it in a relay);
 * - `requeue` gives a `dead` message another life (pending from `now`, attempts back to 0), and
 *   `discard` ends it (`discarded`, never claimed); both throw `EcoleError` `OUTBOX_NOT_DEAD` for
 *   a message in another state, and `NOT_FOUND` for an unknown id.
 *
 * @example
 * await tx.outbox!.enqueue(siteId, { id: 'mail-42', topic: 'mail.invoice', payload: { invoiceId: 'inv-42' } })
 * const [msg] = await storage.outbox!.claim(siteId, { now: clock.now(), limit: 10, leaseMs: 60_000 })
 * await storage.outbox!.markDelivered(siteId, msg.id, undefined, msg) //=> 'marked'
 */
export interface OutboxStore {
  /**
   * Stores a message (idempotent by id).
   *
   * @example
   * await tx.outbox!.enqueue('site-1', { id: 'm1', topic: 'mail.invoice', payload: { invoiceId: 'i1' } }) //=> 'created'
   */
  enqueue(siteId: string, message: OutboxMessageInput): Promise<OutboxEnqueueResult>
  /**
   * Stores many messages at once (a group message to every family), in the given order, with the
   * same rules as {@link OutboxStore.enqueue} for each; all or none: one conflict
   * (`IDEMPOTENCY_CONFLICT`, also for one id twice with different bodies) stores nothing.
   *
   * @example
   * await tx.outbox!.enqueueMany('site-1', [{ id: 'm1', topic: 'mail', payload: a }, { id: 'm2', topic: 'mail', payload: b }]) //=> ['created', 'created']
   */
  enqueueMany(siteId: string, messages: readonly OutboxMessageInput[]): Promise<OutboxEnqueueResult[]>
  /**
   * Claims up to `limit` deliverable messages for `leaseMs`.
   *
   * @example
   * await storage.outbox!.claim('site-1', { now, limit: 10, leaseMs: 60_000 }) //=> [{ id: 'm1', attempts: 1, claimId: '0b6f1c9e-...', ... }]
   */
  claim(siteId: string, options: OutboxClaimOptions): Promise<ClaimedOutboxMessage[]>
  /**
   * Marks a claimed message delivered; it is never claimed again. Given the `claim`, only while
   * that claim still holds (pending, same `claimId` and `attempts`): otherwise nothing changes and
   * it returns `stale`.
   *
   * @example
   * await storage.outbox!.markDelivered('site-1', 'm1', record, msg) //=> 'marked' ('stale' when another claim took msg over)
   * @throws EcoleError `NOT_FOUND` for an unknown id; `INVALID_INPUT` for a `claim` without a `claimId`.
   */
  markDelivered(siteId: string, id: string, record?: unknown, claim?: OutboxClaim): Promise<OutboxMarkResult>
  /**
   * Records a failed attempt: retried from `retryAt`, or `dead` when no `retryAt` is given. Given
   * the `claim`, only while that claim still holds (pending, same `claimId` and `attempts`):
   * otherwise nothing changes and it returns `stale`.
   *
   * @example
   * await storage.outbox!.markFailed('site-1', 'm1', { error: 'SMTP 451', retryAt: new Date(now.getTime() + 60_000) }, msg) //=> 'marked'
   * @throws EcoleError `NOT_FOUND` for an unknown id; `INVALID_INPUT` for a `claim` without a `claimId`.
   */
  markFailed(siteId: string, id: string, failure: { error: string; retryAt?: Date | undefined; record?: unknown }, claim?: OutboxClaim): Promise<OutboxMarkResult>
  /**
   * Gives a dead message another life: pending from `now`, attempts back to 0 (a person's "retry").
   * A claim from before (a worker that hung past its lease) stays stale: the next claim has a new
   * `claimId`.
   *
   * @example
   * await storage.outbox!.requeue('site-1', 'm1', { now: clock.now() })
   */
  requeue(siteId: string, id: string, options: { now: Date }): Promise<void>
  /**
   * Ends a dead message: `discarded`, never claimed again (a person's "discard").
   *
   * @example
   * await storage.outbox!.discard('site-1', 'm1')
   */
  discard(siteId: string, id: string): Promise<void>
  /**
   * One message, or `undefined`.
   *
   * @example
   * await storage.outbox!.get('site-1', 'm1') //=> { id: 'm1', status: 'delivered', ... }
   */
  get(siteId: string, id: string): Promise<OutboxMessage | undefined>
  /**
   * Messages in `sequence` order, optionally of one status, a page at a time.
   *
   * @example
   * await storage.outbox!.list('site-1', { status: 'dead' }, { limit: 50 })
   */
  list(siteId: string, filter: { status?: OutboxStatus | undefined }, page?: PageRequest): Promise<Page<OutboxMessage>>
}

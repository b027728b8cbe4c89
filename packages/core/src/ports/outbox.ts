/**
 * The transactional outbox: messages (mail to send, events to publish) written in the same
 * transaction as the change that caused them, and delivered afterwards by a relay.
 *
 * @module
 */
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
  /** Delivery attempts so far (claims). */
  attempts: number
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
 * - `requeue` gives a `dead` message another life (pending from `now`, attempts back to 0), and
 *   `discard` ends it (`discarded`, never claimed); both throw `EcoleError` `OUTBOX_NOT_DEAD` for
 *   a message in another state, and `NOT_FOUND` for an unknown id.
 *
 * @example
 * await tx.outbox!.enqueue(siteId, { id: 'mail-42', topic: 'mail.invoice', payload: { invoiceId: 'inv-42' } })
 * const [msg] = await storage.outbox!.claim(siteId, { now: clock.now(), limit: 10, leaseMs: 60_000 })
 * await storage.outbox!.markDelivered(siteId, msg.id)
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
   * await storage.outbox!.claim('site-1', { now, limit: 10, leaseMs: 60_000 }) //=> [{ id: 'm1', attempts: 1, ... }]
   */
  claim(siteId: string, options: OutboxClaimOptions): Promise<OutboxMessage[]>
  /**
   * Marks a claimed message delivered; it is never claimed again.
   *
   * @example
   * await storage.outbox!.markDelivered('site-1', 'm1')
   */
  markDelivered(siteId: string, id: string, record?: unknown): Promise<void>
  /**
   * Records a failed attempt: retried from `retryAt`, or `dead` when no `retryAt` is given.
   *
   * @example
   * await storage.outbox!.markFailed('site-1', 'm1', { error: 'SMTP 451', retryAt: new Date(now.getTime() + 60_000) })
   */
  markFailed(siteId: string, id: string, failure: { error: string; retryAt?: Date | undefined; record?: unknown }): Promise<void>
  /**
   * Gives a dead message another life: pending from `now`, attempts back to 0 (a person's "retry").
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

import { checkOptions, type OptionKinds } from '@ecole/core'
import type { OutboxStore, Page, PageRequest } from '@ecole/core/ports'
import type { MailPayload } from './mail-outbox'
import type { MailDeliveryRecord } from './outbox-worker'
import { asUseCaseError } from '../use-case-error'

/**
 * A dead letter as the back office lists it: what the message was, to whom, and why it was given
 * up, per recipient.
 *
 * @example
 * const d: DeadLetter = { id: 'invoice-42', topic: 'mail', purpose: 'invoiceAvailable', subject: 'Facture', to: ['x@example.fr'], reason: '1 of 1 recipient(s) refused: 550 5.1.1 no such user', attempts: 1, refused: [{ address: 'x@example.fr', response: '550 5.1.1 no such user', code: 550 }] }
 */
export interface DeadLetter {
  /** Outbox id. */
  id: string
  /** Outbox topic. */
  topic: string
  /** Why the mail existed. */
  purpose?: string | undefined
  /** Subject of the mail. */
  subject?: string | undefined
  /** Its recipients. */
  to: string[]
  /** Why it was given up (the last error). */
  reason: string
  /** Attempts of its last life. */
  attempts: number
  /** Recipients not reached, with the server's reply. */
  refused: Array<{ address: string; response: string; code?: number | undefined }>
}

const PAGE_KINDS: OptionKinds<PageRequest> = { limit: 'integer?', after: 'string?' }

/**
 * The dead letters of a site, oldest first, a page at a time (the back-office view): each with its
 * reason and the recipients not reached.
 *
 * @example
 * const page = await listDeadLetters(storage.outbox!, 's1', { limit: 50 })
 * page.items[0]?.reason //=> '1 of 3 recipient(s) refused: 550 5.1.1 No such user here'
 */
export async function listDeadLetters(outbox: OutboxStore, siteId: string, page?: PageRequest): Promise<Page<DeadLetter>> {
  try {
    if (page !== undefined) checkOptions<PageRequest>('listDeadLetters', 'page', page, PAGE_KINDS)
    const result = await outbox.list(siteId, { status: 'dead' }, page)
    return {
      ...result,
      items: result.items.map((m) => {
        const p = (m.topic === 'mail' ? m.payload : undefined) as MailPayload | undefined
        const rec = m.record as MailDeliveryRecord | undefined
        const refused = Object.entries(rec?.recipients ?? {})
          .filter(([, r]) => r.status !== 'sent')
          .map(([address, r]) => ({ address, response: r.response ?? '', code: 'code' in r ? r.code : undefined }))
        return { id: m.id, topic: m.topic, purpose: p?.purpose, subject: p?.subject, to: p?.to ?? [], reason: m.lastError ?? '', attempts: m.attempts, refused }
      }),
    }
  } catch (error) {
    throw asUseCaseError(error, 'listDeadLetters', { outbox: [outbox, 'object', 'the outbox port'], siteId: [siteId, 'string'], page: [page, 'object?', 'a page request'] })
  }
}

/**
 * A person's "retry" of a dead letter: pending again from `now`; the worker resends only to the
 * recipients not reached (the record keeps those already sent), with the same `Message-ID`.
 *
 * @example
 * await retryDeadLetter(storage.outbox!, 's1', 'invoice-42', clock.now())
 * @throws EcoleError `OUTBOX_NOT_DEAD`, `NOT_FOUND`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function retryDeadLetter(outbox: OutboxStore, siteId: string, id: string, now: Date): Promise<void> {
  try {
    return await outbox.requeue(siteId, id, { now })
  } catch (error) {
    throw asUseCaseError(error, 'retryDeadLetter', { outbox: [outbox, 'object', 'the outbox port'], siteId: [siteId, 'string'], id: [id, 'string'], now: [now, 'instant'] })
  }
}

/**
 * A person's "discard" of a dead letter: it stays in the outbox, `discarded`, never sent.
 *
 * @example
 * await discardDeadLetter(storage.outbox!, 's1', 'invoice-42')
 * @throws EcoleError `OUTBOX_NOT_DEAD`, `NOT_FOUND`, `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function discardDeadLetter(outbox: OutboxStore, siteId: string, id: string): Promise<void> {
  try {
    return await outbox.discard(siteId, id)
  } catch (error) {
    throw asUseCaseError(error, 'discardDeadLetter', { outbox: [outbox, 'object', 'the outbox port'], siteId: [siteId, 'string'], id: [id, 'string'] })
  }
}

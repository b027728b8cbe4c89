import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { EcoleError } from '@ecole/core'
import { assertOutboxClaim } from '@ecole/core/ports'
import type { ClaimedOutboxMessage, OutboxClaim, OutboxClaimOptions, OutboxEnqueueResult, OutboxMarkResult, OutboxMessage, OutboxMessageInput, OutboxStatus, OutboxStore, Page, PageRequest } from '@ecole/core/ports'
import { paginateTable, type Access } from './access'
import { copy, type TxView } from './site-state'

const OUTBOX = 'outbox'
const SEQUENCES = 'sequences'

/** A fixed-width key so that sequence order is string order. @internal */
export function sequenceKey(sequence: number): string {
  return sequence.toString().padStart(16, '0')
}

function withRecord(m: OutboxMessage, record: unknown): OutboxMessage {
  return record === undefined ? m : { ...m, record: JSON.parse(JSON.stringify(record)) as unknown }
}

function deadOnly(siteId: string, m: OutboxMessage): OutboxMessage {
  if (m.status !== 'dead') {
    throw new EcoleError('OUTBOX_NOT_DEAD', `outbox message ${m.id} of site ${siteId} is ${m.status}, not dead`, { details: { id: m.id, status: m.status } })
  }
  return m
}

/** Stores one message in the open view (idempotent by id). */
function enqueueOne(v: TxView, message: OutboxMessageInput): OutboxEnqueueResult {
  const existing = v.read<OutboxMessage>(OUTBOX).get(message.id)
  const payload: unknown = JSON.parse(JSON.stringify(message.payload ?? null))
  if (existing) {
    if (existing.topic === message.topic && isDeepStrictEqual(existing.payload, payload)) return 'exists'
    throw new EcoleError('IDEMPOTENCY_CONFLICT', `outbox message ${message.id} already exists with another topic or payload`, {
      details: { id: message.id },
    })
  }
  const sequences = v.write<number>(SEQUENCES)
  const sequence = (sequences.get(OUTBOX) ?? 0) + 1
  sequences.set(OUTBOX, sequence)
  v.write<OutboxMessage>(OUTBOX).set(message.id, {
    id: message.id,
    topic: message.topic,
    payload,
    status: 'pending',
    attempts: 0,
    availableAt: new Date(message.availableAt ?? 0),
    sequence,
  })
  return 'created'
}

/** The in-memory {@link OutboxStore}. @internal */
export class MemoryOutboxStore implements OutboxStore {
  constructor(private readonly access: Access) {}

  enqueue(siteId: string, message: OutboxMessageInput): Promise<OutboxEnqueueResult> {
    return this.access(siteId, (v) => enqueueOne(v, message))
  }

  enqueueMany(siteId: string, messages: readonly OutboxMessageInput[]): Promise<OutboxEnqueueResult[]> {
    return this.access(siteId, (v) => {
      // check every message before writing any: one conflict stores nothing
      const seen = new Map<string, { topic: string; payload: unknown }>()
      for (const m of messages) {
        const payload: unknown = JSON.parse(JSON.stringify(m.payload ?? null))
        const other = seen.get(m.id) ?? v.read<OutboxMessage>(OUTBOX).get(m.id)
        if (other && (other.topic !== m.topic || !isDeepStrictEqual(other.payload, payload))) {
          throw new EcoleError('IDEMPOTENCY_CONFLICT', `outbox message ${m.id} already exists with another topic or payload`, { details: { id: m.id } })
        }
        seen.set(m.id, { topic: m.topic, payload })
      }
      return messages.map((m) => enqueueOne(v, m))
    })
  }

  claim(siteId: string, options: OutboxClaimOptions): Promise<ClaimedOutboxMessage[]> {
    return this.access(siteId, (v) => {
      const now = options.now.getTime()
      const due = [...v.read<OutboxMessage>(OUTBOX).values()]
        .filter((m) => m.status === 'pending' && m.availableAt.getTime() <= now)
        .sort((a, b) => a.sequence - b.sequence)
        .slice(0, Math.max(0, options.limit))
      const table = v.write<OutboxMessage>(OUTBOX)
      return due.map((m) => {
        const claimed: ClaimedOutboxMessage = { ...m, attempts: m.attempts + 1, availableAt: new Date(now + options.leaseMs), claimId: randomUUID() }
        table.set(m.id, claimed)
        return copy(claimed)
      })
    })
  }

  markDelivered(siteId: string, id: string, record?: unknown, claim?: OutboxClaim): Promise<OutboxMarkResult> {
    return this.mark(siteId, id, claim, (m) => withRecord({ ...m, status: 'delivered' }, record))
  }

  markFailed(siteId: string, id: string, failure: { error: string; retryAt?: Date | undefined; record?: unknown }, claim?: OutboxClaim): Promise<OutboxMarkResult> {
    return this.mark(siteId, id, claim, (m) =>
      withRecord(
        failure.retryAt
          ? { ...m, status: 'pending', lastError: failure.error, availableAt: new Date(failure.retryAt) }
          : { ...m, status: 'dead', lastError: failure.error },
        failure.record,
      ),
    )
  }

  /** Ends a claim: changes the message only while `claim` (when given) still holds — pending, same claim id and attempts — else `stale`; the claim id goes. */
  private mark(siteId: string, id: string, claim: OutboxClaim | undefined, change: (m: OutboxMessage) => OutboxMessage): Promise<OutboxMarkResult> {
    return this.access(siteId, (v): OutboxMarkResult => {
      assertOutboxClaim(claim)
      const m = v.read<OutboxMessage>(OUTBOX).get(id)
      if (!m) throw new EcoleError('NOT_FOUND', `outbox message ${id} does not exist in site ${siteId}`, { details: { id } })
      if (claim !== undefined && (m.status !== 'pending' || m.claimId !== claim.claimId || m.attempts !== claim.attempts)) return 'stale'
      const { claimId: _ended, ...changed } = change(m)
      v.write<OutboxMessage>(OUTBOX).set(id, changed)
      return 'marked'
    })
  }

  requeue(siteId: string, id: string, options: { now: Date }): Promise<void> {
    return this.update(siteId, id, (m) => ({ ...deadOnly(siteId, m), status: 'pending', attempts: 0, availableAt: new Date(options.now) }))
  }

  discard(siteId: string, id: string): Promise<void> {
    return this.update(siteId, id, (m) => ({ ...deadOnly(siteId, m), status: 'discarded' }))
  }

  get(siteId: string, id: string): Promise<OutboxMessage | undefined> {
    return this.access(siteId, (v) => {
      const m = v.read<OutboxMessage>(OUTBOX).get(id)
      return m === undefined ? undefined : copy(m)
    })
  }

  list(siteId: string, filter: { status?: OutboxStatus | undefined }, page?: PageRequest): Promise<Page<OutboxMessage>> {
    return this.access(siteId, (v) => {
      const result = paginateTable(v.read<OutboxMessage>(OUTBOX), 'sequence', page, (m) => filter.status === undefined || m.status === filter.status, (_, m) => sequenceKey(m.sequence))
      return { ...result, items: result.items.map(copy) }
    })
  }

  private update(siteId: string, id: string, change: (m: OutboxMessage) => OutboxMessage): Promise<void> {
    return this.access(siteId, (v) => {
      const m = v.read<OutboxMessage>(OUTBOX).get(id)
      if (!m) throw new EcoleError('NOT_FOUND', `outbox message ${id} does not exist in site ${siteId}`, { details: { id } })
      v.write<OutboxMessage>(OUTBOX).set(id, change(m))
    })
  }
}

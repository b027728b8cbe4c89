import { EcoleError } from '@ecole/core'
import { assertOutboxClaim } from '@ecole/core/ports'
import type { ClaimedOutboxMessage, OutboxClaim, OutboxClaimOptions, OutboxEnqueueResult, OutboxMarkResult, OutboxMessage, OutboxMessageInput, OutboxStatus, OutboxStore, Page, PageRequest } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'

interface OutboxRow {
  id: string
  topic: string
  payload: unknown
  status: OutboxStatus
  attempts: number
  available_at: Date
  sequence: bigint
  last_error: string | null
  delivery_record: unknown
  claim_id: string | null
}

const COLUMNS = 'id, topic, payload, status, attempts, available_at, sequence, last_error, delivery_record, claim_id'

function toMessage(r: OutboxRow): OutboxMessage {
  const m: OutboxMessage = {
    id: r.id,
    topic: r.topic,
    payload: r.payload,
    status: r.status,
    attempts: Number(r.attempts),
    availableAt: r.available_at,
    sequence: Number(r.sequence),
  }
  if (r.last_error !== null) m.lastError = r.last_error
  if (r.delivery_record !== null && r.delivery_record !== undefined) m.record = r.delivery_record
  if (r.claim_id !== null) m.claimId = r.claim_id
  return m
}

function recordJson(record: unknown): string | null {
  return record === undefined ? null : JSON.stringify(record)
}

/** The PostgreSQL {@link OutboxStore}; claims use `FOR UPDATE SKIP LOCKED`. @internal */
export class PgOutboxStore implements OutboxStore {
  constructor(private readonly access: PgAccess) {}

  enqueue(siteId: string, message: OutboxMessageInput): Promise<OutboxEnqueueResult> {
    return this.access(siteId, async ({ client }) => {
      const payload = JSON.stringify(message.payload ?? null)
      const inserted = await client.query(
        `INSERT INTO ecole_outbox (site_id, id, topic, payload, status, attempts, available_at)
         VALUES ($1, $2, $3, $4::jsonb, 'pending', 0, $5) ON CONFLICT (site_id, id) DO NOTHING RETURNING id`,
        [siteId, message.id, message.topic, payload, message.availableAt ?? new Date(0)],
      )
      if (inserted.length > 0) return 'created'
      const same = await client.query<{ same: boolean }>(
        'SELECT (topic = $3 AND payload = $4::jsonb) AS same FROM ecole_outbox WHERE site_id = $1 AND id = $2',
        [siteId, message.id, message.topic, payload],
      )
      if (same[0]?.same) return 'exists'
      throw new EcoleError('IDEMPOTENCY_CONFLICT', `outbox message ${message.id} already exists with another topic or payload`, {
        details: { id: message.id },
      })
    })
  }

  enqueueMany(siteId: string, messages: readonly OutboxMessageInput[]): Promise<OutboxEnqueueResult[]> {
    if (messages.length === 0) return Promise.resolve([])
    return this.access(siteId, async ({ client }) => {
      const input = JSON.stringify(
        messages.map((m, ord) => ({ ord, id: m.id, topic: m.topic, payload: m.payload ?? null, available_at: (m.availableAt ?? new Date(0)).toISOString() })),
      )
      // one statement inserts the new ids in order (the first copy of an id given twice)
      const rows = await client.query<{ id: string; created: boolean }>(
        `WITH input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS t(ord integer, id text, topic text, payload jsonb, available_at timestamptz)
         ), firsts AS (
           SELECT DISTINCT ON (id) ord, id, topic, COALESCE(payload, 'null'::jsonb) AS payload, available_at FROM input ORDER BY id, ord
         ), ins AS (
           INSERT INTO ecole_outbox (site_id, id, topic, payload, status, attempts, available_at)
           SELECT $1, id, topic, payload, 'pending', 0, available_at FROM firsts ORDER BY ord
           ON CONFLICT (site_id, id) DO NOTHING RETURNING id
         )
         SELECT i.id, (ins.id IS NOT NULL AND f.ord = i.ord) AS created
         FROM input i JOIN firsts f ON f.id = i.id LEFT JOIN ins ON ins.id = i.id
         ORDER BY i.ord`,
        [siteId, input],
      )
      // the others must equal what is stored now (a later statement sees rows committed meanwhile)
      const others = rows.flatMap((r, ord) => (r.created ? [] : [{ id: r.id, topic: messages[ord]!.topic, payload: messages[ord]!.payload ?? null }]))
      if (others.length > 0) {
        const conflicts = await client.query<{ id: string }>(
          `SELECT i.id FROM jsonb_to_recordset($2::jsonb) AS i(id text, topic text, payload jsonb)
           JOIN ecole_outbox o ON o.site_id = $1 AND o.id = i.id
           WHERE NOT (o.topic = i.topic AND o.payload = COALESCE(i.payload, 'null'::jsonb)) LIMIT 1`,
          [siteId, JSON.stringify(others)],
        )
        if (conflicts[0]) {
          // thrown inside this call's transaction: nothing of it is kept
          throw new EcoleError('IDEMPOTENCY_CONFLICT', `outbox message ${conflicts[0].id} already exists with another topic or payload`, { details: { id: conflicts[0].id } })
        }
      }
      return rows.map((r): OutboxEnqueueResult => (r.created ? 'created' : 'exists'))
    })
  }

  claim(siteId: string, options: OutboxClaimOptions): Promise<ClaimedOutboxMessage[]> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<OutboxRow>(
        `WITH due AS (
           SELECT id FROM ecole_outbox
           WHERE site_id = $1 AND status = 'pending' AND available_at <= $2
           ORDER BY sequence LIMIT $3 FOR UPDATE SKIP LOCKED
         )
         UPDATE ecole_outbox o SET attempts = o.attempts + 1, available_at = $4, claim_id = gen_random_uuid()::text
         FROM due WHERE o.site_id = $1 AND o.id = due.id
         RETURNING o.id, o.topic, o.payload, o.status, o.attempts, o.available_at, o.sequence, o.last_error, o.delivery_record, o.claim_id`,
        [siteId, options.now, Math.max(0, options.limit), new Date(options.now.getTime() + options.leaseMs)],
      )
      return rows.map((r) => toMessage(r) as ClaimedOutboxMessage).sort((a, b) => a.sequence - b.sequence)
    })
  }

  markDelivered(siteId: string, id: string, record?: unknown, claim?: OutboxClaim): Promise<OutboxMarkResult> {
    return this.mark(siteId, id, claim, `status = 'delivered', delivery_record = COALESCE($5::jsonb, delivery_record)`, [recordJson(record)])
  }

  markFailed(siteId: string, id: string, failure: { error: string; retryAt?: Date | undefined; record?: unknown }, claim?: OutboxClaim): Promise<OutboxMarkResult> {
    const record = recordJson(failure.record)
    return failure.retryAt
      ? this.mark(siteId, id, claim, `status = 'pending', last_error = $5, available_at = $6, delivery_record = COALESCE($7::jsonb, delivery_record)`, [
          failure.error,
          failure.retryAt,
          record,
        ])
      : this.mark(siteId, id, claim, `status = 'dead', last_error = $5, delivery_record = COALESCE($6::jsonb, delivery_record)`, [failure.error, record])
  }

  /**
   * Ends a claim in one statement: the update applies only while `claim` (when given: its id `$3`
   * and attempts `$4`) still holds — pending, same claim id and attempts; the row lock and READ
   * COMMITTED's re-check of the condition on the latest row make a claim that raced ahead win —
   * else `stale`; `NOT_FOUND` for no row. The claim id goes with the update (the claim ended).
   */
  private mark(siteId: string, id: string, claim: OutboxClaim | undefined, set: string, params: unknown[]): Promise<OutboxMarkResult> {
    return this.access(siteId, async ({ client }) => {
      assertOutboxClaim(claim)
      const rows = await client.query<{ found: boolean; changed: boolean }>(
        `WITH changed AS (
           UPDATE ecole_outbox SET ${set}, claim_id = NULL
           WHERE site_id = $1 AND id = $2 AND ($3::text IS NULL OR (status = 'pending' AND claim_id = $3::text AND attempts = $4::integer))
           RETURNING id
         )
         SELECT EXISTS (SELECT 1 FROM changed) AS changed,
                EXISTS (SELECT 1 FROM ecole_outbox WHERE site_id = $1 AND id = $2) AS found`,
        [siteId, id, claim === undefined ? null : claim.claimId, claim === undefined ? null : claim.attempts, ...params],
      )
      const row = rows[0]
      if (row?.changed) return 'marked'
      if (!row?.found) throw new EcoleError('NOT_FOUND', `outbox message ${id} does not exist in site ${siteId}`, { details: { id } })
      return 'stale'
    })
  }

  requeue(siteId: string, id: string, options: { now: Date }): Promise<void> {
    return this.changeDead(siteId, id, `status = 'pending', attempts = 0, available_at = $3`, [options.now])
  }

  discard(siteId: string, id: string): Promise<void> {
    return this.changeDead(siteId, id, `status = 'discarded'`, [])
  }

  private changeDead(siteId: string, id: string, set: string, params: unknown[]): Promise<void> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<{ status: OutboxStatus; changed: boolean }>(
        `WITH target AS (SELECT status FROM ecole_outbox WHERE site_id = $1 AND id = $2 FOR UPDATE),
              changed AS (UPDATE ecole_outbox SET ${set} WHERE site_id = $1 AND id = $2 AND status = 'dead' RETURNING id)
         SELECT target.status, EXISTS (SELECT 1 FROM changed) AS changed FROM target`,
        [siteId, id, ...params],
      )
      const row = rows[0]
      if (!row) throw new EcoleError('NOT_FOUND', `outbox message ${id} does not exist in site ${siteId}`, { details: { id } })
      if (!row.changed) {
        throw new EcoleError('OUTBOX_NOT_DEAD', `outbox message ${id} of site ${siteId} is ${row.status}, not dead`, { details: { id, status: row.status } })
      }
    })
  }

  get(siteId: string, id: string): Promise<OutboxMessage | undefined> {
    return this.access(siteId, async ({ client }) => {
      const rows = await client.query<OutboxRow>(`SELECT ${COLUMNS} FROM ecole_outbox WHERE site_id = $1 AND id = $2`, [siteId, id])
      return rows[0] ? toMessage(rows[0]) : undefined
    })
  }

  list(siteId: string, filter: { status?: OutboxStatus | undefined }, page?: PageRequest): Promise<Page<OutboxMessage>> {
    // the cursor is a message's sequence number: anything else was a server error (22P02) when cast
    if (page?.after !== undefined && !/^\d{1,18}$/.test(page.after)) throw new EcoleError('INVALID_INPUT', 'page.after: not a cursor returned by this store')
    return this.access(siteId, async ({ client }) => {
      const limit = pageLimit(page)
      const rows = await client.query<OutboxRow>(
        `SELECT ${COLUMNS} FROM ecole_outbox
         WHERE site_id = $1 AND ($2::text IS NULL OR status = $2::text) AND ($3::bigint IS NULL OR sequence > $3::bigint)
         ORDER BY sequence LIMIT $4`,
        [siteId, filter.status ?? null, page?.after ?? null, limit + 1],
      )
      return toPage(rows, limit, toMessage, (r) => r.sequence.toString())
    })
  }
}

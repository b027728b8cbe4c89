import { assertAllocationsFit, depositReplay, EcoleError, isEcoleError, paymentReplay, type CreditNote, type Deposit, type Invoice, type Payment, type PaymentRefusal } from '@ecole/core'
import type { CreatePaymentResult, Page, PageRequest, PaymentFilter, PaymentStore } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import type { SqlClient } from './driver'
import { decodeDocument, encodeDocument, withSavepoint } from './documents'

interface PaymentRow {
  id: string
  deposit_id: string | null
  body: unknown
}

/** The payment as stored: the deposit column is authoritative for `depositId`. */
function toPayment(r: PaymentRow): Payment {
  return { ...decodeDocument<Payment>(r.body), depositId: r.deposit_id }
}

async function loadPayment(c: SqlClient, siteId: string, id: string, lock: boolean): Promise<Payment | undefined> {
  const [row] = await c.query<PaymentRow>(`SELECT id, deposit_id, body FROM ecole_payments WHERE site_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [siteId, id])
  return row ? toPayment(row) : undefined
}

/**
 * The recorded payments allocated to any of `invoiceIds`, whoever paid (index
 * `ecole_payments_by_invoice`, migration 31).
 */
function paymentsOfInvoices(c: SqlClient, siteId: string, invoiceIds: readonly string[]): Promise<PaymentRow[]> {
  return c.query<PaymentRow>(
    `SELECT id, deposit_id, body FROM ecole_payments WHERE site_id = $1 AND ecole_payment_invoice_keys(site_id, body) && $2::text[] AND status = 'recorded'`,
    [siteId, invoiceIds.map((id) => `${siteId}\u001f${id}`)],
  )
}

/**
 * Locks the stored invoices `payment` is allocated to (in id order), reads their credit notes and
 * every recorded payment allocated to them after the lock, and lets core's rule refuse an allocation
 * beyond what an invoice still owes: concurrent payments on one invoice are decided one after
 * the other, on committed data.
 */
/**
 * The part of a payment-writing statement that writes the allocation rows of the payments it
 * inserted (migration 35): one row per allocation of a recorded payment, its amount exact
 * (numeric), from the very body inserted. `source` is the name of the statement's
 * `INSERT ... RETURNING site_id, id, status, body`.
 */
const ALLOCATION_ROWS_OF = (source: string) => `alloc AS (
               INSERT INTO ecole_payment_allocations (site_id, payment_id, position, invoice_id, amount_minor)
               SELECT s.site_id, s.id, (x.ord - 1)::int, x.a->>'invoiceId', coalesce(x.a->'amountMinor'->>'$bigint', x.a->'amountMinor'#>>'{}')::numeric
                 FROM ${source} s CROSS JOIN LATERAL jsonb_array_elements(s.body->'allocations') WITH ORDINALITY AS x(a, ord)
                WHERE s.status = 'recorded'
             )`

async function checkAllocations(c: SqlClient, siteId: string, payment: Payment): Promise<void> {
  const ids = [...new Set(payment.allocations.map((a) => a.invoiceId))].sort()
  const invoiceRows = ids.length === 0 ? [] : await c.query<{ body: unknown }>('SELECT body FROM ecole_invoices WHERE site_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [siteId, ids])
  const invoices = invoiceRows.map((r) => decodeDocument<Invoice>(r.body))
  if (invoices.length === 0) return assertAllocationsFit(payment, [], [], [])
  const held = invoices.map((i) => i.id)
  const noteRows = await c.query<{ body: unknown }>('SELECT body FROM ecole_credit_notes WHERE site_id = $1 AND invoice_id = ANY($2::text[])', [siteId, held])
  const paymentRows = await paymentsOfInvoices(c, siteId, held)
  assertAllocationsFit(payment, invoices, noteRows.map((r) => decodeDocument<CreditNote>(r.body)), paymentRows.map(toPayment))
}

/** The PostgreSQL {@link PaymentStore}. @internal */
export class PgPaymentStore implements PaymentStore {
  constructor(private readonly access: PgAccess) {}

  createPayment(siteId: string, payment: Payment): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const existing = await loadPayment(c, siteId, payment.id, false)
      if (existing) return paymentReplay(existing, payment)
      await checkAllocations(c, siteId, payment)
      let inserted: unknown[]
      try {
        inserted = await withSavepoint(c, () =>
          c.query(
            `WITH ins AS (
               INSERT INTO ecole_payments (site_id, id, payer_id, method, status, deposit_id, end_to_end_id, bank_entry_reference, body)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (site_id, id) DO NOTHING RETURNING site_id, id, status, body
             ), ${ALLOCATION_ROWS_OF('ins')}
             SELECT id FROM ins`,
            [siteId, payment.id, payment.payerId, payment.method, payment.status, payment.depositId, payment.endToEndId, payment.bankEntryReference, encodeDocument(payment)],
          ),
        )
      } catch (error) {
        if (isEcoleError(error) && error.code === 'STORAGE_CONSTRAINT') {
          throw new EcoleError('ID_CONFLICT', `bank entry ${payment.bankEntryReference} already made another payment`, {
            details: { id: payment.id, bankEntryReference: payment.bankEntryReference },
            cause: error,
          })
        }
        throw error
      }
      if (inserted.length > 0) return 'created'
      // saved meanwhile by a concurrent transaction that committed
      const saved = await loadPayment(c, siteId, payment.id, false)
      if (!saved) throw new EcoleError('STORAGE_CONSTRAINT', `payment ${payment.id} could be neither inserted nor read`, { details: { id: payment.id } })
      return paymentReplay(saved, payment)
    })
  }

  createPayments(siteId: string, payments: readonly Payment[]): Promise<CreatePaymentResult[]> {
    return this.access(siteId, async ({ client: c }) => {
      if (payments.length === 0) return []
      // 1. lock every invoice the batch allocates to (in id order, as savePayment does), so that
      //    what is read next holds at commit: concurrent payments on one invoice go one after the other
      const invoiceIds = [...new Set(payments.flatMap((p) => p.allocations.map((a) => a.invoiceId)))].sort()
      const invoiceRows = invoiceIds.length === 0 ? [] : await c.query<{ body: unknown }>('SELECT body FROM ecole_invoices WHERE site_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [siteId, invoiceIds])
      const invoices = new Map(invoiceRows.map((r) => decodeDocument<Invoice>(r.body)).map((i) => [i.id, i]))
      // 2. what is stored already (after the lock: a concurrent batch of the same payments has committed)
      const ids = [...new Set(payments.map((p) => p.id))]
      const stored = new Map((await c.query<PaymentRow>('SELECT id, deposit_id, body FROM ecole_payments WHERE site_id = $1 AND id = ANY($2::text[])', [siteId, ids])).map((r) => [r.id, toPayment(r)]))
      const refs = [...new Set(payments.flatMap((p) => (p.bankEntryReference === null ? [] : [p.bankEntryReference])))]
      const heldRefs = new Map(refs.length === 0 ? [] : (await c.query<{ ref: string; id: string }>('SELECT bank_entry_reference AS ref, id FROM ecole_payments WHERE site_id = $1 AND bank_entry_reference = ANY($2::text[])', [siteId, refs])).map((r) => [r.ref, r.id]))
      // 3. the credit notes and recorded payments of the locked invoices, read once for the batch
      const paidBy = new Map<string, Payment[]>()
      const notesOf = new Map<string, CreditNote[]>()
      if (invoices.size > 0) {
        const held = [...invoices.keys()]
        for (const r of await c.query<{ body: unknown }>('SELECT body FROM ecole_credit_notes WHERE site_id = $1 AND invoice_id = ANY($2::text[])', [siteId, held])) {
          const note = decodeDocument<CreditNote>(r.body)
          notesOf.set(note.invoiceId, [...(notesOf.get(note.invoiceId) ?? []), note])
        }
        for (const r of await paymentsOfInvoices(c, siteId, held)) {
          const p = toPayment(r)
          for (const id of new Set(p.allocations.map((a) => a.invoiceId))) if (invoices.has(id)) paidBy.set(id, [...(paidBy.get(id) ?? []), p])
        }
      }
      // 4. each payment judged in order, the earlier ones of the batch counting as recorded
      const results: CreatePaymentResult[] = []
      const fresh = new Map<string, Payment>()
      for (const payment of payments) {
        const existing = stored.get(payment.id) ?? fresh.get(payment.id)
        if (existing) {
          results.push({ id: payment.id, status: paymentReplay(existing, payment) })
          continue
        }
        const mine = [...new Set(payment.allocations.map((a) => a.invoiceId))].filter((id) => invoices.has(id))
        assertAllocationsFit(payment, mine.map((id) => invoices.get(id)!), mine.flatMap((id) => notesOf.get(id) ?? []), [...new Set(mine.flatMap((id) => paidBy.get(id) ?? []))])
        const ref = payment.bankEntryReference
        if (ref !== null) {
          const holder = heldRefs.get(ref)
          if (holder !== undefined) throw new EcoleError('ID_CONFLICT', `bank entry ${ref} already made payment ${holder}`, { details: { id: payment.id, bankEntryReference: ref, paymentId: holder } })
          heldRefs.set(ref, payment.id)
        }
        fresh.set(payment.id, payment)
        if (payment.status === 'recorded') for (const id of mine) paidBy.set(id, [...(paidBy.get(id) ?? []), payment])
        results.push({ id: payment.id, status: 'created' })
      }
      if (fresh.size === 0) return results
      // 5. one statement for the batch
      const rows = [...fresh.values()]
      let inserted: Array<{ id: string }>
      try {
        inserted = await withSavepoint(c, () =>
          c.query<{ id: string }>(
            `WITH ins AS (
               INSERT INTO ecole_payments (site_id, id, payer_id, method, status, deposit_id, end_to_end_id, bank_entry_reference, body)
               SELECT $1, t.id, t.payer_id, t.method, t.status, t.deposit_id, t.end_to_end_id, t.bank_entry_reference, t.body::jsonb
                 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                   AS t(id, payer_id, method, status, deposit_id, end_to_end_id, bank_entry_reference, body)
               ON CONFLICT (site_id, id) DO NOTHING RETURNING site_id, id, status, body
             ), ${ALLOCATION_ROWS_OF('ins')}
             SELECT id FROM ins`,
            [
              siteId, rows.map((p) => p.id), rows.map((p) => p.payerId), rows.map((p) => p.method), rows.map((p) => p.status), rows.map((p) => p.depositId),
              rows.map((p) => p.endToEndId), rows.map((p) => p.bankEntryReference), rows.map((p) => encodeDocument(p)),
            ],
          ),
        )
      } catch (error) {
        if (isEcoleError(error) && error.code === 'STORAGE_CONSTRAINT') {
          throw new EcoleError('ID_CONFLICT', `a bank entry of the batch already made another payment (committed meanwhile)`, {
            details: { bankEntryReferences: rows.flatMap((p) => (p.bankEntryReference === null ? [] : [p.bankEntryReference])).slice(0, 20) },
            cause: error,
          })
        }
        throw error
      }
      if (inserted.length === rows.length) return results
      // saved meanwhile by a concurrent transaction that committed (payments on no invoice of this site): replays
      const done = new Set(inserted.map((r) => r.id))
      const missing = rows.filter((p) => !done.has(p.id)).map((p) => p.id)
      const saved = new Map((await c.query<PaymentRow>('SELECT id, deposit_id, body FROM ecole_payments WHERE site_id = $1 AND id = ANY($2::text[])', [siteId, missing])).map((r) => [r.id, toPayment(r)]))
      for (const id of missing) {
        const s = saved.get(id)
        if (!s) throw new EcoleError('STORAGE_CONSTRAINT', `payment ${id} could be neither inserted nor read`, { details: { id } })
        paymentReplay(s, fresh.get(id)!)
      }
      const replayed = new Set(missing)
      return results.map((r) => (replayed.has(r.id) ? { id: r.id, status: 'exists' as const } : r))
    })
  }

  getPayment(siteId: string, paymentId: string): Promise<Payment | undefined> {
    return this.access(siteId, ({ client: c }) => loadPayment(c, siteId, paymentId, false))
  }

  listPayments(siteId: string, filter: PaymentFilter, page?: PageRequest): Promise<Page<Payment>> {
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      const rows = await c.query<PaymentRow>(
        `SELECT id, deposit_id, body FROM ecole_payments
         WHERE site_id = $1 AND ($2::text IS NULL OR id > $2::text)
           AND ($3::text IS NULL OR payer_id = $3::text)
           AND ($4::jsonb IS NULL OR body->'allocations' @> $4::jsonb)
           AND ($5::text IS NULL OR deposit_id = $5::text)
           AND ($6::text IS NULL OR method = $6::text)
           AND ($7::text IS NULL OR status = $7::text)
           AND ($8::boolean IS NULL OR (deposit_id IS NOT NULL) = $8::boolean)
           AND ($9::text IS NULL OR end_to_end_id = $9::text)
           AND ($11::text[] IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(body->'allocations') a WHERE a->>'invoiceId' = ANY($11::text[])))
         ORDER BY id LIMIT $10`,
        [
          siteId,
          page?.after ?? null,
          filter.payerId ?? null,
          filter.invoiceId === undefined ? null : JSON.stringify([{ invoiceId: filter.invoiceId }]),
          filter.depositId ?? null,
          filter.method ?? null,
          filter.status ?? null,
          filter.inDeposit ?? null,
          filter.endToEndId ?? null,
          limit + 1,
          filter.invoiceIds === undefined ? null : [...filter.invoiceIds],
        ],
      )
      return toPage(rows, limit, toPayment, (r) => r.id)
    })
  }

  refusePayment(siteId: string, paymentId: string, refusal: PaymentRefusal): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      const p = await loadPayment(c, siteId, paymentId, true)
      if (!p) throw new EcoleError('NOT_FOUND', `payment ${paymentId} does not exist`, { details: { paymentId } })
      if (p.status === 'refused') throw new EcoleError('PAYMENT_ALREADY_REFUSED', `payment ${paymentId} is already refused`, { details: { paymentId } })
      const refused: Payment = { ...p, status: 'refused', refusal }
      // a refused payment pays nothing: its allocation rows go in the same statement
      await c.query(
        `WITH upd AS (UPDATE ecole_payments SET status = 'refused', body = $3::jsonb WHERE site_id = $1 AND id = $2 RETURNING site_id, id)
         DELETE FROM ecole_payment_allocations a USING upd WHERE a.site_id = upd.site_id AND a.payment_id = upd.id`,
        [siteId, paymentId, encodeDocument(refused)],
      )
    })
  }

  deletePayment(siteId: string, paymentId: string): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      const p = await loadPayment(c, siteId, paymentId, true)
      if (!p) return
      if (p.depositId !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${paymentId} is in deposit ${p.depositId}`, { details: { paymentId, depositId: p.depositId } })
      await c.query(
        `WITH del AS (DELETE FROM ecole_payments WHERE site_id = $1 AND id = $2 RETURNING site_id, id)
         DELETE FROM ecole_payment_allocations a USING del WHERE a.site_id = del.site_id AND a.payment_id = del.id`,
        [siteId, paymentId],
      )
    })
  }

  createDeposit(siteId: string, deposit: Deposit): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const storedDeposit = async () => {
        const [row] = await c.query<{ locked: boolean; body: unknown }>('SELECT locked, body FROM ecole_deposits WHERE site_id = $1 AND id = $2', [siteId, deposit.id])
        return row ? { ...decodeDocument<Deposit>(row.body), locked: row.locked } : undefined
      }
      const stored = await storedDeposit()
      if (stored) return depositReplay(stored, deposit)
      const ids = [...deposit.paymentIds].sort()
      const rows = await c.query<{ id: string; deposit_id: string | null }>('SELECT id, deposit_id FROM ecole_payments WHERE site_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [siteId, ids])
      // read again under the payments' locks: the same deposit, created at the same moment, held
      // them and has committed meanwhile (its payments are in it now): this call is its replay
      const raced = await storedDeposit()
      if (raced) return depositReplay(raced, deposit)
      const found = new Map(rows.map((r) => [r.id, r.deposit_id]))
      for (const id of deposit.paymentIds) {
        if (!found.has(id)) throw new EcoleError('NOT_FOUND', `payment ${id} does not exist`, { details: { paymentId: id } })
        const holder = found.get(id)
        if (holder !== null) throw new EcoleError('PAYMENT_IN_DEPOSIT', `payment ${id} is in deposit ${holder}`, { details: { paymentId: id, depositId: holder } })
      }
      const inserted = await withSavepoint(c, async () => {
        const made = await c.query('INSERT INTO ecole_deposits (site_id, id, locked, body) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (site_id, id) DO NOTHING RETURNING id', [siteId, deposit.id, deposit.locked, encodeDocument(deposit)])
        if (made.length === 0) return false
        await c.query('UPDATE ecole_payments SET deposit_id = $3 WHERE site_id = $1 AND id = ANY($2::text[])', [siteId, ids, deposit.id])
        return true
      })
      if (inserted) return 'created'
      // the id was taken meanwhile by a concurrent deposit of other payments (none locked here), committed
      const saved = await storedDeposit()
      if (!saved) throw new EcoleError('STORAGE_CONSTRAINT', `deposit ${deposit.id} could be neither inserted nor read`, { details: { id: deposit.id } })
      return depositReplay(saved, deposit)
    })
  }

  getDeposit(siteId: string, depositId: string): Promise<Deposit | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ locked: boolean; body: unknown }>('SELECT locked, body FROM ecole_deposits WHERE site_id = $1 AND id = $2', [siteId, depositId])
      return row ? { ...decodeDocument<Deposit>(row.body), locked: row.locked } : undefined
    })
  }

  deleteDeposit(siteId: string, depositId: string): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ locked: boolean }>('SELECT locked FROM ecole_deposits WHERE site_id = $1 AND id = $2 FOR UPDATE', [siteId, depositId])
      if (!row) return
      if (row.locked) throw new EcoleError('DEPOSIT_LOCKED', `deposit ${depositId} is locked (handed to the bank)`, { details: { depositId } })
      await c.query('UPDATE ecole_payments SET deposit_id = NULL WHERE site_id = $1 AND deposit_id = $2', [siteId, depositId])
      await c.query('DELETE FROM ecole_deposits WHERE site_id = $1 AND id = $2', [siteId, depositId])
    })
  }

  lockDeposit(siteId: string, depositId: string): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query('UPDATE ecole_deposits SET locked = true WHERE site_id = $1 AND id = $2 RETURNING id', [siteId, depositId])
      if (rows.length === 0) throw new EcoleError('NOT_FOUND', `deposit ${depositId} does not exist`, { details: { depositId } })
    })
  }
}

import { assertCreditNoteFits, checkIdempotentReplay, EcoleError, invoiceBalanceFromSums, isEcoleError, type CreditNote, type Invoice, type LocalDate, type InvoiceBatch } from '@ecole/core'
import { chargeDayKey, checkChargeDayKeys, checkDebtorBalanceQuery, checkInvoiceFilter, checkInvoicePage, invoiceCursor, type CheckedInvoicePage, type InvoicePageRequest, type InvoiceSortKey, type DebtorBalance, type DebtorBalancePage, type DebtorBalancePageRequest, type DebtorBalanceQuery, type InvoiceFilter, type InvoiceStore, type InvoiceWithBalance, type Page, type PageRequest, type SentReminder } from '@ecole/core/ports'
import { pageLimit, toPage, type PgAccess } from './access'
import type { SqlClient } from './driver'
import { decodeDocument, encodeDocument, sameDocument, withSavepoint } from './documents'

/** The invoices of a filter, a page of them plus one (parameters: {@link invoiceFilterParams}). */
const INVOICES_OF_FILTER = `SELECT id, body FROM ecole_invoices
         WHERE site_id = $1 AND ($2::text IS NULL OR id > $2::text)
           AND ($3::text IS NULL OR batch_id = $3::text) AND ($4::text IS NULL OR payer_id = $4::text)
           AND ($5::text IS NULL OR status = $5::text) AND ($6::text IS NULL OR billing_office_id = $6::text)
           AND ($7::text IS NULL OR folder_id = $7::text) AND ($8::date IS NULL OR due_date < $8::date)
           AND ($10::text IS NULL OR payer_id = $10::text OR body->'jointDebtorIds' ? $10::text)
         ORDER BY id LIMIT $9`

/** Whether a list needs {@link invoiceListQuery} (a balance state, a search, an order other than id ascending). */
function needsListQuery(filter: InvoiceFilter, order: CheckedInvoicePage): boolean {
  return filter.balance !== undefined || filter.search !== undefined || order.by !== 'id' || order.desc
}

function invoiceFilterParams(siteId: string, filter: InvoiceFilter, page: PageRequest | undefined, limit: number): unknown[] {
  return [siteId, page?.after ?? null, filter.batchId ?? null, filter.debtorId ?? null, filter.status ?? null, filter.billingOfficeId ?? null, filter.folderId ?? null, filter.dueBefore ?? null, limit + 1, filter.debtorOrJointDebtorId ?? null]
}

/** A stored minor amount (a document's bigint `{"$bigint": "123"}`, or a plain JSON number) as numeric. */
const MINOR = (json: string) => `coalesce(${json}->>'$bigint', ${json}#>>'{}')::numeric`

/**
 * A page of invoices with the sums of their credit notes and of the allocations of recorded
 * payments to them (parameters: {@link invoiceFilterParams}). The payments are found through
 * migration 31's GIN index `ecole_payments_by_invoice` (their allocations' invoice keys `&&` the
 * page's keys), not by reading every payment of the site (issue 17).
 *
 * @internal
 */
export const INVOICES_WITH_BALANCES_SQL = `WITH page AS (${INVOICES_OF_FILTER}),
   credited AS (
     SELECT n.invoice_id, sum(${MINOR("n.body->'amountMinor'")}) AS minor FROM ecole_credit_notes n
     WHERE n.site_id = $1 AND n.invoice_id IN (SELECT id FROM page) GROUP BY n.invoice_id
   ),
   paid AS (
     SELECT a->>'invoiceId' AS invoice_id, sum(${MINOR("a->'amountMinor'")}) AS minor
     FROM ecole_payments p CROSS JOIN LATERAL jsonb_array_elements(p.body->'allocations') a
     WHERE p.site_id = $1 AND p.status = 'recorded'
       AND ecole_payment_invoice_keys(p.site_id, p.body) && (SELECT coalesce(array_agg($1::text || chr(31) || id), '{}') FROM page)
       AND a->>'invoiceId' IN (SELECT id FROM page) GROUP BY 1
   )
   SELECT page.id, page.body, coalesce(credited.minor, 0)::text AS credited, coalesce(paid.minor, 0)::text AS paid
   FROM page LEFT JOIN credited ON credited.invoice_id = page.id LEFT JOIN paid ON paid.invoice_id = page.id
   ORDER BY page.id`

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'

/** The SQL expression an invoice sorts by (the order of `compareInvoicesBy` in `@ecole/core/ports`). */
function sortExpression(by: InvoiceSortKey): { sql: string; cast: string } {
  switch (by) {
    case 'id': return { sql: 'i.id', cast: 'text' }
    case 'number': return { sql: `coalesce(i.number, '') COLLATE "C"`, cast: 'text' }
    case 'issueDate': return { sql: `coalesce(i.body->>'issueDate', '') COLLATE "C"`, cast: 'text' }
    case 'dueDate': return { sql: 'i.due_date', cast: 'date' }
    case 'total': return { sql: `coalesce(i.total_minor, ${MINOR("i.body->'totalMinor'")})`, cast: 'numeric' }
  }
}

/**
 * One statement for a page of invoices under a balance state, a search or an order other than id
 * ascending, with the sums of each invoice's credit notes and recorded allocations (payments found
 * through migration 31's GIN index, one probe per invoice). The fields that need no balance
 * (office, status, due day, batch, debtor, search) and the cursor filter the rows first: the
 * to-remind list of an office reads migration 34's index `ecole_invoices_validated_by_due`
 * (site, office, due day over the validated invoices) for the invoices due before today and
 * computes the balances of those only. Answers `limit + 1` rows.
 *
 * @internal
 */
export function invoiceListQuery(siteId: string, filter: InvoiceFilter, order: CheckedInvoicePage, limit: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [siteId]
  const p = (value: unknown, cast: string): string => { params.push(value); return `$${params.length}::${cast}` }
  const where: string[] = ['i.site_id = $1']
  if (filter.batchId !== undefined) where.push(`i.batch_id = ${p(filter.batchId, 'text')}`)
  if (filter.debtorId !== undefined) where.push(`i.payer_id = ${p(filter.debtorId, 'text')}`)
  if (filter.debtorOrJointDebtorId !== undefined) { const g = p(filter.debtorOrJointDebtorId, 'text'); where.push(`(i.payer_id = ${g} OR i.body->'jointDebtorIds' ? ${g})`) }
  if (filter.billingOfficeId !== undefined) where.push(`i.billing_office_id = ${p(filter.billingOfficeId, 'text')}`)
  if (filter.folderId !== undefined) where.push(`i.folder_id = ${p(filter.folderId, 'text')}`)
  if (filter.dueBefore !== undefined) where.push(`i.due_date < ${p(filter.dueBefore, 'date')}`)
  if (filter.status !== undefined) where.push(`i.status = ${p(filter.status, 'text')}`)
  if (filter.balance !== undefined) where.push(`i.status = 'validated'`)
  if (filter.balance === 'toRemind') where.push(`i.due_date < ${p(filter.today, 'date')}`)
  if (filter.search !== undefined) {
    const any: string[] = []
    if (filter.search.numberPrefix !== undefined) any.push(`starts_with(translate(coalesce(i.number, ''), '${UPPER}', '${LOWER}'), translate(${p(filter.search.numberPrefix, 'text')}, '${UPPER}', '${LOWER}'))`)
    if (filter.search.debtorIds !== undefined) any.push(`i.payer_id = ANY(${p([...filter.search.debtorIds], 'text[]')})`)
    where.push(any.length === 0 ? 'false' : `(${any.join(' OR ')})`)
  }
  const key = sortExpression(order.by)
  const dir = order.desc ? 'DESC' : 'ASC'
  if (order.after !== undefined) {
    const value = order.by === 'total' ? String(order.after.value) : order.after.value
    where.push(`(${key.sql}, i.id) ${order.desc ? '<' : '>'} (${p(value, key.cast)}, ${p(order.after.id, 'text')})`)
  }
  const owed = 'greatest(total - credited - paid, 0)'
  const outer = filter.balance === undefined ? 'true' : filter.balance === 'settled' ? `${owed} = 0` : `${owed} > 0`
  const sql = `SELECT id, body, credited::text AS credited, paid::text AS paid FROM (
     SELECT i.id, i.body, ${key.sql} AS sort_key, coalesce(i.total_minor, ${MINOR("i.body->'totalMinor'")}) AS total,
       (SELECT coalesce(sum(${MINOR("n.body->'amountMinor'")}), 0) FROM ecole_credit_notes n WHERE n.site_id = i.site_id AND n.invoice_id = i.id) AS credited,
       (SELECT coalesce(sum(${MINOR("a->'amountMinor'")}), 0)
          FROM ecole_payments pay CROSS JOIN LATERAL jsonb_array_elements(pay.body->'allocations') a
          WHERE pay.site_id = i.site_id AND pay.status = 'recorded' AND ecole_payment_invoice_keys(pay.site_id, pay.body) && ARRAY[i.site_id || chr(31) || i.id]
            AND a->>'invoiceId' = i.id) AS paid
     FROM ecole_invoices i WHERE ${where.join(' AND ')}
   ) cand WHERE ${outer}
   ORDER BY sort_key ${dir}, id ${dir} LIMIT ${p(limit + 1, 'int')}`
  return { sql, params }
}

/**
 * The debtors of a billing office with what their validated invoices still owe, in one statement
 * (parameters: site, billing office, debtor ids or null, limit, offset): each invoice's balance
 * as `invoiceBalanceFromSums` computes it (total - credit notes - recorded allocations, never
 * below zero) summed per debtor as exact numeric; the rows of the page (`kind` 'row') and the
 * totals over every page per currency (`kind` 'total'). The office's validated invoices are
 * read from migration 33's index `ecole_invoices_debtor_balances` alone (site, office, debtor,
 * with the id, currency and total, over the validated invoices; a validated invoice always has
 * a number): their `total_minor` and `currency` columns, copies of the body written with it,
 * not the JSON bodies (issue 18); what they were paid from migration 35's
 * `ecole_payment_allocations` (one row per allocation of a recorded payment), by the index
 * `ecole_payment_allocations_by_invoice` that carries the amount, not from the payments' bodies.
 *
 * @internal
 */
export const DEBTOR_BALANCES_SQL = `WITH inv AS (
     SELECT id, payer_id, currency, total_minor AS total FROM ecole_invoices
     WHERE site_id = $1 AND billing_office_id = $2 AND status = 'validated'
       AND ($3::text[] IS NULL OR payer_id = ANY($3::text[]))
   ),
   credited AS (
     SELECT n.invoice_id, sum(${MINOR("n.body->'amountMinor'")}) AS minor FROM ecole_credit_notes n
     WHERE n.site_id = $1 AND n.billing_office_id = $2 AND n.invoice_id IN (SELECT id FROM inv) GROUP BY n.invoice_id
   ),
   paid AS (
     SELECT pa.invoice_id, sum(pa.amount_minor) AS minor FROM ecole_payment_allocations pa
     WHERE pa.site_id = $1 AND pa.invoice_id IN (SELECT id FROM inv) GROUP BY 1
   ),
   owed AS (
     SELECT inv.payer_id, inv.currency, greatest(inv.total - coalesce(credited.minor, 0) - coalesce(paid.minor, 0), 0) AS owed
     FROM inv LEFT JOIN credited ON credited.invoice_id = inv.id LEFT JOIN paid ON paid.invoice_id = inv.id
   ),
   debtors AS (
     SELECT payer_id, currency, sum(owed) AS owed, count(*)::int AS open FROM owed WHERE owed > 0 GROUP BY payer_id, currency
   )
   SELECT * FROM (
     SELECT 'row' AS kind, payer_id, currency, owed::text AS owed, open FROM debtors
     ORDER BY debtors.owed DESC, payer_id COLLATE "C", currency COLLATE "C" LIMIT $4 OFFSET $5
   ) page
   UNION ALL
   SELECT 'total' AS kind, NULL, currency, sum(owed)::text, count(*)::int FROM debtors GROUP BY currency`

function chargesOf(invoice: Invoice): string[] {
  return invoice.lines.flatMap((l) => l.chargeIds)
}

function notDraft(id: string): EcoleError {
  return new EcoleError('INVOICE_NOT_DRAFT', `invoice ${id} is validated: it can no longer change (issue a credit note)`, { details: { invoiceId: id } })
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return isEcoleError(error) && error.code === 'STORAGE_CONSTRAINT' && error.details['sqlState'] === '23505' && error.details['constraint'] === constraint
}


/** Drafts inserted per statement by `createDrafts`, and charge ids (days) looked up per statement by `billedChargeIds` (`billedChargeIdsByDay`). */
const DRAFT_SLICE = 2000
const CHARGE_SLICE = 50_000

/**
 * The stored form of a day key of {@link chargeDayKey} (`ecole_invoice_charges.day_key`, migration
 * 40): its four fields (beneficiary, service, kind, date) each escaped (`\` as `\\`, `|` as
 * `\|`) and joined by `|`, since PostgreSQL's text holds no NUL. One stored key per day, whichever
 * form (plain or escaped) the charge id has; `undefined` for a key of another shape (a field
 * holding NUL: no charge id of it can be stored).
 *
 * @internal
 * @example
 * storedDayKey('lea\u0000cantine\u0000service\u00002026-09-07') //=> 'lea|cantine|service|2026-09-07'
 */
export function storedDayKey(day: string): string | undefined {
  const fields = day.split('\u0000')
  if (fields.length !== 4) return undefined
  return fields.map((f) => f.replaceAll('\\', '\\\\').replaceAll('|', '\\|')).join('|')
}

/**
 * The charges billing some days (parameters: site, the days' stored keys of {@link storedDayKey}),
 * read from migration 40's index `ecole_invoice_charges_by_day` alone.
 *
 * @internal
 */
export const BILLED_BY_DAY_SQL = 'SELECT day_key, charge_id FROM ecole_invoice_charges WHERE site_id = $1 AND day_key = ANY($2::text[])'

/** The parameters of one slice of drafts: the invoice rows (their JSON bodies encoded) and their charge rows. */
interface DraftSlice {
  drafts: readonly Invoice[]
  invoices: unknown[]
  charges: { chargeIds: string[]; invoiceIds: string[]; dayKeys: Array<string | null> }
}

function draftSlice(siteId: string, drafts: readonly Invoice[]): DraftSlice {
  const chargeIds: string[] = []
  const invoiceIds: string[] = []
  const dayKeys: Array<string | null> = []
  for (const d of drafts) {
    for (const l of d.lines) {
      for (const charge of l.chargeIds) {
        chargeIds.push(charge)
        invoiceIds.push(d.id)
        const day = chargeDayKey(charge)
        dayKeys.push(day === undefined ? null : (storedDayKey(day) ?? null))
      }
    }
  }
  return {
    drafts,
    invoices: [siteId, drafts.map((d) => d.id), drafts.map((d) => d.batchId), drafts.map((d) => d.debtorId), drafts.map((d) => d.billingOfficeId), drafts.map((d) => d.dueDate), drafts.map((d) => encodeDocument(d))],
    charges: { chargeIds, invoiceIds, dayKeys },
  }
}

/**
 * Inserts a slice of drafts (one statement) and their charges (one statement): ID_CONFLICT or
 * CHARGE_ALREADY_BILLED when one is taken. The first statement is sent before the returned promise
 * is awaited, so the caller can prepare the next slice while the server writes this one.
 */
async function insertDraftSlice(c: SqlClient, siteId: string, slice: DraftSlice): Promise<void> {
  const { drafts } = slice
  const inserted = await c.query<{ id: string }>(
    `INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body, total_minor, currency)
     SELECT $1, v.id, v.batch_id, v.payer_id, v.office, 'draft', NULL, v.due::date, b.body, ${MINOR("b.body->'totalMinor'")}, b.body->>'currency'
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(id, batch_id, payer_id, office, due, body)
     CROSS JOIN LATERAL (SELECT v.body::jsonb AS body) b
     ON CONFLICT DO NOTHING RETURNING id`,
    slice.invoices,
  )
  if (inserted.length !== drafts.length) {
    const got = new Set(inserted.map((r) => r.id))
    const id = drafts.find((d) => !got.has(d.id))?.id
    throw new EcoleError('ID_CONFLICT', `invoice ${id} already exists`, { details: { id } })
  }
  const { chargeIds, invoiceIds, dayKeys } = slice.charges
  if (chargeIds.length === 0) return
  const billed = await c.query<{ charge_id: string }>(
    `INSERT INTO ecole_invoice_charges (site_id, charge_id, invoice_id, day_key)
     SELECT $1, v.charge, v.invoice, v.day_key FROM unnest($2::text[], $3::text[], $4::text[]) AS v(charge, invoice, day_key)
     ON CONFLICT DO NOTHING RETURNING charge_id`,
    [siteId, chargeIds, invoiceIds, dayKeys],
  )
  if (billed.length !== chargeIds.length) {
    const got = new Set(billed.map((r) => r.charge_id))
    const chargeId = chargeIds.find((charge) => !got.has(charge))
    throw new EcoleError('CHARGE_ALREADY_BILLED', `charge ${chargeId} is already on an invoice`, { details: { chargeId } })
  }
}

/**
 * The PostgreSQL {@link InvoiceStore}: invoices whole in jsonb with their keys beside them, one
 * row per billed charge (primary key: a charge is billed once), a unique number per billing
 * office; checks run under row locks and writes under a savepoint, so a refused call writes
 * nothing. @internal
 */
export class PgInvoiceStore implements InvoiceStore {
  constructor(private readonly access: PgAccess) {}

  createInvoiceBatch(siteId: string, batch: InvoiceBatch): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      const inserted = await c.query('INSERT INTO ecole_invoice_batches (site_id, id, body) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING RETURNING id', [
        siteId,
        batch.id,
        encodeDocument(batch),
      ])
      if (inserted.length > 0) return 'created'
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_invoice_batches WHERE site_id = $1 AND id = $2', [siteId, batch.id])
      if (row && sameDocument(decodeDocument(row.body), batch)) return 'exists'
      throw new EcoleError('ID_CONFLICT', `invoice batch ${batch.id} exists with other content`, { details: { id: batch.id } })
    })
  }

  getInvoiceBatch(siteId: string, batchId: string): Promise<InvoiceBatch | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_invoice_batches WHERE site_id = $1 AND id = $2', [siteId, batchId])
      return row ? decodeDocument<InvoiceBatch>(row.body) : undefined
    })
  }

  billedChargeIds(siteId: string, chargeIds: readonly string[]): Promise<Set<string>> {
    return this.access(siteId, async ({ client: c }) => {
      // a slice of 50,000 ids per statement: a month's million ids in one array parameter made a
      // 50 MB string on the client and on the server
      const billed = new Set<string>()
      for (let i = 0; i < chargeIds.length; i += CHARGE_SLICE) {
        const rows = await c.query<{ charge_id: string }>('SELECT charge_id FROM ecole_invoice_charges WHERE site_id = $1 AND charge_id = ANY($2::text[])', [siteId, chargeIds.slice(i, i + CHARGE_SLICE)])
        for (const r of rows) billed.add(r.charge_id)
      }
      return billed
    })
  }

  billedChargeIdsByDay(siteId: string, days: readonly string[]): Promise<Map<string, string[]>> {
    return this.access(siteId, async ({ client: c }) => {
      checkChargeDayKeys(days)
      // the stored key of each day asked (one per day: the stored form is one-to-one)
      const asked = new Map<string, string>()
      for (const day of days) {
        const key = storedDayKey(day)
        if (key !== undefined) asked.set(key, day)
      }
      const keys = [...asked.keys()]
      const found = new Map<string, string[]>()
      // through the index (site_id, day_key) of migration 40, a slice of days per statement
      for (let i = 0; i < keys.length; i += CHARGE_SLICE) {
        const rows = await c.query<{ day_key: string; charge_id: string }>(BILLED_BY_DAY_SQL, [siteId, keys.slice(i, i + CHARGE_SLICE)])
        for (const r of rows) {
          const day = asked.get(r.day_key)!
          const ids = found.get(day)
          if (ids === undefined) found.set(day, [r.charge_id])
          else ids.push(r.charge_id)
        }
      }
      for (const ids of found.values()) ids.sort()
      return found
    })
  }

  createDrafts(siteId: string, drafts: readonly Invoice[]): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      if (drafts.length === 0) return
      for (const d of drafts) if (d.status !== 'draft') throw notDraft(d.id)
      await withSavepoint(c, async () => {
        // a slice of drafts per statement (their JSON bodies: a 33,865-draft batch in one statement
        // held about a gigabyte of parameter text on the client), all in the one savepoint
        // (one statement at a time on the connection; the next slice's parameters, its JSON bodies
        // above all, are encoded while the server writes the slice before it)
        let next: DraftSlice | undefined = draftSlice(siteId, drafts.slice(0, DRAFT_SLICE))
        for (let i = 0; next !== undefined; i += DRAFT_SLICE) {
          const writing = insertDraftSlice(c, siteId, next)
          next = i + DRAFT_SLICE < drafts.length ? draftSlice(siteId, drafts.slice(i + DRAFT_SLICE, i + 2 * DRAFT_SLICE)) : undefined
          await writing
        }
      })
    })
  }

  updateDraft(siteId: string, draft: Invoice): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown; status: string }>('SELECT status, body FROM ecole_invoices WHERE site_id = $1 AND id = $2 FOR UPDATE', [siteId, draft.id])
      if (!row) throw new EcoleError('NOT_FOUND', `invoice ${draft.id} does not exist`, { details: { invoiceId: draft.id } })
      if (row.status !== 'draft' || draft.status !== 'draft') throw notDraft(draft.id)
      const stored = decodeDocument<Invoice>(row.body)
      if (!sameDocument([...chargesOf(stored)].sort(), [...chargesOf(draft)].sort())) {
        throw new EcoleError('INVALID_INPUT', `draft ${draft.id}: its lines' charges must stay the stored ones`, { details: { invoiceId: draft.id } })
      }
      await c.query(`UPDATE ecole_invoices SET payer_id = $3, billing_office_id = $4, due_date = $5::date, batch_id = $6, body = $7::jsonb,
         total_minor = ${MINOR("$7::jsonb->'totalMinor'")}, currency = $7::jsonb->>'currency' WHERE site_id = $1 AND id = $2`, [
        siteId,
        draft.id,
        draft.debtorId,
        draft.billingOfficeId,
        draft.dueDate,
        draft.batchId,
        encodeDocument(draft),
      ])
    })
  }

  deleteDrafts(siteId: string, invoiceIds: readonly string[]): Promise<number> {
    return this.access(siteId, async ({ client: c }) => {
      const ids = [...new Set(invoiceIds)]
      const rows = await c.query<{ id: string; status: string }>('SELECT id, status FROM ecole_invoices WHERE site_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [siteId, ids])
      const validated = rows.find((r) => r.status !== 'draft')
      if (validated) throw notDraft(validated.id)
      const found = rows.map((r) => r.id)
      if (found.length === 0) return 0
      await c.query('DELETE FROM ecole_invoice_charges WHERE site_id = $1 AND invoice_id = ANY($2::text[])', [siteId, found])
      await c.query('DELETE FROM ecole_invoices WHERE site_id = $1 AND id = ANY($2::text[])', [siteId, found])
      return found.length
    })
  }

  markValidated(siteId: string, invoices: readonly Invoice[]): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      if (invoices.length === 0) return
      for (const inv of invoices) {
        if (inv.status !== 'validated') throw notDraft(inv.id)
        if (inv.number === null) throw new EcoleError('INVALID_INPUT', `invoice ${inv.id}: a validated invoice needs a number`, { details: { invoiceId: inv.id } })
      }
      try {
        await withSavepoint(c, async () => {
          // One statement per slice of DRAFT_SLICE invoices (the JSON bodies of a whole batch in one
          // statement were the peak of a 50,000-child month's memory: 2.5 GB of RSS), all in the one
          // savepoint. It row-locks each draft, and re-checks after a concurrent validation
          // committed (READ COMMITTED re-evaluates the WHERE on the new row version), so a draft
          // validated meanwhile, deleted, or whose lines changed is not updated.
          for (let from = 0; from < invoices.length; from += DRAFT_SLICE) {
            const slice = invoices.slice(from, from + DRAFT_SLICE)
            const sliceIds = slice.map((i) => i.id)
            const updated = await c.query<{ id: string }>(
              `UPDATE ecole_invoices i SET status = 'validated', number = v.number, payer_id = v.payer_id, due_date = v.due::date, body = v.body::jsonb,
                 total_minor = ${MINOR("(v.body::jsonb)->'totalMinor'")}, currency = (v.body::jsonb)->>'currency'
               FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, number, payer_id, due, body)
               WHERE i.site_id = $1 AND i.id = v.id AND i.status = 'draft' AND i.body->'lines' = (v.body::jsonb)->'lines'
               RETURNING i.id`,
              [siteId, sliceIds, slice.map((i) => i.number), slice.map((i) => i.debtorId), slice.map((i) => i.dueDate), slice.map((i) => encodeDocument(i))],
            )
            if (updated.length !== slice.length) {
              const done = new Set(updated.map((r) => r.id))
              throw notDraft(sliceIds.find((id) => !done.has(id)) ?? sliceIds[0]!)
            }
          }
        })
      } catch (error) {
        if (isUniqueViolation(error, 'ecole_invoices_number')) {
          throw new EcoleError('DUPLICATE_INVOICE_NUMBER', 'an invoice number of this billing office is already used', { cause: error })
        }
        throw error
      }
    })
  }

  lockInvoices(siteId: string, invoiceIds: readonly string[]): Promise<Invoice[]> {
    return this.access(siteId, async ({ client: c }) => {
      if (invoiceIds.length === 0) return []
      // rows are locked as the sorted scan returns them: in id order, so overlapping sets never deadlock
      const rows = await c.query<{ body: unknown }>('SELECT body FROM ecole_invoices WHERE site_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE', [
        siteId,
        [...new Set(invoiceIds)],
      ])
      return rows.map((r) => decodeDocument<Invoice>(r.body))
    })
  }

  getInvoice(siteId: string, invoiceId: string): Promise<Invoice | undefined> {
    return this.access(siteId, async ({ client: c }) => {
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_invoices WHERE site_id = $1 AND id = $2', [siteId, invoiceId])
      return row ? decodeDocument<Invoice>(row.body) : undefined
    })
  }

  listInvoices(siteId: string, filter: InvoiceFilter, page?: InvoicePageRequest): Promise<Page<Invoice>> {
    let order: CheckedInvoicePage
    try { checkInvoiceFilter(filter); order = checkInvoicePage(page) } catch (e) { return Promise.reject(e) }
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      if (needsListQuery(filter, order)) {
        const q = invoiceListQuery(siteId, filter, order, limit)
        const rows = await c.query<{ id: string; body: unknown }>(q.sql, q.params)
        return toPage(rows, limit, (r) => decodeDocument<Invoice>(r.body), (r) => invoiceCursor(page?.sort, decodeDocument<Invoice>(r.body)))
      }
      const rows = await c.query<{ id: string; body: unknown }>(`${INVOICES_OF_FILTER}`, invoiceFilterParams(siteId, filter, page, limit))
      return toPage(rows, limit, (r) => decodeDocument<Invoice>(r.body), (r) => r.id)
    })
  }

  listInvoicesWithBalances(siteId: string, filter: InvoiceFilter, page?: InvoicePageRequest): Promise<Page<InvoiceWithBalance>> {
    let order: CheckedInvoicePage
    try { checkInvoiceFilter(filter); order = checkInvoicePage(page) } catch (e) { return Promise.reject(e) }
    return this.access(siteId, async ({ client: c }) => {
      const limit = pageLimit(page)
      if (needsListQuery(filter, order)) {
        const q = invoiceListQuery(siteId, filter, order, limit)
        const rows = await c.query<{ id: string; body: unknown; credited: string; paid: string }>(q.sql, q.params)
        return toPage(rows, limit, (r) => { const invoice = decodeDocument<Invoice>(r.body); return { invoice, balance: invoiceBalanceFromSums(invoice, BigInt(r.credited), BigInt(r.paid)) } }, (r) => invoiceCursor(page?.sort, decodeDocument<Invoice>(r.body)))
      }
      // one statement (amounts summed as numeric: exact whatever their size)
      const rows = await c.query<{ id: string; body: unknown; credited: string; paid: string }>(
        INVOICES_WITH_BALANCES_SQL,
        invoiceFilterParams(siteId, filter, page, limit),
      )
      return toPage(rows, limit, (r) => { const invoice = decodeDocument<Invoice>(r.body); return { invoice, balance: invoiceBalanceFromSums(invoice, BigInt(r.credited), BigInt(r.paid)) } }, (r) => r.id)
    })
  }

  listDebtorBalances(siteId: string, query: DebtorBalanceQuery, page?: DebtorBalancePageRequest): Promise<DebtorBalancePage> {
    let bounds: { limit: number; offset: number }
    try { bounds = checkDebtorBalanceQuery(query, page) } catch (e) { return Promise.reject(e) }
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query<{ kind: 'row' | 'total'; payer_id: string | null; currency: string; owed: string; open: number }>(DEBTOR_BALANCES_SQL, [
        siteId, query.billingOfficeId, query.debtorIds === undefined ? null : [...query.debtorIds], bounds.limit, bounds.offset,
      ])
      const items: DebtorBalance[] = rows.filter((r) => r.kind === 'row').map((r) => ({ debtorId: r.payer_id!, currency: r.currency, outstandingMinor: BigInt(r.owed), openInvoices: Number(r.open) }))
      // UNION ALL keeps no order: the page is sorted again as the SQL chose it (amount, then id by code unit)
      items.sort((a, b) => (a.outstandingMinor !== b.outstandingMinor ? (b.outstandingMinor > a.outstandingMinor ? 1 : -1) : a.debtorId < b.debtorId ? -1 : a.debtorId > b.debtorId ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0))
      const totals = rows.filter((r) => r.kind === 'total').map((r) => ({ currency: r.currency, debtors: Number(r.open), outstandingMinor: BigInt(r.owed) }))
      totals.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0))
      return { items, totals }
    })
  }

  createCreditNote(siteId: string, creditNote: CreditNote): Promise<'created' | 'exists'> {
    return this.access(siteId, async ({ client: c }) => {
      // the invoice's row lock serialises every writer of its credit notes: what is read after it holds at commit
      const [inv] = await c.query<{ body: unknown }>('SELECT body FROM ecole_invoices WHERE site_id = $1 AND id = $2 FOR UPDATE', [siteId, creditNote.invoiceId])
      const [row] = await c.query<{ body: unknown }>('SELECT body FROM ecole_credit_notes WHERE site_id = $1 AND id = $2', [siteId, creditNote.id])
      if (row) return checkIdempotentReplay('credit note', creditNote.id, decodeDocument<CreditNote>(row.body), creditNote)
      const earlier = inv
        ? await c.query<{ body: unknown }>('SELECT body FROM ecole_credit_notes WHERE site_id = $1 AND invoice_id = $2', [siteId, creditNote.invoiceId])
        : []
      assertCreditNoteFits(inv ? decodeDocument<Invoice>(inv.body) : null, earlier.map((r) => decodeDocument<CreditNote>(r.body)), creditNote)
      try {
        await withSavepoint(c, () =>
          c.query('INSERT INTO ecole_credit_notes (site_id, id, invoice_id, billing_office_id, number, body) VALUES ($1, $2, $3, $4, $5, $6::jsonb)', [
            siteId,
            creditNote.id,
            creditNote.invoiceId,
            creditNote.billingOfficeId,
            creditNote.number,
            encodeDocument(creditNote),
          ]),
        )
      } catch (error) {
        if (isEcoleError(error) && error.code === 'STORAGE_CONSTRAINT') {
          throw new EcoleError('DUPLICATE_INVOICE_NUMBER', `credit note ${creditNote.id}: its id or number ${creditNote.number} is already used`, { cause: error })
        }
        throw error
      }
      return 'created'
    })
  }

  listCreditNotes(siteId: string, invoiceIds?: readonly string[]): Promise<CreditNote[]> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query<{ body: unknown }>('SELECT body FROM ecole_credit_notes WHERE site_id = $1 AND ($2::text[] IS NULL OR invoice_id = ANY($2::text[])) ORDER BY id', [
        siteId,
        invoiceIds === undefined ? null : [...invoiceIds],
      ])
      return rows.map((r) => decodeDocument<CreditNote>(r.body))
    })
  }

  fileInvoices(siteId: string, invoiceIds: readonly string[], folderId: string | null): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      if (folderId !== null) {
        // FOR SHARE: a concurrent delete of the folder waits for this filing (or this filing sees it gone)
        const [folder] = await c.query("SELECT 1 FROM ecole_records WHERE site_id = $1 AND kind = 'directory:invoiceFolder' AND id = $2 FOR SHARE", [siteId, folderId])
        if (!folder) throw new EcoleError('NOT_FOUND', `invoice folder ${folderId} does not exist`, { details: { folderId } })
      }
      await c.query('UPDATE ecole_invoices SET folder_id = $3 WHERE site_id = $1 AND id = ANY($2::text[])', [siteId, [...invoiceIds], folderId])
    })
  }

  setPortalDisplayDate(siteId: string, invoiceIds: readonly string[], date: LocalDate): Promise<number> {
    return this.access(siteId, async ({ client: c }) => {
      const ids = [...new Set(invoiceIds)]
      if (ids.length === 0) return 0
      // one statement: only the body's portalDisplayDate changes (status, number, lines, totals and the columns stay)
      const rows = await c.query<{ id: string }>(
        "UPDATE ecole_invoices SET body = jsonb_set(body, '{portalDisplayDate}', to_jsonb($3::text)) WHERE site_id = $1 AND id = ANY($2::text[]) RETURNING id",
        [siteId, ids, date],
      )
      if (rows.length !== ids.length) {
        const found = new Set(rows.map((r) => r.id))
        const missing = ids.find((id) => !found.has(id))!
        throw new EcoleError('NOT_FOUND', `invoice ${missing} does not exist`, { details: { invoiceId: missing } })
      }
      return ids.length
    })
  }

  recordReminders(siteId: string, reminders: readonly SentReminder[]): Promise<void> {
    return this.access(siteId, async ({ client: c }) => {
      if (reminders.length === 0) return
      await c.query(
        `INSERT INTO ecole_invoice_reminders (site_id, invoice_id, level, date, on_portal)
         SELECT $1, v.invoice_id, v.level, v.date::date, v.on_portal FROM unnest($2::text[], $3::int[], $4::text[], $5::boolean[]) AS v(invoice_id, level, date, on_portal)
         ON CONFLICT (site_id, invoice_id, level, date) DO UPDATE SET on_portal = EXCLUDED.on_portal`,
        [siteId, reminders.map((r) => r.invoiceId), reminders.map((r) => r.level), reminders.map((r) => r.date), reminders.map((r) => r.onPortal)],
      )
    })
  }

  lastReminderLevels(siteId: string, invoiceIds: readonly string[]): Promise<Map<string, number>> {
    return this.access(siteId, async ({ client: c }) => {
      const rows = await c.query<{ invoice_id: string; level: number }>(
        'SELECT invoice_id, max(level) AS level FROM ecole_invoice_reminders WHERE site_id = $1 AND invoice_id = ANY($2::text[]) GROUP BY invoice_id',
        [siteId, [...invoiceIds]],
      )
      return new Map(rows.map((r) => [r.invoice_id, Number(r.level)]))
    })
  }
}

import { PGlite } from '@electric-sql/pglite'
import type { Invoice, Payment } from '@ecole/core'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeDocument } from './documents'
import { DEBTOR_BALANCES_SQL } from './invoice-store'
import { createPostgresStorage } from './postgres-storage'

// Issue 18: migration 35's ecole_payment_allocations are a copy of the recorded payments' allocations,
// written by the same statements as the payments.
function invoice(siteId: string, id: string, totalMinor: bigint): Invoice {
  return {
    id, siteId, billingOfficeId: 'office-1', batchId: 'batch-2026-03', debtorId: 'g-1', jointDebtorIds: [], status: 'validated', number: `F-${id}`, sequence: Number(id.slice(1)),
    issueDate: '2026-04-01', periodFrom: '2026-03-01', periodTo: '2026-03-31', dueDate: '2026-04-15', directDebitDate: null, portalDisplayDate: '2026-04-01', comment: null, currency: 'EUR',
    lines: [{ id: `${id}:l0`, beneficiaryId: 'child-1', serviceId: 'lunch', unitPriceMinor: totalMinor, quantity: 1, amountMinor: totalMinor, chargeIds: [`${id}:c0`], dates: ['2026-03-02'], from: '2026-03-02', to: '2026-03-02' }],
    adjustments: [], linesTotalMinor: totalMinor, adjustmentsTotalMinor: 0n, totalMinor, previousBalanceMinor: 0n, instalments: [], paymentReference: null,
  }
}

function payment(siteId: string, id: string, allocations: Array<{ invoiceId: string; amountMinor: bigint }>): Payment {
  const amountMinor = allocations.reduce((a, x) => a + x.amountMinor, 0n)
  return {
    id, siteId, billingOfficeId: 'office-1', payerId: 'g-1', method: 'cheque', product: null, date: '2026-04-10', currency: 'EUR', amountMinor, invoiceId: allocations[0]?.invoiceId ?? null,
    status: 'recorded', depositId: null, allocations, walletCreditMinor: 0n, mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
  }
}

type Op = { kind: 'one' | 'batch'; allocations: Array<Array<{ invoice: number; amountMinor: bigint }>> } | { kind: 'refuse' | 'delete'; index: number }

describe('the allocation rows of recorded payments', () => {
  const pglite = new PGlite()
  afterAll(() => pglite.close())

  it('always equal the allocations of the recorded payments, after every write path of the payment store (created alone, in a batch, replayed, refused, deleted)', async () => {
    const storage = await createPostgresStorage({ pglite })
    const payments = storage.payments!
    const rowsEqualBodies = async (siteId: string, step: string) => {
      const rows = (await pglite.query<{ payment_id: string; position: number; invoice_id: string; amount: string }>(
        'SELECT payment_id, position, invoice_id, amount_minor::text AS amount FROM ecole_payment_allocations WHERE site_id = $1 ORDER BY payment_id, position', [siteId])).rows
      const bodies = (await pglite.query<{ body: unknown }>("SELECT body FROM ecole_payments WHERE site_id = $1 AND status = 'recorded' ORDER BY id", [siteId])).rows.map((r) => decodeDocument<Payment>(r.body))
      const expected = bodies.flatMap((p) => p.allocations.map((a, position) => ({ payment_id: p.id, position, invoice_id: a.invoiceId, amount: a.amountMinor.toString() })))
      expect(rows, step).toEqual(expected)
    }
    const allocation = fc.record({ invoice: fc.integer({ min: 1, max: 3 }), amountMinor: fc.bigInt({ min: 1n, max: 10n ** 15n }) })
    const allocations = fc.array(allocation, { minLength: 0, maxLength: 3 })
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('one' as const), allocations: fc.array(allocations, { minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('batch' as const), allocations: fc.array(allocations, { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constantFrom('refuse' as const, 'delete' as const), index: fc.nat() }),
    )
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const s = `s-${++n}`
        // three validated invoices large enough for every allocation the run can make
        await storage.transaction(s, async (tx) => {
          await tx.invoicing!.createDrafts(s, [1, 2, 3].map((i) => ({ ...invoice(s, `i${i}`, 10n ** 18n), status: 'draft' as const, number: null, sequence: null, issueDate: null })))
          await tx.invoicing!.markValidated(s, [1, 2, 3].map((i) => invoice(s, `i${i}`, 10n ** 18n)))
        })
        const made: Payment[] = []
        let k = 0
        for (const [step, o] of ops.entries()) {
          if (o.kind === 'one' || o.kind === 'batch') {
            const batch = o.allocations.map((as) => payment(s, `p${++k}`, as.map((a) => ({ invoiceId: `i${a.invoice}`, amountMinor: a.amountMinor }))))
            if (o.kind === 'one') {
              expect(await payments.createPayment(s, batch[0]!)).toBe('created')
              expect(await payments.createPayment(s, batch[0]!)).toBe('exists') // a replay writes no second row
            } else {
              await payments.createPayments(s, [...batch, ...batch.slice(0, 1)])
            }
            made.push(...batch)
          } else if (made.length > 0 && 'index' in o) {
            const target = made[o.index % made.length]!
            if (o.kind === 'refuse') await payments.refusePayment(s, target.id, { reasonCode: 'AM04', date: '2026-04-20', action: 'retry' }).catch(() => undefined) // refused twice: PAYMENT_ALREADY_REFUSED
            else await payments.deletePayment(s, target.id)
          }
          await rowsEqualBodies(s, `step ${step}: ${o.kind}`)
        }
      }),
      { numRuns: 25 },
    )
    await storage.close()
  }, 180_000)

  it("reads what an office's invoices were paid from the index ecole_payment_allocations_by_invoice, not from the payments' bodies nor other sites' rows, and sums it exactly", async () => {
    const storage = await createPostgresStorage({ pglite })
    // 4,000 validated invoices of 4,000 debtors in two offices, each paid 1,000 by two allocations of 12,000 payments
    await pglite.query(`INSERT INTO ecole_invoices (site_id, id, batch_id, payer_id, billing_office_id, status, number, due_date, body, total_minor, currency)
      SELECT 'p2', 'i-' || i, 'b1', 'g-' || i, 'office-' || (i % 2), 'validated', 'F-' || i, '2027-01-20',
        jsonb_build_object('id', 'i-' || i, 'debtorId', 'g-' || i, 'currency', 'EUR', 'totalMinor', jsonb_build_object('$bigint', (1000 + i)::text)), 1000 + i, 'EUR'
      FROM generate_series(1, 4000) AS i`)
    await pglite.query(`INSERT INTO ecole_payments (site_id, id, payer_id, method, status, body)
      SELECT 'p2', 'pay-' || j, 'g-' || ((j % 4000) + 1), 'cheque', CASE WHEN j > 8000 THEN 'refused' ELSE 'recorded' END, jsonb_build_object('allocations', jsonb_build_array(jsonb_build_object('invoiceId', 'i-' || ((j % 4000) + 1), 'amountMinor', jsonb_build_object('$bigint', '500'))))
      FROM generate_series(1, 12000) AS j`)
    await pglite.query(`INSERT INTO ecole_payment_allocations (site_id, payment_id, position, invoice_id, amount_minor)
      SELECT 'p2', 'pay-' || j, 0, 'i-' || ((j % 4000) + 1), 500 FROM generate_series(1, 8000) AS j`)
    // the other sites of the database: 80,000 allocations the statement must not read
    await pglite.query(`INSERT INTO ecole_payment_allocations (site_id, payment_id, position, invoice_id, amount_minor)
      SELECT 'other-' || (j % 10), 'pay-' || j, 0, 'i-' || ((j % 4000) + 1), 500 FROM generate_series(1, 80000) AS j`)
    for (const table of ['ecole_invoices', 'ecole_payments', 'ecole_payment_allocations']) await pglite.query(`VACUUM ANALYZE ${table}`)
    const plan = (await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${DEBTOR_BALANCES_SQL}`, ['p2', 'office-1', null, 25, 0])).rows.map((r) => r['QUERY PLAN']).join('\n')
    expect(plan).not.toMatch(/ecole_payments\b/)
    expect(plan).toMatch(/Index Only Scan using ecole_payment_allocations_by_invoice on ecole_payment_allocations/)
    expect(plan).not.toMatch(/Seq Scan on ecole_payment_allocations/)
    const page = await storage.invoicing!.listDebtorBalances('p2', { billingOfficeId: 'office-1' }, { limit: 2 })
    // each invoice i of office 1 (odd i) owes 1000 + i - 2 x 500 = i
    expect(page.items).toEqual([
      { debtorId: 'g-3999', currency: 'EUR', outstandingMinor: 3999n, openInvoices: 1 },
      { debtorId: 'g-3997', currency: 'EUR', outstandingMinor: 3997n, openInvoices: 1 },
    ])
    expect(page.totals).toEqual([{ currency: 'EUR', debtors: 2000, outstandingMinor: [...Array(2000).keys()].reduce((a, k) => a + BigInt(2 * k + 1), 0n) }])
    await storage.close()
  }, 120_000)
})

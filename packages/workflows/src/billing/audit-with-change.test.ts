import { parseCamt053, testCamt053 as camt053 } from '@ecole/bank'
import { defineSepaMandate, isEcoleError, type AuditEntryInput, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { onDay } from '../test-support/deps-on-day'
import {
  adjustDraft, collectDirectDebits, createDeposit, createInvoiceBatch, deleteDeposit, deleteDrafts, importBankStatement, issueInvoiceCreditNote, recordDirectDebitReturn, recordPayment,
  selectReminders, validateDrafts, type BillingDeps,
} from './index'

// before the collections (2027-01-10): a collection date before the site's today is refused
const clock = { now: () => new Date('2027-01-05T09:00:00Z') }
let sites = 0

/** Two payers g1, g2, four meals each at 25.00 (invoices of 100.00), in December 2026. */
function charges(): InvoiceChargeLine[] {
  const out: InvoiceChargeLine[] = []
  for (const p of [1, 2]) {
    for (let d = 1; d <= 4; d++) {
      const date = `2026-12-0${d}` as LocalDate
      out.push({ chargeId: `g${p}|k${p}|meal|${date}`, debtorId: `g${p}`, beneficiaryId: `k${p}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n })
    }
  }
  return out
}

function batch(siteId: string): InvoiceBatchInput {
  return {
    id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
    dueDate: '2027-01-15', directDebitDate: '2027-01-10', portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
  }
}

/** An audit callback writing one entry per subject id, the entry id derived from the action and subject. */
function entries(siteId: string, action: string, subjects: (r: never) => string[]) {
  return (_tx: unknown, r: unknown): AuditEntryInput[] => subjects(r as never).map((id) => ({
    id: `${action}:${id}:${Math.random().toString(36).slice(2)}`, siteId, at: '2027-01-20T09:00:00Z', actor: { kind: 'user', id: 'u-cashier' }, action, subject: { kind: 'x', id },
  }))
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    return isEcoleError(e) ? e.code : (e as Error).message
  }
  return undefined
}

function suite(name: string, create: () => Promise<StoragePorts>) {
  describe(`the money workflows write their audit entries in their own transaction, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    async function site(stage: 'drafts' | 'validated') {
      const siteId = `audit-with-${process.pid}-${Date.now()}-${++sites}`
      const d: BillingDeps = { storage, clock }
      await createInvoiceBatch(d, { batch: batch(siteId), charges: charges() })
      if (stage === 'validated') await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', numbering: { prefix: 'F{YYYY}-' } })
      const trail = async (action?: string) => (await storage.audit!.listAuditEntries(siteId, {}, { limit: 100 })).items.filter((e) => action === undefined || e.action === action)
      return { d, siteId, trail }
    }

    it('writes the validation\'s entries with the invoice numbers the validation gave', async () => {
      const { d, siteId, trail } = await site('drafts')
      const invoices = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', numbering: { prefix: 'F{YYYY}-' } }, {
        audit: (_tx, validated) => validated.map((i) => ({ id: `v:${i.id}`, siteId, at: '2027-01-20T09:00:00Z', actor: { kind: 'user', id: 'u1' }, action: 'invoice.validated', subject: { kind: 'invoice', id: i.id }, after: { number: i.number } })),
      })
      const stored = await trail('invoice.validated')
      expect(stored.map((e) => e.after?.['number']).sort()).toEqual(['F2027-000001', 'F2027-000002'])
      expect(stored.map((e) => e.subject.id).sort()).toEqual(invoices.map((i) => i.id).sort())
    })

    it('validates nothing and writes no entry when a failure comes after the audit entries were written', async () => {
      const { d, siteId, trail } = await site('drafts')
      const failing = await codeOf(validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', numbering: { prefix: 'F{YYYY}-' } }, {
        audit: async (tx, validated) => {
          await tx.audit!.recordAuditEntries(siteId, validated.map((i) => ({ id: `early:${i.id}`, siteId, at: '2027-01-20T09:00:00.000Z', actor: { kind: 'user' as const, id: 'u1' }, action: 'invoice.validated', subject: { kind: 'invoice', id: i.id } })))
          throw new Error('the host crashed after writing the entries')
        },
      }))
      expect(failing).toBe('the host crashed after writing the entries')
      expect(await trail()).toEqual([])
      expect((await storage.invoicing!.listInvoices(siteId, { status: 'validated' })).items).toEqual([])
      // the numbers went back: the next validation starts the series at 1
      const again = await validateDrafts(d, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', numbering: { prefix: 'F{YYYY}-' } })
      expect(again.map((i) => i.number).sort()).toEqual(['F2027-000001', 'F2027-000002'])
    })

    it('records no payment when an audit entry is refused (a bad entry), and says which field', async () => {
      const { d, siteId, trail } = await site('validated')
      const error = await validateThrow(recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', invoiceId: 'b-2026-12:g1' }, {
        audit: () => [{ id: 'a1', siteId, at: 'not a time', actor: { kind: 'user', id: 'u1' }, action: 'payment.recorded', subject: { kind: 'payment', id: 'p1' } }],
      }))
      expect(error.code).toBe('INVALID_INPUT')
      expect(error.message).toContain('at')
      expect(await storage.payments!.getPayment(siteId, 'p1')).toBeUndefined()
      expect(await trail()).toEqual([])
    })

    it('refuses an audit option that is not a function, naming options.audit, and records no payment', async () => {
      const { d, siteId } = await site('validated')
      const error = await validateThrow(recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12', invoiceId: 'b-2026-12:g1' }, { audit: [] as never }))
      expect([error.code, error.message]).toEqual(['INVALID_INPUT', expect.stringContaining('options.audit')])
      expect(await storage.payments!.getPayment(siteId, 'p1')).toBeUndefined()
    })

    it('writes a payment\'s entry once: a replay of the same payment id records nothing and writes no second entry', async () => {
      const { d, siteId, trail } = await site('validated')
      const request = { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g1', method: 'cheque', date: '2027-01-12' as LocalDate, invoiceId: 'b-2026-12:g1' }
      const audit = entries(siteId, 'payment.recorded', (r: { payment: { id: string } }) => [r.payment.id])
      expect((await recordPayment(onDay(d, '2027-01-12'), request, { audit })).created).toBe(true)
      expect((await recordPayment(onDay(d, '2027-01-12'), request, { audit })).created).toBe(false)
      expect((await trail('payment.recorded')).map((e) => e.subject.id)).toEqual(['p1'])
    })

    it('writes a batch\'s entry once: creating it again with the same charges bills nothing and writes no entry', async () => {
      const siteId = `audit-with-${process.pid}-${Date.now()}-${++sites}`
      const d: BillingDeps = { storage, clock }
      const audit = entries(siteId, 'invoiceBatch.created', (r: { batch: { id: string } }) => [r.batch.id])
      expect((await createInvoiceBatch(d, { batch: batch(siteId), charges: charges() }, { audit })).drafts).toHaveLength(2)
      expect((await createInvoiceBatch(d, { batch: batch(siteId), charges: charges() }, { audit })).drafts).toHaveLength(0)
      expect((await storage.audit!.listAuditEntries(siteId, {}, { limit: 10 })).items.map((e) => e.action)).toEqual(['invoiceBatch.created'])
    })

    it('stores no batch nor draft when the batch\'s audit callback throws', async () => {
      const siteId = `audit-with-${process.pid}-${Date.now()}-${++sites}`
      const d: BillingDeps = { storage, clock }
      expect(await codeOf(createInvoiceBatch(d, { batch: batch(siteId), charges: charges() }, { audit: () => { throw new Error('crash') } }))).toBe('crash')
      expect(await storage.invoicing!.getInvoiceBatch(siteId, 'b-2026-12')).toBeUndefined()
      expect((await storage.invoicing!.listInvoices(siteId, {})).items).toEqual([])
    })

    it('keeps a draft as it was when the adjustment\'s audit callback throws, and writes the entry with the new total otherwise', async () => {
      const { d, siteId, trail } = await site('drafts')
      const change = { add: { id: 'r1', kind: 'reduction' as const, reason: 'Sortie', percent: '10' } }
      expect(await codeOf(adjustDraft(d, { siteId, invoiceId: 'b-2026-12:g1', change }, { audit: () => { throw new Error('crash') } }))).toBe('crash')
      expect((await storage.invoicing!.getInvoice(siteId, 'b-2026-12:g1'))!.totalMinor).toBe(10_000n)
      await adjustDraft(d, { siteId, invoiceId: 'b-2026-12:g1', change }, {
        audit: (_tx, r) => [{ id: 'adj-1', siteId, at: '2027-01-20T09:00:00Z', actor: { kind: 'user', id: 'u1' }, action: 'invoice.adjusted', subject: { kind: 'invoice', id: r.after.id }, before: { totalMinor: Number(r.before.totalMinor) }, after: { totalMinor: Number(r.after.totalMinor) } }],
      })
      expect((await trail('invoice.adjusted')).map((e) => [e.before, e.after])).toEqual([[{ totalMinor: 10_000 }, { totalMinor: 9_000 }]])
    })

    it('writes a draft deletion\'s entry with the drafts as they were, and none when nothing was deleted', async () => {
      const { d, siteId, trail } = await site('drafts')
      const audit = entries(siteId, 'invoice.draftDeleted', (r: Array<{ id: string }>) => r.map((i) => i.id))
      expect(await deleteDrafts(d, { siteId, invoiceIds: ['b-2026-12:g1'] }, { audit })).toBe(1)
      expect(await deleteDrafts(d, { siteId, invoiceIds: ['b-2026-12:g1'] }, { audit })).toBe(0)
      expect((await trail('invoice.draftDeleted')).map((e) => e.subject.id)).toEqual(['b-2026-12:g1'])
    })

    it('writes a credit note\'s entry with its number once, and a deposit\'s creation and deletion once each', async () => {
      const { d, siteId, trail } = await site('validated')
      const note = { siteId, invoiceId: 'b-2026-12:g1', issueDate: '2027-01-20' as LocalDate, numbering: { creditNotePrefix: 'AV{YYYY}-' }, creditNote: { id: 'cn-1', reason: 'Grève', scope: { kind: 'amount' as const, amount: '25.00' } } }
      const noteAudit = entries(siteId, 'invoice.credited', (n: { number: string }) => [n.number])
      await issueInvoiceCreditNote(d, note, { audit: noteAudit })
      await issueInvoiceCreditNote(d, note, { audit: noteAudit })
      expect((await trail('invoice.credited')).map((e) => e.subject.id)).toEqual(['AV2027-000001'])

      await recordPayment(onDay(d, '2027-01-12'), { id: 'p1', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cheque', date: '2027-01-12', invoiceId: 'b-2026-12:g2' })
      const request = { siteId, deposit: { id: 'dep-1', method: 'cheque', bankAccountId: 'acc-1', date: '2027-01-13' as LocalDate }, paymentIds: ['p1'] }
      await createDeposit(d, request, { audit: entries(siteId, 'deposit.created', (x: { id: string }) => [x.id]) })
      await createDeposit(d, request, { audit: entries(siteId, 'deposit.created', (x: { id: string }) => [x.id]) })
      expect((await trail('deposit.created')).map((e) => e.subject.id)).toEqual(['dep-1'])
      expect(await codeOf(deleteDeposit(d, { siteId, depositId: 'dep-1' }, { audit: () => { throw new Error('crash') } }))).toBe('crash')
      expect(await storage.payments!.getDeposit(siteId, 'dep-1')).toBeDefined()
      await deleteDeposit(d, { siteId, depositId: 'dep-1' }, { audit: entries(siteId, 'deposit.deleted', (x: { id: string }) => [x.id]) })
      expect((await trail('deposit.deleted')).map((e) => e.subject.id)).toEqual(['dep-1'])
    })

    it('writes a collection\'s and a return\'s entries once: a second collection debits nothing, a return applied again writes nothing', async () => {
      const { d, siteId, trail } = await site('validated')
      await storage.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'Parent g1', iban: 'FR7630006000011234567890189' }))
      const input = { siteId, batchId: 'b-2026-12', collectionDate: '2027-01-10' as LocalDate, endToEndPrefix: 'DD2701-' }
      const collected = entries(siteId, 'directDebit.collected', (r: { payments: Array<{ id: string }> }) => r.payments.map((p) => p.id))
      const first = await collectDirectDebits(d, input, { audit: collected })
      expect(first.instructions).toHaveLength(1)
      expect((await collectDirectDebits(d, input, { audit: collected })).instructions).toHaveLength(0)
      expect(await trail('directDebit.collected')).toHaveLength(1)
      const returned = entries(siteId, 'directDebit.returned', (r: { payment: { id: string } }) => [r.payment.id])
      const ret = { siteId, endToEndId: first.instructions[0]!.endToEndId, reasonCode: 'AM04', date: '2027-01-14' as LocalDate }
      expect((await recordDirectDebitReturn(onDay(d, ret.date), ret, { audit: returned })).alreadyApplied).toBe(false)
      expect((await recordDirectDebitReturn(onDay(d, ret.date), ret, { audit: returned })).alreadyApplied).toBe(true)
      expect((await trail('directDebit.returned')).map((e) => e.subject.id)).toEqual([first.payments[0]!.id])
    })

    it('writes a statement import\'s entry once: importing the same file again writes none', async () => {
      const { d, siteId, trail } = await site('validated')
      const xml = camt053('FR7630006000019876543210123', [{ ref: 'E4', cents: 999n, credit: true, date: '2027-01-15', text: 'cantine janvier' }])
      const audit = entries(siteId, 'bankStatement.imported', (r: { imported: Array<{ entryReference: string }> }) => r.imported.map((l) => l.entryReference))
      await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml) }, { audit })
      await importBankStatement(d, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml) }, { audit })
      expect((await trail('bankStatement.imported')).map((e) => e.subject.id)).toEqual(['FR7630006000019876543210123|E4'])
    })

    it('writes the reminders\' entries with the reminders recorded, and none on a replay the same day', async () => {
      const { d, siteId, trail } = await site('validated')
      const input = { siteId, today: '2027-02-01' as LocalDate, policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }, record: true }
      const audit = entries(siteId, 'invoice.reminded', (r: Array<{ invoiceId: string }>) => r.map((x) => x.invoiceId))
      expect(await selectReminders(d, input, { audit })).toHaveLength(2)
      expect(await selectReminders(d, input, { audit })).toHaveLength(0)
      expect((await trail('invoice.reminded')).map((e) => e.subject.id).sort()).toEqual(['b-2026-12:g1', 'b-2026-12:g2'])
    })
  })
}

async function validateThrow(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p
  } catch (e) {
    if (isEcoleError(e)) return { code: e.code, message: e.message }
    throw e
  }
  throw new Error('expected a refusal')
}

suite('storage-memory', async () => createMemoryStorage())
suite('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) suite('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url }))
else console.log('[ecole] ECOLE_PG_URL is not set: the audit-with-the-change tests on a PostgreSQL server are skipped')

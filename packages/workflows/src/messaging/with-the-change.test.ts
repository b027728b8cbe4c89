// Issue 15: every message is written to the outbox in the same transaction as the change that
// causes it (invoices validated, reminders recorded, tokens issued). On memory, PGlite and the
// PostgreSQL server of ECOLE_PG_URL.
import { GuardianSchema, HouseholdSchema, isEcoleError, type InvoiceBatchInput, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, selectReminders, validateDrafts, type BillingDeps } from '../billing/index'
import { openPortalAccess, requestPasswordReset } from '../sites/portal-access'
import { redeemOneTimeToken } from '../sites/tokens'
import type { MailPayload } from './mail-outbox'
import type { DocumentNotify } from './notifications'

const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const notify: DocumentNotify = { timeZone: 'Europe/Paris', locale: 'fr', sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' }
const tokenNotify = { siteName: 'École Jean-Jaurès', locale: 'fr' as const, sender: { from: '"École" <no-reply@ecole.example>' }, portalUrl: 'https://portail.example' }
const reminderPolicy = { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }

let sites = 0
const freshSite = () => `notify-${process.pid}-${Date.now().toString(36)}-${++sites}`

/** A storage whose transactions fail at commit: everything the workflow wrote is rolled back. */
function failingCommit(storage: StoragePorts): StoragePorts {
  const wrapper = Object.create(storage) as StoragePorts
  Object.defineProperty(wrapper, 'transaction', {
    value: (siteId: string, fn: (tx: never) => Promise<unknown>, options?: unknown) =>
      storage.transaction(siteId, async (tx) => {
        await fn(tx as never)
        throw new Error('commit refused')
      }, options as never),
  })
  return wrapper
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (isEcoleError(e) ? e.code : (e as Error).message))

/**
 * Three families: g1 (marie, with a joint debtor j1, jean), g2 (paul, no e-mail), g3 (zoe); one
 * invoice of 100.00 each, due 2027-01-15.
 */
async function seeded(storage: StoragePorts) {
  const siteId = freshSite()
  const guardian = (id: string, firstName: string, email?: string) =>
    storage.directory!.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id, siteId, householdId: 'h1', firstName, lastName: 'Dupont', ...(email ? { email } : {}) }))
  await storage.directory!.putDirectoryRecord(siteId, 'household', HouseholdSchema.parse({ id: 'h1', siteId, name: 'Famille Dupont' }))
  await guardian('g1', 'Marie', 'marie@example.fr')
  await guardian('j1', 'Jean', 'jean@example.fr')
  await guardian('g2', 'Paul')
  await guardian('g3', 'Zoé', 'zoe@example.fr')
  const charges: InvoiceChargeLine[] = []
  for (const payerId of ['g1', 'g2', 'g3']) {
    for (let d = 1; d <= 4; d++) {
      const date = `2026-12-0${d}` as LocalDate
      charges.push({ chargeId: `${payerId}|meal|${date}`, debtorId: payerId, jointDebtorIds: payerId === 'g1' ? ['j1'] : [], beneficiaryId: `k-${payerId}`, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 2500n, amountMinor: 2500n })
    }
  }
  const batch: InvoiceBatchInput = {
    id: 'b-2026-12', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'],
    dueDate: '2027-01-15', directDebitDate: null, portalDisplayDate: '2027-01-05', minimumAmount: '1.00',
  }
  const deps: BillingDeps = { storage, clock }
  await createInvoiceBatch(deps, { batch, charges })
  const mails = async () => (await storage.outbox!.list(siteId, {})).items.map((m) => ({ id: m.id, availableAt: m.availableAt.toISOString(), ...(m.payload as MailPayload) })).sort((a, b) => a.id.localeCompare(b.id))
  const validate = (s: StoragePorts = storage, extra: Partial<Parameters<typeof validateDrafts>[1]> = { notify }) =>
    validateDrafts({ storage: s, clock }, { siteId, batchId: 'b-2026-12', issueDate: '2027-01-04', ...extra })
  return { siteId, deps, mails, validate }
}

function scenarios(name: string, create: () => Promise<StoragePorts>) {
  describe(`messages written with the change that causes them, on ${name}`, async () => {
    const storage = await create()
    afterAll(() => storage.close())

    it('validating drafts with notify queues one notice per invoice and recipient with an e-mail (payer and joint debtor), at the display date, in the same transaction', async () => {
      const { mails, validate } = await seeded(storage)
      const invoices = await validate()
      expect(invoices.map((i) => i.number!.slice(-5))).toEqual(['00001', '00002', '00003'])
      const queued = await mails()
      expect(queued.map((m) => [m.id, m.to, m.purpose, m.availableAt])).toEqual([
        ['notice:invoice:b-2026-12:g1:g1', ['marie@example.fr'], 'invoiceAvailable', '2027-01-04T23:00:00.000Z'],
        ['notice:invoice:b-2026-12:g1:j1', ['jean@example.fr'], 'invoiceAvailable', '2027-01-04T23:00:00.000Z'],
        ['notice:invoice:b-2026-12:g3:g3', ['zoe@example.fr'], 'invoiceAvailable', '2027-01-04T23:00:00.000Z'],
      ])
      expect(queued[0]!.text).toContain(`Votre facture ${invoices[0]!.number} (100,00`)
      expect(queued[0]!.text).toContain('mardi 5 janvier 2027')
    })

    it('a replay of the validation is refused and queues nothing new', async () => {
      const { mails, validate } = await seeded(storage)
      await validate()
      const before = await mails()
      expect(await codeOf(validate())).toBe('NOTHING_TO_VALIDATE')
      expect(await mails()).toEqual(before)
    })

    it('a validation that fails at commit queues no notice and validates nothing; done again, it queues each notice once', async () => {
      const { siteId, mails, validate } = await seeded(storage)
      expect(await codeOf(validate(failingCommit(storage)))).toBe('commit refused')
      expect(await mails()).toEqual([])
      expect((await storage.invoicing!.listInvoices(siteId, { status: 'validated' })).items).toEqual([])
      const invoices = await validate()
      expect(invoices[0]!.number).toMatch(/00001$/)
      expect((await mails()).length).toBe(3)
    })

    it('a recipient whose address has a line break refuses the whole validation: nothing validated, nothing queued', async () => {
      const { siteId, mails, validate } = await seeded(storage)
      const bad: DocumentNotify = { ...notify, recipient: (id) => ({ name: id, email: id === 'g3' ? 'zoe@example.fr\r\nBcc: all@example.fr' : `${id}@example.fr` }) }
      expect(await codeOf(validate(storage, { notify: bad }))).toBe('INVALID_HEADER')
      expect(await mails()).toEqual([])
      expect((await storage.invoicing!.listInvoices(siteId, { status: 'draft' })).items).toHaveLength(3)
    })

    it('attaches to each notice the PDF of the invoice as validation numbers it, read in the validating transaction by an async callback', async () => {
      const { siteId, mails, validate } = await seeded(storage)
      const withPdf: DocumentNotify = {
        ...notify,
        attachment: async (invoiceId, context) => {
          expect(context.siteId).toBe(siteId)
          await new Promise((r) => setTimeout(r, 1)) // a renderer that takes its time
          const invoice = await context.tx.invoicing!.getInvoice(context.siteId, invoiceId)
          return { filename: `${invoice!.number}.pdf`, contentType: 'application/pdf', content: new TextEncoder().encode(`%PDF ${invoice!.number} ${invoice!.totalMinor}`) }
        },
      }
      const invoices = await validate(storage, { notify: withPdf })
      const queued = await mails()
      expect(queued.map((m) => m.attachments?.map((a) => [a.filename, Buffer.from(a.contentBase64, 'base64').toString()]))).toEqual([
        [[`${invoices[0]!.number}.pdf`, `%PDF ${invoices[0]!.number} 10000`]],
        [[`${invoices[0]!.number}.pdf`, `%PDF ${invoices[0]!.number} 10000`]],
        [[`${invoices[2]!.number}.pdf`, `%PDF ${invoices[2]!.number} 10000`]],
      ])
    })

    it('a PDF callback that throws refuses the whole validation: nothing validated, nothing queued', async () => {
      const { siteId, mails, validate } = await seeded(storage)
      const failing: DocumentNotify = { ...notify, attachment: async () => { throw new Error('renderer down') } }
      expect(await codeOf(validate(storage, { notify: failing }))).not.toBe('ok')
      expect(await mails()).toEqual([])
      expect((await storage.invoicing!.listInvoices(siteId, { status: 'draft' })).items).toHaveLength(3)
    })

    it('without notify, validation queues nothing (the old behaviour)', async () => {
      const { mails, validate } = await seeded(storage)
      expect(await validate(storage, {})).toHaveLength(3)
      expect(await mails()).toEqual([])
    })

    it('of concurrent validations of the same batch with notify, one commits and exactly one notice per recipient is queued', async () => {
      const { mails, validate } = await seeded(storage)
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => validate()))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      expect((await mails()).map((m) => m.id)).toEqual(['notice:invoice:b-2026-12:g1:g1', 'notice:invoice:b-2026-12:g1:j1', 'notice:invoice:b-2026-12:g3:g3'])
    })

    it('recording reminders with notify queues the reminder notices with them; a replay the same day queues nothing new; a failed commit neither records nor queues', async () => {
      const { siteId, deps, mails, validate } = await seeded(storage)
      await validate(storage, {})
      const args = { siteId, today: '2027-01-26' as LocalDate, policy: reminderPolicy, record: true, onPortal: true, notify }
      expect(await codeOf(selectReminders({ ...deps, storage: failingCommit(storage) }, args))).toBe('commit refused')
      expect(await mails()).toEqual([])
      expect(await codeOf(selectReminders(deps, { ...args, record: false }))).toBe('INVALID_INPUT')
      const due = await selectReminders(deps, args)
      expect(due.map((d) => d.debtorId)).toEqual(['g1', 'g2', 'g3'])
      const queued = await mails()
      expect(queued.map((m) => [m.id, m.to, m.purpose])).toEqual([
        ['notice:reminder:b-2026-12:g1:level-1:g1', ['marie@example.fr'], 'reminderAvailable'],
        ['notice:reminder:b-2026-12:g1:level-1:j1', ['jean@example.fr'], 'reminderAvailable'],
        ['notice:reminder:b-2026-12:g3:level-1:g3', ['zoe@example.fr'], 'reminderAvailable'],
      ])
      expect(queued[0]!.text).toContain('Une lettre de relance')
      expect(await selectReminders(deps, args)).toEqual([])
      expect(await mails()).toEqual(queued)
    })

    it('opening a portal access with notify queues the first-login mail (login and token) in its transaction; a replay queues nothing new; a failed commit leaves neither account nor mail', async () => {
      const { siteId, mails } = await seeded(storage)
      let n = 0
      const ids = { next: () => `${siteId}-tok-${++n}` }
      const args = { siteId, guardianId: 'g1', now: clock.now(), notify: tokenNotify }
      expect(await codeOf(openPortalAccess({ storage: failingCommit(storage), ids }, args))).toBe('commit refused')
      expect(await mails()).toEqual([])
      expect(await storage.access!.getPortalAccount(siteId, 'g1')).toBeUndefined()
      const r = await openPortalAccess({ storage, ids }, args)
      if (!r.ok) throw new Error('refused')
      const queued = await mails()
      expect(queued.map((m) => [m.id, m.to, m.purpose])).toEqual([[r.mailId, ['marie@example.fr'], 'firstLogin']])
      expect(queued[0]!.text).toContain(`Identifiant : marie@example.fr`)
      expect(queued[0]!.text).toContain(r.token)
      expect(await openPortalAccess({ storage, ids }, args)).toEqual({ ok: false, refusal: { code: 'ACCOUNT_EXISTS', guardianId: 'g1' } })
      expect(await mails()).toEqual(queued)
      // without notify, nothing is queued (the old behaviour)
      const plain = await openPortalAccess({ storage, ids }, { siteId, guardianId: 'g3', now: clock.now() })
      expect(plain.ok && plain.mailId).toBeUndefined()
      expect(await mails()).toEqual(queued)
    })

    it('a password reset with notify queues its mail with the token; a replay of the same request issues no token and queues nothing; a failed commit leaves neither', async () => {
      const { siteId, mails } = await seeded(storage)
      let n = 0
      const ids = { next: () => `${siteId}-tok-${++n}` }
      await openPortalAccess({ storage, ids }, { siteId, guardianId: 'g1', now: clock.now() })
      const args = { siteId, login: 'Marie@example.fr', now: clock.now(), notify: { ...tokenNotify, requestId: 'req-1' } }
      expect(await codeOf(requestPasswordReset({ storage: failingCommit(storage), ids }, args))).toBe('commit refused')
      expect(await mails()).toEqual([])
      const first = await requestPasswordReset({ storage, ids }, args)
      if (!first || first.replayed) throw new Error('no reset')
      const queued = await mails()
      expect(queued.map((m) => [m.id, m.to, m.purpose])).toEqual([['token:passwordReset:req-1', ['marie@example.fr'], 'passwordReset']])
      expect(queued[0]!.text).toContain(first.token)
      expect(await requestPasswordReset({ storage, ids }, args)).toEqual({ guardianId: 'g1', replayed: true, mailId: 'token:passwordReset:req-1' })
      expect(await mails()).toEqual(queued)
      // the mailed token still works: the replay issued none
      expect((await redeemOneTimeToken({ access: storage.access!, siteId, token: first.token, now: clock.now() })).ok).toBe(true)
      // an unknown login: nothing issued, nothing queued
      expect(await requestPasswordReset({ storage, ids }, { ...args, login: 'nobody@example.fr' })).toBeUndefined()
      expect(await mails()).toEqual(queued)
    })

    it('a token issued with notify inside the caller’s transaction is rolled back with the mail when the caller fails', async () => {
      const { siteId, mails } = await seeded(storage)
      const ids = { next: () => `${siteId}-tok-x` }
      const failed = storage.transaction(siteId, async (tx) => {
        const r = await openPortalAccess({ directory: tx.directory!, access: tx.access!, outbox: tx.outbox!, ids }, { siteId, guardianId: 'g3', now: clock.now(), notify: tokenNotify })
        expect(r.ok).toBe(true)
        throw new Error('the caller fails')
      })
      expect(await codeOf(failed)).toBe('the caller fails')
      expect(await mails()).toEqual([])
      expect(await storage.access!.getPortalAccount(siteId, 'g3')).toBeUndefined()
      expect(await codeOf(openPortalAccess({ directory: storage.directory!, access: storage.access!, ids }, { siteId, guardianId: 'g3', now: clock.now(), notify: tokenNotify }))).toBe('PORT_MISSING')
    })
  })
}

scenarios('storage-memory', async () => createMemoryStorage())
scenarios('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) scenarios('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 6 }))
else if (process.env['CI']) throw new Error('[ecole] CI is set but ECOLE_PG_URL is not: the in-transaction messages must run on a PostgreSQL server in CI')
else console.log('[ecole] ECOLE_PG_URL is not set: the in-transaction messages on a PostgreSQL server are skipped')

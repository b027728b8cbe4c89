/**
 * The city's month, end to end, through the public workflows, stage by stage: wallets topped up,
 * week templates planned and booked, attendance taken, charge lines priced from what the storage
 * holds, the invoice batch and its drafts, adjustments, validation with gapless numbers and the
 * notices queued in the outbox, the invoice PDFs streamed, the mails delivered to an SMTP server on
 * loopback, the direct-debit collection and its pain.008, a camt.053 statement with returns
 * imported and reconciled, and the reminders. Each stage is measured ({@link StageRecorder}); the
 * floors are measured in the same run ({@link measureFloors}); the month's invariants are checked
 * at the end ({@link checkInvariants}).
 */
import { buildPain008, parseCamt053, testCamt053, type TestCamtEntry } from '@ecole/bank'
import {
  buildChargeLines, defineSepaMandate, invoiceChargeLinesFromBilling, planWeekTemplates, prepareChargeConfig, prepareBookingContext, standardLedgerAccounts, systemAccountId,
  walletAccountId, walletPaymentReference, type BillableDay, type ChargeConfigInput, type Invoice, type InvoiceChargeLine, type LocalDate, type ReminderDue, type WeekTemplate,
} from '@ecole/core'
import type { DocumentSink, StoragePorts, StoredAttendance, StoredBooking } from '@ecole/core/ports'
import { startLoopbackSmtp, invoiceNotify, PLATFORM_ADDRESS } from '@ecole/example-billing-run/mail-notices'
import { createSmtpMailer } from '@ecole/mail-smtp'
import { createPdfRenderer, type Issuer, type PdfRequest } from '@ecole/pdf'
import {
  adjustDraft, collectDirectDebits, createInvoiceBatch, deliverOutbox, directDebitBatchOf, importBankStatement, recordAttendance, recordPayment, selectReminders, storeBookings, validateDrafts,
  type BankImportReport, type BillingDeps, type DeliveryReport,
} from '@ecole/workflows'
import {
  CITY_IBAN, CREDITOR_ID, DEBTOR_IBAN, INVOICED_SERVICE_IDS, OFFICE, SERVICES, SITE_ID, SITE_NAME, SNACK_PRICE_MINOR, cityBillingRules, cityChargeConfig,
  subscriptionsOf, topUpMinor, type City,
} from './city'
import { checkInvariants, type InvariantResult } from './invariants'
import { floorAttendance, floorBookings, floorCharges, floorDrafts, floorPdfs } from './floors'
import { StageRecorder, type StageReport } from './measure'
import type { RawSql } from './storage'

/** Options of {@link runCity}. */
export interface RunCityOptions {
  city: City
  storage: StoragePorts
  /** Raw SQL on the same database, for the floors and its size (absent in memory). */
  raw?: RawSql | undefined
  /** Invoice PDFs and notification mails (true when absent). */
  documents?: boolean | undefined
  /** Measure the floors (true when absent). */
  floors?: boolean | undefined
  /** A progress bar per stage on the terminal. */
  progress?: boolean | undefined
  log?: ((text: string) => void) | undefined
  /** Write a CPU profile (.cpuprofile, for Chrome DevTools or speedscope) of one stage. */
  profile?: { stage: string; file: string } | undefined
}

/** What the month produced, for the invariants and the report. */
export interface CityMonth {
  /** How many booking rows were stored (the rows themselves are read back from the storage, not kept). */
  bookings: number
  attendance: number
  days: number
  charges: number
  /** How many payers had charge lines. */
  chargePayers: number
  unbilled: Array<{ key: string; reason: string }>
  belowMinimumPayers: string[]
  /** The days (`beneficiary|service|date`) of the payers under the batch's minimum amount. */
  belowMinimumDays: string[]
  /** The validated invoices, without their lines (33,865 invoices with lines held some 400 MB to the end of the run). */
  invoices: InvoiceSummary[]
  adjustedInvoiceIds: string[]
  mailRecipients: number
  mailsWithoutConsent: number
  delivery?: DeliveryReport | undefined
  smtpReceived: number
  pdfs: number
  pdfBytes: number
  directDebits: { count: number; totalMinor: bigint; pain008Bytes: number }
  statement: BankImportReport
  statementEntries: number
  expectedReview: number
  returnedEndToEndIds: string[]
  reminders: ReminderDue[]
  walletGuardians: string[]
}

/** What the run keeps of a validated invoice after its PDF. */
export type InvoiceSummary = Pick<Invoice, 'id' | 'debtorId' | 'jointDebtorIds' | 'totalMinor' | 'paymentReference' | 'sequence'>

/** The JSON report of a run. */
export interface CityReport {
  children: number
  households: number
  schools: number
  month: string
  seed: number
  storage: string
  documents: boolean
  stages: StageReport[]
  /** The peak memory of the untimed parts of the run (floors, invariants). */
  phases?: Record<string, { peakRssMb: number; peakHeapMb: number }> | undefined
  totals: { wallMs: number; cpuMs: number; peakRssMb: number; databaseMb: number | null }
  counts: Record<string, number>
  invariants: InvariantResult[]
  node: string
  cpus: number
  startedAt: string
  /** V8's heap limit of the run in MB (`--heap-limit`; absent in reports written before it was recorded). */
  heapLimitMb?: number | undefined
}

const BATCH_SIZE = 2000
/** Children planned and stored at a time in the bookings stage. */
const PLAN_CHILDREN = 5000
const ISSUER: Issuer = {
  name: `${SITE_NAME} – Régie des activités périscolaires`,
  identifiers: ['SIRET 219 400 289 00018'],
  billingOffice: { name: 'Régie périscolaire', address: ['Hôtel de Ville, place Salvador Allende', '94000 Créteil'], email: 'regie@ville.example.fr', iban: CITY_IBAN, creditorId: CREDITOR_ID },
}

/** Runs the month of `options.city` on `options.storage`; answers the stages, the figures and the invariants. */

/** The SEPA mandate reference (RUM) of the household numbered `index`. */
const mandateReference = (index: number): string => `RUM-VILLE-${String(index).padStart(6, '0')}`

export async function runCity(options: RunCityOptions): Promise<{ report: Omit<CityReport, 'storage' | 'startedAt'>; month: CityMonth }> {
  const { city, storage } = options
  const log = options.log ?? ((t: string) => console.log(t))
  const documents = options.documents ?? true
  const floors = options.floors ?? true
  const rec = new StageRecorder({ progress: options.progress ?? false, log, profile: options.profile })
  let clockNow = new Date(`${city.month.from}T07:00:00Z`)
  const deps: BillingDeps = { storage, clock: { now: () => clockNow } }
  const rules = cityBillingRules(city)
  const config = cityChargeConfig(city, rules)
  const month = city.month
  const addMonth = (d: LocalDate, n: number) => {
    const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))]
    const t = new Date(Date.UTC(y, m - 1 + n, Number(d.slice(8, 10))))
    return t.toISOString().slice(0, 10) as LocalDate
  }
  const nextMonth = addMonth(month.from, 1)
  const at = (day: number) => `${nextMonth.slice(0, 8)}${String(day).padStart(2, '0')}` as LocalDate
  const walletHouseholds = city.households.filter((h) => h.prepaidWallet)
  const ddHouseholds = city.households.filter((h) => h.directDebit)
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()

  try {
    // ---- setup: ledger accounts (wallets, receivables), SEPA mandates ----
    await rec.stage('setup', 'accounts and mandates', city.names.size + ddHouseholds.length, async (p) => {
      const accounts = standardLedgerAccounts({
        currency: 'EUR', billingOffices: [{ id: OFFICE, serviceIds: Object.values(SERVICES).map((s) => s.id) }],
        guardians: [...city.names.keys()].map((g) => ({ guardianId: g, billingOfficeIds: [OFFICE] })),
      })
      for (let i = 0; i < accounts.length; i += BATCH_SIZE) {
        await storage.transaction(SITE_ID, (tx) => tx.ledger!.createAccounts(SITE_ID, accounts.slice(i, i + BATCH_SIZE)))
      }
      p.tick(city.names.size)
      for (let i = 0; i < ddHouseholds.length; i += BATCH_SIZE) {
        const chunk = ddHouseholds.slice(i, i + BATCH_SIZE)
        await storage.transaction(SITE_ID, async (tx) => {
          for (const h of chunk) {
            await tx.directory!.putDirectoryRecord(SITE_ID, 'sepaMandate', defineSepaMandate({
              id: `mandat-${h.index}`, siteId: SITE_ID, debtorId: h.guardianId, rum: mandateReference(h.index), signatureDate: '2026-09-03',
              debtorName: h.guardianName.replace('M./Mme', 'Famille'), iban: DEBTOR_IBAN,
            }))
          }
        })
        p.tick(chunk.length)
      }
      return accounts.length + ddHouseholds.length
    })

    // ---- wallets: the prepaid snack's top-ups (cash at the office) ----
    clockNow = new Date(`${addMonth(month.from, -1).slice(0, 8)}20T08:00:00Z`)
    await rec.stage('wallets', 'top-ups', walletHouseholds.length, async (p) => {
      for (const h of walletHouseholds) {
        await recordPayment(deps, {
          id: `recharge-${h.index}`, siteId: SITE_ID, billingOfficeId: OFFICE, payerId: h.guardianId, method: 'cash', product: 'goûter',
          date: clockNow.toISOString().slice(0, 10), amount: (Number(topUpMinor(h)) / 100).toFixed(2),
        })
        p.tick()
      }
      return walletHouseholds.length
    })

    // ---- bookings: week templates planned against the calendar, then stored; the snack debits the wallets ----
    // The month is planned and stored a slice of households at a time (the plans of 50,000 children
    // at once held over a gigabyte); a household's children (one wallet) stay in one slice. Only the
    // keys of the canteen and care days are kept, for the attendance stage and the floors.
    const bookedAt = new Date(`${addMonth(month.from, -1).slice(0, 8)}25T08:00:00Z`)
    let bookingCount = 0
    let bookingKeys: string[] = []
    await rec.stage('bookings', 'booking rows', city.children.length * 20, async (p) => {
      const ctx = prepareBookingContext({
        timeZone: 'Europe/Paris',
        services: [
          { id: SERVICES.canteen.id, weekdays: [...SERVICES.canteen.weekdays], startsAt: '11:30' },
          { id: SERVICES.care.id, weekdays: [...SERVICES.care.weekdays], startsAt: '16:30' },
          { id: SERVICES.centre.id, weekdays: [...SERVICES.centre.weekdays], startsAt: '08:30' },
          { id: SERVICES.snack.id, weekdays: [...SERVICES.snack.weekdays], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, startsAt: '16:30' },
        ],
        offers: city.schools.flatMap((s) => Object.values(SERVICES).map((v) => ({ serviceId: v.id, schoolId: s.id }))),
        periods: city.periods,
        publicHolidays: city.publicHolidays,
        children: city.children.map((c) => ({
          id: c.id, enrolments: [{ schoolId: c.schoolId, classId: c.classId, from: '2026-09-01' }],
          subscriptions: subscriptionsOf(city.households[c.householdIndex]!).map((s) => ({ serviceId: s, from: '2026-09-01' })),
        })),
        billingRules: rules,
        wallets: walletHouseholds.map((h) => ({ guardianId: h.guardianId, available: { amount: (Number(topUpMinor(h)) / 100).toFixed(2), currency: 'EUR' } })),
      })
      const t = (childId: string, serviceId: string, weekdays: number[]): WeekTemplate => ({ beneficiaryId: childId, serviceId, weekdays: weekdays as WeekTemplate['weekdays'], from: month.from, to: month.to, recurrence: { kind: 'everyWeek' }, mode: 'add' })
      const payerOf = new Map(city.children.map((c) => [c.id, city.households[c.householdIndex]!.guardianId]))
      for (let first = 0; first < city.children.length;) {
        // the slice: PLAN_CHILDREN children or a little more, ending at a household's last child
        let end = Math.min(first + PLAN_CHILDREN, city.children.length)
        while (end < city.children.length && city.children[end]!.householdIndex === city.children[end - 1]!.householdIndex) end++
        const templates: WeekTemplate[] = []
        for (const c of city.children.slice(first, end)) {
          const h = city.households[c.householdIndex]!
          templates.push(t(c.id, SERVICES.canteen.id, c.canteenDays))
          if (h.afterSchoolCare) templates.push(t(c.id, SERVICES.care.id, [1, 2, 4, 5]))
          if (h.wednesdayCentre) templates.push(t(c.id, SERVICES.centre.id, [3]))
          if (h.prepaidWallet) templates.push(t(c.id, SERVICES.snack.id, [1, 4]))
        }
        first = end
        const bookings: StoredBooking[] = []
        for (const plan of planWeekTemplates(ctx, templates, { at: bookedAt.toISOString(), actor: { kind: 'backOffice' } })) {
          for (const d of plan.days) {
            if (d.status === 'booked' || d.status === 'kept') {
              bookings.push({ id: `${plan.beneficiaryId}|${plan.serviceId}|${d.date}`, beneficiaryId: plan.beneficiaryId, serviceId: plan.serviceId, date: d.date, status: 'booked', bookedAt })
            }
          }
        }
        bookingCount += bookings.length
        p.setTotal(Math.max(bookingCount, Math.round((bookingCount / first) * city.children.length)))
        for (const b of bookings) bookingKeys.push(b.id)
        // a batch of 2,000 per transaction, one statement each (storeBookings: putBookings)
        const stored = await storeBookings(deps, { siteId: SITE_ID, bookings, batchSize: BATCH_SIZE, onProgress: (n) => p.tick(n) })
        const refused = stored.filter((r) => r.status === 'conflict')
        if (refused.length > 0) throw new Error(`bookings refused by the storage: ${JSON.stringify(refused.slice(0, 3))}`)
        // the snack is prepaid: its bookings debit the wallets at once
        const snack = bookings.filter((b) => b.serviceId === SERVICES.snack.id)
        for (let i = 0; i < snack.length; i += BATCH_SIZE) {
          await storage.transaction(SITE_ID, async (tx) => {
            const results = await tx.ledger!.createTransfers(SITE_ID, snack.slice(i, i + BATCH_SIZE).map((b) => ({
              id: `gouter:${b.beneficiaryId}:${b.date}`, debitAccountId: walletAccountId(payerOf.get(b.beneficiaryId)!, OFFICE),
              creditAccountId: systemAccountId('revenue', OFFICE, SERVICES.snack.id), amount: SNACK_PRICE_MINOR, currency: 'EUR', code: 'booking' as const, timestamp: bookedAt,
            })), bookedAt)
            const failed = results.filter((r) => r.status === 'failed')
            if (failed.length > 0) throw new Error(`snack bookings refused by the ledger: ${JSON.stringify(failed.slice(0, 3))}`)
          })
        }
      }
      return bookingCount
    })
    if (floors) await rec.phase('floors', () => floorBookings(rec, options.raw, bookingKeys, bookedAt))

    // ---- attendance: taken every day for canteen and care (a few absences, some excused) ----
    let attendanceCount = 0
    await rec.stage('attendance', 'attendance rows', bookingCount, async (p) => {
      // a slice of 50,000 rows at a time (the month's million rows at once held 150 MB), 2,000 per statement
      for (let i = 0; i < bookingKeys.length; i += 50_000) {
        const attendance: StoredAttendance[] = []
        for (const id of bookingKeys.slice(i, i + 50_000)) {
          const a = attendanceOf(id)
          if (a) attendance.push(a)
        }
        await recordAttendance(deps, { siteId: SITE_ID, records: attendance, batchSize: BATCH_SIZE, onProgress: (n) => p.tick(n) })
        attendanceCount += attendance.length
      }
      return attendanceCount
    })
    if (floors) await rec.phase('floors', () => floorAttendance(rec, options.raw, bookingKeys))
    bookingKeys = []

    // ---- charge lines: what the storage holds, priced ({@link priceMonth}) ----
    let dayCount = 0
    let charges: InvoiceChargeLine[] = []
    const unbilled: CityMonth['unbilled'] = []
    await rec.stage('charges', 'billable days', bookingCount, async (p) => {
      const priced = await priceMonth(storage, config, month, (n) => p.tick(n))
      dayCount = priced.days
      unbilled.push(...priced.unbilled)
      charges = priced.charges
      return dayCount
    })
    if (floors) await rec.phase('floors', () => floorCharges(rec, options.raw, month))

    // ---- the invoice batch and its drafts ----
    const batchId = `factures-${month.label}`
    let belowMinimumPayers: string[] = []
    let draftCount = 0
    clockNow = new Date(`${at(1)}T08:00:00Z`)
    await rec.stage('drafts', 'drafts', city.names.size, async () => {
      const r = await createInvoiceBatch(deps, {
        batch: {
          id: batchId, siteId: SITE_ID, billingOfficeId: OFFICE, period: { from: month.from, to: month.to }, serviceIds: [...INVOICED_SERVICE_IDS],
          dueDate: at(15), directDebitDate: at(10), portalDisplayDate: at(3), minimumAmount: '5.00', label: `Factures ${month.label}`,
        },
        charges,
      })
      belowMinimumPayers = r.belowMinimum.map((b) => b.debtorId)
      draftCount = r.drafts.length
      return r.drafts.length
    })
    if (floors) await rec.phase('floors', () => floorDrafts(rec, options.raw, charges))
    // what the invariants need of the charge lines, then they are dropped (a million lines: 400 MB)
    const chargeCount = charges.length
    const chargePayers = new Set(charges.map((c) => c.debtorId)).size
    const belowMinimum = new Set(belowMinimumPayers)
    const belowMinimumDays = charges.filter((c) => belowMinimum.has(c.debtorId)).map((c) => `${c.beneficiaryId}|${c.serviceId}|${c.date}`)
    charges = []

    // ---- adjustments: one draft in fifty gets a reduction (an outing: a meal not taken) ----
    const adjustedInvoiceIds: string[] = []
    await rec.stage('adjustments', 'adjusted drafts', Math.ceil(draftCount / 50), async (p) => {
      const drafts: Invoice[] = []
      let after: string | undefined
      do {
        const page = await storage.invoicing!.listInvoices(SITE_ID, { batchId, status: 'draft' }, { limit: 2000, ...(after ? { after } : {}) })
        drafts.push(...page.items)
        after = page.next
      } while (after)
      for (const d of drafts.filter((_, i) => i % 50 === 0)) {
        const line = d.lines[0]!
        await adjustDraft(deps, { siteId: SITE_ID, invoiceId: d.id, change: { add: { id: 'reduc-sortie', kind: 'reduction', reason: 'Sortie scolaire (repas non pris)', percent: '10', lineId: line.id } } })
        adjustedInvoiceIds.push(d.id)
        p.tick()
      }
      return adjustedInvoiceIds.length
    })

    // ---- validation: gapless numbers, payment references, notices queued in the same transaction ----
    const consent = new Map<string, boolean>()
    for (const h of city.households) {
      consent.set(h.guardianId, h.mailConsent)
      if (h.separated) consent.set(h.separated.guardianId, h.mailConsent)
      if (h.jointDebtor) consent.set(h.jointDebtor.guardianId, h.mailConsent)
    }
    let mailRecipients = 0
    let mailsWithoutConsent = 0
    const notify = invoiceNotify({ siteName: SITE_NAME, names: city.names })
    let invoices: Invoice[] = []
    await rec.stage('validation', 'invoices', draftCount, async () => {
      invoices = await validateDrafts(deps, {
        siteId: SITE_ID, batchId, issueDate: at(1), numbering: { prefix: 'FAC-{YYYY}-', digits: 6 }, paymentReferences: { scheme: 'rf', siteCode: '094' },
        ...(documents ? {
          notify: {
            ...notify,
            recipient: (guardianId: string) => {
              const name = city.names.get(guardianId) ?? guardianId
              return consent.get(guardianId) === false ? { name } : { name, email: `${guardianId}@familles.example` }
            },
          },
        } : {}),
      })
      return invoices.length
    })
    for (const i of invoices) {
      for (const g of new Set([i.debtorId, ...i.jointDebtorIds])) {
        if (consent.get(g) === false) mailsWithoutConsent++
        else mailRecipients++
      }
    }

    // ---- invoice PDFs, streamed from the storage to a sink that counts bytes ----
    let pdfs = 0
    let pdfBytes = 0
    const childName = new Map(city.children.map((c) => [c.id, `${c.id.replace('enf-', 'Enfant ')}`]))
    const services = Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.label]))
    // debited only when its payer signed a mandate (the collection leaves the others out): without
    // one, the invoice is printed to be paid by transfer
    const rumOf = new Map(ddHouseholds.map((h) => [h.guardianId, mandateReference(h.index)]))
    const invoiceRequest = (invoice: Invoice): PdfRequest => {
      const rum = invoice.directDebitDate === null ? undefined : rumOf.get(invoice.debtorId)
      const names: Record<string, string> = { [invoice.debtorId]: city.names.get(invoice.debtorId) ?? invoice.debtorId }
      for (const j of invoice.jointDebtorIds) names[j] = city.names.get(j) ?? j
      for (const l of invoice.lines) names[l.beneficiaryId] = childName.get(l.beneficiaryId) ?? l.beneficiaryId
      return {
        kind: 'invoice',
        data: {
          language: 'fr', issuer: ISSUER, printedOn: invoice.issueDate!, invoice: rum === undefined ? { ...invoice, directDebitDate: null } : invoice, names, services,
          payer: { name: names[invoice.debtorId]!, address: ['1 rue de la Mairie', '94000 Créteil'] },
          ...(rum === undefined ? {} : { mandate: { reference: rum } }),
        },
      }
    }
    if (documents) {
      await rec.stage('pdfs', 'invoice PDFs', invoices.length, async (p) => {
        const sink: DocumentSink = {
          async write(_info, chunks) {
            for await (const c of chunks) pdfBytes += c.byteLength
          },
        }
        async function* requests(): AsyncGenerator<PdfRequest> {
          let after: string | undefined
          do {
            const page = await storage.invoicing!.listInvoices(SITE_ID, { batchId, status: 'validated' }, { limit: 500, ...(after ? { after } : {}) })
            for (const inv of page.items) yield invoiceRequest(inv)
            after = page.next
          } while (after)
        }
        const r = await createPdfRenderer().renderBatch(requests(), sink, { total: invoices.length, onProgress: () => p.tick() })
        pdfs = r.count
        return r.count
      })
      if (floors) await rec.phase('floors', () => floorPdfs(rec, invoices, invoiceRequest))
    }
    // the rest of the month needs the invoices' payers, totals and references, not their lines
    const summaries: InvoiceSummary[] = invoices.map((i) => ({ id: i.id, debtorId: i.debtorId, jointDebtorIds: i.jointDebtorIds, totalMinor: i.totalMinor, paymentReference: i.paymentReference, sequence: i.sequence }))
    invoices = []

    // ---- notification mails: the outbox worker delivers to an SMTP server on loopback ----
    let delivery: DeliveryReport | undefined
    let smtpReceived = 0
    if (documents) {
      await rec.stage('mails', 'mails', mailRecipients, async (p) => {
        const smtp = await startLoopbackSmtp({ keep: false })
        const mailer = createSmtpMailer({ platform: { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: PLATFORM_ADDRESS } })
        let shown = 0
        const ticker = setInterval(() => {
          const n = smtp.count()
          p.tick(n - shown)
          shown = n
        }, 200)
        try {
          delivery = await deliverOutbox({ outbox: storage.outbox!, mailer, clock: { now: () => new Date(`${at(4)}T08:00:00Z`) } }, SITE_ID, { messageIdDomain: 'ville.example', batchSize: 200, concurrency: 5 })
        } finally {
          clearInterval(ticker)
          await mailer.close()
          smtpReceived = smtp.count()
          await smtp.close()
        }
        return delivery.delivered
      })
    }

    // ---- direct debits: the collection and its pain.008 ----
    let dd: Awaited<ReturnType<typeof collectDirectDebits>> = { instructions: [], excluded: [] } as unknown as Awaited<ReturnType<typeof collectDirectDebits>>
    let pain008 = ''
    clockNow = new Date(`${at(5)}T08:00:00Z`)
    await rec.stage('directDebits', 'debits', ddHouseholds.length, async () => {
      dd = await collectDirectDebits(deps, { siteId: SITE_ID, batchId, collectionDate: at(10), endToEndPrefix: `PRLV${month.label.replace('-', '')}-`, product: 'périscolaire' })
      pain008 = buildPain008(directDebitBatchOf(dd.instructions, {
        messageId: `PRLV-${at(10)}`, createdAt: `${at(5)}T09:00:00+01:00`, collectionDate: at(10),
        creditor: { name: 'Regie periscolaire', iban: CITY_IBAN, creditorId: CREDITOR_ID, address: { town: 'Creteil', country: 'FR' } },
      }))
      return dd.instructions.length
    })

    // ---- the bank statement: debits settled, 2 % returned, transfers by payment reference, one unknown ----
    let statement: BankImportReport = { imported: [], duplicates: [] } as unknown as BankImportReport
    const returnedEndToEndIds: string[] = []
    let statementEntries = 0
    const expectedReview = 1
    clockNow = new Date(`${at(20)}T08:00:00Z`)
    await rec.stage('statement', 'statement entries', dd.instructions.length + summaries.length / 4, async () => {
      const entries: TestCamtEntry[] = []
      dd.instructions.forEach((i, n) => {
        entries.push({ ref: `BQ-DD-${n + 1}`, cents: i.amountMinor, credit: true, date: at(10), endToEndId: i.endToEndId, debtorName: i.debtorName })
      })
      dd.instructions.forEach((i, n) => {
        if (n % 50 !== 7) return
        returnedEndToEndIds.push(i.endToEndId)
        entries.push({ ref: `BQ-RET-${n + 1}`, cents: i.amountMinor, credit: false, date: at(13), endToEndId: i.endToEndId, returnCode: 'AM04', debtorName: i.debtorName })
      })
      const ddPayers = new Set(ddHouseholds.map((h) => h.guardianId))
      summaries.filter((i) => !ddPayers.has(i.debtorId) && hash(i.id) % 3 === 0).forEach((i, n) => {
        entries.push({ ref: `BQ-VIR-${n + 1}`, cents: i.totalMinor, credit: true, date: at(12), structured: { reference: i.paymentReference!, issuer: 'ISO' }, debtorName: city.names.get(i.debtorId) })
      })
      walletHouseholds.slice(0, 20).forEach((h, n) => {
        entries.push({ ref: `BQ-WAL-${n + 1}`, cents: 1500n, credit: true, date: at(14), structured: { reference: walletPaymentReference({ scheme: 'rf', siteCode: '094' }, h.index + 1).electronic, issuer: 'ISO' }, debtorName: h.guardianName })
      })
      entries.push({ ref: 'BQ-INCONNU-1', cents: 1234n, credit: true, date: at(18), text: 'VIR CANTINE', debtorName: 'Inconnu' })
      statementEntries = entries.length
      const xml = testCamt053(CITY_IBAN, entries)
      statement = await importBankStatement(deps, {
        siteId: SITE_ID, billingOfficeId: OFFICE, statements: parseCamt053(xml),
        wallets: walletHouseholds.slice(0, 20).map((h) => ({ payerId: h.guardianId, reference: walletPaymentReference({ scheme: 'rf', siteCode: '094' }, h.index + 1).electronic })),
      })
      return entries.length
    })

    // ---- reminders: ten days after the due date ----
    let reminders: ReminderDue[] = []
    clockNow = new Date(`${at(26)}T08:00:00Z`)
    await rec.stage('reminders', 'reminders', summaries.length / 2, async () => {
      reminders = await selectReminders(deps, { siteId: SITE_ID, today: at(26), policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }] }, record: true, onPortal: true })
      return reminders.length
    })

    const monthResult: CityMonth = {
      bookings: bookingCount, attendance: attendanceCount, days: dayCount, charges: chargeCount, chargePayers, unbilled, belowMinimumPayers, belowMinimumDays, invoices: summaries, adjustedInvoiceIds, mailRecipients, mailsWithoutConsent, delivery, smtpReceived,
      pdfs, pdfBytes, directDebits: { count: dd.instructions.length, totalMinor: dd.instructions.reduce((s, i) => s + i.amountMinor, 0n), pain008Bytes: pain008.length },
      statement, statementEntries, expectedReview, returnedEndToEndIds, reminders, walletGuardians: walletHouseholds.map((h) => h.guardianId),
    }

    // ---- invariants (not timed as a stage of the month) ----
    const invariants = await rec.phase('invariants', () => checkInvariants({ city, storage, month: monthResult, documents }))

    const databaseMb = options.raw ? Number((await options.raw.query<{ size: string }>('SELECT pg_database_size(current_database())::text AS size'))[0]!.size) / 1024 / 1024 : null
    const cpu = process.cpuUsage(cpu0)
    return {
      report: {
        children: city.children.length, households: city.households.length, schools: city.schools.length, month: month.label, seed: city.seed, documents,
        stages: rec.stages,
        phases: rec.phases,
        totals: { wallMs: Math.round(rec.stages.reduce((s, x) => s + x.wallMs, 0)), cpuMs: Math.round(rec.stages.reduce((s, x) => s + x.cpuMs, 0)), peakRssMb: StageRecorder.maxRssMb(), databaseMb: databaseMb === null ? null : Math.round(databaseMb) },
        counts: {
          bookings: bookingCount, attendance: attendanceCount, billableDays: dayCount, chargeLines: chargeCount, unbilled: unbilled.length, invoices: summaries.length,
          belowMinimum: belowMinimumPayers.length, adjusted: adjustedInvoiceIds.length, pdfs, pdfBytes, mails: delivery?.delivered ?? 0, mailsWithoutConsent,
          directDebits: dd.instructions.length, pain008Bytes: pain008.length, statementEntries, returns: returnedEndToEndIds.length, reminders: reminders.length,
          elapsedMs: Math.round(performance.now() - t0), processCpuMs: Math.round((cpu.user + cpu.system) / 1000),
        },
        invariants,
        node: process.version, cpus: (await import('node:os')).cpus().length,
      },
      month: monthResult,
    }
  } finally {
    rec.stop()
  }
}

/**
 * The charges stage's work: the month's booked days read back from the storage, then priced with
 * the city's rules ({@link buildChargeLines}) into invoice charge lines.
 *
 * - `read: 'booked-days'` (the default when the store has it): `listBookedDays`, one row per child
 *   and service with the attendance of each day joined by the store (on PostgreSQL one statement
 *   a page of up to 50,000 such rows: a 50,000-child month in 3 statements and about 140,000 rows
 *   instead of 205 statements and two million rows).
 * - `read: 'listings'`: the month's bookings read in day order, each page turned into billable
 *   days at once, joined to the attendance of its day only (read alongside, a day at a time).
 *
 * The stored bookings are not kept (a million of them held 200 MB), nor the month's attendance.
 * Both reads give the same charge lines (the days come in another order; the lines and their
 * groups are sorted, `unbilled` follows the days' order).
 */
export async function priceMonth(
  storage: StoragePorts, config: ChargeConfigInput, month: City['month'], tick: (n: number) => void = () => undefined,
  options: { read?: 'booked-days' | 'listings' } = {},
): Promise<{ days: number; charges: InvoiceChargeLine[]; unbilled: Array<{ key: string; reason: string }> }> {
  const bookings = storage.bookings!
  const read = options.read ?? (bookings.listBookedDays !== undefined ? 'booked-days' : 'listings')
  let days = read === 'booked-days' ? await bookedDaysOfMonth(bookings, month) : await billableDaysFromListings(bookings, month)
  const dayCount = days.length
  tick(dayCount / 2)
  const priced = buildChargeLines(prepareChargeConfig(config), days, { period: { from: month.from, to: month.to } })
  days = []
  const unbilled = priced.unbilled.map((u) => ({ key: `${u.day.beneficiaryId}|${u.day.serviceId}|${u.day.date}`, reason: u.reason }))
  const charges = invoiceChargeLinesFromBilling(priced.groups)
  tick(dayCount / 2)
  return { days: dayCount, charges, unbilled }
}

/** The month's billable days from `listBookedDays` (pages of 50,000 child-and-service rows, the PostgreSQL adapter's cap, read ahead). */
async function bookedDaysOfMonth(bookings: NonNullable<StoragePorts['bookings']>, month: City['month']): Promise<BillableDay[]> {
  const listBookedDays = bookings.listBookedDays!.bind(bookings)
  const page = prefetching((after) => listBookedDays(SITE_ID, { from: month.from, to: month.to }, { limit: 50_000, ...(after ? { after } : {}) }))
  const days: BillableDay[] = []
  let after: string | undefined
  do {
    const p = await page(after)
    for (const row of p.items) {
      const { beneficiaryId, serviceId, dates, attendance } = row
      for (let i = 0; i < dates.length; i++) {
        const s = attendance[i]
        days.push({ beneficiaryId, serviceId, date: dates[i]!, booked: true, attended: s === undefined || s === 'present', justifiedAbsence: s === 'excused' })
      }
    }
    after = p.next
  } while (after)
  return days
}

/** The month's billable days from `listBookings` and `listAttendance` in day order (pages of 10,000, read ahead). */
async function billableDaysFromListings(bookings: NonNullable<StoragePorts['bookings']>, month: City['month']): Promise<BillableDay[]> {
  // pages of 10,000 (the PostgreSQL adapter's cap for these two listings), each asked for as
  // soon as the one before it arrives: the server reads the next page while this one is priced
  const attendanceOfDay = dayReader(prefetching((after) => bookings.listAttendance(SITE_ID, { from: month.from, to: month.to }, { limit: 10_000, ...(after ? { after } : {}) })))
  const bookingPage = prefetching((after) => bookings.listBookings(SITE_ID, { from: month.from, to: month.to }, { limit: 10_000, ...(after ? { after } : {}) }))
  const present = new Map<string, StoredAttendance['status']>()
  let day = ''
  const days: BillableDay[] = []
  let after: string | undefined
  do {
    const page = await bookingPage(after)
    for (const b of page.items) {
      if (b.date !== day) {
        day = b.date
        present.clear()
        for (const a of await attendanceOfDay(day)) present.set(`${a.beneficiaryId}|${a.serviceId}`, a.status)
      }
      if (b.status !== 'booked') continue
      const s = present.get(`${b.beneficiaryId}|${b.serviceId}`)
      days.push({ beneficiaryId: b.beneficiaryId, serviceId: b.serviceId, date: b.date, booked: true, attended: s === undefined ? true : s === 'present', justifiedAbsence: s === 'excused' })
    }
    after = page.next
  } while (after)
  return days
}

/**
 * A keyset listing read ahead: when a page arrives with a `next` cursor, the page after it is
 * asked for at once, and the call for that cursor answers it; the caller works on one page while
 * the storage reads the next (two connections of the pool outside a transaction). A read ahead
 * that fails fails the call that asks for its cursor.
 */
export function prefetching<T>(list: (after: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): (after: string | undefined) => Promise<{ items: T[]; next?: string | undefined }> {
  let ahead: { after: string; page: Promise<{ items: T[]; next?: string | undefined }> } | undefined
  return (after) => {
    const page = ahead !== undefined && ahead.after === after ? ahead.page : list(after)
    ahead = undefined
    return page.then((p) => {
      if (p.next !== undefined) {
        const next = list(p.next)
        // not an unhandled rejection while nobody asks for it; the call that asks gets the error
        next.catch(() => undefined)
        ahead = { after: p.next, page: next }
      }
      return p
    })
  }
}

/**
 * Reads a listing that comes in day order a day at a time: `(day)` answers the items of `day`,
 * reading pages as far as needed (the days asked must not decrease; earlier items are skipped).
 */
export function dayReader<T extends { date: string }>(list: (after: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>): (day: string) => Promise<T[]> {
  let buffer: T[] = []
  let i = 0
  let after: string | undefined
  let done = false
  return async (day) => {
    const out: T[] = []
    for (;;) {
      while (i < buffer.length) {
        const x = buffer[i]!
        if (x.date > day) return out
        i++
        if (x.date === day) out.push(x)
      }
      if (done) return out
      const page = await list(after)
      buffer = page.items
      i = 0
      after = page.next
      if (after === undefined) done = true
    }
  }
}

/** The attendance taken for the booking `id` (`child|service|date`): canteen and care only, 3 % excused, 5 % absent. */
export function attendanceOf(id: string): StoredAttendance | undefined {
  const [beneficiaryId, serviceId, date] = id.split('|') as [string, string, LocalDate]
  if (serviceId !== SERVICES.canteen.id && serviceId !== SERVICES.care.id) return undefined
  const n = (hash(id) >>> 0) % 100
  return { beneficiaryId, serviceId, date, status: n < 3 ? 'excused' : n < 8 ? 'absent' : 'present', recordedAt: new Date(`${date}T17:00:00Z`) }
}

/** A stable 32-bit hash of a string (FNV-1a): the month's "random" absences and payments. */
export function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * The README's main job: December 2026 and January 2027 of a French school (zone C), end to end.
 * `runDemo` returns the figures it printed so a test can check them.
 */
import { buildPain008, parseCamt053 } from '@ecole/bank'
import {
  buildChargeLines, defineSepaMandate, prepareChargeConfig, invoiceBalance, invoiceChargeLinesFromBilling, isoWeek, planWeekTemplates,
  prepareBookingContext, publicHolidayDates, schoolHolidays, standardLedgerAccounts, systemAccountId, walletAccountId, walletPaymentReference,
  formatIsoWeek, type BillableDay, type ChargeConfigInput, type Invoice, type LocalDate, type ReminderDue, type WeekTemplate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import {
  adjustDraft, collectDirectDebits, createDeposit, createInvoiceBatch, directDebitBatchOf, importBankStatement, recordPayment, selectReminders, validateDrafts,
  type BankImportReport, type BillingDeps, type InvoiceBatchProgress,
} from '@ecole/workflows'
import { testCamt053 as camt053 } from '@ecole/bank'
import { CREDITOR_ID, demoBillingRules, demoFamilies, demoPeriods, demoPricing, demoQuotients, guardianNames, OFFICE, SCHOOL, SCHOOL_IBAN, SERVICES, SITE_ID } from './demo-site'
import { euros, table } from './print'
import { deliverInvoiceNotices, invoiceNotify, type DeliveredMail } from './mail-notices'

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The storage to run on (PGlite, a PostgreSQL server or memory); the caller opens and closes it. */
  storage: StoragePorts
  /** Where output goes (console.log by default; a no-op for tests). */
  log?: (text: string) => void
  /** Where the pain.008 is written, if anywhere. */
  writeFile?: (name: string, content: string) => void
}

/** The key figures of a run. */
export interface DemoResult {
  children: number
  bookings: Record<string, number>
  week53Payers: Array<{ week: string; payer: string }>
  decemberInvoices: Invoice[]
  januaryInvoices: Invoice[]
  rebilledDrafts: number
  adjustedInvoiceTotal: { before: bigint; after: bigint }
  depositTotalMinor: bigint
  directDebits: { count: number; totalMinor: bigint; pain008Bytes: number }
  statement: BankImportReport
  reimport: BankImportReport
  returnedPaymentStatus: string
  reminders: ReminderDue[]
  walletBalances: Array<{ guardianId: string; availableMinor: bigint }>
  invoiceMails: DeliveredMail[]
  /** The camt.053 statement the demo imported (the back office's month test uploads the same file). */
  statementXml: string
}

const SNACK_PRICE = 80n
const AT = '2026-11-20T08:00:00Z'

/**
 * What the demo school sets up in storage before it bills a month: the ledger's accounts (one
 * prepaid wallet per guardian and billing office), the top-ups the wallet families paid in cash
 * at the office on 2026-11-20 (20,00 or 40,00 EUR) and the SEPA mandates of the direct-debit
 * families (read when the collection is made). The directory itself (families, rules, tariffs)
 * is the demo's configuration, stored by the web host's seed. {@link runDemo} starts with it; a
 * back office that bills the month on screen starts from it too (with `walletTopUps: false` when
 * it records the top-ups at its desk).
 *
 * @example
 * const storage = await createPostgresStorage({ pglite: {} })
 * await seedDemoSetup(storage) // then bill December through the back office
 */
export async function seedDemoSetup(storage: StoragePorts, options: { walletTopUps?: boolean } = {}): Promise<void> {
  const families = demoFamilies()
  const names = guardianNames(families)
  const deps: BillingDeps = { storage, clock: { now: () => new Date(AT) } }
  await storage.transaction(SITE_ID, async (tx) => {
    await tx.ledger!.createAccounts(SITE_ID, standardLedgerAccounts({
      currency: 'EUR', billingOffices: [{ id: OFFICE, serviceIds: Object.values(SERVICES).map((s) => s.id) }],
      guardians: [...names.keys()].map((g) => ({ guardianId: g, billingOfficeIds: [OFFICE] })),
    }))
  })
  // the top-ups paid at the desk (a back office that records them on screen passes walletTopUps: false)
  for (const f of options.walletTopUps === false ? [] : families.filter((x) => x.prepaidWallet)) {
    await recordPayment(deps, { id: `recharge-${f.index}`, siteId: SITE_ID, billingOfficeId: OFFICE, payerId: f.guardianId, method: 'cash', product: 'goûter', date: '2026-11-20', amount: f.index % 2 === 0 ? '40.00' : '20.00' })
  }
  await storage.transaction(SITE_ID, async (tx) => {
    for (const f of families.filter((x) => x.directDebit)) {
      await tx.directory!.putDirectoryRecord(SITE_ID, 'sepaMandate', defineSepaMandate({ id: `mandat-${f.index}`, siteId: SITE_ID, debtorId: f.guardianId, rum: `RUM-JAURES-${String(f.index).padStart(4, '0')}`, signatureDate: '2026-09-03', debtorName: f.guardianName.replace('M./Mme', 'Famille'), iban: 'FR7630006000011234567890189' }))
    }
  })
}

/** Runs the demo on the given storage and prints its tables. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const log = options.log ?? ((t: string) => console.log(t))
  const step = (t: string) => log(`\n== ${t}`)
  const progress = (t: string) => log(`   ... ${t}`)
  const batchProgress = (p: InvoiceBatchProgress) => progress(`${p.step} ${p.done}/${p.total}`)
  let clockNow = new Date('2026-11-20T08:00:00Z')
  const deps: BillingDeps = { storage: options.storage, clock: { now: () => clockNow } }
  const families = demoFamilies()
  const names = guardianNames(families)
  const children = families.flatMap((f) => f.children)
  const christmas = schoolHolidays('FR-C', '2026-2027').find((h) => h.name.includes('Noël'))!
  const holidays = publicHolidayDates({ country: 'FR' }, 2026, 2027)

  step('Site: École Jean-Jaurès, Créteil (zone C)')
  log(table(['', ''], [
    ['children', `${children.length} in 2 classes (CP ${children.filter((c) => c.classId === 'cp').length}, CE1 ${children.filter((c) => c.classId === 'ce1').length})`],
    ['families', `${families.length} (family 3: separated parents on alternate ISO weeks; family 5: a joint debtor)`],
    ['Christmas holidays', `${christmas.from} .. ${christmas.to}: canteen closed, holiday centre open`],
    ['tariffs', 'canteen by family quotient (1,00 € under QF 700, 3,20 € under 1200, 4,15 € above, 4,60 € without QF); care 2,50 €; centre 12,00 €/day; snack 0,80 € prepaid'],
  ]))

  // ---- ledger: wallets for the prepaid snack (and the SEPA mandates, read at the collection) ----
  step('Prepaid wallets: top-ups, then snack bookings debit the balance at once')
  await seedDemoSetup(options.storage)
  const walletFamilies = families.filter((f) => f.prepaidWallet)
  log(`   ${walletFamilies.length} families topped up their wallet (cash at the office)`)

  // ---- bookings from week templates ----
  step('Bookings from week templates (December 2026 and January 2027)')
  const ctx = prepareBookingContext({
    timeZone: 'Europe/Paris',
    services: [
      { id: SERVICES.canteen.id, weekdays: [...SERVICES.canteen.weekdays], startsAt: '11:30' },
      { id: SERVICES.care.id, weekdays: [...SERVICES.care.weekdays], startsAt: '16:30' },
      { id: SERVICES.centre.id, weekdays: [...SERVICES.centre.weekdays], openingsOnly: true, startsAt: '08:30' },
      { id: SERVICES.snack.id, weekdays: [...SERVICES.snack.weekdays], payment: 'prepaid', price: { amount: '0.80', currency: 'EUR' }, startsAt: '16:30' },
    ],
    offers: Object.values(SERVICES).map((s) => ({ serviceId: s.id, schoolId: SCHOOL })),
    periods: demoPeriods(christmas),
    publicHolidays: holidays,
    children: children.map((c) => {
      const f = families[c.familyIndex - 1]!
      const subs = [SERVICES.canteen.id, ...(f.afterSchoolCare ? [SERVICES.care.id] : []), ...(f.holidayCentre ? [SERVICES.centre.id] : []), ...(f.prepaidWallet ? [SERVICES.snack.id] : [])]
      return { id: c.id, enrolments: [{ schoolId: SCHOOL, classId: c.classId, from: '2026-09-01' }], subscriptions: subs.map((s) => ({ serviceId: s, from: '2026-09-01' })) }
    }),
    billingRules: demoBillingRules(families),
    wallets: walletFamilies.map((f) => ({ guardianId: f.guardianId, available: { amount: f.index % 2 === 0 ? '40.00' : '20.00', currency: 'EUR' } })),
  })
  const templates: WeekTemplate[] = []
  for (const c of children) {
    const f = families[c.familyIndex - 1]!
    const t = (serviceId: string, weekdays: number[], from: LocalDate, to: LocalDate): WeekTemplate => ({ beneficiaryId: c.id, serviceId, weekdays: weekdays as WeekTemplate['weekdays'], from, to, recurrence: { kind: 'everyWeek' }, mode: 'add' })
    templates.push(t(SERVICES.canteen.id, [1, 2, 4, 5], '2026-12-01', '2027-01-29'))
    if (f.afterSchoolCare) templates.push(t(SERVICES.care.id, [1, 2, 4, 5], '2026-12-01', '2027-01-29'))
    if (f.holidayCentre) templates.push(t(SERVICES.centre.id, [1, 2, 3, 4, 5], christmas.from, christmas.to))
    if (f.prepaidWallet) templates.push(t(SERVICES.snack.id, [1, 2, 4, 5], '2026-12-01', '2026-12-18'))
  }
  progress(`planning ${templates.length} week templates`)
  const plans = planWeekTemplates(ctx, templates, { at: AT, actor: { kind: 'backOffice' } })
  const booked = new Map<string, Array<{ childId: string; date: LocalDate }>>()
  const refusedBy = new Map<string, number>()
  for (const p of plans) {
    for (const d of p.days) {
      if (d.status === 'booked' || d.status === 'kept') booked.set(p.serviceId, [...(booked.get(p.serviceId) ?? []), { childId: p.beneficiaryId, date: d.date }])
      else for (const r of d.reasons ?? []) refusedBy.set(`${p.serviceId} ${r.code}`, (refusedBy.get(`${p.serviceId} ${r.code}`) ?? 0) + 1)
    }
  }
  const bookings = Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, booked.get(s.id)?.length ?? 0]))
  log(table(['service', 'booked days', 'refused (reason)'], Object.values(SERVICES).map((s) => [
    s.label, booked.get(s.id)?.length ?? 0, [...refusedBy].filter(([k]) => k.startsWith(`${s.id} `)).map(([k, n]) => `${n} ${k.split(' ')[1]}`).join(', ') || '-',
  ]), ['l', 'r', 'l']))

  // snack bookings debit the wallets at once (posted transfers)
  await options.storage.transaction(SITE_ID, async (tx) => {
    const transfers = (booked.get(SERVICES.snack.id) ?? []).map((b) => {
      const payer = families[children.find((c) => c.id === b.childId)!.familyIndex - 1]!.guardianId
      return { id: `gouter:${b.childId}:${b.date}`, debitAccountId: walletAccountId(payer, OFFICE), creditAccountId: systemAccountId('revenue', OFFICE, SERVICES.snack.id), amount: SNACK_PRICE, currency: 'EUR', code: 'booking' as const, timestamp: new Date(`${b.date}T06:00:00Z`) }
    })
    const results = await tx.ledger!.createTransfers(SITE_ID, transfers, clockNow)
    const failed = results.filter((r) => r.status === 'failed')
    if (failed.length > 0) throw new Error(`snack bookings refused by the ledger: ${JSON.stringify(failed.slice(0, 3))}`)
  })

  // ---- attendance: after-school care is billed on attendance; two canteen days excused ----
  const days: BillableDay[] = []
  for (const [serviceId, list] of booked) {
    for (const b of list) {
      const n = Number(b.childId.slice(-2)) + Number(b.date.slice(8, 10))
      days.push({
        beneficiaryId: b.childId, serviceId, date: b.date, booked: true,
        attended: serviceId === SERVICES.care.id ? n % 5 !== 0 : true,
        justifiedAbsence: serviceId === SERVICES.canteen.id && b.childId === 'enfant-07' && (b.date === '2026-12-10' || b.date === '2026-12-11'),
      })
    }
  }
  const config: ChargeConfigInput = {
    rules: demoBillingRules(families),
    services: Object.values(SERVICES).map((s) => ({ id: s.id, billing: s.id === SERVICES.snack.id ? 'prepaid' : 'invoiced', billingOfficeId: OFFICE })),
    billingOffices: [{ id: OFFICE, currency: 'EUR', roundingMode: 'halfUp' }],
    pricing: demoPricing(),
    beneficiaries: children.map((c) => ({ id: c.id, birthDate: c.birthDate })),
    quotients: demoQuotients(families),
    subscriptions: children.flatMap((c) => Object.values(SERVICES).map((s) => ({ beneficiaryId: c.id, serviceId: s.id, from: '2026-09-01' }))),
  }
  step('Charge lines (billing rules, QF tariffs, billing modes)')
  progress(`pricing ${days.length} billable days`)
  const priced = buildChargeLines(prepareChargeConfig(config), days)
  const unbilledBy = new Map<string, number>()
  for (const u of priced.unbilled) unbilledBy.set(u.reason, (unbilledBy.get(u.reason) ?? 0) + 1)
  const charges = invoiceChargeLinesFromBilling(priced.groups)
  log(table(['', ''], [['charge lines (per day and payer)', String(charges.length)], ['not invoiced', [...unbilledBy].map(([r, n]) => `${n} ${r}`).join(', ') || '-']]))

  // week 53: who pays for family 3's children, week by week
  const sep = families[2]!
  const week53Payers: Array<{ week: string; payer: string }> = []
  const weeks = new Map<string, Set<string>>()
  for (const c of charges) {
    if (!sep.children.some((k) => k.id === c.beneficiaryId)) continue
    const w = formatIsoWeek(isoWeek(c.date))
    weeks.set(w, (weeks.get(w) ?? new Set()).add(names.get(c.debtorId) ?? c.debtorId))
  }
  for (const [w, payers] of [...weeks].sort()) week53Payers.push({ week: w, payer: [...payers].join(' + ') })
  step("Separated parents on ISO week parity: 2026-W53 and 2027-W01 both go to the odd-week parent (week-53 policy 'odd')")
  log(table(['ISO week', 'billed to'], week53Payers.map((w) => [w.week, w.payer])))

  // ---- December batch ----
  step('December batch: period, billing office, services, due / direct-debit / portal dates')
  clockNow = new Date('2027-01-04T08:00:00Z')
  const batchDec = {
    id: 'factures-2026-12', siteId: SITE_ID, billingOfficeId: OFFICE, period: { from: '2026-12-01' as LocalDate, to: '2026-12-31' as LocalDate },
    serviceIds: [SERVICES.canteen.id, SERVICES.care.id, SERVICES.centre.id], dueDate: '2027-01-15' as LocalDate, directDebitDate: '2027-01-12' as LocalDate,
    portalDisplayDate: '2027-01-05' as LocalDate, minimumAmount: '5.00', label: 'Décembre 2026',
  }
  const dec = await createInvoiceBatch(deps, { batch: batchDec, charges, onProgress: batchProgress })
  log(`   ${dec.drafts.length} drafts; ${dec.belowMinimum.length} payers under the 5,00 € minimum (their charges wait for the next batch); ${dec.skipped.outsideBatch} charge lines belong to another period`)
  const again = await createInvoiceBatch(deps, { batch: batchDec, charges })
  log(`   the same batch run again: ${again.drafts.length} new drafts (${again.skipped.alreadyBilled} charges already billed: nothing is billed twice)`)

  step('One adjustment on a draft: 10 % reduction on one child\'s canteen line')
  const target = dec.drafts.find((d) => d.debtorId === 'resp-01')!
  const line = target.lines.find((l) => l.serviceId === SERVICES.canteen.id)!
  const adjusted = await adjustDraft(deps, { siteId: SITE_ID, invoiceId: target.id, change: { add: { id: 'reduc-sortie', kind: 'reduction', reason: 'Sortie scolaire du 15/12 (repas non pris)', percent: '10', lineId: line.id } } })
  log(`   ${names.get(target.debtorId)}: ${euros(target.totalMinor)} -> ${euros(adjusted.totalMinor)} (${adjusted.adjustments[0]!.reason})`)

  step('Validation: drafts become numbered invoices (continuous series of the billing office), their notices queued in the same transaction')
  const decemberInvoices = await validateDrafts(deps, {
    siteId: SITE_ID, batchId: batchDec.id, issueDate: '2027-01-04', numbering: { prefix: 'FAC-{YYYY}-', digits: 5 }, paymentReferences: { scheme: 'rf', siteCode: '094' },
    notify: invoiceNotify({ siteName: 'École Jean-Jaurès', names }),
  })
  log(table(['number', 'payer', 'joint debtor', 'lines', 'total', 'payment reference'], decemberInvoices.map((i) => [
    i.number!, names.get(i.debtorId) ?? i.debtorId, i.jointDebtorIds.map((j) => names.get(j) ?? j).join(', ') || '-', i.lines.length, euros(i.totalMinor), i.paymentReference ?? '-',
  ]), ['l', 'l', 'l', 'r', 'r', 'l']))
  log(`   ${decemberInvoices.length} invoices, ${euros(decemberInvoices.reduce((s, i) => s + i.totalMinor, 0n))} in all`)
  step('Invoice notifications: written to the outbox with the validation, delivered by the worker to an SMTP server on loopback')
  const invoiceMails = (await deliverInvoiceNotices({ storage: options.storage, siteId: SITE_ID, now: new Date('2027-01-10T08:00:00Z'), log })).delivered

  // ---- payments and a deposit ----
  step('Payments by cheque (amount defaults to what remains due) and a deposit')
  clockNow = new Date('2027-01-08T08:00:00Z')
  const chequePayers = families.filter((f) => !f.directDebit && !f.separatedFrom && [1, 9, 13].includes(f.index)).map((f) => f.guardianId)
  const chequeIds: string[] = []
  for (const payerId of chequePayers) {
    const inv = decemberInvoices.find((i) => i.debtorId === payerId)
    if (!inv) continue
    const { payment } = await recordPayment(deps, { id: `cheque-${payerId}`, siteId: SITE_ID, billingOfficeId: OFFICE, payerId, method: 'cheque', product: 'périscolaire', date: '2027-01-08', invoiceId: inv.id })
    chequeIds.push(payment.id)
    log(`   ${names.get(payerId)} pays ${inv.number} by cheque: ${euros(payment.amountMinor)}`)
  }
  const deposit = await createDeposit(deps, { siteId: SITE_ID, deposit: { id: 'depot-2027-01-08', method: 'cheque', bankAccountId: SCHOOL_IBAN, date: '2027-01-08' }, paymentIds: chequeIds })
  log(`   deposit ${deposit.id}: ${deposit.paymentIds.length} cheques, ${euros(deposit.totalMinor)}`)

  // ---- direct debits ----
  step('Direct debits: mandates, the collection and its pain.008')
  const dd = await collectDirectDebits(deps, { siteId: SITE_ID, batchId: batchDec.id, collectionDate: '2027-01-12', endToEndPrefix: 'PRLV2701-', product: 'périscolaire' })
  const pain008 = buildPain008(directDebitBatchOf(dd.instructions, {
    messageId: 'PRLV-2027-01-12', createdAt: '2027-01-08T09:00:00+01:00', collectionDate: '2027-01-12',
    creditor: { name: 'Regie periscolaire de Creteil', iban: SCHOOL_IBAN, creditorId: CREDITOR_ID, address: { town: 'Creteil', country: 'FR' } },
  }))
  options.writeFile?.('prelevements-2027-01-12.xml', pain008)
  const ddTotal = dd.instructions.reduce((s, i) => s + i.amountMinor, 0n)
  log(`   pain.008.001.08: ${dd.instructions.length} debits (${dd.instructions.map((i) => i.sequence).filter((s) => s === 'FRST').length} FRST), ${euros(ddTotal)}, ${pain008.length} bytes`)
  log(`   not collected: ${dd.excluded.length} invoices (${[...new Set(dd.excluded.map((e) => e.reason))].join(', ')})`)

  // ---- the bank statement ----
  step('Bank statement (camt.053) imported and reconciled')
  clockNow = new Date('2027-01-20T08:00:00Z')
  const returned = dd.instructions[1]!
  const transferPayer = decemberInvoices.find((i) => i.debtorId === 'resp-11')!
  const topUp = walletFamilies[1]!
  const walletRefs = walletFamilies.map((f) => ({ payerId: f.guardianId, reference: walletPaymentReference({ scheme: 'rf', siteCode: '094' }, f.index).electronic }))
  const xml = camt053(SCHOOL_IBAN, [
    ...dd.instructions.map((i, n) => ({ ref: `BQ-2027-01-12-${n + 1}`, cents: i.amountMinor, credit: true, date: '2027-01-12', endToEndId: i.endToEndId, debtorName: i.debtorName })),
    { ref: 'BQ-2027-01-14-1', cents: returned.amountMinor, credit: false, date: '2027-01-14', endToEndId: returned.endToEndId, returnCode: 'AM04', debtorName: returned.debtorName },
    { ref: 'BQ-2027-01-15-1', cents: transferPayer.totalMinor, credit: true, date: '2027-01-15', structured: { reference: transferPayer.paymentReference!, issuer: 'ISO' }, debtorName: names.get('resp-11') },
    { ref: 'BQ-2027-01-16-1', cents: 2500n, credit: true, date: '2027-01-16', structured: { reference: walletRefs[1]!.reference, issuer: 'ISO' }, debtorName: topUp.guardianName },
    { ref: 'BQ-2027-01-18-1', cents: 1234n, credit: true, date: '2027-01-18', text: 'VIR CANTINE JANVIER', debtorName: 'Inconnu' },
  ])
  const statement = await importBankStatement(deps, { siteId: SITE_ID, billingOfficeId: OFFICE, statements: parseCamt053(xml), wallets: walletRefs })
  log(table(['entry', 'amount', 'became'], statement.imported.map((l) => [l.entryReference, euros(l.amountMinor), describeOutcome(l.outcome)]), ['l', 'r', 'l']))
  const reimport = await importBankStatement(deps, { siteId: SITE_ID, billingOfficeId: OFFICE, statements: parseCamt053(xml), wallets: walletRefs })
  log(`   the same file imported again: ${reimport.imported.length} new entries, ${reimport.duplicates.length} already imported (nothing changes)`)
  const returnedPayment = (await options.storage.payments!.listPayments(SITE_ID, { endToEndId: returned.endToEndId })).items[0]!
  const returnedInvoice = (await options.storage.invoicing!.getInvoice(SITE_ID, returned.invoiceId))!
  log(`   direct-debit return AM04 (insufficient funds): payment ${returnedPayment.status.toUpperCase()}, invoice ${returnedInvoice.number} due again: ${euros(invoiceBalance(returnedInvoice, [], [returnedPayment]).outstandingMinor)}; action: ${returnedPayment.refusal?.action}`)

  // ---- January batch ----
  step('January batch (2027-W01 canteen days go to the odd-week parent again)')
  clockNow = new Date('2027-02-01T08:00:00Z')
  // January's charges, and those December held back under the minimum: read from the earliest day it held back
  const heldBackFrom = dec.belowMinimum.map((b) => b.from).sort()[0] ?? '2027-01-01'
  const jan = await createInvoiceBatch(deps, {
    batch: { ...batchDec, id: 'factures-2027-01', period: { from: '2027-01-01', to: '2027-01-31' }, dueDate: '2027-02-15', directDebitDate: '2027-02-10', portalDisplayDate: '2027-02-03', label: 'Janvier 2027' },
    charges: charges.filter((c) => c.date >= heldBackFrom), onProgress: batchProgress,
  })
  const carried = jan.carriedOver.reduce((n, c) => n + c.chargeIds.length, 0)
  log(`   ${jan.drafts.length} drafts; ${carried} charge lines held back in December billed now (${jan.carriedOver.length} payers)`)
  const januaryInvoices = await validateDrafts(deps, { siteId: SITE_ID, batchId: 'factures-2027-01', issueDate: '2027-02-01', numbering: { prefix: 'FAC-{YYYY}-', digits: 5 }, paymentReferences: { scheme: 'rf', siteCode: '094' } })
  log(table(['number', 'payer', 'total', 'earlier unpaid (shown, not added)'], januaryInvoices.slice(0, 8).map((i) => [i.number!, names.get(i.debtorId) ?? i.debtorId, euros(i.totalMinor), euros(i.previousBalanceMinor)]), ['l', 'l', 'r', 'r']))
  log(`   ... ${januaryInvoices.length} January invoices (${jan.belowMinimum.length} payers under the minimum)`)

  // ---- reminders and wallets ----
  step('Reminders due on 2027-01-26 (10 days past the due date)')
  const reminders = await selectReminders(deps, { siteId: SITE_ID, today: '2027-01-26', policy: { levels: [{ level: 1, daysAfterDue: 10, templateId: 'relance-1' }, { level: 2, daysAfterDue: 30, templateId: 'relance-2' }] }, record: true, onPortal: true })
  log(reminders.length === 0 ? '   none' : table(['invoice', 'payer', 'level', 'days late', 'due'], reminders.map((r) => [r.number ?? r.invoiceId, names.get(r.debtorId) ?? r.debtorId, r.level, r.daysLate, euros(r.outstandingMinor)]), ['l', 'l', 'r', 'r', 'r']))

  step('Wallet balances (prepaid snack)')
  const walletBalances = await options.storage.transaction(SITE_ID, async (tx) => {
    const balances = await tx.ledger!.getBalances(SITE_ID, walletFamilies.map((f) => walletAccountId(f.guardianId, OFFICE)), clockNow)
    return walletFamilies.map((f, i) => ({ guardianId: f.guardianId, availableMinor: balances[i]!.available }))
  })
  log(table(['guardian', 'wallet reference', 'balance'], walletBalances.map((w, i) => [names.get(w.guardianId)!, walletRefs[i]!.reference, euros(w.availableMinor)]), ['l', 'l', 'r']))

  return {
    children: children.length, bookings, week53Payers, decemberInvoices, januaryInvoices, rebilledDrafts: again.drafts.length,
    adjustedInvoiceTotal: { before: target.totalMinor, after: adjusted.totalMinor }, depositTotalMinor: deposit.totalMinor,
    directDebits: { count: dd.instructions.length, totalMinor: ddTotal, pain008Bytes: pain008.length }, statement, reimport,
    returnedPaymentStatus: returnedPayment.status, reminders, walletBalances, invoiceMails, statementXml: xml,
  }
}

function describeOutcome(o: BankImportReport['imported'][number]['outcome']): string {
  switch (o.kind) {
    case 'invoicePayment': return `payment of invoice ${o.invoiceId}`
    case 'walletTopUp': return `wallet top-up of ${o.payerId}`
    case 'directDebitReturn': return `direct-debit return ${o.reasonCode} of ${o.paymentId}`
    case 'directDebitSettled': return `direct debit settled (${o.paymentIds.join(', ')}): mandate now RCUR`
    case 'review': return `kept for review (${o.reason})`
    case 'ignored': return `ignored (${o.reason})`
    default: { const never: never = o; return String(never) }
  }
}

import { deflateSync } from 'node:zlib'
import {
  GENERAL_COMPARTMENT, accountStatement, addInvoiceAdjustment, buildDeposit, buildInvoiceDrafts, computeTaxCertificates, createLedger, defineInvoiceBatch,
  defineInvoiceNumbering, invoicePaymentReference, issueCreditNote, openAccounts, standardLedgerAccounts, submitTransfers, systemAccountId, validateInvoiceDrafts,
  walletAccountId, withInstalmentSchedule, type Invoice, type InvoiceChargeLine, type LocalDate, type Payment, type ReferenceSpaceInput, type TaxCertificate,
  type TransferInput,
} from '@ecole/core'
import type { CreditNoteRequestInput } from '../documents/credit-note'
import type { DepositSlipRequestInput } from '../documents/deposit-slip'
import type { InfoSheetRequestInput } from '../documents/info-sheet'
import type { InvoiceRequestInput } from '../documents/invoice'
import type { InvoiceListRequestInput } from '../documents/invoice-list'
import type { ReminderRequestInput } from '../documents/reminder'
import type { TaxCertificateRequestInput } from '../documents/tax-certificate'
import type { WalletStatementRequestInput } from '../documents/wallet-statement'
import type { Issuer } from '../common'

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(b: Uint8Array): number {
  let c = 0xffffffff
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}

/** A PNG of `w` x `h` pixels: a coloured disc on white (a stand-in logo or stamp). */
export function makePng(w: number, h: number, rgb: [number, number, number] = [30, 90, 160]): Uint8Array {
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0
    for (let x = 0; x < w; x++) {
      const inside = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (Math.min(w, h) / 2.2) ** 2
      const o = y * (w * 3 + 1) + 1 + x * 3
      raw[o] = inside ? rgb[0] : 255
      raw[o + 1] = inside ? rgb[1] : 255
      raw[o + 2] = inside ? rgb[2] : 255
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]))
}

/** A Belgian issuer with logo and stamp. */
export function belgianIssuer(): Issuer {
  return {
    name: 'École communale Saint-Gilles – Îlot des Érables',
    identifiers: ['BCE 0207.373.429'],
    billingOffice: {
      name: 'Régie des repas et garderies',
      address: ['Place Maurice Van Meenen 39', '1060 Saint-Gilles'],
      email: 'regie@ecole-saintgilles.be',
      phone: '+32 2 536 02 11',
      iban: 'BE15732664554630',
      bic: 'GKCCBEBB',
      creditorId: 'BE69ZZZ050D000000008',
    },
    logo: { bytes: makePng(96, 80) },
    stamp: { bytes: makePng(120, 80, [150, 30, 40]) },
    signatory: 'Françoise Lemaître, régisseuse',
  }
}

export const NAMES: Record<string, string> = {
  g1: 'Marie-Hélène Dupont-Lefèvre',
  g2: 'Jérôme Dupont',
  g3: 'Ana Ibáñez',
  g6: 'Gaëlle Lœwenbrück',
  g7: 'Zoë Brontë',
  k1: 'Léa Dupont-Lefèvre',
  k2: 'Noé Dupont-Lefèvre',
  k3: 'Maëlys Ibáñez',
  k4: 'Hélène-Françoise de la Tour d’Auvergne-Lauraguais',
}
export const SERVICES: Record<string, string> = { meal: 'Repas de midi', care: 'Garderie du soir', study: 'Étude surveillée' }

const batch = defineInvoiceBatch({
  id: 'b-2026-12', siteId: 'site-1', billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' },
  serviceIds: ['meal', 'care', 'study'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05',
})

/** Validates drafts with the core, numbered from 1, with OGM references. */
export function validate(drafts: Invoice[], space: ReferenceSpaceInput = { scheme: 'ogm', siteCode: '042' }): Invoice[] {
  return validateInvoiceDrafts(drafts, {
    issueDate: '2027-01-04', firstSequence: 1, numbering: defineInvoiceNumbering({ prefix: 'F{YYYY}-' }),
    paymentReference: (_i, seq) => invoicePaymentReference(space, seq).electronic,
  })
}

/** December charges of `payer` for children k1 and k2 (meals every school day, care, study). */
export function decemberCharges(options: { days?: number; payer?: string; joint?: string[] } = {}): InvoiceChargeLine[] {
  const out: InvoiceChargeLine[] = []
  const days = options.days ?? 16
  for (let d = 1; d <= days; d++) {
    const date = `2026-12-${String(d).padStart(2, '0')}` as LocalDate
    for (const k of ['k1', 'k2']) {
      out.push({ chargeId: `m-${k}-${d}`, debtorId: options.payer ?? 'g1', beneficiaryId: k, serviceId: 'meal', date, quantity: 1, unitPriceMinor: 415n, amountMinor: 415n, jointDebtorIds: options.joint ?? ['g2'] })
      if (d % 2 === 0) out.push({ chargeId: `c-${k}-${d}`, debtorId: options.payer ?? 'g1', beneficiaryId: k, serviceId: 'care', date, quantity: 2, unitPriceMinor: 125n, amountMinor: 250n, jointDebtorIds: options.joint ?? ['g2'] })
    }
  }
  out.push({ chargeId: 'study-k1', debtorId: options.payer ?? 'g1', beneficiaryId: 'k1', serviceId: 'study', date: '2026-12-10', quantity: 3, unitPriceMinor: 333n, amountMinor: 999n, jointDebtorIds: options.joint ?? ['g2'] })
  return out
}

/** A validated invoice of payer g1 (joint debtor g2), with a sibling reduction and a surcharge. */
export function sampleInvoice(): Invoice {
  let [draft] = buildInvoiceDrafts(batch, decemberCharges()).drafts
  draft = { ...draft!, previousBalanceMinor: 1245n, comment: 'Merci de signaler tout changement d’adresse à la régie.' }
  draft = addInvoiceAdjustment(draft, { id: 'a1', kind: 'reduction', reason: 'Réduction fratrie', percent: '10', lineId: null })
  draft = addInvoiceAdjustment(draft, { id: 'a2', kind: 'surcharge', reason: 'Retard après 18 h', amount: '5.00', lineId: draft.lines[0]!.id })
  return validate([draft])[0]!
}

/** An invoice of many lines (one per child x service x price over many children): several pages. */
export function longInvoice(children = 40): Invoice {
  const charges: InvoiceChargeLine[] = []
  for (let k = 0; k < children; k++) {
    for (const [service, price] of [['meal', 415n], ['care', 250n], ['study', 333n]] as const) {
      charges.push({ chargeId: `${k}-${service}`, debtorId: 'g3', beneficiaryId: `k${k}`, serviceId: service, date: '2026-12-07', quantity: 4, unitPriceMinor: price, amountMinor: price * 4n })
    }
  }
  return validate(buildInvoiceDrafts(batch, charges).drafts)[0]!
}

/** A validated invoice of 61.49 EUR (5 days of December) in `count` monthly instalments from 15 January 2027. */
export function instalmentInvoice(count = 3, space?: ReferenceSpaceInput): Invoice {
  const [draft] = buildInvoiceDrafts(batch, decemberCharges({ days: 5 })).drafts
  return validate([withInstalmentSchedule(draft!, { count, firstDueDate: '2027-01-15' })], space)[0]!
}

/** A validated invoice with fractional quantities: care of 0.1 h and 0.2 h at 2.50 (one line of 0.1 + 0.2 hours), a meal of 1.75 portions. */
export function fractionalInvoice(): Invoice {
  const charge = (id: string, serviceId: string, date: LocalDate, quantity: number, amountMinor: bigint): InvoiceChargeLine => ({ chargeId: id, debtorId: 'g1', beneficiaryId: 'k1', serviceId, date, quantity, unitPriceMinor: 250n, amountMinor })
  const [draft] = buildInvoiceDrafts(batch, [charge('c1', 'care', '2026-12-01', 0.1, 25n), charge('c2', 'care', '2026-12-02', 0.2, 50n), charge('m3', 'meal', '2026-12-03', 1.75, 438n)]).drafts
  return validate([draft!])[0]!
}

/** A complete French-language print request for {@link sampleInvoice}. */
export function invoiceRequest(invoice: Invoice = sampleInvoice(), overrides: Partial<InvoiceRequestInput> = {}): InvoiceRequestInput {
  const names: Record<string, string> = { ...NAMES }
  for (const l of invoice.lines) names[l.beneficiaryId] ??= `Enfant ${l.beneficiaryId} Élodie-Bénédicte`
  return {
    language: 'fr', printedOn: '2027-01-04', issuer: belgianIssuer(), invoice,
    payer: { name: names[invoice.debtorId] ?? invoice.debtorId, address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'] },
    names, services: SERVICES, ...overrides,
  }
}

/** A reminder letter request for payer g1: two invoices, level 2 on the second. */
export function reminderRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr'): ReminderRequestInput {
  const inv = sampleInvoice()
  return {
    language, printedOn: '2027-02-20', issuer: belgianIssuer(), currency: 'EUR',
    payer: { name: NAMES.g1!, address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'] },
    reminders: [
      { invoiceId: 'i-old', debtorId: 'g1', number: 'F2026-000412', dueDate: '2027-02-08', level: 1, templateId: 'relance-1', daysLate: 12, outstandingMinor: 4380n },
      { invoiceId: inv.id, debtorId: 'g1', number: inv.number, dueDate: inv.dueDate, level: 2, templateId: 'relance-2', daysLate: 36, outstandingMinor: inv.totalMinor },
    ],
    references: { [inv.id]: inv.paymentReference! },
  }
}

/** French and Belgian tax certificates computed by the core from paid care invoices. */
export function taxCertificates(): { fr: TaxCertificate; be: TaxCertificate } {
  const lines = [
    { beneficiaryId: 'k1', kind: 'care' as const, dates: ['2027-01-12', '2027-01-13', '2027-02-02', '2027-05-10', '2027-10-04'] as LocalDate[], amountMinor: 9500n },
    { beneficiaryId: 'k1', kind: 'meal' as const, dates: ['2027-01-12', '2027-01-13'] as LocalDate[], amountMinor: 830n },
  ]
  const invoices = [{ invoiceId: 'i1', debtorId: 'g1', currency: 'EUR' as const, lines, dueMinor: 10330n, payments: [{ date: '2027-11-02' as LocalDate, amountMinor: 10330n }] }]
  const children = [{ beneficiaryId: 'k1', birthDate: '2022-03-14' as LocalDate }]
  const [fr] = computeTaxCertificates(invoices, children, { country: 'FR', year: 2027 })
  const [be] = computeTaxCertificates(invoices, children, { country: 'BE', year: 2027, dailyCeilingMinor: 1620n })
  return { fr: fr!, be: be! }
}

/** A tax-certificate request. */
export function taxCertificateRequest(country: 'FR' | 'BE', language: 'fr' | 'en' | 'it' | 'nl' = 'fr'): TaxCertificateRequestInput {
  const c = taxCertificates()[country === 'FR' ? 'fr' : 'be']
  return {
    language, printedOn: '2028-01-15', issuer: belgianIssuer(), certificate: c, childName: NAMES.k1!,
    payer: { name: NAMES.g1!, address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'], ...(country === 'BE' ? { nationalNumber: '85.07.30-033.61' } : {}) },
    ...(country === 'BE' ? { dailyCeilingMinor: 1620n } : { mealsExcludedMinor: 830n }),
  }
}

/** A wallet statement built by the core's ledger: top-ups and meals over January 2027, two compartments. */
export function walletStatementRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr', days = 20): WalletStatementRequestInput {
  const office = 'regie'
  const ledger = createLedger()
  openAccounts(ledger, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: office, serviceIds: ['meal'] }], guardians: [{ guardianId: 'g1', billingOfficeIds: [office] }], compartments: ['voyages'] }))
  const general = walletAccountId('g1', office, GENERAL_COMPARTMENT)
  const trips = walletAccountId('g1', office, 'voyages')
  const bank = systemAccountId('bankClearing', office)
  const revenue = systemAccountId('revenue', office, 'meal')
  const ts = (d: number, h: string) => `2027-01-${String(d).padStart(2, '0')}T${h}:00:00+01:00`
  const transfers: TransferInput[] = [
    { id: 't0', debitAccountId: bank, creditAccountId: general, amount: { amount: '10.45', currency: 'EUR' }, code: 'topUp', timestamp: '2026-12-20T09:00:00+01:00' },
    { id: 't1', debitAccountId: bank, creditAccountId: general, amount: { amount: '60.00', currency: 'EUR' }, code: 'topUp', timestamp: ts(2, '09'), memo: 'Virement +++090/9337/55493+++' },
    { id: 'v1', debitAccountId: bank, creditAccountId: trips, amount: { amount: '35.00', currency: 'EUR' }, code: 'topUp', timestamp: ts(5, '10'), memo: 'Classe de neige – acompte' },
  ]
  for (let d = 4; d < 4 + days && d <= 31; d++) transfers.push({ id: `m${d}`, debitAccountId: general, creditAccountId: revenue, amount: { amount: '3.40', currency: 'EUR' }, code: 'booking', timestamp: ts(d, '12'), memo: `Repas de Léa – ${d}/01` })
  submitTransfers(ledger, transfers, new Date('2027-02-01T00:00:00Z'))
  const opts = { from: '2027-01-01', to: '2027-01-31', timeZone: 'Europe/Brussels' }
  return {
    language, printedOn: '2027-02-01', issuer: belgianIssuer(), walletName: 'Famille Dupont-Lefèvre',
    holder: { name: NAMES.g1!, address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'] },
    compartments: [
      { name: 'Compartiment général', statement: accountStatement(ledger, general, opts) },
      { name: 'Voyages scolaires', statement: accountStatement(ledger, trips, opts) },
    ],
  }
}

/** A wallet statement of the first quarter of 2027 whose general compartment runs over several pages: a top-up each Monday, two meals a day. */
export function longWalletStatementRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr'): WalletStatementRequestInput {
  const office = 'regie'
  const ledger = createLedger()
  openAccounts(ledger, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: office, serviceIds: ['meal'] }], guardians: [{ guardianId: 'g1', billingOfficeIds: [office] }], compartments: ['voyages'] }))
  const general = walletAccountId('g1', office, GENERAL_COMPARTMENT)
  const trips = walletAccountId('g1', office, 'voyages')
  const bank = systemAccountId('bankClearing', office)
  const revenue = systemAccountId('revenue', office, 'meal')
  const transfers: TransferInput[] = [{ id: 'v1', debitAccountId: bank, creditAccountId: trips, amount: { amount: '35.00', currency: 'EUR' }, code: 'topUp', timestamp: '2027-01-05T10:00:00+01:00', memo: 'Classe de neige – acompte' }]
  for (let day = 0; day < 84; day++) {
    const date = new Date(Date.UTC(2027, 0, 4 + day)).toISOString().slice(0, 10)
    if (day % 7 === 0) transfers.push({ id: `t${day}`, debitAccountId: bank, creditAccountId: general, amount: { amount: '40.00', currency: 'EUR' }, code: 'topUp', timestamp: `${date}T09:00:00+01:00` })
    if (day % 7 < 5) {
      for (const k of ['Léa', 'Noé']) transfers.push({ id: `m${day}${k}`, debitAccountId: general, creditAccountId: revenue, amount: { amount: '3.40', currency: 'EUR' }, code: 'booking', timestamp: `${date}T12:00:00+01:00`, memo: `Repas de ${k} – ${date}` })
    }
  }
  submitTransfers(ledger, transfers, new Date('2027-04-01T00:00:00Z'))
  const opts = { from: '2027-01-01', to: '2027-03-31', timeZone: 'Europe/Brussels' }
  return {
    language, printedOn: '2027-04-01', issuer: belgianIssuer(), walletName: 'Famille Dupont-Lefèvre',
    holder: { name: NAMES.g1!, address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'] },
    compartments: [
      { name: 'Compartiment général', statement: accountStatement(ledger, general, opts) },
      { name: 'Voyages scolaires', statement: accountStatement(ledger, trips, opts) },
    ],
  }
}

/** A cheque deposit built by the core. */
export function depositSlipRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr', count = 6): DepositSlipRequestInput {
  const payments: Payment[] = Array.from({ length: count }, (_, i) => ({
    id: `p${i + 1}`, siteId: 'site-1', billingOfficeId: 'regie', payerId: `g${(i % 3) + 1}`, method: 'cheque', product: i % 2 === 0 ? 'Cantine' : 'Garderie', date: '2027-01-07',
    currency: 'EUR', amountMinor: BigInt(2500 + i * 731), invoiceId: null, status: 'recorded', depositId: null, allocations: [], walletCreditMinor: 0n,
    mandateId: null, endToEndId: null, bankEntryReference: null, refusal: null,
  }) as unknown as Payment)
  const { deposit } = buildDeposit({ id: 'DEP-2027-0003', method: 'cheque', bankAccountId: 'BE15 7326 6455 4630', date: '2027-01-08' }, payments)
  return {
    language, printedOn: '2027-01-08', issuer: belgianIssuer(), deposit,
    items: payments.map((p, i) => ({ paymentId: p.id, drawer: NAMES[p.payerId] ?? p.payerId, chequeNumber: String(8812340 + i), bank: i % 2 ? 'Belfius' : 'BNP Paribas Fortis', amountMinor: p.amountMinor })),
  }
}

/** A list of the invoices of folder 2027 / Janvier. */
export function invoiceListRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr', count = 12): InvoiceListRequestInput {
  const payers = ['g1', 'g3', 'g6', 'g7']
  const drafts = payers.flatMap((p) => buildInvoiceDrafts(batch, decemberCharges({ payer: p, days: 8, joint: [] })).drafts)
  const invoices: Invoice[] = []
  for (let i = 0; i < count; i++) invoices.push({ ...validate([drafts[i % drafts.length]!])[0]!, id: `inv-${i}`, number: `F2027-${String(i + 1).padStart(6, '0')}` })
  return {
    language, printedOn: '2027-02-01', issuer: belgianIssuer(), folderPath: ['2027', 'Janvier – cantine et garderie'], currency: 'EUR', invoices, names: NAMES,
    outstanding: Object.fromEntries(invoices.map((x, i) => [x.id, i % 3 === 0 ? x.totalMinor : 0n])),
  }
}

/** A child's information sheet with every section. */
export function infoSheetRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr'): InfoSheetRequestInput {
  return {
    language, printedOn: '2026-09-01', issuer: belgianIssuer(), person: 'child', sections: ['identity', 'guardians', 'health', 'enrolments', 'billing'],
    identity: { firstName: 'Léa', lastName: 'Dupont-Lefèvre', birthDate: '2021-05-04', extra: [['INE', '1234567890A']] },
    guardians: [
      { name: NAMES.g1!, relationship: 'mother', phone: '+32 470 12 34 56', email: 'marie-helene@example.be', address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'] },
      { name: NAMES.g2!, relationship: 'father', phone: '+32 471 98 76 54', address: ['Avenue Ducpétiaux 40', '1060 Saint-Gilles'] },
    ],
    health: { allergies: 'Arachides, fruits à coque', diet: 'Sans porc', doctor: 'Dr Benoît Lefèbvre, +32 2 538 00 00', consents: [{ label: 'Droit à l’image (photos de classe)', given: true }, { label: 'Sortie seule après 16 h', given: false }] },
    enrolments: [{ school: 'École communale Saint-Gilles', class: 'M3 – Les Écureuils', from: '2026-09-01' }],
    services: [{ name: 'Repas de midi', from: '2026-09-01' }, { name: 'Garderie du soir', from: '2026-09-01', to: '2026-12-18' }],
    billingRules: [{ payer: NAMES.g1!, services: ['Repas de midi', 'Garderie du soir'], share: '1/2', from: '2026-09-01', jointDebtors: [NAMES.g2!] }, { payer: NAMES.g2!, services: ['Repas de midi', 'Garderie du soir'], share: '1/2', from: '2026-09-01', jointDebtors: [] }],
  }
}

/** A credit note issued by the core on {@link sampleInvoice}, by line. */
export function creditNoteRequest(language: 'fr' | 'en' | 'it' | 'nl' = 'fr'): CreditNoteRequestInput {
  const invoice = sampleInvoice()
  const creditNote = issueCreditNote(invoice, [], { id: 'cn1', reason: 'Grève du 10 décembre : repas non servis', scope: { kind: 'lines', lines: [{ lineId: invoice.lines[1]!.id, amount: '4.15' }, { lineId: invoice.lines[4]!.id, amount: '4.15' }] } }, {
    issueDate: '2027-01-20', sequence: 1, numbering: defineInvoiceNumbering(),
  })
  return { language, printedOn: '2027-01-20', issuer: belgianIssuer(), creditNote, invoice, payer: { name: NAMES.g1!, address: ['Rue de l’Église 12, boîte 3', '1060 Saint-Gilles'] }, names: NAMES, services: SERVICES }
}

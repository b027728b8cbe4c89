/**
 * The demo's documents as PDF files (issue 16): every invoice, a credit note, the reminder letters,
 * the tax certificates, one information sheet and one wallet statement, written under `folder`.
 */
import {
  GENERAL_COMPARTMENT, accountStatement, applyTransfers, createLedger, defineInvoiceNumbering, issueCreditNote, openAccounts,
  standardLedgerAccounts, walletAccountId, type Invoice, type LocalDate, type ReminderDue,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { issueTaxCertificates } from '@ecole/workflows'
import { createPdfRenderer, folderSink, type Issuer, type PdfRequest } from '@ecole/pdf'
import { demoFamilies, guardianNames, OFFICE, SCHOOL_IBAN, SERVICES, SITE_ID } from './demo-site'
import { oneDayCredit } from './one-day-credit'

/** What {@link writeDemoPdfs} needs from the run. */
export interface DemoPdfInput {
  storage: StoragePorts
  invoices: Invoice[]
  reminders: ReminderDue[]
  /** Guardians whose prepaid wallet gets a statement (the first is printed). */
  walletGuardianIds: string[]
}

const ISSUER: Issuer = {
  name: 'École élémentaire Jean-Jaurès – Créteil',
  identifiers: ['UAI 0941234F'],
  billingOffice: { name: 'Régie périscolaire de Créteil', address: ['Hôtel de Ville, place Salvador Allende', '94000 Créteil'], email: 'regie@creteil.example.fr', iban: SCHOOL_IBAN, creditorId: 'FR72ZZZ123456' },
}

const address = (i: number) => [`${i * 3 + 1} rue Jean-Jaurès`, '94000 Créteil']

/** Renders the demo's documents to `folder`; answers how many were written. */
export async function writeDemoPdfs(input: DemoPdfInput, folder: string): Promise<number> {
  const families = demoFamilies()
  const names = Object.fromEntries(guardianNames(families))
  for (const f of families) for (const c of f.children) names[c.id] = c.name
  const services = Object.fromEntries(Object.values(SERVICES).map((s) => [s.id, s.label]))
  const indexOf = new Map(families.map((f) => [f.guardianId, f.index]))
  const party = (guardianId: string) => ({ name: names[guardianId] ?? guardianId, address: address(indexOf.get(guardianId) ?? 0) })
  const base = { language: 'fr' as const, issuer: ISSUER }
  const requests: PdfRequest[] = []

  const mandates = new Map<string, string>()
  for (const f of families) if (f.directDebit) mandates.set(f.guardianId, `RUM-JAURES-${String(f.index).padStart(4, '0')}`)
  for (const invoice of input.invoices) {
    // debited only when its payer signed a mandate (the pain.008 leaves the others out, NO_MANDATE):
    // without one, the invoice is printed to be paid by transfer, with the IBAN, reference and QR code
    const mandate = invoice.directDebitDate === null ? undefined : mandates.get(invoice.debtorId)
    const printed: Invoice = mandate === undefined ? { ...invoice, directDebitDate: null } : invoice
    requests.push({
      kind: 'invoice',
      data: { ...base, printedOn: invoice.issueDate!, invoice: printed, payer: party(invoice.debtorId), names, services, ...(mandate === undefined ? {} : { mandate: { reference: mandate } }) },
    })
  }

  // a credit note on the first December invoice: the canteen closed on a strike day, so one meal
  // is given back, what it cost this payer (their share of it, on a line they pay part of)
  const first = input.invoices[0]!
  const canteenLine = first.lines.find((l) => l.serviceId === SERVICES.canteen.id) ?? first.lines[0]!
  const creditNote = issueCreditNote(first, [], { id: 'avoir-1', reason: 'Cantine fermée le 15 décembre (grève)', scope: { kind: 'lines', lines: [{ lineId: canteenLine.id, amount: oneDayCredit(canteenLine, first.currency) }] } }, {
    issueDate: '2027-01-20', sequence: 1, numbering: defineInvoiceNumbering(),
  })
  requests.push({ kind: 'creditNote', data: { ...base, printedOn: '2027-01-20', creditNote, invoice: first, payer: party(first.debtorId), names, services } })

  // reminder letters: one per debtor, with the payment references of the invoices
  const byDebtor = new Map<string, ReminderDue[]>()
  for (const r of input.reminders) byDebtor.set(r.debtorId, [...(byDebtor.get(r.debtorId) ?? []), r])
  const refs = Object.fromEntries(input.invoices.filter((i) => i.paymentReference !== null).map((i) => [i.id, i.paymentReference!]))
  for (const [debtorId, reminders] of byDebtor) {
    const references = Object.fromEntries(reminders.filter((r) => refs[r.invoiceId] !== undefined).map((r) => [r.invoiceId, refs[r.invoiceId]!]))
    requests.push({ kind: 'reminder', data: { ...base, printedOn: '2027-01-26', payer: party(debtorId), currency: 'EUR', reminders, references } })
  }

  // French tax certificates for 2027 (care paid in 2027; meals excluded), from the stored invoices,
  // credit notes and payments: each line counts net of its adjustments (a reduction on a canteen
  // line never lowers the care certified)
  const serviceKinds = { [SERVICES.canteen.id]: 'meal', [SERVICES.care.id]: 'care', [SERVICES.centre.id]: 'care' } as const
  const children = families.flatMap((f) => f.children.map((c) => ({ beneficiaryId: c.id, birthDate: c.birthDate })))
  // the demo's children are 6 to 8, past the French age limit (under 6 on 1 January): the French run
  // finds none, so the demo also prints the Belgian 281.86 of 2026 (children under 14, care days of
  // fully paid invoices, capped per day) to show that layout
  const dailyCeilingMinor = 1620n
  const deps = { storage: input.storage, clock: { now: () => new Date('2027-02-15T08:00:00Z') } }
  const certificates = [
    ...(await issueTaxCertificates(deps, { siteId: SITE_ID, rules: { country: 'FR', year: 2027 }, children, serviceKinds })),
    ...(await issueTaxCertificates(deps, { siteId: SITE_ID, rules: { country: 'BE', year: 2026, dailyCeilingMinor }, children, serviceKinds })),
  ]
  for (const certificate of certificates) {
    requests.push({
      kind: 'taxCertificate',
      data: { ...base, printedOn: '2027-02-15', certificate, payer: party(certificate.debtorId), childName: names[certificate.beneficiaryId] ?? certificate.beneficiaryId, ...(certificate.country === 'BE' ? { dailyCeilingMinor } : {}) },
    })
  }

  // one information sheet
  const family = families[0]!
  const child = family.children[0]!
  requests.push({
    kind: 'infoSheet',
    data: {
      ...base, printedOn: '2026-09-01', person: 'child', sections: ['identity', 'guardians', 'enrolments', 'billing'],
      identity: { firstName: child.name.split(' ')[0]!, lastName: family.surname, birthDate: child.birthDate },
      guardians: [{ name: family.guardianName, relationship: 'mother', address: address(family.index) }],
      enrolments: [{ school: 'École élémentaire Jean-Jaurès', class: child.classId.toUpperCase(), from: '2026-09-01' }],
      services: [{ name: SERVICES.canteen.label, from: '2026-09-01' }, { name: SERVICES.care.label, from: '2026-09-01' }],
      billingRules: [{ payer: family.guardianName, services: [SERVICES.canteen.label, SERVICES.care.label], from: '2026-09-01' }],
    },
  })

  // one wallet statement: the wallet's transfers replayed into a ledger, then the core's statement
  const guardianId = input.walletGuardianIds[0]
  if (guardianId !== undefined) {
    const account = walletAccountId(guardianId, OFFICE)
    const records = (await input.storage.ledger!.listTransfers(SITE_ID, { accountId: account }, { limit: 1000 })).items
    const ledger = createLedger()
    openAccounts(ledger, standardLedgerAccounts({ currency: 'EUR', billingOffices: [{ id: OFFICE, serviceIds: Object.values(SERVICES).map((s) => s.id) }], guardians: [{ guardianId, billingOfficeIds: [OFFICE] }] }))
    applyTransfers(ledger, records.map((r) => r.transfer), new Date('2027-02-01T00:00:00Z'))
    const statement = accountStatement(ledger, account, { from: '2026-11-01' as LocalDate, to: '2027-01-31' as LocalDate, timeZone: 'Europe/Paris' })
    void GENERAL_COMPARTMENT
    requests.push({ kind: 'walletStatement', data: { ...base, printedOn: '2027-02-01', holder: party(guardianId), walletName: names[guardianId] ?? guardianId, compartments: [{ name: 'Compartiment général', statement }] } })
  }

  const result = await createPdfRenderer().renderBatch(requests, folderSink(folder), { total: requests.length })
  return result.count
}

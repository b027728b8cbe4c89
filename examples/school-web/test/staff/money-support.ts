/**
 * What the money tests of the back office share: the small site of `support.ts` plus what the
 * money procedures need (a billing office with an IBAN and a SEPA creditor id, children with a
 * birth date, billing rules, January bookings, a mandate, an overdue November batch), and a
 * client that also uploads files (multipart forms).
 */
import {
  BillingOfficeSchema, BillingRuleSchema, ChildSchema, defineFamilyQuotients, defineSepaMandate, defineServicePricing, GuardianSchema, ServiceSchema, type InvoiceChargeLine, type LocalDate,
} from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createInvoiceBatch } from '@ecole/workflows'
import type { Hono } from 'hono'
import type { AppContext } from '../../src/compose'
import type { AppEnv } from '../../src/env'
import { NOW, PASSWORD, smallSite } from './support'

export const OFFICE_IBAN = 'FR7630004000031234567890143'

/**
 * The small site, and: office `regie` with IBAN and creditor id; its invoiced services `cantine`
 * (3.20 a booked day, 1.00 under QF 700: g2's QF is 650) and `garderie` (2.50 a booked day); children `k-g1` and `k-g2`
 * (born 2022); a billing rule each (g1 pays k-g1's canteen and care, g2 pays k-g2's); k-g1's
 * January bookings (4 canteen days at 3.20, 1 care day at 2.50: 15.30); a mandate for g1; g2 with
 * an e-mail; a November batch `nov` of one draft for g2 (care, 25.00, due 2026-12-15).
 */
export async function moneySite(storage: StoragePorts, siteId: string): Promise<void> {
  await smallSite(storage, siteId)
  await storage.transaction(siteId, async (tx) => {
    const d = tx.directory!
    await d.putDirectoryRecord(siteId, 'billingOffice', BillingOfficeSchema.parse({
      id: 'regie', siteId, name: 'Régie de test', paymentReference: 'rf', iban: OFFICE_IBAN, creditorId: 'FR72ZZZ123456', address: { line1: 'Place de la Mairie', postcode: '94000', city: 'Créteil' },
    }))
    for (const [id, name, price] of [['cantine', 'Cantine', '3.20'], ['garderie', 'Garderie du soir', '2.50']] as const) {
      await d.putDirectoryRecord(siteId, 'service', ServiceSchema.parse({ id, siteId, name, billing: 'invoiced', billingOfficeId: 'regie' }))
      const tariff = id === 'cantine'
        ? { kind: 'quotientBrackets' as const, noQuotientPrice: { amount: price, currency: 'EUR' }, brackets: [{ min: 0, max: 700, price: { amount: '1.00', currency: 'EUR' } }, { min: 700, price: { amount: price, currency: 'EUR' } }] }
        : { kind: 'fixed' as const, price: { amount: price, currency: 'EUR' } }
      await d.putDirectoryRecord(siteId, 'servicePricing', defineServicePricing(siteId, { serviceId: id, mode: { kind: 'booked' }, tariffs: [{ from: '2026-09-01', tariff }] }))
    }
    await d.putDirectoryRecord(siteId, 'familyQuotient', defineFamilyQuotients({ id: 'g2', siteId, quotients: [{ quotient: 650, from: '2026-01-01' }] }))
    await d.putDirectoryRecord(siteId, 'guardian', GuardianSchema.parse({ id: 'g2', siteId, householdId: 'h2', firstName: 'Paul', lastName: 'Roux', email: 'paul.roux@familles.example', attributes: {} }))
    for (const [n, first, last] of [[1, 'Léa', 'Martin'], [2, 'Tom', 'Roux']] as const) {
      await d.putDirectoryRecord(siteId, 'child', ChildSchema.parse({ id: `k-g${n}`, siteId, firstName: first, lastName: last, birthDate: '2022-03-01', guardians: [{ guardianId: `g${n}`, relationship: 'mother' }], attributes: {} }))
      await tx.directory!.putDirectoryRecord(siteId, 'billingRule', BillingRuleSchema.parse({
        id: `r-g${n}`, from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: `g${n}`, weight: 1 }],
        covers: [{ beneficiaryId: `k-g${n}`, serviceId: 'cantine' }, { beneficiaryId: `k-g${n}`, serviceId: 'garderie' }],
      }))
    }
    const book = (serviceId: string, date: LocalDate) => tx.bookings!.putBooking(siteId, { id: `b-${serviceId}-${date}`, beneficiaryId: 'k-g1', serviceId, date, status: 'booked', bookedAt: NOW })
    for (const day of ['2027-01-04', '2027-01-05', '2027-01-07', '2027-01-08'] as LocalDate[]) await book('cantine', day)
    await book('garderie', '2027-01-04')
    await tx.directory!.putDirectoryRecord(siteId, 'sepaMandate', defineSepaMandate({ id: 'm-g1', siteId, debtorId: 'g1', rum: 'RUM-g1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' }))
  })
  const care: InvoiceChargeLine = { chargeId: 'nov-care', debtorId: 'g2', beneficiaryId: 'k-g2', serviceId: 'garderie', date: '2026-11-05', quantity: 10, unitPriceMinor: 250n, amountMinor: 2500n }
  await createInvoiceBatch({ storage, clock: { now: () => NOW } }, {
    batch: { id: 'nov', siteId, billingOfficeId: 'regie', period: { from: '2026-11-01', to: '2026-11-30' }, serviceIds: ['garderie'], dueDate: '2026-12-15', portalDisplayDate: '2026-12-05', label: 'Novembre 2026' },
    charges: [care],
  })
}

type Answer = { status: number; text: string; location: string | null; headers: Headers; bytes: Uint8Array }

/** A browser-like client (cookie, anti-forgery token) that posts forms and uploads files. */
export class MoneyClient {
  #cookie = ''
  constructor(private readonly app: Hono<AppEnv>, private readonly ctx: AppContext) {}

  get(path: string): Promise<Answer> {
    return this.#send(path, { method: 'GET' })
  }

  async post(path: string, form: Record<string, string | string[]>): Promise<Answer> {
    if (!this.#cookie) await this.get('/staff/login')
    const body = new URLSearchParams({ _csrf: this.#csrf() })
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
    return this.#send(path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  }

  /** Posts a multipart form with one file, as a browser's file input sends it. */
  async upload(path: string, field: string, file: { name: string; content: string; type?: string }, form: Record<string, string> = {}): Promise<Answer> {
    if (!this.#cookie) await this.get('/staff/login')
    const body = new FormData()
    body.append('_csrf', this.#csrf())
    for (const [k, v] of Object.entries(form)) body.append(k, v)
    body.append(field, new File([file.content], file.name, { type: file.type ?? 'application/xml' }))
    return this.#send(path, { method: 'POST', body })
  }

  async login(username: string, password = PASSWORD): Promise<void> {
    const r = await this.post('/staff/login', { username, password })
    if (r.status !== 303) throw new Error(`login of ${username} answered ${r.status}`)
  }

  #csrf(): string {
    return this.ctx.sessions.get(this.#cookie.split('=')[1])?.csrf ?? ''
  }

  async #send(path: string, init: RequestInit): Promise<Answer> {
    const headers = new Headers(init.headers)
    if (this.#cookie) headers.set('Cookie', this.#cookie)
    const res = await this.app.request(`http://localhost${path}`, { ...init, headers })
    const m = res.headers.get('set-cookie')?.match(/ecole_session=([^;]+)/)
    if (m) this.#cookie = `ecole_session=${m[1]}`
    const bytes = new Uint8Array(await res.arrayBuffer())
    return { status: res.status, text: new TextDecoder().decode(bytes), location: res.headers.get('location'), headers: res.headers, bytes }
  }
}

/** The value of a hidden field of a page. */
export function hiddenField(html: string, name: string): string {
  return html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? ''
}

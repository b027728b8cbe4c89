/**
 * An invoice's lines on the families' portal and in the back office say what the PDF says: the
 * exact price of a price with more decimals than the cent (3 × 3,333 € = 10,00 €), and under a
 * line the payer pays only half of, what the whole line costs and the share ("17 × 4,15 € =
 * 70,55 € · votre part 1/2 : 35,28 €"), in each of the host's languages. A line stored before
 * these facts existed (no share, no exact price) prints as it always did.
 */
import { BillingOfficeSchema, ChildSchema, GuardianSchema, HouseholdSchema, ServiceSchema, SiteSchema, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import { createInvoiceBatch, hashPassword } from '@ecole/workflows'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Lang } from '../src/i18n'
import { seedStaffAccess } from '../src/staff/staff-access'
import { Client as StaffClient, FAST_SCRYPT, host, NOW, PASSWORD, pgliteForFile } from './staff/support'
import { Client } from './support'

const db = pgliteForFile()
const SITE_ID = 'invoice-lines'
const INVOICE = 'dec-lignes:g1'
let app: Awaited<ReturnType<typeof host>>

const day = (n: number) => `2026-12-${String(n).padStart(2, '0')}` as LocalDate
const charge = (serviceId: string, n: number, fields: Partial<InvoiceChargeLine>): InvoiceChargeLine => ({
  chargeId: `${serviceId}-${n}`, debtorId: 'g1', beneficiaryId: 'lea', serviceId, date: day(n), quantity: 1, unitPriceMinor: 0n, amountMinor: 0n, ...fields,
})

/**
 * Claire Martin (g1, portal login claire@familles.example) pays, for Léa in December 2026:
 * - her half of 17 canteen meals at 4.15 (the other parent pays the other half): 70.55 for the
 *   17 meals, 35.28 for her (9 days of 2.08, 8 of 2.07);
 * - 3 study hours at 3.333 (exact price): 3.34 + 3.33 + 3.33 = 10.00;
 * - 2 evenings of care at 2.50, as lines were stored before shares and exact prices: 5.00.
 */
beforeAll(async () => {
  const storage = db.storage
  await seedStaffAccess(storage, SITE_ID, { password: PASSWORD, scrypt: FAST_SCRYPT, now: NOW })
  const passwordHash = await hashPassword('famille-lignes-2027', FAST_SCRYPT)
  await storage.transaction(SITE_ID, async (tx) => {
    const d = tx.directory!
    await d.putSite(SITE_ID, { ...SiteSchema.parse({ id: SITE_ID, name: 'École des lignes', country: 'FR', timeZone: 'Europe/Paris' }), smtp: null })
    await d.putDirectoryRecord(SITE_ID, 'billingOffice', BillingOfficeSchema.parse({ id: 'regie', siteId: SITE_ID, name: 'Régie de test', paymentReference: 'rf' }))
    await d.putDirectoryRecord(SITE_ID, 'household', HouseholdSchema.parse({ id: 'h1', siteId: SITE_ID, name: 'Foyer Martin' }))
    await d.putDirectoryRecord(SITE_ID, 'guardian', GuardianSchema.parse({ id: 'g1', siteId: SITE_ID, householdId: 'h1', firstName: 'Claire', lastName: 'Martin', email: 'claire@familles.example' }))
    await d.putDirectoryRecord(SITE_ID, 'child', ChildSchema.parse({ id: 'lea', siteId: SITE_ID, firstName: 'Léa', lastName: 'Martin', birthDate: '2019-03-01', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }))
    for (const [id, name] of [['cantine', 'Cantine'], ['etude', 'Étude'], ['garderie', 'Garderie']] as const) {
      await d.putDirectoryRecord(SITE_ID, 'service', ServiceSchema.parse({ id, siteId: SITE_ID, name, billing: 'invoiced', billingOfficeId: 'regie' }))
    }
    await tx.access!.putPortalAccount(SITE_ID, { siteId: SITE_ID, guardianId: 'g1', login: 'claire@familles.example' })
    await tx.access!.putCredential(SITE_ID, { subject: { kind: 'guardian', id: 'g1' }, passwordHash, updatedAt: NOW.toISOString() })
  })
  const charges: InvoiceChargeLine[] = [
    ...Array.from({ length: 17 }, (_, i) => charge('cantine', i + 1, { unitPriceMinor: 415n, amountMinor: i < 9 ? 208n : 207n, share: { weight: 1, totalWeight: 2 }, grossMinor: 415n })),
    ...[334n, 333n, 333n].map((amountMinor, i) => charge('etude', i + 1, { unitPriceMinor: 333n, unitPrice: '3.333', amountMinor })),
    ...[1, 2].map((n) => charge('garderie', n, { unitPriceMinor: 250n, amountMinor: 250n })),
  ]
  await createInvoiceBatch({ storage, clock: { now: () => NOW } }, {
    batch: { id: 'dec-lignes', siteId: SITE_ID, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['cantine', 'etude', 'garderie'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' },
    charges,
  })
  app = await host(storage, SITE_ID)
  const staff = new StaffClient(app.app, app.ctx)
  await staff.login('regisseur@jaures.example')
  expect((await staff.post('/staff/invoices/validate', { batchId: 'dec-lignes', issueDate: '2027-01-04' })).status).toBe(200)
})

const decode = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim()

/** The cells of each row of the page's first table body, as a person reads them. */
function rows(html: string): string[][] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? ''
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => decode(c[1]!)))
}

async function portalPage(lang: Lang): Promise<string> {
  const family = new Client(app.app)
  expect((await family.login('claire@familles.example', 'famille-lignes-2027')).status).toBe(303)
  await family.get('/invoices')
  if (lang !== 'fr') expect((await family.post('/lang', { lang })).status).toBe(303)
  const page = await family.get(`/invoices/${encodeURIComponent(INVOICE)}`)
  expect(page.status).toBe(200)
  return page.text
}

async function staffPage(lang: Lang): Promise<string> {
  const staff = new StaffClient(app.app, app.ctx)
  await staff.login('secretariat@jaures.example')
  if (lang !== 'fr') expect((await staff.post('/lang', { lang })).status).toBe(303)
  const page = await staff.get(`/staff/invoices/${encodeURIComponent(INVOICE)}`)
  expect(page.status).toBe(200)
  return page.text
}

describe("the family's invoice page (portal)", () => {
  it('shows the half-paid canteen line as 17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €, and the study hours at their exact price 3,333 €', async () => {
    expect(rows(await portalPage('fr'))).toEqual([
      ['Cantine – Léa Martin', '17', '4,15 €', '35,28 €'],
      ['17 × 4,15 € = 70,55 € · votre part 1/2 : 35,28 €'],
      ['Étude – Léa Martin', '3', '3,333 €', '10,00 €'],
      ['Garderie – Léa Martin', '2', '2,50 €', '5,00 €'],
    ])
  })

  it('says it in each language of the portal', async () => {
    const expected: Record<Exclude<Lang, 'fr'>, string[][]> = {
      en: [['Cantine – Léa Martin', '17', '€4.15', '€35.28'], ['17 × €4.15 = €70.55 · your share 1/2: €35.28'], ['Étude – Léa Martin', '3', '€3.333', '€10.00'], ['Garderie – Léa Martin', '2', '€2.50', '€5.00']],
      it: [['Cantine – Léa Martin', '17', '4,15 €', '35,28 €'], ['17 × 4,15 € = 70,55 € · vostra quota 1/2: 35,28 €'], ['Étude – Léa Martin', '3', '3,333 €', '10,00 €'], ['Garderie – Léa Martin', '2', '2,50 €', '5,00 €']],
      nl: [['Cantine – Léa Martin', '17', '€ 4,15', '€ 35,28'], ['17 × € 4,15 = € 70,55 · uw deel 1/2: € 35,28'], ['Étude – Léa Martin', '3', '€ 3,333', '€ 10,00'], ['Garderie – Léa Martin', '2', '€ 2,50', '€ 5,00']],
    }
    for (const lang of ['en', 'it', 'nl'] as const) expect(rows(await portalPage(lang)), lang).toEqual(expected[lang])
  })

  it('prints a line stored before shares and exact prices as before: its price in cents and nothing under it', async () => {
    const page = await portalPage('fr')
    const care = rows(page).findIndex((r) => r[0] === 'Garderie – Léa Martin')
    expect(rows(page)[care]).toEqual(['Garderie – Léa Martin', '2', '2,50 €', '5,00 €'])
    expect(rows(page)[care + 1]).toBeUndefined()
    // one note on the page: the shared line's
    expect(page.match(/class="share-note"/g)).toHaveLength(1)
  })
})

describe('the invoice page of the back office', () => {
  it("shows the same facts as the PDF, in the staff's words: 17 × 4,15 € = 70,55 € · part de ce responsable 1/2 : 35,28 €; the exact price 3,333 €", async () => {
    expect(rows(await staffPage('fr')).slice(0, 4)).toEqual([
      ['Léa Martin · Cantine', '17', '4,15 €', '35,28 €', ''],
      ['17 × 4,15 € = 70,55 € · part de ce responsable 1/2 : 35,28 €', ''],
      ['Léa Martin · Étude', '3', '3,333 €', '10,00 €', ''],
      ['Léa Martin · Garderie', '2', '2,50 €', '5,00 €', ''],
    ])
  })

  it('says it in each language of the back office', async () => {
    const expected: Record<Exclude<Lang, 'fr'>, string[]> = {
      en: ["17 × €4.15 = €70.55 · this guardian's share 1/2: €35.28", '€3.333'],
      it: ['17 × 4,15 € = 70,55 € · quota di questo responsabile 1/2: 35,28 €', '3,333 €'],
      nl: ['17 × € 4,15 = € 70,55 · deel van deze verantwoordelijke 1/2: € 35,28', '€ 3,333'],
    }
    for (const lang of ['en', 'it', 'nl'] as const) {
      const shown = rows(await staffPage(lang))
      expect(shown[1], lang).toEqual([expected[lang][0], ''])
      expect(shown[2]![2], lang).toBe(expected[lang][1])
    }
  })

  it('prints a line stored before shares and exact prices as before, and the total of what the payer pays', async () => {
    const shown = rows(await staffPage('fr'))
    const care = shown.findIndex((r) => r[0] === 'Léa Martin · Garderie')
    expect(shown[care]).toEqual(['Léa Martin · Garderie', '2', '2,50 €', '5,00 €', ''])
    // nothing under it: the next row is the total, 35,28 + 10,00 + 5,00
    expect(shown[care + 1]).toEqual(['Total', '', '', '50,28 €', ''])
  })
})

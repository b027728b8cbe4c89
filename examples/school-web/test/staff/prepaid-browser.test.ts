import { describe, expect, it } from 'vitest'
import type { PostgresStorage } from '@ecole/storage-postgres'
import { staffBrowser } from './browser-support'
import { moneySite } from './money-support'
import { peopleSite } from './people-support'
import { decemberAndPrepaidDays, prepaidSnack } from './prepaid-support'

// The prepaid accounts procedure of seed 001 in Debian's Chromium (playwright-core), as a cashier
// does it: credit a family who pays at the desk, open their account, read January then December
// with the month picker, print it, then the creditors of the billing office; in French and in
// English. A screenshot of every screen goes to test-artifacts/staff/ (not committed).
const { open: openSite, shot } = staffBrowser('staff-prepaid-browser', async (storage, siteId) => {
  await moneySite(storage, siteId)
  await decemberAndPrepaidDays(storage, siteId)
})
/** The week-template test's site: the people site with a prepaid snack. */
async function templateSite(storage: PostgresStorage, siteId: string): Promise<void> {
  await peopleSite(storage, siteId)
  await prepaidSnack(storage, siteId)
}

const TEXT = {
  fr: {
    credit: 'Enregistrer le paiement et créditer le compte', credited: 'Le paiement est enregistré et le compte est crédité.', account: 'Mouvements du compte',
    january: 'Mouvements de janvier 2027', december: 'Mouvements de décembre 2026', deskLine: 'Crédit du compte (Espèces, produit « Caisse 1 »)', show: 'Afficher', print: 'Imprimer',
    creditors: 'Créditeurs : familles avec un solde prépayé (1)', closing: 'Solde à la fin du mois',
    counts: '6 jour(s) à réserver, 0 déjà réservé(s), 2 refusé(s), 0 annulation(s).', short: 'il manque 0,60', applied: 'Semaine type appliquée : 6 jour(s) réservé(s), 2 refusé(s), 0 annulé(s).',
  },
  en: {
    credit: 'Record the payment and credit the account', credited: 'The payment is recorded and the account credited.', account: 'Account movements',
    january: 'Movements of January 2027', december: 'Movements of December 2026', deskLine: 'Account credit (Cash, product “Caisse 1”)', show: 'Show', print: 'Print',
    creditors: 'Creditors: families with prepaid credit (1)', closing: 'Balance at the end of the month',
    counts: '6 day(s) to book, 0 already booked, 2 refused, 0 cancellation(s).', short: '0.60 short', applied: 'Week template applied: 6 day(s) booked, 2 refused, 0 cancelled.',
  },
} as const

const open = (lang: 'fr' | 'en', kind: 'accounts' | 'template' = 'accounts', username = 'regisseur@jaures.example') =>
  openSite(lang, { username, ...(kind === 'template' ? { seed: templateSite } : {}) })

describe('the prepaid accounts in Chromium (seed 001: Comptes prépayés)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`a cashier credits a family at the desk, reads their account by month, prints it, and lists the creditors (${lang})`, async () => {
      const T = TEXT[lang]
      const { page, base } = await open(lang)
      // 1. the guardian's page: credit the account (date, method, billing office, product, amount)
      await page.goto(`${base}/staff/guardians/g2`)
      await page.locator('#f-method').selectOption('cash')
      await page.locator('#f-billingOfficeId').selectOption('regie')
      await page.locator('#f-product').fill('Caisse 1')
      await page.locator('#f-amount').fill('12.00')
      await shot(page, `prepaid-${lang}-01-credit-form`)
      await page.getByRole('button', { name: T.credit }).click()
      await expect.poll(() => page.locator('body').textContent()).toContain(T.credited)
      // 2. the account's movements of the current month (January 2027): opening, lines, running balance, closing
      await page.getByRole('link', { name: T.account }).click()
      await expect.poll(() => page.locator('main').textContent()).toContain(T.january)
      const january = (await page.locator('section.wallet-month').textContent())!.replace(/\s+/g, ' ')
      expect(january).toContain(T.deskLine)
      expect(january).toMatch(/38[,.]80/)
      await shot(page, `prepaid-${lang}-02-january`)
      // 3. the month picker: December 2026
      await page.locator('#f-month').fill('2026-12')
      await page.getByRole('button', { name: T.show }).click()
      await expect.poll(() => page.locator('main').textContent()).toContain(T.december)
      expect(await page.locator('section.wallet-month tfoot tr.closing').textContent()).toMatch(new RegExp(`${T.closing}\\s*(€\\s*)?30[,.]00`))
      await shot(page, `prepaid-${lang}-03-december`)
      // 4. printable: the print button shows when scripts run; printed, the menu and the forms are gone
      expect(await page.getByRole('button', { name: T.print }).isVisible()).toBe(true)
      await page.emulateMedia({ media: 'print' })
      expect(await page.locator('header.top').isVisible()).toBe(false)
      expect(await page.locator('form.no-print').isVisible()).toBe(false)
      expect(await page.locator('section.wallet-month').isVisible()).toBe(true)
      await shot(page, `prepaid-${lang}-04-print`)
      await page.emulateMedia({ media: 'screen' })
      // 5. the creditors of the billing office, with their total
      await page.goto(`${base}/staff/accounts`)
      expect(await page.locator('main').textContent()).toContain(T.creditors)
      expect((await page.locator('#creditors tbody').textContent())!.replace(/\s+/g, ' ')).toMatch(/Paul Roux\s*(€\s*)?38[,.]80/)
      expect((await page.locator('#creditors tfoot').textContent())!.replace(/\s+/g, ' ')).toMatch(/\(1\)\s*(€\s*)?38[,.]80/)
      await shot(page, `prepaid-${lang}-05-creditors`)
    }, 120_000)
  }

  for (const lang of ['fr', 'en'] as const) {
    it(`a secretary books a prepaid snack from a week template: each day's reservation shown, the days the wallet cannot pay refused with the shortfall (${lang})`, async () => {
      const T = TEXT[lang]
      const { page, base, ctx, siteId } = await open(lang, 'template', 'secretariat@jaures.example')
      // 1. the week template of Léo: the prepaid snack, Monday, Tuesday, Thursday, Friday, 1 to 12 March
      await page.goto(`${base}/staff/children/k1/week-template`)
      await page.locator('#f-serviceId').selectOption('gouter')
      await page.locator('#f-from').fill('2027-03-01')
      await page.locator('#f-to').fill('2027-03-12')
      await page.locator('form.card button[value=preview]').click()
      // 2. the outcome day by day: six days reserved on the wallet, two refused with what is missing
      await expect.poll(() => page.locator('#plan-counts').count()).toBe(1)
      const rows = page.locator('table.plan tbody tr')
      expect(await rows.count()).toBe(8)
      expect(await page.locator('table.plan tr.booked').count()).toBe(6)
      expect(await page.locator('table.plan tr.refused').count()).toBe(2)
      expect((await page.locator('table.plan tr.refused').first().textContent())!).toMatch(/0[,.]60/)
      expect(await page.locator('#plan-counts').textContent()).toBe(T.counts)
      expect(await page.locator('table.plan tr.refused').first().textContent()).toContain(T.short)
      await shot(page, `prepaid-${lang}-06-template-preview`)
      // 3. applied: the same outcome, written
      await page.locator('form.card button[value=apply]').click()
      await expect.poll(() => page.locator('.notice.ok').count()).toBe(1)
      expect(await page.locator('.notice.ok').textContent()).toBe(T.applied)
      await shot(page, `prepaid-${lang}-07-template-applied`)
      const booked = (await ctx.storage.bookings!.listBookings(siteId, { from: '2027-03-01', to: '2027-03-31', beneficiaryId: 'k1', serviceId: 'gouter' })).items.filter((b) => b.status === 'booked')
      expect(booked.length).toBe(6)
    }, 120_000)
  }
})

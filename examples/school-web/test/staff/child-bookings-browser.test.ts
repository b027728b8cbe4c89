import { walletAccountId } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { SITE } from '../../src/site-settings'
import { staffBrowser } from './browser-support'
import { peopleSite } from './people-support'
import { prepaidSnack } from './prepaid-support'
import { NOW } from './support'

// « Ajouter des réservations pour un enfant » (seed 001) in Debian's Chromium, as the secretary
// does it, in French and in Italian: from Léo's page to his month grid of the prepaid snack, two
// days ticked and booked (Claire's wallet debited), one cancelled. Screenshots go to
// test-artifacts/staff/files-bookings-*.png (not committed).
const { open: openSite, shot } = staffBrowser('staff-child-bookings-browser', async (storage, siteId) => {
  await peopleSite(storage, siteId)
  await prepaidSnack(storage, siteId)
})

const TEXT = {
  fr: { link: 'Réservations (grille du mois)', booked: '2 jour(s) traité(s), 0 refusé(s).', cancelled: '1 jour(s) traité(s), 0 refusé(s).' },
  it: { link: 'Prenotazioni (griglia del mese)', booked: '2 giorno/i trattato/i, 0 rifiutato/i.', cancelled: '1 giorno/i trattato/i, 0 rifiutato/i.' },
} as const

describe('staff books days for a child in Chromium', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`the secretary books two prepaid snacks for Léo from his month grid, then cancels one (${lang})`, async () => {
      const T = TEXT[lang]
      const { page, base, ctx, siteId } = await openSite(lang, { username: 'secretariat@jaures.example' })
      const available = async () => (await ctx.storage.ledger!.getBalances(siteId, [walletAccountId('g1', SITE.billingOfficeId)], NOW))[0]!.available
      await page.goto(`${base}/staff/children/k1`)
      await page.getByRole('link', { name: T.link }).click()
      await page.locator('#f-service').selectOption('gouter')
      await page.locator('form.filters button[type=submit]').click()
      await page.waitForLoadState()
      await page.goto(`${page.url().replace(/month=\d{4}-\d{2}/, 'month=2027-03')}`)
      await page.locator('#d-2027-03-01').check()
      await page.locator('#d-2027-03-02').check()
      await shot(page, `files-bookings-${lang}-01-grid`)
      await page.locator('#staff-bookings button[value=book]').click()
      await page.waitForLoadState()
      expect(await page.locator('main').textContent()).toContain(T.booked)
      expect(await page.locator('td[data-date="2027-03-01"]').getAttribute('data-state')).toBe('booked')
      expect(await available()).toBe(340n)
      await shot(page, `files-bookings-${lang}-02-booked`)
      await page.locator('#d-2027-03-02').check()
      await page.locator('#staff-bookings button[value=cancel]').click()
      await page.waitForLoadState()
      expect(await page.locator('main').textContent()).toContain(T.cancelled)
      expect(await available()).toBe(420n)
      await shot(page, `files-bookings-${lang}-03-cancelled`)
    }, 120_000)
  }
})

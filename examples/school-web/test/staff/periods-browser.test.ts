import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { staffBrowser } from './browser-support'
import { NOW } from './support'

// Seed 001 « Comment ajouter une période ? » in Debian's Chromium, its steps as the test's steps,
// with the warning that the bookings inside a closure are deleted; screenshots in
// test-artifacts/staff/periods-*.png (not committed).
const { open, shot } = staffBrowser('staff-periods-browser', (storage, siteId) => peopleSite(storage, siteId))

const TEXT = {
  fr: { nav: 'Périodes', save: 'Enregistrer la période', warning: 'elles seront supprimées en cas de validation', impact: '1 réservation(s) seront supprimées :', confirm: 'Confirmer et supprimer 1 réservation(s)', saved: 'Période enregistrée : 1 réservation(s) supprimée(s)', line: 'Léo Martin (CP), Cantine, 11/03/2027', scope: 'Cantine (École Jean-Jaurès: CP)' },
  en: { nav: 'Periods', save: 'Save the period', warning: 'will be deleted when you confirm', impact: '1 booking(s) will be deleted:', confirm: 'Confirm and delete 1 booking(s)', saved: 'Period saved: 1 booking(s) deleted', line: 'Léo Martin (CP), Cantine, 11/03/2027', scope: 'Cantine (École Jean-Jaurès: CP)' },
}

describe('in Chromium: ajouter une période (seed 001, Administration > Prestations > Périodes)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] a closure of the canteen for class CP shows the booking it deletes, by name and class, and deletes it once confirmed`, async () => {
      const { page, base, ctx, siteId } = await open(lang, { username: 'direction@jaures.example' })
      const x = TEXT[lang]
      await ctx.storage.bookings!.putBooking(siteId, { id: 'b-strike', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-03-11', status: 'booked', bookedAt: NOW })
      // 1-2. the administration, PRESTATIONS > Périodes
      await page.goto(`${base}/staff`)
      await page.getByRole('link', { name: x.nav, exact: true }).first().click()
      await page.waitForURL(`${base}/staff/admin/periods`)
      // 3-4. the period's label, first and last day, a colour to find it in the list
      await page.locator('#f-label').fill(lang === 'fr' ? 'Grève des agents' : 'Staff strike')
      await page.locator('#f-from').fill('2027-03-11')
      await page.locator('#f-to').fill('2027-03-12')
      await page.locator('#f-colour').fill('#cc3333')
      // 5. the service unfolds its schools and classes: tick class CP of the canteen
      await page.locator('details summary', { hasText: 'Cantine' }).first().click()
      await page.locator('input[name=cls][value$="|cp"]').first().check()
      expect(await page.locator('p.warning').first().textContent()).toContain(x.warning)
      await shot(page, `periods-${lang}-1-form`)
      // 6. save: seed 001's warning, with the booking the closure deletes, before anything is deleted
      await page.getByRole('button', { name: x.save }).click()
      await page.locator('section.confirm').waitFor()
      expect(await page.locator('section.confirm').textContent()).toContain(x.impact)
      expect(await page.locator('li[data-booking="b-strike"]').textContent()).toBe(x.line)
      expect((await ctx.storage.bookings!.getBooking(siteId, 'b-strike'))?.status).toBe('booked')
      await shot(page, `periods-${lang}-2-warning`)
      // confirmed: the booking is deleted and the list shows the coloured period
      await page.getByRole('button', { name: x.confirm }).click()
      await page.locator('.notice.ok').waitFor()
      expect(await page.locator('.notice.ok').textContent()).toContain(x.saved)
      expect(await page.locator('table.periods tbody tr').first().textContent()).toContain(x.scope)
      expect((await ctx.storage.bookings!.getBooking(siteId, 'b-strike'))?.status).toBe('cancelled')
      await shot(page, `periods-${lang}-3-list`)
    }, 120_000)
  }
})

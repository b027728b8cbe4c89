import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { moneySite } from './money-support'

// Setting what a day costs in Debian's Chromium, in French and Italian; screenshots of every
// screen go to test-artifacts/staff/ (not committed).
const { open, shot } = staffBrowser('staff-tariffs-browser', (storage, siteId) => moneySite(storage, siteId))

const TEXT = {
  fr: { menu: 'Tarifs', save: 'Enregistrer le tarif', saved: 'Le tarif est enregistré.', brackets: 'Selon le quotient familial (tranches)', nothing: "Rien n'a été enregistré", price: /01\/09\/2026 – sans fin : 2,80\s€/ },
  it: { menu: 'Tariffe', save: 'Salva la tariffa', saved: 'La tariffa è salvata.', brackets: 'Secondo il quoziente familiare (fasce)', nothing: 'Nulla è stato salvato', price: /01\/09\/2026 – senza fine : 2,80\s€/ },
}

describe('in Chromium: the tariffs of the services (what a day costs)', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] the head teacher changes the care's price, then is shown a bracket with a gap beside its field`, async () => {
      const x = TEXT[lang]
      const { page, base, ctx, siteId } = await open(lang, { username: 'direction@jaures.example' })
      // 1. the menu entry; 2. the list of services and their tariffs
      await page.getByRole('link', { name: x.menu, exact: true }).click()
      await page.waitForURL(`${base}/staff/admin/tariffs`)
      await shot(page, `tariffs-list-${lang}`)
      // 3. edit the care: one price of 2,80 from the same first day (replaces the stored period)
      await page.locator('a[href="/staff/admin/tariffs/garderie"]').click()
      await page.locator('#f-from').fill('2026-09-01')
      await page.locator('#f-price').fill('2,80')
      await shot(page, `tariffs-edit-${lang}`)
      await page.getByRole('button', { name: x.save }).click()
      await page.waitForURL(/\/staff\/admin\/tariffs\?done=saved/)
      expect(await page.locator('p.notice.ok').textContent()).toContain(x.saved)
      expect(await page.locator('#service-garderie').textContent()).toMatch(x.price)
      expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'garderie'))!.tariffs[0]!.tariff).toEqual({ kind: 'fixed', price: { amount: '2.80', currency: 'EUR' } })
      // 4. the canteen by quotient, with a gap between the brackets: refused beside the bracket, nothing stored
      const before = await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine')
      await page.locator('a[href="/staff/admin/tariffs/cantine"]').click()
      await page.locator('#f-from').fill('2026-09-01')
      await page.getByLabel(x.brackets).check()
      await page.locator('#b-max0').fill('700')
      await page.locator('#b-price0').fill('1')
      await page.locator('#b-max1').fill('600')
      await page.locator('#b-price1').fill('3,20')
      await page.locator('#b-price2').fill('4,15')
      await page.locator('#f-noQuotientPrice').fill('4,60')
      await page.getByRole('button', { name: x.save }).click()
      await page.waitForSelector('#b-max1-error')
      await shot(page, `tariffs-refused-${lang}`)
      expect(await page.content()).toContain(x.nothing)
      expect(await page.locator('#b-max1').getAttribute('aria-invalid')).toBe('true')
      expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'servicePricing', 'cantine')).toEqual(before)
    })
  }
})

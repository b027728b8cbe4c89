import { describe, expect, it } from 'vitest'
import { peopleSite } from './people-support'
import { staffBrowser } from './browser-support'

// Two staff users edit one guardian in Debian's Chromium, each in their own browser: the first
// saves, the second, who opened the form before, is told on screen who changed the record, when
// and what (the 409 page), keeps what they typed, and saves again knowingly. In French and in
// English; screenshots test-artifacts/staff/versions-<lang>-*.png (not committed).
const { open, login, shot } = staffBrowser('staff-versions-browser', (storage, siteId) => peopleSite(storage, siteId))

const TEXT = {
  fr: { save: 'Enregistrer', changed: 'Cette fiche a été modifiée par Alice Administratrice le ', whatChanged: 'Ce qui a changé', again: 'Enregistrer à nouveau remplacera ces modifications par votre saisie.' },
  en: { save: 'Save', changed: 'This record was changed by Alice Administratrice on ', whatChanged: 'What changed', again: 'Saving again will replace these changes with what you typed.' },
}

describe('in Chromium: a guardian edited by two staff users at once (the second is told, nothing is overwritten)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] shows the second user who changed the guardian, when and what, with what they typed kept, then saves it again knowingly`, async () => {
      const { page, base, ctx, siteId, newPage } = await open(lang)
      const x = TEXT[lang]
      await login(page, base, 'secretariat@jaures.example')
      // the secretary opens Claire Martin's form and types a mobile number...
      await page.goto(`${base}/staff/guardians/g1/edit`)
      await page.locator('#f-mobile').fill('06 00 00 00 00')
      // ...while the administrator, in another browser, saves an e-mail address on the same form
      const admin = await newPage()
      await login(admin, base, 'bo-admin@jaures.example')
      await admin.goto(`${base}/staff/guardians/g1/edit`)
      await admin.locator('#f-email').fill('claire@example.fr')
      await admin.getByRole('button', { name: x.save, exact: true }).click()
      await admin.waitForURL(/done=contact/)
      const stored = await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1')
      expect(stored?.email).toBe('claire@example.fr')
      // the secretary saves: refused, told by whom and what, their mobile kept on the form
      await page.getByRole('button', { name: x.save, exact: true }).click()
      expect(await page.locator('.notice.error').textContent()).toContain(x.changed)
      const table = page.locator('.card.conflict table')
      expect(await table.locator('caption').textContent()).toBe(x.whatChanged)
      expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['E-mail', '—', 'claire@example.fr'])
      expect(await page.locator('.card.conflict').textContent()).toContain(x.again)
      expect(await page.locator('#f-mobile').inputValue()).toBe('06 00 00 00 00')
      await shot(page, `versions-${lang}-1-conflict`)
      expect(await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1')).toEqual(stored)
      // saving again from this form (which now carries the stored version) goes through
      await page.getByRole('button', { name: x.save, exact: true }).click()
      await page.waitForURL(/done=contact/)
      await shot(page, `versions-${lang}-2-saved-again`)
      expect((await ctx.storage.directory!.getDirectoryRecord(siteId, 'guardian', 'g1'))?.mobile).toBe('06 00 00 00 00')
      await admin.context().close()
      await page.context().close()
    })
  }
})

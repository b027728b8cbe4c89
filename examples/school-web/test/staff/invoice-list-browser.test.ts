import { validateDrafts } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { moneySite } from './money-support'

// Issue 18 in Debian's Chromium (playwright-core), written as seed 001's steps « Comment mettre à
// disposition la lettre de relance sur le portail ? », in French and in Italian: FACTURES, the
// filter « État facture : à relancer », the reminders of the listed invoices with « Enregistrer
// dans les fiches » and « Envoyer une notification ». Screenshots go to
// test-artifacts/staff/invoicelist-*.png (not committed).
const { open: openSite, shot } = staffBrowser('staff-invoicelist-browser', async (storage, siteId) => {
  await moneySite(storage, siteId)
  // November (Paul Roux 25.00, due 2026-12-15: 36 days late on 2027-01-20) and December (due 2027-01-15) validated
  for (const [batchId, issueDate] of [['nov', '2026-11-30'], ['dec', '2027-01-04']] as const) {
    await validateDrafts({ storage, clock: { now: () => new Date('2027-01-20T09:00:00Z') } }, { siteId, batchId, issueDate, numbering: { prefix: 'F{YYYY}-' } })
  }
})
const open = (lang: 'fr' | 'it') => openSite(lang, { username: 'regisseur@jaures.example' })

const TEXT = {
  fr: { state: 'À relancer', filter: 'Filtrer', remind: 'Relancer les factures listées', ofList: 'Relances des 3 facture(s) de la liste filtrée.', sent: '1 relance(s) enregistrée(s) ; 1 lettre(s) enregistrée(s) dans les dossiers des familles.' },
  it: { state: 'Da sollecitare', filter: 'Filtra', remind: 'Sollecita le fatture elencate', ofList: "Solleciti delle 3 fatture dell'elenco filtrato.", sent: '1 sollecito/i registrato/i; 1 lettera/e salvata/e nelle cartelle delle famiglie.' },
} as const

describe('in Chromium: mettre à disposition la lettre de relance sur le portail (seed 001), from the invoices list « à relancer »', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] the cashier lists the invoices to remind, then saves their letters into the families' files and notifies them`, async () => {
      const T = TEXT[lang]
      const { page, base, ctx, siteId } = await open(lang)
      // 1. FACTURES in the menu
      await page.goto(`${base}/staff`)
      await page.locator('a[href="/staff/invoices"]').first().click()
      await page.waitForLoadState()
      await shot(page, `invoicelist-${lang}-1-invoices`)
      // 2-3. the filter « État facture » on « à relancer », sorted by number: the unpaid invoices past their due date
      await page.locator('#f-state').selectOption({ label: T.state })
      await page.locator('#f-sort').selectOption('number')
      await page.getByRole('button', { name: T.filter }).click()
      await page.waitForLoadState()
      const numbers = await page.locator('#invoices tbody tr td:first-child').allTextContents()
      expect(numbers).toEqual(['F2026-000001', 'F2027-000001', 'F2027-000002'])
      expect(await page.locator('#invoices tbody').textContent()).toContain('Paul Roux')
      await shot(page, `invoicelist-${lang}-2-to-remind`)
      // 4. the reminders of the listed invoices: only Paul Roux's November invoice is late enough for a letter (10 days)
      await page.getByRole('link', { name: T.remind }).click()
      await page.waitForLoadState()
      expect(await page.locator('#reminders-of-list').textContent()).toContain(T.ofList)
      expect(await page.locator('#reminders tbody tr').count()).toBe(1)
      // 5. « Enregistrer dans les fiches » and « Envoyer une notification » ticked
      await page.locator('#f-letters').check()
      await page.locator('#f-notify').check()
      await shot(page, `invoicelist-${lang}-3-reminders`)
      // 6. the letters generated
      await page.locator('#reminders-send button[type=submit]').click()
      await page.waitForLoadState()
      expect(await page.locator('.notice.ok').textContent()).toContain(T.sent)
      await shot(page, `invoicelist-${lang}-4-sent`)
      expect((await ctx.storage.invoicing!.lastReminderLevels(siteId, ['nov:g2'])).get('nov:g2')).toBe(2)
      const letters = (await ctx.storage.documents!.listDocuments(siteId, { limit: 10 }, { addressedTo: { guardianIds: ['g2'], childIds: [] } })).items
      expect(letters.map((d) => d.audience)).toEqual([{ kind: 'guardian', guardianId: 'g2' }])
      expect((await ctx.storage.outbox!.list(siteId, {})).items.length).toBe(1)
    }, 180_000)
  }
})

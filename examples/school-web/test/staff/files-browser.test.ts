import { recordPayment } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { moneySite } from './money-support'

// Issue 18 (files) in Debian's Chromium (playwright-core), as a cashier does them, in French and
// in English (seed 001): a draft's reduction modified with the total updated; the portal date of a
// validated invoice moved from its page; the year's tax certificates saved into the families'
// files with a notice; the reminder letters saved. Screenshots go to test-artifacts/staff/files-*.png
// (not committed).
const { open: openSite, shot } = staffBrowser('staff-files-browser', (storage, siteId) => moneySite(storage, siteId))
const open = (lang: 'fr' | 'en') => openSite(lang, { username: 'regisseur@jaures.example' })

const TEXT = {
  fr: {
    add: 'Enregistrer', modify: 'Modifier', newTotal: /Brouillon mis à jour : nouveau total 85,00\s€/, portalLink: 'Changer la date portail', check: 'Voir les factures concernées',
    confirmDate: 'Dont 1 facture(s) validée(s)', confirm: 'Confirmer', dateSet: 'Date portail mise au 01/02/2027 sur 1 facture(s).', saveTax: 'Enregistrer les attestations dans les dossiers des familles',
    taxSaved: '1 attestation(s) enregistrée(s) dans les dossiers des familles, 0 déjà enregistrée(s) ; 1 e-mail(s) en file d’envoi.', remind: /Enregistrer|Envoyer|Relancer/, lettersSaved: '1 lettre(s) enregistrée(s) dans les dossiers des familles',
  },
  en: {
    add: 'Save', modify: 'Modify', newTotal: /Draft updated: new total €85\.00/, portalLink: 'Change the portal date', check: /See the invoices|Check/,
    confirmDate: 'Of which 1 validated invoice(s)', confirm: 'Confirm', dateSet: /Portal date set to .*2027 on 1 invoice\(s\)\./, saveTax: 'Save the certificates into the families’ files',
    taxSaved: '1 certificate(s) saved into the families’ files, 0 already saved; 1 e-mail(s) queued.', remind: /Record|Send|Remind/, lettersSaved: '1 letter(s) saved into the families’ files',
  },
} as const

describe('documents into the families\' files, portal dates, adjustments modified, in Chromium', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`a cashier modifies a reduction, moves a validated invoice's portal date, saves the certificates and the reminder letters (${lang})`, async () => {
      const T = TEXT[lang]
      const { page, base, ctx, siteId } = await open(lang)
      // 1. a reduction on the draft dec:g1, then modified: the form comes pre-filled, the total follows
      await page.goto(`${base}/staff/invoices/${encodeURIComponent('dec:g1')}`)
      await page.locator('#f-reason').fill('Sortie scolaire')
      await page.locator('#f-amount').fill('10.00')
      await page.locator('form.card button[type=submit]').last().click()
      await page.waitForLoadState()
      await page.getByRole('link', { name: T.modify }).click()
      expect(await page.locator('#f-reason').inputValue()).toBe('Sortie scolaire')
      expect(await page.locator('#f-amount').inputValue()).toBe('10.00')
      await page.locator('#f-amount').fill('15.00')
      await shot(page, `files-${lang}-01-adjustment-edit`)
      await page.locator('#adjustment-edit button[type=submit]').click()
      await page.waitForLoadState()
      expect(await page.locator('main').textContent()).toMatch(T.newTotal)
      await shot(page, `files-${lang}-02-adjustment-saved`)
      // 2. validation of December, then the portal date of the validated dec:g1 moved from its page
      await page.goto(`${base}/staff/invoices/validate?batchId=dec`)
      await page.locator('main form button[type=submit]').click()
      await page.waitForLoadState()
      await page.goto(`${base}/staff/invoices/${encodeURIComponent('dec:g1')}`)
      await page.getByRole('link', { name: T.portalLink }).click()
      await page.locator('#f-portalDisplayDate').fill('2027-02-01')
      await page.locator('main form button[type=submit]').click()
      await page.waitForLoadState()
      expect(await page.locator('#portal-date-validated').textContent()).toContain(T.confirmDate)
      await shot(page, `files-${lang}-03-portal-date-confirm`)
      await page.getByRole('button', { name: T.confirm }).click()
      await page.waitForLoadState()
      expect(await page.locator('main').textContent()).toMatch(typeof T.dateSet === 'string' ? new RegExp(T.dateSet.replace(/[()]/g, '\\$&')) : T.dateSet)
      expect((await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.portalDisplayDate).toBe('2027-02-01')
      // 3. November validated and paid by Paul Roux: the 2027 certificate saved into his file, notified
      await page.goto(`${base}/staff/invoices/validate?batchId=nov`)
      await page.locator('main form button[type=submit]').click()
      await page.waitForLoadState()
      // 4. the reminder letter first (the November invoice is overdue), saved into Paul's file
      await page.goto(`${base}/staff/reminders`)
      await shot(page, `files-${lang}-04-reminders`)
      await page.locator('main form button[type=submit]').click()
      await page.waitForLoadState()
      expect(await page.locator('main').textContent()).toContain(T.lettersSaved)
      await shot(page, `files-${lang}-05-reminders-saved`)
      await recordPayment({ storage: ctx.storage, clock: ctx.clock }, { id: 'p-nov', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cheque', date: '2027-01-20', invoiceId: 'nov:g2', amount: '25.00' })
      await page.goto(`${base}/staff/tax-certificates?year=2027`)
      await shot(page, `files-${lang}-06-tax-certificates`)
      await page.getByRole('button', { name: T.saveTax }).click()
      await page.waitForLoadState()
      expect(await page.locator('main').textContent()).toContain(T.taxSaved)
      await shot(page, `files-${lang}-07-tax-saved`)
      expect(await ctx.storage.documents!.getDocument(siteId, 'tax-certificate-2027-g2-k-g2')).toMatchObject({ audience: { kind: 'guardian', guardianId: 'g2' } })
    }, 120_000)
  }
})

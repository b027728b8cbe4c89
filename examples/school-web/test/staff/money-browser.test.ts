import { testCamt053 } from '@ecole/bank'
import { describe, expect, it } from 'vitest'
import { staffBrowser } from './browser-support'
import { moneySite, OFFICE_IBAN } from './money-support'

// The money procedures in Debian's Chromium (playwright-core), as a cashier does them: a batch
// created with its progress shown (htmx polling), its drafts, the SEPA collection, a statement
// reviewed and imported, reminders, tax certificates, debtors and creditors, a credit note; in
// French and in English. A screenshot of every screen goes to test-artifacts/staff/ (not committed).
const { open: openSite, shot } = staffBrowser('staff-money-browser', (storage, siteId) => moneySite(storage, siteId))
const open = (lang: 'fr' | 'en') => openSite(lang, { username: 'regisseur@jaures.example' })

const TEXT = {
  fr: { create: 'Créer le groupe et ses brouillons', done: 'Le groupe jan est créé.', drafts: 'Voir les brouillons', generate: 'Générer le fichier', collected: '1 prélèvement(s)', review: 'Voir le rapprochement proposé', toInvoice: 'Paie la facture F2027-000002 de Claire Martin', confirm: "Confirmer l'import", imported: 'Relevé importé', debtors: 'Débiteurs (1)', credit: "Émettre l'avoir", exceeds: 'CREDIT_EXCEEDS_INVOICE' },
  en: { create: 'Create the batch and its drafts', done: 'Batch jan is created.', drafts: 'See the drafts', generate: 'Generate the file', collected: '1 direct debit(s)', review: 'Review the proposed reconciliation', toInvoice: 'Pays invoice F2027-000002 of Claire Martin', confirm: 'Confirm the import', imported: 'Statement imported', debtors: 'Debtors (1)', credit: 'Issue the credit note', exceeds: 'CREDIT_EXCEEDS_INVOICE' },
} as const

describe('the money procedures in Chromium', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`a cashier bills January, collects it, imports a statement, reminds, certifies, credits (${lang})`, async () => {
      const T = TEXT[lang]
      const { page, base, ctx, siteId } = await open(lang)
      // 1. the batch form, then its progress (htmx polls the page until the batch is created)
      await page.goto(`${base}/staff/batches/new`)
      await page.locator('#f-batchId').fill('jan')
      await page.locator('#f-label').fill('Janvier 2027')
      await page.locator('#f-from').fill('2027-01-01')
      await page.locator('#f-to').fill('2027-01-31')
      await page.locator('#f-dueDate').fill('2027-02-15')
      await page.locator('#f-directDebitDate').fill('2027-02-10')
      await page.locator('#f-portalDisplayDate').fill('2027-02-05')
      await shot(page, `money-${lang}-01-batch-form`)
      await page.getByRole('button', { name: T.create }).click()
      await page.waitForURL(/\/staff\/batches\/jobs\//)
      await expect.poll(() => page.locator('#progress').textContent(), { timeout: 20_000 }).toContain(T.done)
      await shot(page, `money-${lang}-02-batch-progress`)
      // 2. the drafts, by name, marked *
      await page.getByRole('link', { name: T.drafts }).click()
      expect(await page.locator('main').textContent()).toContain('jan:g1 *')
      expect(await page.locator('main').textContent()).toContain('Claire Martin')
      await shot(page, `money-${lang}-03-drafts`)
      await page.goto(`${base}/staff/drafts/${encodeURIComponent('dec:g2')}/edit`)
      await shot(page, `money-${lang}-04-draft-edit`)
      await page.goto(`${base}/staff/drafts/${encodeURIComponent('dec:g2')}/delete`)
      await shot(page, `money-${lang}-05-draft-delete`)
      // 3. validation of both batches, then the SEPA collection of January
      for (const batch of ['jan', 'dec']) {
        await page.goto(`${base}/staff/invoices/validate?batchId=${batch}`)
        await page.locator('main form button[type=submit]').click()
        await page.waitForLoadState()
      }
      await page.goto(`${base}/staff/direct-debits`)
      await page.locator('#f-batchId').fill('jan')
      await page.locator('#f-collectionDate').fill('2027-02-10')
      await shot(page, `money-${lang}-06-direct-debits`)
      await page.getByRole('button', { name: T.generate }).click()
      expect(await page.locator('main').textContent()).toContain(T.collected)
      await shot(page, `money-${lang}-07-direct-debits-done`)
      // 4. a statement reviewed, then imported
      const camt = testCamt053(OFFICE_IBAN, [
        { ref: 'E1', cents: 10_000n, credit: true, date: '2027-01-21', structured: { reference: (await ctx.storage.invoicing!.getInvoice(siteId, 'dec:g1'))!.paymentReference!, issuer: 'ISO' } },
        { ref: 'E2', cents: 1_234n, credit: true, date: '2027-01-21', text: 'cantine janvier' },
      ])
      await page.goto(`${base}/staff/bank`)
      await page.locator('#f-file').setInputFiles({ name: 'releve.xml', mimeType: 'application/xml', buffer: Buffer.from(camt) })
      await page.getByRole('button', { name: T.review }).click()
      expect(await page.locator('#proposal').textContent()).toContain(T.toInvoice)
      await shot(page, `money-${lang}-08-bank-review`)
      await page.getByRole('button', { name: new RegExp(T.confirm) }).click()
      expect(await page.locator('main').textContent()).toContain(T.imported)
      await shot(page, `money-${lang}-09-bank-imported`)
      // a statement whose balances disagree is held; the held list offers to accept or reject it
      await page.goto(`${base}/staff/bank`)
      await page.locator('#f-file').setInputFiles({ name: 'faux.xml', mimeType: 'application/xml', buffer: Buffer.from(camt.replace('<Amt Ccy="EUR">0.00</Amt>', '<Amt Ccy="EUR">1.00</Amt>').replace(/STMT-1/g, 'STMT-2').replace(/>E([12])</g, '>F$1<')) })
      await page.getByRole('button', { name: T.review }).click()
      await page.locator('main form button[type=submit]').click()
      await page.goto(`${base}/staff/bank/held`)
      expect(await page.locator('#held tbody tr').count()).toBe(1)
      await shot(page, `money-${lang}-09b-bank-held`)
      // a statement of an account no office of the site holds is refused, naming the account
      await page.goto(`${base}/staff/bank`)
      await page.locator('#f-file').setInputFiles({ name: 'autre.xml', mimeType: 'application/xml', buffer: Buffer.from(camt.replaceAll(OFFICE_IBAN, 'FR1420041010050500013M02606')) })
      await page.getByRole('button', { name: T.review }).click()
      expect(await page.locator('[role=alert], .notice.error').first().textContent()).toContain('FR14 2004 1010 0505 0001 3M02 606')
      await shot(page, `money-${lang}-09c-bank-unknown-account`)
      // 5. reminders, tax certificates, debtors and creditors, an account, a credit note refused beyond the invoice
      await page.goto(`${base}/staff/invoices/validate?batchId=nov`)
      await page.locator('main form button[type=submit]').click()
      await page.waitForLoadState()
      await page.goto(`${base}/staff/reminders`)
      expect(await page.locator('#reminders').textContent()).toContain('Paul Roux')
      await shot(page, `money-${lang}-10-reminders`)
      await page.goto(`${base}/staff/tax-certificates?year=2027`)
      await shot(page, `money-${lang}-11-tax-certificates`)
      await page.goto(`${base}/staff/accounts`)
      expect(await page.locator('main').textContent()).toContain(T.debtors)
      await shot(page, `money-${lang}-12-accounts`)
      await page.goto(`${base}/staff/accounts/g1`)
      await shot(page, `money-${lang}-13-account-movements`)
      await page.goto(`${base}/staff/invoices/${encodeURIComponent('jan:g1')}/credit-note`)
      await page.locator('#f-reason').fill('Repas non servis')
      await page.locator('#f-amount').fill('99.00')
      await page.getByRole('button', { name: T.credit }).click()
      expect(await page.locator('main').textContent()).toContain(T.exceeds)
      await shot(page, `money-${lang}-14-credit-note-refused`)
    }, 120_000)
  }
})

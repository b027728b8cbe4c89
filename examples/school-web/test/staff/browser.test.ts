import { describe, expect, it } from 'vitest'
import { smallSite } from './support'
import { staffBrowser } from './browser-support'

// The back office in Debian's Chromium (playwright-core, no downloaded browser), each test written
// as the seed procedure's steps, in French and in another language. Screenshots of every step go
// to test-artifacts/staff/ (not committed).
const { open, login, shot } = staffBrowser('staff-browser', (storage, siteId) => smallSite(storage, siteId))

const TEXT = {
  fr: { invoices: 'Factures', validateLink: 'Valider les brouillons de ce groupe', confirm: 'Confirmer', validated: '2 facture(s) validée(s)', pay: 'Enregistrer le paiement', paid: 'Le paiement est enregistré.', archive: 'Archiver le responsable', unpaid: 'ne peut pas être archivé(e)' },
  en: { invoices: 'Invoices', validateLink: "Validate this batch's drafts", confirm: 'Confirm', validated: '2 invoice(s) validated', pay: 'Record the payment', paid: 'The payment is recorded.', archive: 'Archive the guardian', unpaid: 'cannot be archived' },
  it: { invoices: 'Fatture', validateLink: 'Convalida le bozze di questo gruppo', confirm: 'Conferma', validated: '2 fattura/e convalidata/e', pay: 'Registra il pagamento', paid: 'Il pagamento è registrato.', archive: 'Archivia il responsabile', unpaid: 'non può essere archiviato' },
}

describe('in Chromium: valider les brouillons puis ajouter un paiement (seed 001, Facturation)', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`[${lang}] the cashier filters the drafts, validates the batch after confirming, and records the payment of what remains`, async () => {
      const { page, base } = await open(lang)
      const x = TEXT[lang]
      // 1. log in; 2. FACTURES in the menu
      await login(page, base, 'regisseur@jaures.example')
      await page.getByRole('link', { name: x.invoices, exact: true }).first().click()
      // 3. filter on the drafts of the batch: the drafts show their number followed by *
      await page.locator('#f-state').selectOption('draft') // « État facture »
      await page.locator('#f-batchId').fill('dec')
      await page.locator('form.filters button[type=submit]').click()
      await page.getByRole('link', { name: 'dec:g1 *' }).waitFor()
      await shot(page, `validate-${lang}-1-drafts`)
      // 4. validate: a confirmation says how many drafts and the total
      await page.getByRole('link', { name: x.validateLink }).click()
      expect(await page.locator('form.card p').first().textContent()).toMatch(/150,00|150\.00/)
      await shot(page, `validate-${lang}-2-confirm`)
      // 5. confirm: the invoices are numbered
      await page.getByRole('button', { name: x.confirm }).click()
      expect(await page.locator('.notice.ok').textContent()).toContain(x.validated)
      await shot(page, `validate-${lang}-3-validated`)
      // 6. open the invoice; 7. the payment's amount defaults to what remains; 8. record it
      await page.goto(`${base}/staff/invoices?status=validated&batchId=dec`)
      await page.getByRole('link', { name: 'F2027-000001' }).click()
      expect(await page.locator('#f-amount').inputValue()).toBe('100.00')
      await page.locator('#f-method').selectOption('cheque')
      await shot(page, `validate-${lang}-4-payment`)
      await page.getByRole('button', { name: x.pay }).click()
      expect(await page.locator('.notice.ok').textContent()).toBe(x.paid)
      expect(await page.locator('#outstanding').textContent()).toMatch(/^(€)?0[.,]00/)
      await shot(page, `validate-${lang}-5-paid`)
      await page.context().close()
    }, 120_000)
  }
})

describe('in Chromium: archiver un responsable (seed 001, Responsable), refused while an invoice is unpaid', () => {
  for (const lang of ['fr', 'it'] as const) {
    it(`[${lang}] the secretary opens the guardian, asks to archive, and is told which invoice is unpaid`, async () => {
      const { page, base, ctx } = await open(lang)
      const x = TEXT[lang]
      // the December batch is validated by the billing office first
      const { validateDrafts } = await import('@ecole/workflows')
      await validateDrafts({ storage: ctx.storage, clock: ctx.clock }, { siteId: ctx.config.siteId, batchId: 'dec', issueDate: '2027-01-20', numbering: { prefix: 'F{YYYY}-' } })
      // 1. log in; 2. FOYERS, the household; 3. the guardian's file
      await login(page, base, 'secretariat@jaures.example')
      await page.goto(`${base}/staff/households`)
      await page.getByRole('link', { name: 'Foyer Roux' }).click()
      await page.getByRole('link', { name: 'Paul Roux' }).click()
      await shot(page, `archive-${lang}-1-guardian`)
      // 4. the archive icon: the refusal names the unpaid invoice and what it owes
      await page.getByRole('link', { name: x.archive }).click()
      expect(await page.locator('.notice.error').textContent()).toContain(x.unpaid)
      expect(await page.locator('.notice.error a').textContent()).toMatch(/F2027-00000\d/)
      await shot(page, `archive-${lang}-2-refused`)
      await page.context().close()
    }, 120_000)
  }
})

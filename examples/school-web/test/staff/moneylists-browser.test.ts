import { createInvoiceBatch, recordPayment, validateDrafts } from '@ecole/workflows'
import { describe, expect, it } from 'vitest'
import { staffBrowser, type Lang } from './browser-support'
import { moneySite } from './money-support'
import { NOW } from './support'

// Seed 001 in Debian's Chromium: the cashier makes the SEPA collection of a batch, finds the file
// again in the list of collection files and downloads it; then reads the debtors of the billing
// office (summed by the storage), in French and in English. Screenshots in test-artifacts/staff/.
const { open, shot } = staffBrowser('staff-moneylists-browser', async (storage, siteId) => {
  await moneySite(storage, siteId)
  const deps = { storage, clock: { now: () => NOW } }
  await createInvoiceBatch(deps, {
    batch: { id: 'feb', siteId, billingOfficeId: 'regie', period: { from: '2027-02-01', to: '2027-02-28' }, serviceIds: ['cantine'], dueDate: '2027-03-15', directDebitDate: '2027-03-10', portalDisplayDate: '2027-03-05', label: 'Février 2027' },
    charges: [
      { chargeId: 'feb-g1', debtorId: 'g1', beneficiaryId: 'k1', serviceId: 'cantine', date: '2027-02-01', quantity: 1, unitPriceMinor: 1530n, amountMinor: 1530n },
      { chargeId: 'feb-g2', debtorId: 'g2', beneficiaryId: 'k2', serviceId: 'cantine', date: '2027-02-01', quantity: 1, unitPriceMinor: 4200n, amountMinor: 4200n },
    ],
  })
  await validateDrafts(deps, { siteId, batchId: 'feb', issueDate: '2027-02-20' })
  // paid at the desk on the 21st (a payment is never dated after the day it is recorded)
  await recordPayment({ storage, clock: { now: () => new Date('2027-02-21T10:00:00Z') } }, { id: 'part-g2', siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'cash', date: '2027-02-21', invoiceId: 'feb:g2', amount: '12.00' })
})

const TEXT = {
  fr: { files: 'Fichiers de prélèvement', debts: 'Débiteurs', owed: 'Paul Roux\t30,00\u00a0€' },
  en: { files: 'Collection files', debts: 'Debtors', owed: 'Paul Roux\t€30.00' },
} as const

describe('collection files kept and the debtor list (seed 001), in a browser', () => {
  for (const lang of ['fr', 'en'] as const satisfies readonly Lang[]) {
    it(`collects a batch, finds its file again in the list, and reads the debtors largest first (${lang})`, async () => {
      const { page, base } = await open(lang, { username: 'regisseur@jaures.example' })
      await page.goto(`${base}/staff/direct-debits?batchId=feb`)
      await page.locator('input[name=collectionDate]').fill('2027-03-10')
      await page.locator('form[action="/staff/direct-debits"] button[type=submit]').click()
      await page.locator('#pain008').waitFor()
      await shot(page, `moneylists-collected-${lang}`)
      await page.getByRole('link', { name: TEXT[lang].files }).click()
      await page.locator('#collection-files').waitFor()
      await shot(page, `moneylists-files-${lang}`)
      const link = page.locator('#collection-files a[download]')
      expect(await link.count()).toBe(1)
      const download = await page.request.get(`${base}${await link.getAttribute('href')}`)
      expect(await download.text()).toContain('<InstdAmt Ccy="EUR">')
      await page.goto(`${base}/staff/accounts?office=regie`)
      const rows = await page.locator('#debtors tbody tr').allInnerTexts()
      await shot(page, `moneylists-debtors-${lang}`)
      // Claire Martin's 15.30 was collected (her mandate); Paul Roux has none and paid 12.00 of 42.00 at the desk
      expect(await page.locator('h2').first().innerText()).toContain(TEXT[lang].debts)
      expect(rows.map((r) => r.replace(/[\u00a0\u202f]/g, '\u00a0'))).toEqual([TEXT[lang].owed])
    }, 120_000)
  }
})

import type { LocalDate } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { compose, type WebConfig } from '../../src/compose'
import { MoneyClient, moneySite } from './money-support'
import { NOW, pgliteForFile } from './support'

// docs/invoicing.md: "minimumAmount: under this, no invoice: the charges wait for a later batch".
// The back office priced a batch from the bookings of its period only, and the library left any
// earlier day out: a canteen day held back in December under the 5.00 minimum was never billed.

async function host(storage: StoragePorts, siteId: string) {
  const config: WebConfig = {
    port: 0, publicUrl: 'http://localhost', https: false, siteId, dataDir: '/nonexistent', devMailbox: false, outboxWorker: false,
    sleep: async () => {}, batchJobs: { writeEveryMs: 20, staleAfterMs: 5_000 },
  }
  const ctx = await compose(config, { storage, clock: { now: () => NOW } })
  const user = new MoneyClient(createApp(ctx), ctx)
  await user.login('regisseur@jaures.example')
  return { ctx, user }
}

/** Posts the batch form and reads the job's page until it is over: the last page. */
async function runBatch(user: MoneyClient, form: Record<string, string | string[]>): Promise<string> {
  const r = await user.post('/staff/batches', form)
  expect(r.status, /class="notice error"[^>]*>([^<]*)/.exec(r.text)?.[1]).toBe(303)
  let text = ''
  for (let i = 0; i < 400; i++) {
    text = (await user.get(r.location!)).text
    if (!text.includes('hx-trigger="every 1s"')) break
    await new Promise((ok) => setTimeout(ok, 25))
  }
  return text
}

const month = (batchId: string, from: string, to: string, due: string) => ({
  batchId, label: batchId, from, to, billingOfficeId: 'regie', serviceIds: ['cantine', 'garderie'], dueDate: due, portalDisplayDate: due, minimumAmount: '5.00',
})

describe('back office: a day held back under the minimum is billed by the next batch (PGlite)', () => {
  const db = pgliteForFile()

  it('holds k-g1\'s one December canteen day (3.20) back, then bills it on January\'s invoice with January\'s days, once', async () => {
    const siteId = 'held-back-1'
    await moneySite(db.storage, siteId)
    await db.storage.bookings!.putBooking(siteId, { id: 'b-cantine-2026-12-03', beneficiaryId: 'k-g1', serviceId: 'cantine', date: '2026-12-03' as LocalDate, status: 'booked', bookedAt: NOW })
    const { ctx, user } = await host(db.storage, siteId)

    const dec = await runBatch(user, month('dec-b', '2026-12-01', '2026-12-31', '2027-01-15'))
    expect(dec).toContain('0 brouillon(s) ; 1 payeur(s) sous le minimum')
    expect(await ctx.storage.invoicing!.getInvoice(siteId, 'dec-b:g1')).toBeUndefined()

    const jan = await runBatch(user, month('jan-b', '2027-01-01', '2027-01-31', '2027-02-15'))
    expect(jan).toContain('1 ligne(s) de jours antérieurs, retenue(s) sous le minimum par un groupe précédent, facturée(s) avec ce groupe.')
    const invoice = (await ctx.storage.invoicing!.getInvoice(siteId, 'jan-b:g1'))!
    // 5 canteen days at 3.20 (December's and January's four) and one care day at 2.50
    expect(invoice.totalMinor).toBe(5n * 320n + 250n)
    expect(invoice.lines.find((l) => l.serviceId === 'cantine')!.dates).toEqual(['2026-12-03', '2027-01-04', '2027-01-05', '2027-01-07', '2027-01-08'])
    // (the small site's own December batch `dec` was made without a job: it holds nothing back)
    const jobs = (await ctx.storage.directory!.listDirectoryRecords(siteId, 'invoiceBatchJob', { limit: 10 })).items
    expect(jobs.map((j) => [j.batchId, j.result]).sort()).toEqual([
      ['dec-b', { drafts: 0, belowMinimum: 1, alreadyBilled: 0, carriedOver: 0, heldBackFrom: '2026-12-03' }],
      ['jan-b', { drafts: 1, belowMinimum: 0, alreadyBilled: 0, carriedOver: 1, heldBackFrom: null }],
    ])

    // February reads from its own first day again: nothing waits, nothing is billed twice
    const feb = await runBatch(user, month('feb-b', '2027-02-01', '2027-02-28', '2027-03-15'))
    expect(feb).toContain('0 brouillon(s) ; 0 payeur(s) sous le minimum ; 0 ligne(s) déjà facturée(s).')
    const all = (await ctx.storage.invoicing!.listInvoices(siteId, {})).items.flatMap((i) => i.lines.flatMap((l) => l.chargeIds))
    expect(all.filter((id) => id.includes('2026-12-03'))).toHaveLength(1)
  })
})

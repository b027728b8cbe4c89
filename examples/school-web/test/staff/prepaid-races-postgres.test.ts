import { walletAccountId } from '@ecole/core'
import { createPostgresStorage, type PostgresStorage } from '@ecole/storage-postgres'
import { readAccountStatement } from '@ecole/workflows'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { host } from './support'
import { hiddenField, MoneyClient, moneySite } from './money-support'

// Two cashiers crediting one family's prepaid account at the same moment through the host, on a
// real PostgreSQL server (PGlite runs one transaction at a time, so only a server shows a race).
const url = process.env['ECOLE_PG_URL']

describe.skipIf(!url)('two cashiers crediting one prepaid account at once, through the back office, on a PostgreSQL server', () => {
  let storage: PostgresStorage
  beforeAll(async () => {
    storage = await createPostgresStorage({ connectionString: url!, poolSize: 8 })
  }, 120_000)
  afterAll(async () => {
    await storage?.close()
  })

  it('keeps every credit once: two different credits both land, one form sent twice at once credits once, and the month statement adds up to the wallet', async () => {
    const siteId = `staff-prepaid-race-${process.pid}-${Date.now()}`
    await moneySite(storage, siteId)
    const { ctx, app } = await host(storage, siteId)
    const a = new MoneyClient(app, ctx)
    const b = new MoneyClient(app, ctx)
    await a.login('regisseur@jaures.example')
    await b.login('bo-admin@jaures.example')
    const credit = (who: MoneyClient, paymentId: string, amount: string) =>
      who.post('/staff/guardians/g2/credit', { paymentId, date: '2027-01-20', method: 'cash', billingOfficeId: 'regie', product: 'Caisse', amount })
    let expected = 0n
    for (let round = 0; round < 4; round++) {
      const [pa, pb] = await Promise.all([a.get('/staff/guardians/g2'), b.get('/staff/guardians/g2')])
      // two cashiers, two payments of the same family at the same moment
      const [ra, rb] = await Promise.all([credit(a, hiddenField(pa.text, 'paymentId'), '10.00'), credit(b, hiddenField(pb.text, 'paymentId'), '2.50')])
      expect([ra.status, rb.status]).toEqual([303, 303])
      expected += 1250n
      // one cashier's form sent twice at once (a double click, or a retry while the first is still running)
      const twice = hiddenField(pa.text, 'paymentId') + ':again'
      const [r1, r2] = await Promise.all([credit(a, twice, '1.00'), credit(a, twice, '1.00')])
      expect([r1.status, r2.status]).toEqual([303, 303])
      expected += 100n
    }
    const [wallet] = await storage.ledger!.getBalances(siteId, [walletAccountId('g2', 'regie')])
    expect(wallet?.posted).toBe(expected)
    const payments = (await storage.payments!.listPayments(siteId, { payerId: 'g2' })).items
    expect(payments.length).toBe(12)
    expect(payments.reduce((sum, p) => sum + p.walletCreditMinor, 0n)).toBe(expected)
    const statement = await readAccountStatement(storage, siteId, walletAccountId('g2', 'regie'), { from: '2027-01-01', to: '2027-01-31', timeZone: 'Europe/Paris' })
    const lines = statement.months[0]!.lines
    expect(lines.length).toBe(12)
    expect(statement.closing).toBe(expected)
    let running = statement.opening
    for (const l of lines) {
      running += l.credit - l.debit
      expect(l.balance).toBe(running)
    }
    const page = await a.get('/staff/accounts/g2?month=2027-01')
    expect(page.text).toMatch(/Solde à la fin du mois<\/th><td class="num">54,00\s€/)
  }, 120_000)
})

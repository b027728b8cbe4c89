import { parseCamt053 } from '@ecole/bank'
import { rf, walletAccountId, type Actor } from '@ecole/core'
import type { StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { createPostgresStorage } from '@ecole/storage-postgres'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decideHeldStatement, importBankStatement, recordPayment, type BankImportWallet, type BillingDeps } from './index'
import { storageForFile } from '../test-support/storage-for-file'

// A bank entry that groups several transfers (a camt `Ntry` with several `TxDtls`, each with its
// amount): reconciliation matches each transfer on its own, and the import keeps every one of them,
// posted to one target or kept for review with its own amount, never dropped.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
const IBAN = 'BE68539007547034'
const G1 = rf.generate('1001')
const G2 = rf.generate('1002')
const wallets: BankImportWallet[] = [{ payerId: 'g1', reference: G1 }, { payerId: 'g2', reference: G2 }]
const k = (ref: string) => `${IBAN}|${ref}`
let sites = 0

/** One transfer of a grouped entry: its amount in cents and what its remittance says. */
interface Part { cents: bigint; structured?: string; text?: string }
/** An entry of the test statement: its bank reference and its transfers (one: a single payment). */
interface Entry { ref: string; parts: Part[] }

const amount = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

/** A camt.053 of `entries`, each transfer with its own amount when an entry has several; `openingCents` as the bank states it. */
function camt(entries: readonly Entry[], openingCents = 0n): string {
  let total = 0n
  const body = entries.map((e) => {
    const sum = e.parts.reduce((a, p) => a + p.cents, 0n)
    total += sum
    const txs = e.parts.map((p) => {
      const strd = p.structured ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>${p.structured}</Ref></CdtrRefInf></Strd>` : ''
      const rmt = p.structured || p.text ? `<RmtInf>${p.text ? `<Ustrd>${esc(p.text)}</Ustrd>` : ''}${strd}</RmtInf>` : ''
      const amt = e.parts.length > 1 ? `<Amt Ccy="EUR">${amount(p.cents)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>` : ''
      return `<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>${amt}<RltdPties><Dbtr><Pty><Nm>Famille</Nm></Pty></Dbtr></RltdPties>${rmt}</TxDtls>`
    }).join('')
    const btch = e.parts.length > 1 ? `<Btch><NbOfTxs>${e.parts.length}</NbOfTxs></Btch>` : ''
    return `<Ntry><Amt Ccy="EUR">${amount(sum)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2027-01-16</Dt></BookgDt><ValDt><Dt>2027-01-16</Dt></ValDt>` +
      `<AcctSvcrRef>${e.ref}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>${btch}${txs}</NtryDtls></Ntry>`
  }).join('')
  const bal = (tp: string, c: bigint, d: string) => `<Bal><Tp><CdOrPrtry><Cd>${tp}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${amount(c)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>${d}</Dt></Dt></Bal>`
  return '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>T</MsgId><CreDtTm>2027-01-20T06:00:00+01:00</CreDtTm></GrpHdr>' +
    `<Stmt><Id>STMT-1</Id><Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', openingCents, '2027-01-01')}${bal('CLBD', total, '2027-01-20')}${body}</Stmt></BkToCstmrStmt></Document>`
}

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  const open = storageForFile(create)

  /** A fresh site of `storage`: its import, its payments, its review list, its wallets' balances. */
  async function site() {
    const storage = await open()
    const deps: BillingDeps = { storage, clock }
    const siteId = `grouped-${process.pid}-${++sites}`
    const imp = (xml: string) => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements: parseCamt053(xml), wallets })
    const payments = async () => (await storage.payments!.listPayments(siteId, {}, { limit: 1000 })).items.map((p): [string, bigint] => [p.id, p.amountMinor]).sort(([a], [b]) => (a < b ? -1 : 1))
    const review = async () => (await storage.bankImports!.listBankEntries(siteId, { outcome: 'review' }, { limit: 1000 })).items
    const balance = async (g: string) => (await storage.ledger!.getBalances(siteId, [walletAccountId(g, 'regie')]))[0]?.posted ?? 0n
    return { storage, deps, siteId, imp, payments, review, balance }
  }

  describe(`importBankStatement, an entry grouping several transfers, on ${name}`, () => {
    it('posts the matched transfer of a grouped entry and keeps the unmatched one for review with its own amount, never dropping it', async () => {
      const s = await site()
      const report = await s.imp(camt([{ ref: 'B1', parts: [{ cents: 2000n, structured: G1 }, { cents: 3000n, text: 'cantine janvier Dupont' }] }]))
      expect(await s.payments()).toEqual([[`bank:${k('B1')}`, 2000n]])
      expect(await s.balance('g1')).toBe(2000n)
      expect((await s.review()).map((e) => [e.entryReference, e.amountMinor, e.outcome])).toEqual([[`${k('B1')}#1`, 3000n, { kind: 'review', reason: 'UNMATCHED', candidates: [] }]])
      const [line] = report.imported
      expect(line!.outcome).toEqual({ kind: 'ignored', reason: 'grouped: 2 transfers, each stored under this key#<index>: #0 walletTopUp 2000, #1 review 3000' })
      expect(line!.amountMinor).toBe(5000n)
      expect(line!.transfers!.map((t) => [t.entryReference, t.transactionIndex, t.amountMinor, t.outcome.kind])).toEqual([
        [`${k('B1')}#0`, 0, 2000n, 'walletTopUp'], [`${k('B1')}#1`, 1, 3000n, 'review'],
      ])
      // the entry and each of its transfers are stored, each transfer with its own remittance
      const stored = await s.storage.bankImports!.getBankEntries(s.siteId, [k('B1'), `${k('B1')}#0`, `${k('B1')}#1`])
      expect([...stored.values()].map((e) => [e.entryReference, e.amountMinor, e.outcome.kind, e.remittance])).toEqual([
        [k('B1'), 5000n, 'ignored', G1], [`${k('B1')}#0`, 2000n, 'walletTopUp', G1], [`${k('B1')}#1`, 3000n, 'review', 'cantine janvier Dupont'],
      ])
    })

    it('keeps the unmatched transfer of a grouped entry for review whichever order its transfers come in', async () => {
      const s = await site()
      await s.imp(camt([{ ref: 'B1', parts: [{ cents: 3000n, text: 'no reference' }, { cents: 2000n, structured: G1 }] }]))
      expect(await s.payments()).toEqual([[`bank:${k('B1')}#1`, 2000n]])
      expect((await s.review()).map((e) => [e.entryReference, e.amountMinor])).toEqual([[`${k('B1')}#0`, 3000n]])
    })

    it('records in the stored outcome of a grouped entry every wallet its transfers topped up, not only the last one', async () => {
      const s = await site()
      const report = await s.imp(camt([{ ref: 'B1', parts: [{ cents: 2000n, structured: G1 }, { cents: 3000n, structured: G2 }] }]))
      expect([await s.balance('g1'), await s.balance('g2')]).toEqual([2000n, 3000n])
      expect(report.imported[0]!.transfers!.map((t) => t.outcome)).toEqual([
        { kind: 'walletTopUp', paymentId: `bank:${k('B1')}`, payerId: 'g1' },
        { kind: 'walletTopUp', paymentId: `bank:${k('B1')}#1`, payerId: 'g2' },
      ])
      const stored = await s.storage.bankImports!.getBankEntries(s.siteId, [`${k('B1')}#0`, `${k('B1')}#1`])
      expect([...stored.values()].map((e) => e.outcome)).toEqual(report.imported[0]!.transfers!.map((t) => t.outcome))
      expect(await s.review()).toEqual([])
    })

    it('keeps only the ambiguous transfer of a grouped entry for review, so a reviewer posting the review item credits only what was not posted', async () => {
      const s = await site()
      await s.imp(camt([{ ref: 'B1', parts: [{ cents: 2000n, structured: G1 }, { cents: 3000n, text: `${G1} ${G2}` }] }]))
      const review = await s.review()
      expect(review.map((e) => [e.entryReference, e.amountMinor, e.outcome.kind === 'review' ? e.outcome.candidates : []])).toEqual([[`${k('B1')}#1`, 3000n, ['wallet:g1', 'wallet:g2']]])
      expect(await s.balance('g1')).toBe(2000n)
      // the reviewer decides the 30.00 was g2's and records it: 50.00 credited in all, as the bank credited
      await recordPayment(s.deps, { id: 'reviewed-B1-1', siteId: s.siteId, billingOfficeId: 'regie', payerId: 'g2', method: 'transfer', date: '2027-01-16', amount: '30.00' })
      expect((await s.balance('g1')) + (await s.balance('g2'))).toBe(5000n)
    })

    it('imports a grouped entry once: importing it again posts nothing twice and hides nothing under review', async () => {
      const s = await site()
      const xml = camt([{ ref: 'B1', parts: [{ cents: 2000n, structured: G1 }, { cents: 3000n, text: 'merci' }] }])
      await s.imp(xml)
      const [payments, review] = [await s.payments(), await s.review()]
      const again = await s.imp(xml)
      expect([again.imported, again.duplicates, again.payments]).toEqual([[], [k('B1')], []])
      expect([await s.payments(), await s.review()]).toEqual([payments, review])
      expect(review.map((e) => e.amountMinor)).toEqual([3000n])
    })

    it('keeps an entry of one transfer as before: one stored entry with its own outcome, no transfers listed', async () => {
      const s = await site()
      const report = await s.imp(camt([{ ref: 'S1', parts: [{ cents: 1500n, structured: G2 }] }]))
      expect(report.imported).toEqual([{ entryReference: k('S1'), outcome: { kind: 'walletTopUp', paymentId: `bank:${k('S1')}`, payerId: 'g2' }, amountMinor: 1500n }])
      expect((await s.storage.bankImports!.listBankEntries(s.siteId, {})).items.map((e) => e.entryReference)).toEqual([k('S1')])
    })

    it('keeps a grouped entry of several direct-debit settlements as one outcome naming every payment', async () => {
      const s = await site()
      for (const [id, e2e] of [['dd:E1', 'E2E-1'], ['dd:E2', 'E2E-2']] as const) {
        await recordPayment(s.deps, { id, siteId: s.siteId, billingOfficeId: 'regie', payerId: id === 'dd:E1' ? 'g1' : 'g2', method: 'directDebit', endToEndId: e2e, date: '2027-01-10', amount: '10.00' })
      }
      const xml = camt([{ ref: 'DD', parts: [{ cents: 1000n }, { cents: 1000n }] }])
        .replace('<Refs><EndToEndId>NOTPROVIDED</EndToEndId>', '<Refs><EndToEndId>E2E-1</EndToEndId>').replace('<Refs><EndToEndId>NOTPROVIDED</EndToEndId>', '<Refs><EndToEndId>E2E-2</EndToEndId>')
      const report = await s.imp(xml)
      expect(report.imported).toEqual([{ entryReference: k('DD'), outcome: { kind: 'directDebitSettled', paymentIds: ['dd:E1', 'dd:E2'] }, amountMinor: 2000n }])
    })

    it('keeps for review only the unposted transfer of a grouped entry of a held statement once it is accepted', async () => {
      const s = await site()
      // the bank states an opening balance of 1.00 the entries do not account for: the statement is held
      const xml = camt([{ ref: 'B1', parts: [{ cents: 2000n, structured: G1 }, { cents: 3000n, text: 'merci' }] }], 100n)
      const held = await s.imp(xml)
      expect(held.held.map((h) => h.status)).toEqual(['held'])
      const actor: Actor = { userId: 'u-compta', siteId: s.siteId, profile: 'staff', permissions: ['payments.write'], scope: { schoolIds: 'all', serviceIds: 'all' } }
      const decided = await decideHeldStatement(s.deps, { siteId: s.siteId, billingOfficeId: 'regie', wallets, key: held.held[0]!.key, actor, decision: 'accept' })
      expect(decided.report.imported[0]!.transfers!.map((t) => [t.amountMinor, t.outcome.kind])).toEqual([[2000n, 'walletTopUp'], [3000n, 'review']])
      expect(await s.payments()).toEqual([[`bank:${k('B1')}`, 2000n]])
      expect((await s.review()).map((e) => [e.entryReference, e.amountMinor])).toEqual([[`${k('B1')}#1`, 3000n]])
    })
  })

  describe(`importBankStatement, grouped entries (property), on ${name}`, () => {
    const part = fc.record({
      cents: fc.bigInt({ min: 1n, max: 9_999n }),
      kind: fc.constantFrom('g1', 'g2', 'g1 in text', 'both', 'unknown', 'nothing'),
    })
    const entries = fc.array(fc.array(part, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
    const partOf = (p: { cents: bigint; kind: string }): Part =>
      p.kind === 'g1' ? { cents: p.cents, structured: G1 } : p.kind === 'g2' ? { cents: p.cents, structured: G2 } : p.kind === 'g1 in text' ? { cents: p.cents, text: `cantine ${G1}` }
        : p.kind === 'both' ? { cents: p.cents, text: `${G1} ${G2}` } : p.kind === 'unknown' ? { cents: p.cents, text: 'merci' } : { cents: p.cents }

    it('for any grouped entries of matched, unmatched and ambiguous transfers imported twice, what is posted plus what is under review is each entry\'s amount, and nothing is posted twice', async () => {
      await fc.assert(fc.asyncProperty(entries, async (generated) => {
        const s = await site()
        const list: Entry[] = generated.map((parts, i) => ({ ref: `E${i}`, parts: parts.map(partOf) }))
        const xml = camt(list)
        await s.imp(xml)
        const first = { payments: await s.payments(), review: await s.review() }
        const again = await s.imp(xml)
        // importing again posts nothing and keeps nothing more for review
        expect(again.payments).toEqual([])
        expect({ payments: await s.payments(), review: await s.review() }).toEqual(first)
        const paid = (await s.storage.payments!.listPayments(s.siteId, {}, { limit: 1000 })).items
        expect(new Set(paid.map((p) => p.bankEntryReference)).size).toBe(paid.length)
        for (const e of list) {
          const key = k(e.ref)
          const mine = (ref: string | null) => ref === key || (ref?.startsWith(`${key}#`) ?? false)
          const posted = paid.filter((p) => mine(p.bankEntryReference)).reduce((a, p) => a + p.amountMinor, 0n)
          const underReview = first.review.filter((r) => mine(r.entryReference)).reduce((a, r) => a + r.amountMinor, 0n)
          expect(posted + underReview).toBe(e.parts.reduce((a, p) => a + p.cents, 0n))
        }
        // what was posted is what the wallets hold
        expect((await s.balance('g1')) + (await s.balance('g2'))).toBe(paid.reduce((a, p) => a + p.amountMinor, 0n))
      }), { numRuns: name === 'storage-memory' ? 60 : 15 })
    }, 120_000)
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
onStorage('storage-postgres on PGlite', () => createPostgresStorage({}))

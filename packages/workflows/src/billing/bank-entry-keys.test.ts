import { parseCamt053, parseCamt054, parseCoda, parseMt940, testCamt053, type BankStatement, type TestCamtEntry } from '@ecole/bank'
import { isEcoleError, type Invoice, type InvoiceChargeLine, type LocalDate } from '@ecole/core'
import type { ImportedBankEntry, StoragePorts } from '@ecole/core/ports'
import { createMemoryStorage } from '@ecole/storage-memory'
import { storageForFile } from '../test-support/storage-for-file'
import { createPostgresStorage } from '@ecole/storage-postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { createInvoiceBatch, importBankStatement, previewBankStatement, validateDrafts, type BillingDeps } from './index'

// The key a bank entry is imported under: one booking is posted once however the bank delivers it
// (a notification, then the day's statement; a statement sent again under a new id), two bookings
// are two however alike they are, and two accounts never share a key.
const clock = { now: () => new Date('2027-01-20T09:00:00Z') }
let sites = 0
const IBAN = 'FR7630006000011234567890189'
const OTHER_IBAN = 'BE68539007547034'

/** A site whose office `regie` has one validated EUR invoice of 50.00 per payer g1, g2, g3. */
async function site(storage: StoragePorts) {
  const deps: BillingDeps = { storage, clock }
  const siteId = `keys-${process.pid}-${++sites}`
  const charges: InvoiceChargeLine[] = ['g1', 'g2', 'g3'].map((payerId, p) => ({
    chargeId: `${payerId}|meal`, debtorId: payerId, beneficiaryId: `k${p}`, serviceId: 'meal', date: '2026-12-01' as LocalDate, quantity: 1, unitPriceMinor: 5000n, amountMinor: 5000n,
  }))
  await createInvoiceBatch(deps, { batch: { id: 'dec', siteId, billingOfficeId: 'regie', period: { from: '2026-12-01', to: '2026-12-31' }, serviceIds: ['meal'], dueDate: '2027-01-15', portalDisplayDate: '2027-01-05' }, charges })
  const invoices = await validateDrafts(deps, { siteId, batchId: 'dec', issueDate: '2027-01-04', paymentReferences: { scheme: 'rf', siteCode: '042' } })
  const of = (debtor: string): Invoice => invoices.find((i) => i.debtorId === debtor)!
  const imports = (statements: BankStatement[]) => importBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
  /** Each recorded payment as [payer, amount, what it paid on invoices, what it credited to the wallet], by payer then amount. */
  const payments = async () =>
    (await storage.payments!.listPayments(siteId, {}, { limit: 100 })).items
      .map((p) => [p.payerId, p.amountMinor, p.allocations.reduce((s, a) => s + a.amountMinor, 0n), p.walletCreditMinor] as const)
      .sort((a, b) => (a.join() < b.join() ? -1 : a.join() > b.join() ? 1 : 0))
  return { deps, storage, siteId, of, imports, payments }
}

const pays = (ref: string, invoice: Invoice, cents = 5000n, date = '2027-01-16'): TestCamtEntry => ({ ref, cents, credit: true, date, structured: { reference: invoice.paymentReference!, issuer: 'ISO' } })
const withoutServicerRef = (xml: string) => xml.replace(/<AcctSvcrRef>[^<]*<\/AcctSvcrRef>/g, '')
/** A camt.053 of `entries` with statement id `id`, none with an `AcctSvcrRef` unless `keep`. */
const statement053 = (id: string, entries: TestCamtEntry[], { keep = false, iban = IBAN } = {}) => {
  const xml = testCamt053(iban, entries).replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`)
  return parseCamt053(keep ? xml : withoutServicerRef(xml))
}
/** A camt.054 notification of `entries` (no balances), none with an `AcctSvcrRef` unless `keep`. */
const notification054 = (id: string, entries: TestCamtEntry[], { keep = false } = {}) => {
  const xml = testCamt053(IBAN, entries).replaceAll('BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn').replace('<Stmt>', '<Ntfctn>').replace('</Stmt>', '</Ntfctn>')
    .replace(/<Bal>.*?<\/Bal>/g, '').replace('<Id>STMT-1</Id>', `<Id>${id}</Id>`)
  return parseCamt054(keep ? xml : withoutServicerRef(xml))
}

/** A CODA record of 128 characters, fields at their 1-based positions (Febelfin CODA 2.x). */
function record(fields: Record<number, string>): string {
  const chars = Array.from({ length: 128 }, () => ' ')
  for (const [pos, text] of Object.entries(fields)) [...text].forEach((c, i) => { chars[Number(pos) - 1 + i] = c })
  return chars.join('')
}
const amount15 = (cents: bigint) => (cents * 10n).toString().padStart(15, '0')
/** A CODA statement of account BE68539007547034 created on `created` (DDMMYY), its movements credits with free text and no bank reference. */
function coda(created: string, movements: Array<{ cents: bigint; text: string }>): BankStatement[] {
  const lines = [record({ 1: '00000', 6: created, 12: '005', 35: 'ECOLE TEST', 61: 'GEBABEBB', 128: '2' })]
  lines.push(record({ 1: '12001BE68539007547034', 40: 'EUR', 43: '0', 44: amount15(0n), 59: '150127', 65: 'COMMUNE DE WAVRE', 91: 'COMPTE COURANT', 126: '001' }))
  let total = 0n
  movements.forEach((m, i) => {
    const seq = String(i + 1).padStart(4, '0') + '0000'
    total += m.cents
    lines.push(
      record({ 1: '21', 3: seq, 32: '0', 33: amount15(m.cents), 48: '160127', 54: '00501000', 62: `0${m.text}`, 116: '160127', 125: '0', 126: '1', 128: '0' }),
      record({ 1: '22', 3: seq, 126: '1', 128: '0' }),
      record({ 1: '23', 3: seq, 11: 'BE71096123456769', 48: 'PARENT', 126: '0', 128: '0' }),
    )
  })
  lines.push(record({ 1: '8001BE68539007547034                  EUR', 42: '0', 43: amount15(total), 58: '160127' }))
  lines.push(record({ 1: '9', 17: String(lines.length - 1).padStart(6, '0'), 23: amount15(0n), 38: amount15(total), 128: '2' }))
  return parseCoda(lines.join('\r\n') + '\r\n')
}

/** An MT940 statement `seq` of `IBAN`, its lines credits of 16 January 2027 without a bank reference (`NONREF`). */
function mt940(seq: string, credits: Array<{ cents: bigint; reference: string }>): BankStatement[] {
  const total = credits.reduce((s, c) => s + c.cents, 0n)
  const euros = (cents: bigint) => `${cents / 100n},${String(cents % 100n).padStart(2, '0')}`
  return parseMt940([
    ':20:ECOLE', `:25:${IBAN}`, `:28C:${seq}`, ':60F:C270115EUR0,00',
    ...credits.flatMap((c) => [`:61:2701160116C${euros(c.cents)}NTRFNONREF`, `:86:/REMI/STRD/CUR/${c.reference}//NAME/J. DUPONT//IBAN/BE71096123456769/`]),
    `:62F:C270116EUR${euros(total)}`, '-',
  ].join('\r\n'))
}

/** What importing a statement of 0.1 stored for `entry` of `statement` under `key` (its reference then). */
function storedBefore(statement: BankStatement, index: number, key: string, outcome: ImportedBankEntry['outcome']): ImportedBankEntry {
  const entry = statement.entries[index]!
  const tx0 = entry.transactions[0]!
  return {
    entryReference: key, accountIban: statement.account.iban ?? statement.account.otherId ?? '', bookingDate: entry.bookingDate!, amountMinor: entry.amount.minor,
    currency: entry.amount.currency, direction: entry.creditDebit, counterpartyName: tx0.debtor?.name ?? null,
    remittance: [...tx0.remittance.structured.map((s) => s.reference), ...tx0.remittance.unstructured].join(' ') || null, outcome,
  }
}

function onStorage(name: string, create: () => Promise<StoragePorts>) {
  describe(`importBankStatement posts each booking once whatever delivers it, on ${name}`, () => {
    // opened before the tests (PGlite takes seconds to start, more than a test's time on a busy machine)
    const open = storageForFile(create)
    it('posts a credit without AcctSvcrRef once when the camt.054 notification and then the day\'s camt.053 statement both report it', async () => {
      const { of, imports, payments } = await site(await open())
      const first = await imports(notification054('NTF-0116-1', [pays('x', of('g1'))]))
      expect(first.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment'])
      // the statement holds another credit first: the notified one is its entry 2 (NtryRef 2), under another statement id
      const day = await imports(statement053('STMT-0116', [pays('x', of('g2')), pays('x', of('g1'))]))
      expect(day.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment'])
      expect(day.duplicates).toEqual([first.imported[0]!.entryReference])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g2', 5000n, 5000n, 0n]])
    })

    it('posts nothing again when the bank sends a statement again under a new id', async () => {
      const { of, imports, payments } = await site(await open())
      const entries = [pays('x', of('g1')), pays('x', of('g2'), 3000n)]
      await imports(statement053('STMT-A', entries))
      const again = await imports(statement053('STMT-A-RESENT', entries))
      expect([again.imported, again.payments]).toEqual([[], []])
      expect(again.duplicates).toHaveLength(2)
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g2', 3000n, 3000n, 0n]])
    })

    it('posts two identical credits of one statement (a parent paying 50.00 twice the same day with the same reference) as two payments, and none when the statement comes again, under its id or a new one', async () => {
      const { of, imports, payments } = await site(await open())
      const twice = [pays('x', of('g1')), pays('x', of('g1'))]
      const report = await imports(statement053('STMT-1', twice))
      expect(report.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment', 'invoicePayment'])
      expect(report.imported.map((l) => l.entryReference.slice(-2))).toEqual(['/1', '/2'])
      // the second pays what is beyond the invoice: the payer's wallet
      expect(await payments()).toEqual([['g1', 5000n, 0n, 5000n], ['g1', 5000n, 5000n, 0n]])
      for (const id of ['STMT-1', 'STMT-1-BIS']) {
        const again = await imports(statement053(id, twice))
        expect([again.imported, again.duplicates]).toEqual([[], report.imported.map((l) => l.entryReference)])
      }
      expect(await payments()).toHaveLength(2)
    })

    it('posts only the second of two identical credits when a notification held one and the day\'s statement holds both', async () => {
      const { of, imports, payments } = await site(await open())
      await imports(notification054('NTF-1', [pays('x', of('g1'))]))
      const day = await imports(statement053('STMT-1', [pays('x', of('g2')), pays('x', of('g1')), pays('x', of('g1'))]))
      expect(day.imported.map((l) => [l.outcome.kind, l.entryReference.slice(-2)])).toEqual([['invoicePayment', '/1'], ['invoicePayment', '/2']])
      expect(await payments()).toEqual([['g1', 5000n, 0n, 5000n], ['g1', 5000n, 5000n, 0n], ['g2', 5000n, 5000n, 0n]])
    })

    it('posts a notified credit once when the notification and the day\'s statement are imported together, and previews the statement\'s line as already imported', async () => {
      const { deps, siteId, of, imports, payments } = await site(await open())
      const statements = [...notification054('NTF-1', [pays('x', of('g1'))]), ...statement053('STMT-1', [pays('x', of('g1')), pays('x', of('g2'))])]
      const preview = await previewBankStatement(deps, { siteId, billingOfficeId: 'regie', statements })
      expect(preview.lines.map((l) => l.proposal.kind)).toEqual(['invoicePayment', 'alreadyImported', 'invoicePayment'])
      const report = await imports(statements)
      expect(report.imported.map((l) => l.entryReference)).toEqual([preview.lines[0]!.entryReference, preview.lines[2]!.entryReference])
      expect(report.duplicates).toEqual([preview.lines[1]!.entryReference])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g2', 5000n, 5000n, 0n]])
    })

    it('posts a credit once when the notification gives no AcctSvcrRef and the day\'s statement does', async () => {
      const { of, imports, payments } = await site(await open())
      await imports(notification054('NTF-1', [pays('BANK-77', of('g1'))]))
      const day = await imports(statement053('STMT-1', [pays('BANK-77', of('g1'))], { keep: true }))
      expect(day.imported).toEqual([])
      expect(day.duplicates).toHaveLength(1)
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n]])
    })

    it('posts a notified credit the bank keyed although an earlier notification held an identical credit without key (a notification holds only some of the day\'s credits)', async () => {
      const { of, imports, payments } = await site(await open())
      await imports(notification054('NTF-1', [pays('x', of('g1'))]))
      const keyed = await imports(notification054('NTF-2', [pays('BANK-5', of('g1'))], { keep: true }))
      expect(keyed.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|BANK-5`, 'invoicePayment']])
      expect(await payments()).toEqual([['g1', 5000n, 0n, 5000n], ['g1', 5000n, 5000n, 0n]])
    })

    it('posts a credit once when the notification gives the bank\'s reference on its transaction only (TxDtls/Refs/AcctSvcrRef) and the statement on its entry', async () => {
      const { of, imports, payments } = await site(await open())
      const txRef = (xml: string) => xml.replace('<AcctSvcrRef>BANK-78</AcctSvcrRef>', '').replace('<Refs>', '<Refs><AcctSvcrRef>BANK-78</AcctSvcrRef>')
      const xml = testCamt053(IBAN, [pays('BANK-78', of('g1'))]).replaceAll('BkToCstmrStmt', 'BkToCstmrDbtCdtNtfctn').replace('<Stmt>', '<Ntfctn>').replace('</Stmt>', '</Ntfctn>').replace(/<Bal>.*?<\/Bal>/g, '')
      const notified = await imports(parseCamt054(txRef(xml)))
      expect(notified.imported.map((l) => l.entryReference)).toEqual([`${IBAN}|BANK-78`])
      const day = await imports(statement053('STMT-1', [pays('BANK-78', of('g1'))], { keep: true }))
      expect([day.imported, day.duplicates]).toEqual([[], [`${IBAN}|BANK-78`]])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n]])
    })

    it('posts the credits of two accounts whose banks use the same AcctSvcrRef, imported apart or together', async () => {
      const { of, imports, payments, storage, siteId } = await site(await open())
      await imports(statement053('FR-1', [pays('1', of('g1'))], { keep: true }))
      const other = await imports(statement053('BE-1', [pays('1', of('g2'))], { keep: true, iban: OTHER_IBAN }))
      expect(other.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${OTHER_IBAN}|1`, 'invoicePayment']])
      const together = await imports([...statement053('FR-2', [pays('2', of('g3'))], { keep: true }), ...statement053('BE-2', [pays('2', of('g3'), 1000n)], { keep: true, iban: OTHER_IBAN })])
      expect(together.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|2`, 'invoicePayment'], [`${OTHER_IBAN}|2`, 'invoicePayment']])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g2', 5000n, 5000n, 0n], ['g3', 1000n, 0n, 1000n], ['g3', 5000n, 5000n, 0n]])
      expect((await storage.bankImports!.listBankEntries(siteId, {})).items.map((e) => [e.entryReference, e.accountIban])).toEqual([
        [`${OTHER_IBAN}|1`, OTHER_IBAN], [`${OTHER_IBAN}|2`, OTHER_IBAN], [`${IBAN}|1`, IBAN], [`${IBAN}|2`, IBAN],
      ])
    })

    it('keys by the bank\'s reference an entry whose AcctSvcrRef starts with the statement id and a slash (the parser says it is the bank\'s), so the statement sent again under another id posts nothing', async () => {
      const { of, imports, payments } = await site(await open())
      const entries = [pays('STMT-9/0001', of('g1')), pays('STMT-9/0002', of('g2'))]
      const first = await imports(statement053('STMT-9', entries, { keep: true }))
      expect(first.imported.map((l) => l.entryReference)).toEqual([`${IBAN}|STMT-9/0001`, `${IBAN}|STMT-9/0002`])
      const again = await imports(statement053('STMT-9-RESENT', entries, { keep: true }))
      expect([again.imported, again.duplicates]).toEqual([[], [`${IBAN}|STMT-9/0001`, `${IBAN}|STMT-9/0002`]])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g2', 5000n, 5000n, 0n]])
    })

    it('posts a credit the camt.054 reported pending under the bank\'s reference once the day\'s camt.053 books it under the same reference, and posts it once', async () => {
      const { of, imports, payments } = await site(await open())
      const pending = notification054('NTF-P', [pays('AB-77', of('g1'))], { keep: true })
      pending[0]!.entries[0]!.status = 'pending'
      const first = await imports(pending)
      expect([first.imported.map((l) => [l.entryReference, l.outcome]), first.payments]).toEqual([[[`${IBAN}|AB-77#pending`, { kind: 'ignored', reason: 'pending' }]], []])
      const booked = await imports(statement053('STMT-P', [pays('AB-77', of('g1'))], { keep: true }))
      expect(booked.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${IBAN}|AB-77`, 'invoicePayment']])
      const again = await imports([...pending, ...statement053('STMT-P', [pays('AB-77', of('g1'))], { keep: true })])
      expect([again.imported, again.duplicates]).toEqual([[], [`${IBAN}|AB-77#pending`, `${IBAN}|AB-77`]])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n]])
    })

    it('posts a booked credit whose bank reference 0.1 stored for its pending report (not the same booking), and nothing again for one it stored booked', async () => {
      const { of, imports, payments, storage, siteId } = await site(await open())
      const [day] = statement053('STMT-L', [pays('PD-1', of('g1')), pays('BK-1', of('g2'))], { keep: true })
      await storage.bankImports!.createBankEntry(siteId, storedBefore(day!, 0, 'PD-1', { kind: 'ignored', reason: 'pending' }))
      await storage.bankImports!.createBankEntry(siteId, storedBefore(day!, 1, 'BK-1', { kind: 'ignored', reason: 'imported by 0.1' }))
      const report = await imports([day!])
      expect([report.imported.map((l) => [l.entryReference, l.outcome.kind]), report.duplicates]).toEqual([[[`${IBAN}|PD-1`, 'invoicePayment']], ['BK-1']])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n]])
    })

    it('posts nothing again for entries a site imported before 0.2 under their old keys (the bank\'s reference, <account>/<statement>/<NtryRef>, <statement>/<position>), and posts another account\'s entry stored under the same old key', async () => {
      const { of, imports, payments, storage, siteId } = await site(await open())
      // what 0.1 stored for a statement of three entries: one keyed by the bank, one by its NtryRef, one by its position
      const xml = testCamt053(IBAN, [pays('OLD-1', of('g1')), pays('x', of('g2')), pays('x', of('g3'))]).replace('<Id>STMT-1</Id>', '<Id>OLD</Id>')
        .replace('<AcctSvcrRef>x</AcctSvcrRef>', '').replace('<NtryRef>3</NtryRef>', '').replace('<AcctSvcrRef>x</AcctSvcrRef>', '')
      const [old] = parseCamt053(xml)
      expect(old!.entries.map((e) => e.reference)).toEqual(['OLD-1', `${IBAN}/OLD/2`, 'OLD/3'])
      for (const [i, e] of old!.entries.entries()) {
        await storage.bankImports!.createBankEntry(siteId, storedBefore(old!, i, e.reference, { kind: 'ignored', reason: 'imported by 0.1' }))
      }
      const again = await imports([old!])
      expect([again.imported, again.payments, again.duplicates]).toEqual([[], [], ['OLD-1', `${IBAN}/OLD/2`, 'OLD/3']])
      // the same old key on another account is another booking: posted under its account's key
      const [other] = statement053('OTHER', [pays('OLD-1', of('g1'))], { keep: true, iban: OTHER_IBAN })
      const posted = await imports([other!])
      expect(posted.imported.map((l) => [l.entryReference, l.outcome.kind])).toEqual([[`${OTHER_IBAN}|OLD-1`, 'invoicePayment']])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n]])
    })

    it('posts nothing again for a camt entry 0.1.0 imported under its bare NtryRef with the same bank data, and posts the next day\'s entry of that NtryRef', async () => {
      const { of, imports, payments, storage, siteId } = await site(await open())
      const [day1] = statement053('D1', [pays('x', of('g1'), 5000n, '2027-01-16')])
      expect(day1!.entries[0]!.reference).toBe(`${IBAN}/D1/1`)
      await storage.bankImports!.createBankEntry(siteId, storedBefore(day1!, 0, '1', { kind: 'ignored', reason: 'imported by 0.1.0' }))
      const again = await imports([day1!])
      expect([again.imported, again.payments, again.duplicates]).toEqual([[], [], ['1']])
      const next = await imports(statement053('D2', [pays('x', of('g2'), 5000n, '2027-01-17')]))
      expect(next.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment'])
      expect(await payments()).toEqual([['g2', 5000n, 5000n, 0n]])
    })

    it('refuses, as before, an entry whose old key the same account imported before 0.2 with other bank data (IDEMPOTENCY_CONFLICT), posting nothing', async () => {
      const { of, imports, payments, storage, siteId } = await site(await open())
      const [old] = statement053('S', [pays('OLD-9', of('g1'))], { keep: true })
      await storage.bankImports!.createBankEntry(siteId, storedBefore(old!, 0, 'OLD-9', { kind: 'ignored', reason: 'imported by 0.1' }))
      const error = await imports(statement053('S', [pays('OLD-9', of('g1'), 4000n)], { keep: true })).then(() => undefined, (e: unknown) => e)
      expect(isEcoleError(error, 'IDEMPOTENCY_CONFLICT') && error.details).toMatchObject({ fields: ['amountMinor'] })
      expect(await payments()).toEqual([])
    })

    it('posts a CODA movement without bank reference once when the same statement comes again with another creation date, and two identical movements as two', async () => {
      const { of, imports, payments } = await site(await open())
      const movements = [{ cents: 5000n, text: `CANTINE ${of('g1').paymentReference!}` }, { cents: 5000n, text: `CANTINE ${of('g2').paymentReference!}` }, { cents: 5000n, text: `CANTINE ${of('g2').paymentReference!}` }]
      const first = coda('160127', movements)
      expect(first[0]!.entries.map((e) => e.reference)).toEqual(['BE68539007547034/2027-01-16/001/0001', 'BE68539007547034/2027-01-16/001/0002', 'BE68539007547034/2027-01-16/001/0003'])
      const report = await imports(first)
      expect(report.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment', 'invoicePayment', 'invoicePayment'])
      const again = await imports(coda('170127', movements))
      expect([again.imported, again.duplicates]).toEqual([[], report.imported.map((l) => l.entryReference)])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g2', 5000n, 0n, 5000n], ['g2', 5000n, 5000n, 0n]])
    })

    it('posts an MT940 line without bank reference (NONREF) once when the statement comes again under another sequence number, and two identical lines as two', async () => {
      const { of, imports, payments } = await site(await open())
      const credits = [{ cents: 5000n, reference: of('g1').paymentReference! }, { cents: 2000n, reference: of('g3').paymentReference! }, { cents: 2000n, reference: of('g3').paymentReference! }]
      const first = mt940('00001', credits)
      expect(first[0]!.entries.map((e) => e.reference)).toEqual([`${IBAN}/2027-01-15/00001/1`, `${IBAN}/2027-01-15/00001/2`, `${IBAN}/2027-01-15/00001/3`])
      const report = await imports(first)
      expect(report.imported.map((l) => l.outcome.kind)).toEqual(['invoicePayment', 'invoicePayment', 'invoicePayment'])
      const again = await imports(mt940('00002', credits))
      expect([again.imported, again.duplicates]).toEqual([[], report.imported.map((l) => l.entryReference)])
      expect(await payments()).toEqual([['g1', 5000n, 5000n, 0n], ['g3', 2000n, 2000n, 0n], ['g3', 2000n, 2000n, 0n]])
    })
  })
}

onStorage('storage-memory', async () => createMemoryStorage())
onStorage('storage-postgres on PGlite', () => createPostgresStorage())
const url = process.env['ECOLE_PG_URL']
if (url) onStorage('storage-postgres on a PostgreSQL server', () => createPostgresStorage({ connectionString: url, poolSize: 4 }))
else console.log('[ecole] ECOLE_PG_URL is not set: the bank entry keys on a PostgreSQL server are skipped')

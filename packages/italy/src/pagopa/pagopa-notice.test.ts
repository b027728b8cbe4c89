import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isEcoleError, pagoPa } from '@ecole/core'
import { afterAll, describe, expect, it } from 'vitest'
import { pagoPaQrPayload, preparePagoPaNotice, type PagoPaNoticeInput } from './pagopa-notice'
import { renderPagoPaNotice } from './render-pagopa-notice'

const first = pagoPa.generateNotice({ segregationCode: '01', base: '1' })
const second = pagoPa.generateNotice({ segregationCode: '01', base: '2' })
const notice: PagoPaNoticeInput = {
  creditor: { name: 'Comune di Roma', fiscalCode: '02438750586', sector: 'Refezione scolastica', posteAccount: '000012345678' },
  debtor: { name: 'Giulia Bianchi', fiscalCode: 'bncgli80a41h501x', address: 'Via Torino 38, 00184 Roma' },
  subject: 'Mensa scolastica gennaio 2027',
  payments: [{ noticeCode: first, amount: '42.50', dueDate: '2027-02-28' }],
}

function thrown(f: () => unknown): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

describe('pagoPA notice data', () => {
  it('writes the QR payload PAGOPA|002|notice|creditor fiscal code|amount in cents', () => {
    expect(pagoPaQrPayload({ noticeCode: '301000000000000144', creditorFiscalCode: '02438750586', amountMinor: 4250n })).toBe('PAGOPA|002|301000000000000144|02438750586|4250')
    // printed with spaces, read without
    expect(pagoPaQrPayload({ noticeCode: '3010 0000 0000 0001 44', creditorFiscalCode: '02438750586', amountMinor: 100n })).toBe('PAGOPA|002|301000000000000144|02438750586|100')
  })

  it('refuses a notice code with wrong check digits, a fiscal code that is not 11 digits, an amount of zero', () => {
    expect(isEcoleError(thrown(() => pagoPaQrPayload({ noticeCode: '301000000000000145', creditorFiscalCode: '02438750586', amountMinor: 1n })), 'INVALID_INPUT')).toBe(true)
    expect(isEcoleError(thrown(() => pagoPaQrPayload({ noticeCode: first, creditorFiscalCode: '2438750586', amountMinor: 1n })), 'INVALID_INPUT')).toBe(true)
    expect(isEcoleError(thrown(() => pagoPaQrPayload({ noticeCode: first, creditorFiscalCode: '02438750586', amountMinor: 0n })), 'INVALID_INPUT')).toBe(true)
  })

  it('reads amounts as exact cents and the debtor fiscal code in capitals', () => {
    const n = preparePagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '0,10', dueDate: '2027-02-28' }] })
    expect(n.payments[0]!.amount).toBe(10n)
    expect(n.debtor.fiscalCode).toBe('BNCGLI80A41H501X')
  })

  it('wants each instalment with its own notice code, in due-date order', () => {
    const twice = thrown(() => preparePagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '10', dueDate: '2027-02-28' }, { noticeCode: first, amount: '10', dueDate: '2027-03-31' }] }))
    expect((twice as Error).message).toContain('payments.1.noticeCode')
    const order = thrown(() => preparePagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '10', dueDate: '2027-03-31' }, { noticeCode: second, amount: '10', dueDate: '2027-02-28' }] }))
    expect((order as Error).message).toContain('payments.1.dueDate')
  })
})

describe('pagoPA notice PDF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecole-pagopa-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** The QR codes zbarimg reads on the PDF's first page rasterised by pdftoppm at 200 dpi. */
  function decodeQr(pdf: Uint8Array, name: string): string[] {
    writeFileSync(join(dir, `${name}.pdf`), pdf)
    execFileSync('pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', '-singlefile', join(dir, `${name}.pdf`), join(dir, name)])
    const out = execFileSync('zbarimg', ['--quiet', '--raw', join(dir, `${name}.png`)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return out.trim().split('\n').filter((l) => l.length > 0).sort()
  }

  it('prints a QR code that a reader decodes to the payment\'s PAGOPA|002 payload', async () => {
    const pdf = await renderPagoPaNotice(notice)
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-')
    expect(decodeQr(pdf, 'single')).toEqual([`PAGOPA|002|${first}|02438750586|4250`])
  })

  it('prints one QR code per instalment, each with its own notice code and amount', async () => {
    const pdf = await renderPagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '30.00', dueDate: '2027-02-28' }, { noticeCode: second, amount: '12.50', dueDate: '2027-03-31' }] })
    expect(decodeQr(pdf, 'instalments')).toEqual([`PAGOPA|002|${first}|02438750586|3000`, `PAGOPA|002|${second}|02438750586|1250`].sort())
  })
})

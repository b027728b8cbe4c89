import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isEcoleError, pagoPa } from '@ecole/core'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import { pagoPaQrPayload, posteDataMatrixPayload, preparePagoPaNotice, type PagoPaNoticeInput } from './pagopa-notice'
import { renderPagoPaNotice } from './render-pagopa-notice'

const first = pagoPa.generateNotice({ segregationCode: '01', base: '1' })
const second = pagoPa.generateNotice({ segregationCode: '01', base: '2' })
const notice: PagoPaNoticeInput = {
  creditor: { name: 'Comune di Roma', fiscalCode: '02438750586', sector: 'Refezione scolastica', posteAccount: '000012345678' },
  debtor: { name: 'Giulia Bianchi', fiscalCode: 'bncgli80a41h501c', address: 'Via Torino 38, 00184 Roma' },
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
    expect(n.debtor.fiscalCode).toBe('BNCGLI80A41H501C')
  })

  it('wants each instalment with its own notice code, in due-date order', () => {
    const twice = thrown(() => preparePagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '10', dueDate: '2027-02-28' }, { noticeCode: first, amount: '10', dueDate: '2027-03-31' }] }))
    expect((twice as Error).message).toContain('payments.1.noticeCode')
    const order = thrown(() => preparePagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '10', dueDate: '2027-03-31' }, { noticeCode: second, amount: '10', dueDate: '2027-02-28' }] }))
    expect((order as Error).message).toContain('payments.1.dueDate')
  })
})

describe('pagoPA notice fiscal codes', () => {
  /** The message and field paths of the INVALID_INPUT `f` throws. */
  function refusal(f: () => unknown): { message: string; paths: string[] } {
    const e = thrown(f)
    expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
    return { message: (e as Error).message, paths: (e as { details: { issues: Array<{ path: string }> } }).details.issues.map((i) => i.path) }
  }

  it('refuses a creditor fiscal code whose check digit is wrong, naming creditor.fiscalCode and the expected digit (a payment app looks the debt up by it)', () => {
    const r = refusal(() => preparePagoPaNotice({ ...notice, creditor: { ...notice.creditor, fiscalCode: '02438750587' } }))
    expect(r.paths).toEqual(['pagoPA notice.creditor.fiscalCode'])
    expect(r.message).toContain('creditor.fiscalCode: has a wrong check digit: the 11th digit must be 6, not 7')
  })

  it('puts no creditor fiscal code with a wrong check digit in the QR payload or the Poste data matrix', () => {
    expect(refusal(() => pagoPaQrPayload({ noticeCode: '301000000000000144', creditorFiscalCode: '02438750587', amountMinor: 4250n })).message).toContain('creditorFiscalCode: has a wrong check digit')
    const args = { noticeCode: '301000000000000144', posteAccount: '12345678', amountMinor: 4250n, creditorFiscalCode: '02438750587', debtorFiscalCode: 'BNCGLI80A41H501C', debtorName: 'Giulia Bianchi', subject: 'Mensa' }
    expect(refusal(() => posteDataMatrixPayload(args)).message).toContain('creditorFiscalCode: has a wrong check digit')
  })

  it('prints no notice for a creditor fiscal code with a wrong check digit', async () => {
    const rendered = await renderPagoPaNotice({ ...notice, creditor: { ...notice.creditor, fiscalCode: '02438750587' } }).then(() => undefined, (e: unknown) => e)
    expect(isEcoleError(rendered, 'INVALID_INPUT')).toBe(true)
    expect((rendered as Error).message).toContain('creditor.fiscalCode')
  })

  it('refuses a debtor fiscal code that is not a codice fiscale, naming debtor.fiscalCode and the rule broken', () => {
    const letters = refusal(() => preparePagoPaNotice({ ...notice, debtor: { ...notice.debtor, fiscalCode: 'AAAAAAAAAAAAAAAA' } }))
    expect(letters.paths).toEqual(['pagoPA notice.debtor.fiscalCode'])
    expect(letters.message).toContain('debtor.fiscalCode: character 7 (year of birth) must be a digit')
    const check = refusal(() => preparePagoPaNotice({ ...notice, debtor: { ...notice.debtor, fiscalCode: 'BNCGLI80A41H501X' } }))
    expect(check.message).toContain('debtor.fiscalCode: has a wrong check letter: the 16th character must be C, not X')
    const entity = refusal(() => preparePagoPaNotice({ ...notice, debtor: { ...notice.debtor, fiscalCode: '06363391002' } }))
    expect(entity.message).toContain('debtor.fiscalCode: has a wrong check digit: the 11th digit must be 1, not 2')
    const base = { noticeCode: '301000000000000144', posteAccount: '12345678', amountMinor: 4250n, creditorFiscalCode: '02438750586', debtorName: 'Giulia Bianchi', subject: 'Mensa' }
    expect(refusal(() => posteDataMatrixPayload({ ...base, debtorFiscalCode: 'AAAAAAAAAAAAAAAA' })).paths).toEqual(['debtorFiscalCode'])
  })

  it('accepts a debtor that is an entity (11 digits with its check digit) and a person whose code is written with omocodia letters', () => {
    expect(preparePagoPaNotice({ ...notice, debtor: { ...notice.debtor, fiscalCode: '06363391001' } }).debtor.fiscalCode).toBe('06363391001')
    expect(preparePagoPaNotice({ ...notice, debtor: { ...notice.debtor, fiscalCode: 'cccfba85d03l21ve' } }).debtor.fiscalCode).toBe('CCCFBA85D03L21VE')
  })
})

describe('pagoPA notice amounts that can be printed', () => {
  it('refuses, with a Poste account, an amount its bollettino cannot carry (above 99,999,999.99 euros), naming payments.<n>.amount', async () => {
    const big = { ...notice, payments: [{ noticeCode: first, amount: '10.00', dueDate: '2027-02-28' }, { noticeCode: second, amount: '999999999.99', dueDate: '2027-03-31' }] }
    const prepared = thrown(() => preparePagoPaNotice(big))
    expect(isEcoleError(prepared, 'INVALID_INPUT')).toBe(true)
    expect((prepared as { details: { field: string } }).details.field).toBe('payments.1.amount')
    // render refuses it the same way, before printing anything
    const rendered = await renderPagoPaNotice(big).then(() => undefined, (e: unknown) => e)
    expect(isEcoleError(rendered, 'INVALID_INPUT')).toBe(true)
    expect((rendered as Error).message).toContain('payments.1.amount')
  })

  it('accepts 99,999,999.99 euros with a Poste account, and up to 999,999,999.99 euros without one (the QR code\'s limit)', () => {
    expect(preparePagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '99999999.99', dueDate: '2027-02-28' }] }).payments[0]!.amount).toBe(9_999_999_999n)
    const { posteAccount: _none, ...creditor } = notice.creditor
    expect(preparePagoPaNotice({ ...notice, creditor, payments: [{ noticeCode: first, amount: '999999999.99', dueDate: '2027-02-28' }] }).payments[0]!.amount).toBe(99_999_999_999n)
  })
})

describe('Poste data matrix text', () => {
  const args = { noticeCode: '301000000000000144', posteAccount: '12345678', amountMinor: 4250n, creditorFiscalCode: '02438750586', debtorFiscalCode: 'bncgli80a41h501c', debtorName: 'Giulia Bianchì', subject: 'Mensa scolastica — gennaio 2027' }

  it('is 256 characters: codfase=NBPA; then the codeline (notice code, account, cents, type 896), 1P1, the parties, the subject, a filler and A', () => {
    const text = posteDataMatrixPayload(args)
    expect(text).toHaveLength(256)
    expect(text.slice(0, 63)).toBe('codfase=NBPA;18301000000000000144120000123456781000000042503896')
    expect(text.slice(63, 66)).toBe('1P1')
    expect(text.slice(66, 77)).toBe('02438750586')
    expect(text.slice(77, 93)).toBe('BNCGLI80A41H501C')
    expect(text.slice(93, 133)).toBe('GIULIA BIANCHI'.padEnd(40))
    expect(text.slice(133, 243)).toBe('Mensa scolastica   gennaio 2027'.padEnd(110))
    expect(text.slice(243)).toBe(`${' '.repeat(12)}A`)
  })

  it('is read back at the positions pagoPA\'s app reads: notice code 15-33, amount in cents 49-59, creditor 66-77', () => {
    const text = posteDataMatrixPayload({ ...args, debtorFiscalCode: '06363391001', debtorName: 'A'.repeat(60), subject: 'x'.repeat(200) })
    expect(text).toHaveLength(256)
    expect([text.slice(15, 33), text.slice(49, 59), text.slice(66, 77)]).toEqual(['301000000000000144', '0000004250', '02438750586'])
    expect(text.slice(77, 93)).toBe('06363391001     ')
  })

  it('refuses an account longer than 12 digits, an amount above 10 digits of cents, a wrong notice code', () => {
    expect(isEcoleError(thrown(() => posteDataMatrixPayload({ ...args, posteAccount: '1234567890123' })), 'INVALID_INPUT')).toBe(true)
    expect(isEcoleError(thrown(() => posteDataMatrixPayload({ ...args, amountMinor: 10_000_000_000n })), 'INVALID_INPUT')).toBe(true)
    expect(isEcoleError(thrown(() => posteDataMatrixPayload({ ...args, noticeCode: '301000000000000145' })), 'INVALID_INPUT')).toBe(true)
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

  /** The Data Matrix symbols ZXing (zxing-wasm, its WebAssembly loaded from node_modules) reads on every page rasterised at 150 dpi. */
  async function decodeDataMatrices(pdf: Uint8Array, name: string): Promise<string[]> {
    writeFileSync(join(dir, `${name}.pdf`), pdf)
    execFileSync('pdftoppm', ['-r', '150', '-png', join(dir, `${name}.pdf`), join(dir, `${name}-dm`)])
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'))
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true })
    const found: string[] = []
    for (const page of readdirSync(dir).filter((f) => f.startsWith(`${name}-dm`)).sort()) {
      for (const r of await readBarcodes(new Uint8Array(readFileSync(join(dir, page))), { formats: ['DataMatrix'] })) found.push(r.text)
    }
    return found
  }

  it('draws, when the creditor has a Poste account, a data matrix per payment that a reader decodes to its Poste text', async () => {
    const single = await renderPagoPaNotice(notice)
    expect(await decodeDataMatrices(single, 'poste-single')).toEqual([
      posteDataMatrixPayload({ noticeCode: first, posteAccount: '000012345678', amountMinor: 4250n, creditorFiscalCode: '02438750586', debtorFiscalCode: 'BNCGLI80A41H501C', debtorName: 'Giulia Bianchi', subject: 'Mensa scolastica gennaio 2027' }),
    ])
    const instalments = await renderPagoPaNotice({ ...notice, payments: [{ noticeCode: first, amount: '30.00', dueDate: '2027-02-28' }, { noticeCode: second, amount: '12.50', dueDate: '2027-03-31' }] })
    const texts = await decodeDataMatrices(instalments, 'poste-instalments')
    expect(texts.map((t) => [t.slice(15, 33), t.slice(49, 59)]).sort()).toEqual([[first, '0000003000'], [second, '0000001250']].sort())
    expect(texts.every((t) => t.length === 256 && t.startsWith('codfase=NBPA;'))).toBe(true)
  })

  it('draws no data matrix when the creditor has no Poste account', async () => {
    const { posteAccount: _none, ...creditor } = notice.creditor
    expect(await decodeDataMatrices(await renderPagoPaNotice({ ...notice, creditor }), 'no-poste')).toEqual([])
  })

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

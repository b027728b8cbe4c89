import { fc, test } from '@fast-check/vitest'
import { pagoPa } from '@ecole/core'
import { describe, expect } from 'vitest'
import { pagoPaQrPayload, posteDataMatrixPayload, preparePagoPaNotice, type PagoPaNoticeInput } from './pagopa-notice'

/** Euros as a form writes them: 1 to 9 digits, then none, one or two decimals. */
const amount = fc.tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom('', '.5', '.05', '.99', ',10')).map(([euros, cents]) => `${euros}${cents}`)
const notice = fc.record({
  amounts: fc.array(amount, { minLength: 1, maxLength: 4 }),
  poste: fc.boolean(),
}).map(({ amounts, poste }): PagoPaNoticeInput => ({
  creditor: { name: 'Comune di Roma', fiscalCode: '02438750586', ...(poste ? { posteAccount: '000012345678' } : {}) },
  debtor: { name: 'Giulia Bianchi', fiscalCode: 'BNCGLI80A41H501C' },
  subject: 'Mensa scolastica',
  payments: amounts.map((a, i) => ({ noticeCode: pagoPa.generateNotice({ segregationCode: '01', base: String(i + 1) }), amount: a, dueDate: `2027-0${i + 1}-28` })),
}))

describe('pagoPA notice properties', () => {
  test.prop([notice], { numRuns: 300 })('every notice preparePagoPaNotice accepts can be printed: each payment has its QR text and, with a Poste account, its data matrix text', (input) => {
    let prepared: ReturnType<typeof preparePagoPaNotice>
    try {
      prepared = preparePagoPaNotice(input)
    } catch {
      // refused: nothing to print (a zero amount, or too much for a Poste bollettino)
      return
    }
    for (const p of prepared.payments) {
      expect(pagoPaQrPayload({ noticeCode: p.noticeCode, creditorFiscalCode: prepared.creditor.fiscalCode, amountMinor: p.amount })).toMatch(/^PAGOPA\|002\|\d{18}\|\d{11}\|\d+$/)
      if (prepared.creditor.posteAccount !== undefined) {
        const text = posteDataMatrixPayload({
          noticeCode: p.noticeCode, posteAccount: prepared.creditor.posteAccount, amountMinor: p.amount, creditorFiscalCode: prepared.creditor.fiscalCode,
          debtorFiscalCode: prepared.debtor.fiscalCode, debtorName: prepared.debtor.name, subject: prepared.subject,
        })
        expect(BigInt(text.slice(49, 59))).toBe(p.amount)
      }
    }
  })

  test.prop([notice], { numRuns: 300 })('a notice is refused only for an amount of zero or, with a Poste account, one above 99,999,999.99 euros, and the refusal names that payment\'s amount', (input) => {
    const cents = input.payments.map((p) => {
      const [euros, decimals = ''] = p.amount.split(/[.,]/)
      return BigInt(euros!) * 100n + BigInt((decimals + '00').slice(0, 2))
    })
    const poste = input.creditor.posteAccount !== undefined
    // the form's checks (an amount of zero) come before what printing needs
    const zero = cents.findIndex((c) => c === 0n)
    const wrong = zero >= 0 ? zero : cents.findIndex((c) => poste && c > 9_999_999_999n)
    let caught: unknown
    try {
      preparePagoPaNotice(input)
    } catch (e) {
      caught = e
    }
    if (wrong < 0) expect(caught).toBeUndefined()
    else expect((caught as Error | undefined)?.message).toContain(`payments.${wrong}.amount`)
  })

  test.prop([fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 })], { numRuns: 200 })('a notice whose creditor fiscal code has any one digit changed is refused, naming creditor.fiscalCode (it would be unpayable)', (at, shift) => {
    const valid = '02438750586'
    const changed = valid.slice(0, at) + String((Number(valid[at]) + shift) % 10) + valid.slice(at + 1)
    let caught: unknown
    try {
      preparePagoPaNotice({ creditor: { name: 'Comune di Roma', fiscalCode: changed }, debtor: { name: 'Giulia Bianchi', fiscalCode: 'BNCGLI80A41H501C' }, subject: 'Mensa',
        payments: [{ noticeCode: '301000000000000144', amount: '42.50', dueDate: '2027-02-28' }] })
    } catch (e) {
      caught = e
    }
    expect((caught as Error | undefined)?.message).toContain('creditor.fiscalCode: has a wrong check digit')
  })
})

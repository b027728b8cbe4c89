import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { pagoPaNoticeArb, segregationCodeArb } from '@ecole/testing'
import { pagoPa } from './index'

test.prop([segregationCodeArb(), fc.bigInt({ min: 0n, max: 10n ** 13n - 1n })])('every generated notice is valid and parses back to its parts', (seg, n) => {
  const base = n.toString().padStart(13, '0')
  const notice = pagoPa.generateNotice({ segregationCode: seg, base })
  expect(pagoPa.isValidNotice(notice)).toBe(true)
  expect(pagoPa.parseNotice(notice)).toMatchObject({ auxDigit: 3, segregationCode: seg, iuvBase: base })
  expect(Number(notice.slice(16))).toBe(Number(BigInt(notice.slice(0, 16)) % 93n))
})

test.prop([pagoPaNoticeArb()])('notices of every aux digit built independently are valid and parse to their parts', (n) => {
  const p = pagoPa.parseNotice(n.notice)
  expect(p.auxDigit).toBe(n.auxDigit)
  expect(p.iuvBase).toBe(n.iuvBase)
  expect(p.iuv).toBe(n.iuv)
  if (p.auxDigit === 0) expect(p.applicationCode).toBe(n.code)
  if (p.auxDigit === 3) expect(p.segregationCode).toBe(n.code)
  expect(pagoPa.normalizeNotice(pagoPa.formatNotice(n.notice))).toBe(n.notice)
})

test.prop([pagoPaNoticeArb().filter((n) => n.auxDigit !== 1), fc.integer({ min: 1, max: 17 }), fc.integer({ min: 1, max: 9 })])(
  'a single-digit change after the aux digit is caught when the notice has check digits',
  (n, pos, delta) => {
    const changed = n.notice.slice(0, pos) + String((Number(n.notice[pos]) + delta) % 10) + n.notice.slice(pos + 1)
    expect(pagoPa.isValidNotice(changed)).toBe(false)
  },
)

import { fc, test } from '@fast-check/vitest'
import { AMOUNT_LOCALES, Money, formatMoney } from '@ecole/core'
import { expect } from 'vitest'
import { createFormatter, decimalQuantity, formatMinor } from './format'

test.prop([fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n }), fc.constantFrom(...AMOUNT_LOCALES), fc.constantFrom('EUR', 'JPY', 'CHF')])(
  "an amount is written exactly as the project's formatMoney writes it, in every amount locale",
  (minor, locale, currency) => {
    expect(formatMinor(minor, currency, locale)).toBe(formatMoney(Money.fromMinor(minor, currency), locale))
  },
)

test.prop([fc.integer({ min: 0, max: 36_500 }), fc.constantFrom('fr', 'en', 'it', 'nl' as const)])('a date is printed as the day its LocalDate names, never shifted', (offset, language) => {
  const d = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10) as `${number}-${number}-${number}`
  const [y, m, day] = d.split('-')
  // every language writes dd/MM/yyyy, Dutch as Belgium writes it (not the Netherlands' dd-MM-yyyy)
  expect(createFormatter(language).shortDate(d)).toBe([day, m, y].join('/'))
})

test.prop([fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 30 })])(
  'a quantity summed from hundredths in floating point is written as the exact sum of the hundredths, with no float noise',
  (hundredths) => {
    const float = hundredths.reduce((s, h) => s + h / 100, 0)
    const exact = hundredths.reduce((s, h) => s + h, 0)
    const expected = `${Math.floor(exact / 100)}.${String(exact % 100).padStart(2, '0')}`.replace(/\.?0+$/, '')
    expect(decimalQuantity(float)).toBe(expected)
  },
)

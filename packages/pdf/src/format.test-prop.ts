import { fc, test } from '@fast-check/vitest'
import { AMOUNT_LOCALES, Money, formatMoney } from '@ecole/core'
import { expect } from 'vitest'
import { createFormatter, formatMinor } from './format'

test.prop([fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n }), fc.constantFrom(...AMOUNT_LOCALES), fc.constantFrom('EUR', 'JPY', 'CHF')])(
  "an amount is written exactly as the project's formatMoney writes it, in every amount locale",
  (minor, locale, currency) => {
    expect(formatMinor(minor, currency, locale)).toBe(formatMoney(Money.fromMinor(minor, currency), locale))
  },
)

test.prop([fc.integer({ min: 0, max: 36_500 }), fc.constantFrom('fr', 'en', 'it', 'nl' as const)])('a date is printed as the day its LocalDate names, never shifted', (offset, language) => {
  const d = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10) as `${number}-${number}-${number}`
  const [y, m, day] = d.split('-')
  const separator = language === 'nl' ? '-' : '/'
  expect(createFormatter(language).shortDate(d)).toBe([day, m, y].join(separator))
})

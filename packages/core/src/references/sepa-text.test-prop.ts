import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { isSepaText, toSepaText } from './index'

test.prop([fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('epc' as const, 'german' as const)])('the result is always SEPA text', (s, style) => {
  expect(isSepaText(toSepaText(s, { style }))).toBe(true)
})

test.prop([fc.string({ maxLength: 80 }), fc.integer({ min: 0, max: 70 })])('the result never exceeds maxLength and converting twice changes nothing', (s, max) => {
  const once = toSepaText(s, { maxLength: max })
  expect(once.length).toBeLessThanOrEqual(max)
  expect(toSepaText(once)).toBe(once)
})

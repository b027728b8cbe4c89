import { test } from '@fast-check/vitest'
import { BillingRuleSchema, BillingRuleSetSchema, FamilyQuotientSchema, TariffSchema } from '@ecole/core'
import { expect } from 'vitest'
import { alternatingRuleArb, billableDaysArb, billingRuleArb, billingRuleSetArb, familyQuotientArb, tariffArb } from './billing'

test.prop([billingRuleArb()])('generated billing rules pass BillingRuleSchema unchanged', (rule) => {
  expect(BillingRuleSchema.parse(JSON.parse(JSON.stringify(rule)))).toEqual(rule)
})

test.prop([billingRuleSetArb()])('generated rule sets have distinct ids', (rules) => {
  expect(BillingRuleSetSchema.safeParse(JSON.parse(JSON.stringify(rules))).success).toBe(true)
})

test.prop([alternatingRuleArb()])('alternating rules have an end and a mirrorable criterion', (rule) => {
  expect(rule.to).toBeDefined()
  expect(['isoParity', 'anchored']).toContain(rule.criterion.kind)
})

test.prop([familyQuotientArb()])('generated family quotients are canonical', (q) => {
  expect(FamilyQuotientSchema.parse(q)).toBe(q)
})

test.prop([tariffArb()])('generated tariffs round-trip through TariffSchema', (t) => {
  expect(TariffSchema.safeParse(JSON.parse(JSON.stringify(t))).success).toBe(true)
})

test.prop([billableDaysArb()])('generated days are unique per beneficiary, service and date', (days) => {
  expect(new Set(days.map((d) => `${d.beneficiaryId}|${d.serviceId}|${d.date}`)).size).toBe(days.length)
})

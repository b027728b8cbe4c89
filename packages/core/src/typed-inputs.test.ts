import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  addRule, buildChargeLines, checkTemplate, isEcoleError, parseTransfers, prepareChargeConfig, ServiceCalendar,
  type BillingRuleInput, type ChargeConfigInput, type TariffPeriodInput, type TransferInput,
} from './index'

// Public functions take the input type of their schema, not `unknown`: a misspelt key fails to
// compile (the @ts-expect-error lines below), and is refused at run time for JavaScript callers.
const base: ChargeConfigInput = { rules: [], services: [], billingOffices: [], pricing: [], beneficiaries: [] }

describe('typed inputs', () => {
  it('rejects a misspelt configuration key at compile time and at run time', () => {
    // @ts-expect-error `familyQuotients` is not a key of ChargeConfigInput (the key is `quotients`)
    const typo: ChargeConfigInput = { ...base, familyQuotients: [] }
    expect(() => prepareChargeConfig(typo)).toThrow(/unknown key `familyQuotients` at `config`: did you mean `quotients`\?/)
    // @ts-expect-error buildChargeLines takes only a prepared configuration, not any object
    expect(() => buildChargeLines({ rule: [] }, [])).toThrow(/invalid input for config: must be a prepared charge configuration \(prepareChargeConfig/)
  })

  it('rejects a misspelt rule key at compile time and at run time', () => {
    const rule: BillingRuleInput = { id: 'r1', from: '2026-09-01', criterion: { kind: 'always' }, payers: [{ guardianId: 'mum', weight: 1 }], covers: [{ beneficiaryId: 'lea', serviceId: 'canteen' }] }
    expect(addRule([], rule).rules).toHaveLength(1)
    // @ts-expect-error `jointDebtors` is not a key of BillingRuleInput (the key is `jointDebtorIds`)
    const typo: BillingRuleInput = { ...rule, id: 'r2', jointDebtors: ['grandpa'] }
    try {
      addRule([], typo)
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e, 'INVALID_INPUT') && e.details.issues[0]!.message).toBe('unknown key `jointDebtors` at `rule`: did you mean `jointDebtorIds`?')
    }
  })

  it('types the inputs of other boundaries from their schemas', () => {
    expectTypeOf(parseTransfers).parameter(0).toEqualTypeOf<readonly TransferInput[]>()
    expectTypeOf(prepareChargeConfig).parameter(0).toEqualTypeOf<ChargeConfigInput>()
    expectTypeOf<TariffPeriodInput>().toHaveProperty('from')
    expectTypeOf(ServiceCalendar.from).parameter(0).not.toBeUnknown()
    expectTypeOf(checkTemplate).parameter(0).not.toBeUnknown()
    // @ts-expect-error a transfer's amount is { amount, currency }, not a number
    expect(() => parseTransfers([{ id: 't', debitAccountId: 'a', creditAccountId: 'b', amount: 5, code: 'topUp', timestamp: '2026-03-02T09:00:00Z' }])).toThrow(/transfers\.0\.amount/)
  })
})

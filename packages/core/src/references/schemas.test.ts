import { describe, expect, it } from 'vitest'
import { parseInput } from '../errors'
import { BicSchema, CreditorIdSchema, IbanSchema, IneSchema, MandateReferenceSchema, OgmSchema, PagoPaNoticeSchema, RfSchema, UaiSchema } from './index'

describe('identifier schemas', () => {
  it('normalise what a person types into the form bank files carry', () => {
    expect(OgmSchema.parse('*** 123 4567 89002 ***')).toBe('123456789002')
    expect(RfSchema.parse('rf18 5390 0754 7034')).toBe('RF18539007547034')
    expect(PagoPaNoticeSchema.parse('3010 0000 0000 0001 44')).toBe('301000000000000144')
    expect(CreditorIdSchema.parse('fr72 zzz 123456')).toBe('FR72ZZZ123456')
    expect(IbanSchema.parse('be15 7326 6455 4630')).toBe('BE15732664554630')
    expect(BicSchema.parse('gkcc bebb')).toBe('GKCCBEBB')
    expect(UaiSchema.parse(' 0751234j')).toBe('0751234J')
    expect(IneSchema.parse('123456789ab')).toBe('123456789AB')
    expect(MandateReferenceSchema.parse('RUM-1')).toBe('RUM-1')
  })

  it('refuse invalid values with a message naming the field through parseInput', () => {
    expect(() => parseInput(OgmSchema, '+++123/4567/89003+++', 'wallet.reference')).toThrowError(/wallet\.reference: must be a valid Belgian structured communication/)
    expect(() => parseInput(UaiSchema, '0010856B', 'school.uai')).toThrowError(/school\.uai: must be a valid UAI/)
  })

  it('report every broken mandate-reference rule as its own issue', () => {
    const r = MandateReferenceSchema.safeParse('/RUM//')
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      'a mandate reference must not start with "/"',
      'a mandate reference must not end with "/"',
      'a mandate reference must not contain "//"',
    ])
  })
})

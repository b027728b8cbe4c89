import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { EntityFiscalCodeSchema, entityFiscalCode } from './index'

describe('entityFiscalCode (Italian codice fiscale of an entity / partita IVA, 11 digits)', () => {
  it('accepts published codes: the Agenzia delle Entrate 06363391001, Roma Capitale 02438750586, and the worked examples 86334519757 and 02342520158', () => {
    // 86334519757: losapevi.it "Verificare la correttezza di un numero di partita IVA"; 02342520158: aino.it "Algoritmi, Calcolo Partita IVA"
    for (const code of ['06363391001', '02438750586', '86334519757', '02342520158']) {
      expect(entityFiscalCode.problem(code)).toBeUndefined()
      expect(entityFiscalCode.isValid(code)).toBe(true)
    }
  })

  it('computes 6 for 0243875058 as by hand: odd positions 0+4+8+5+5 = 22, even positions doubled less 9 above 9 4+6+5+0+7 = 22, (10 - 44 mod 10) mod 10', () => {
    expect(entityFiscalCode.checkDigit('0243875058')).toBe('6')
  })

  it('refuses a wrong check digit, saying the expected one', () => {
    expect(entityFiscalCode.problem('02438750587')).toBe('has a wrong check digit: the 11th digit must be 6, not 7 (the codice fiscale / partita IVA check of the first 10)')
    expect(entityFiscalCode.isValid('06363391002')).toBe(false)
  })

  it('refuses what is not 11 digits, and the placeholder 00000000000, in words and never by throwing', () => {
    expect(entityFiscalCode.problem('2438750586')).toMatch(/11-digit/)
    expect(entityFiscalCode.problem('0243875058A')).toMatch(/11-digit/)
    expect(entityFiscalCode.problem('00000000000')).toMatch(/not 00000000000/)
    expect(entityFiscalCode.problem(2438750586 as unknown as string)).toMatch(/written as text/)
    expect(entityFiscalCode.isValid(null as unknown as string)).toBe(false)
  })

  it('isValid and the schema take spaces around, problem takes the code as given', () => {
    expect(entityFiscalCode.isValid(' 02438750586 ')).toBe(true)
    expect(entityFiscalCode.problem(' 02438750586 ')).toMatch(/11-digit/)
    expect(EntityFiscalCodeSchema.parse(' 06363391001 ')).toBe('06363391001')
    expect(EntityFiscalCodeSchema.safeParse('02438750587').error?.issues[0]?.message).toMatch(/must be 6, not 7/)
  })

  it('refuses to compute a check digit of anything but 10 digits, with INVALID_INPUT naming first10', () => {
    for (const bad of ['024387505', '02438750586', '024387505A', 243875058 as unknown as string]) {
      let caught: unknown
      try {
        entityFiscalCode.checkDigit(bad)
      } catch (e) {
        caught = e
      }
      expect(isEcoleError(caught, 'INVALID_INPUT')).toBe(true)
      expect((caught as Error).message).toMatch(/first10: must be exactly 10 digits/)
    }
  })
})

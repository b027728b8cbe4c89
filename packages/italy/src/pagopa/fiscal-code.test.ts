import { describe, expect, it } from 'vitest'
import { entityFiscalCode } from '@ecole/core'
import { referenceCheckLetter } from '../test-support/encode-fiscal-code'
import { EntityFiscalCodeSchema, FiscalCodeSchema, entityFiscalCodeProblem, fiscalCodeProblem, personalFiscalCodeProblem } from './fiscal-code'

describe('entity fiscal code (codice fiscale / partita IVA, 11 digits)', () => {
  it('accepts published codes: the Agenzia delle Entrate 06363391001, Roma Capitale 02438750586, and the worked examples 86334519757 and 02342520158', () => {
    // 86334519757: losapevi.it "Verificare la correttezza di un numero di partita IVA"; 02342520158: aino.it "Algoritmi, Calcolo Partita IVA"
    for (const code of ['06363391001', '02438750586', '86334519757', '02342520158']) expect(entityFiscalCodeProblem(code)).toBeUndefined()
  })

  it('refuses a code whose last digit is not the check digit of the first 10, saying the expected digit', () => {
    expect(entityFiscalCodeProblem('02438750587')).toContain('must be 6, not 7')
    expect(entityFiscalCodeProblem('06363391002')).toContain('must be 1, not 2')
    // two digits swapped (a typing slip the check is there to catch)
    expect(entityFiscalCodeProblem('20438750586')).toMatch(/wrong check digit/)
  })

  it('refuses a code that is not 11 digits, and the placeholder 00000000000', () => {
    expect(entityFiscalCodeProblem('2438750586')).toMatch(/11-digit/)
    expect(entityFiscalCodeProblem('0243875058A')).toMatch(/11-digit/)
    expect(entityFiscalCodeProblem('00000000000')).toMatch(/00000000000/)
  })

  it('drops spaces around it in the schema', () => {
    expect(EntityFiscalCodeSchema.parse(' 06363391001 ')).toBe('06363391001')
  })
})

describe('personal fiscal code (codice fiscale, 16 characters)', () => {
  it('accepts published codes with their check letters', () => {
    // RSSMRA80A01H501U: calcolatori.net; FRNSST75D50A717N: sodalesjuris.net; RSSMRA85M01H501Q: thesmokinator/italian-tax-validators;
    // RSSLRA90D70L378H: michelebenolli/FiscalCodeValidator; CCCFBA85D03L219P: fabiocaccamo/python-codicefiscale; ABCDEF12B23P432P: squeeze69/codicefiscale
    for (const code of ['RSSMRA80A01H501U', 'FRNSST75D50A717N', 'RSSMRA85M01H501Q', 'RSSLRA90D70L378H', 'CCCFBA85D03L219P', 'ABCDEF12B23P432P']) {
      expect(personalFiscalCodeProblem(code)).toBeUndefined()
    }
  })

  it('accepts omocodia codes, where digits are written L M N P Q R S T U V and the check letter is computed on them', () => {
    // the omocodia series of CCCFBA85D03L219P in fabiocaccamo/python-codicefiscale's tests, and squeeze69/codicefiscale's example
    for (const code of ['CCCFBA85D03L21VE', 'CCCFBA85D03L2MVP', 'CCCFBA85D03LNMVE', 'CCCFBA85D0PLNMVA', 'CCCFBA85DLPLNMVL', 'CCCFBA8RDLPLNMVX', 'CCCFBAURDLPLNMVU', 'ABCDEF12B23P43NE']) {
      expect(personalFiscalCodeProblem(code)).toBeUndefined()
    }
  })

  it('refuses a wrong check letter, saying the expected one', () => {
    expect(personalFiscalCodeProblem('CCCFBA85D03L219B')).toContain('must be P, not B')
    expect(personalFiscalCodeProblem('BNCGLI80A41H501X')).toContain('must be C, not X')
    // an omocodia letter written without recomputing the check letter
    expect(personalFiscalCodeProblem('CCCFBA85D03L21VP')).toContain('must be E, not P')
  })

  it('refuses a code of the wrong shape, naming the character and its rule', () => {
    expect(personalFiscalCodeProblem('AAAAAAAAAAAAAAAA')).toMatch(/^character 7 \(year of birth\)/)
    expect(personalFiscalCodeProblem('RSS1RA80A01H501U')).toMatch(/^characters 1-6/)
    expect(personalFiscalCodeProblem('RSSMRA80F01H501U')).toMatch(/^character 9 \(month of birth\) must be one of A B C D E H L M P R S T, got F/)
    expect(personalFiscalCodeProblem('RSSMRA80A00H501U')).toMatch(/day of birth.*got 00/)
    expect(personalFiscalCodeProblem('RSSMRA80A35H501U')).toMatch(/day of birth.*41-71 for a woman, got 35/)
    expect(personalFiscalCodeProblem('RSSMRA80A72H501U')).toMatch(/day of birth.*got 72/)
    expect(personalFiscalCodeProblem('RSSMRA80A01H5A1U')).toMatch(/^character 14 \(municipality of birth\)/)
    expect(personalFiscalCodeProblem('RSSMRA80A011501U')).toMatch(/^character 12 \(municipality of birth\) must be a letter/)
  })

  it('reads a woman\'s day (41-71) and an omocodia day (written with letters) as days', () => {
    expect(personalFiscalCodeProblem('FRNSST75D50A717N')).toBeUndefined()
    // day 03 written L P in the published series
    expect(personalFiscalCodeProblem('CCCFBA85DLPLNMVL')).toBeUndefined()
    // P V stands for 39: no day
    expect(personalFiscalCodeProblem('CCCFBA85DPVLNMVL')).toMatch(/day of birth.*got 39/)
  })
})

describe('personal fiscal code: the day of birth exists in its month', () => {
  /** The code as given, after checking with the test's own encoder that its check letter is right (so only the date can refuse it). */
  const checked = (code: string) => {
    expect(referenceCheckLetter(code.slice(0, 15)), `${code}'s check letter`).toBe(code[15])
    return code
  }

  it('accepts more published codes, men and women, dates read from characters 7-11', () => {
    // RCCMNL83S18D969H (18 November 1983) and CNTCHR83T41D969D (a woman, 1 December 1983): the Python codicefiscale library's README;
    // RSSMRA85T10A562S (10 December 1985): DavidePastore/codice-fiscale's README; RSSMRA79S18F205J (18 November 1979): fattureincloud/codice-fiscale's README
    for (const code of ['RCCMNL83S18D969H', 'CNTCHR83T41D969D', 'RSSMRA85T10A562S', 'RSSMRA79S18F205J']) expect(personalFiscalCodeProblem(checked(code))).toBeUndefined()
  })

  it('refuses 31 February and 31 April, naming the day of birth and the days of the month', () => {
    expect(personalFiscalCodeProblem(checked('RSSMRA80B31H501W'))).toBe('characters 10-11 (day of birth) must be a day of February (character 9 is B): 01-29, or 41-69 for a woman, got 31')
    expect(personalFiscalCodeProblem(checked('RSSMRA80D31H501D'))).toBe('characters 10-11 (day of birth) must be a day of April (character 9 is D): 01-30, or 41-70 for a woman, got 31')
  })

  it('accepts a woman born on the 31st (day 71) in January, refuses day 71 in February or April', () => {
    expect(personalFiscalCodeProblem(checked('BNCGLI80A71H501F'))).toBeUndefined()
    // RSSLRA90D70L378H (published, michelebenolli/FiscalCodeValidator): a woman born on 30 April, the last day of the month
    expect(personalFiscalCodeProblem(checked('RSSLRA90D70L378H'))).toBeUndefined()
    expect(personalFiscalCodeProblem(checked('BNCGLI80B71H501E'))).toMatch(/^characters 10-11 \(day of birth\) must be a day of February .* got 71$/)
    expect(personalFiscalCodeProblem(checked('BNCGLI80D71H501L'))).toMatch(/^characters 10-11 \(day of birth\) must be a day of April .*41-70 for a woman, got 71$/)
  })

  it('reads omocodia letters in the day as digits before checking the date, and shows how it was written', () => {
    // day P L = 30, in February
    expect(personalFiscalCodeProblem(checked('CCCFBA85BPLL219U'))).toBe('characters 10-11 (day of birth) must be a day of February (character 9 is B): 01-29, or 41-69 for a woman, got 30 (written PL)')
    // every numeric position written with letters: day P M = 31, in April
    expect(personalFiscalCodeProblem(checked('CCCFBAURDPMLNMVN'))).toMatch(/day of April .* got 31 \(written PM\)$/)
  })

  it('refuses day 00, 32-40 and above 71 whatever the month', () => {
    for (const [code, day] of [['RSSMRA80A00H501U', '00'], ['RSSMRA80A32H501U', '32'], ['RSSMRA80A40H501U', '40'], ['RSSMRA80A72H501U', '72']] as const) {
      expect(personalFiscalCodeProblem(code)).toBe(`characters 10-11 (day of birth) must be 01-31, or 41-71 for a woman, got ${day}`)
    }
  })

  it('accepts 29 February in a year ending in a multiple of 4, 00 included (the code has no century: 2000 was a leap year)', () => {
    expect(personalFiscalCodeProblem(checked('RSSMRA00B29H501Y'))).toBeUndefined()
    expect(personalFiscalCodeProblem(checked('BNCGLI80B69H501Y'))).toBeUndefined()
  })

  it('refuses 29 February in a year ending in 81, a leap year in no century, also when the year is written with an omocodia letter', () => {
    expect(personalFiscalCodeProblem(checked('RSSMRA81B29H501R'))).toMatch(/^characters 10-11 \(day of birth\) cannot be 29 February in a year ending in 81 \(characters 7-8\)/)
    expect(personalFiscalCodeProblem(checked('CCCFBA8MB69L219J'))).toMatch(/year ending in 81 \(written 8M\).*got 69$/)
  })

  it('names the day of birth in the schema\'s refusal too', () => {
    const r = FiscalCodeSchema.safeParse(' rssmra80b31h501w ')
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toMatch(/^characters 10-11 \(day of birth\) must be a day of February/)
  })
})

describe('entity fiscal code: one check, in @ecole/core', () => {
  it('is the check @ecole/core exports: the same answer for published codes and wrong check digits', () => {
    for (const code of ['06363391001', '02438750586', '86334519757', '02342520158', '02438750587', '2438750586', '00000000000']) {
      expect(entityFiscalCodeProblem(code)).toBe(entityFiscalCode.problem(code))
    }
    expect(entityFiscalCode.isValid('02438750586')).toBe(true)
    expect(entityFiscalCode.isValid('02438750587')).toBe(false)
  })
})

describe('fiscal code of a person or an entity', () => {
  it('takes 11 digits as an entity\'s code and 16 characters as a person\'s, capitalising them', () => {
    expect(fiscalCodeProblem('06363391001')).toBeUndefined()
    expect(FiscalCodeSchema.parse(' rssmra80a01h501u ')).toBe('RSSMRA80A01H501U')
    expect(fiscalCodeProblem('02438750587')).toMatch(/check digit/)
    expect(fiscalCodeProblem('RSSMRA80A01H501')).toMatch(/16 characters for a person, or 11 digits/)
  })
})

import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createFormatter, decimalQuantity } from './format'

const FORMAT_MODULE = new URL('./format.ts', import.meta.url).href
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The dates `createFormatter` writes in a fresh Node process whose host zone is `tz` (this project runs in Europe/Paris only). */
function datesUnder(tz: string, days: string[]): Array<[string, string]> {
  const script = `const { createFormatter } = await import(${JSON.stringify(FORMAT_MODULE)})
const days = ${JSON.stringify(days)}
console.log(JSON.stringify(days.map((d) => [createFormatter('fr').date(d), createFormatter('nl').shortDate(d)])))`
  const out = execFileSync(process.execPath, ['--conditions=@ecole/source', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8',
  })
  return JSON.parse(out.trim().split('\n').pop()!) as Array<[string, string]>
}

describe('createFormatter dates', () => {
  it('writes a day the host zone skipped as that day (Kiritimati had no 31 December 1994, Apia no 30 December 2011)', () => {
    expect(datesUnder('Pacific/Kiritimati', ['1994-12-31', '1995-01-01'])).toEqual([['31 décembre 1994', '31/12/1994'], ['1 janvier 1995', '01/01/1995']])
    expect(datesUnder('Pacific/Apia', ['2011-12-30', '2011-12-31'])).toEqual([['30 décembre 2011', '30/12/2011'], ['31 décembre 2011', '31/12/2011']])
  })

  it('writes the years 0 to 99 as themselves, not as 1900 to 1999', () => {
    expect(createFormatter('fr').date('0099-06-15')).toBe('15 juin 0099')
    expect(createFormatter('it').date('0001-01-01')).toBe('1 gennaio 0001')
    expect(createFormatter('nl').shortDate('0099-06-15')).toBe('15/06/0099')
    expect(createFormatter('fr').shortDate('0099-06-15')).toBe('15/06/0099')
  })
})

describe('Dutch short dates', () => {
  it('writes a Dutch short date as Belgium does, with slashes (CLDR nl_BE d/MM/y), day and month on two digits: 04/01/2027, never the Netherlands\' 04-01-2027', () => {
    expect(createFormatter('nl').shortDate('2027-01-04')).toBe('04/01/2027')
    expect(createFormatter('nl').shortDate('2026-12-31')).toBe('31/12/2026')
  })
})

describe('quantities', () => {
  it('writes a quantity summed in floating point as the decimal it means: 0.1 + 0.2 is 0.3, never 0.30000000000000004 or 0.3000', () => {
    expect(decimalQuantity(0.1 + 0.2)).toBe('0.3')
    expect(createFormatter('fr').quantity(0.1 + 0.2)).toBe('0,3')
    expect(createFormatter('en').quantity(0.1 + 0.2)).toBe('0.3')
  })

  it('prints a quantity in the language’s number format with only the decimals it needs: 1,75 in French, Italian and Dutch, 1.75 in English, 4 as 4', () => {
    expect(createFormatter('fr').quantity(1.75)).toBe('1,75')
    expect(createFormatter('it').quantity(1.75)).toBe('1,75')
    expect(createFormatter('nl').quantity(1.75)).toBe('1,75')
    expect(createFormatter('en').quantity(1.75)).toBe('1.75')
    expect(createFormatter('fr').quantity(4)).toBe('4')
    expect(createFormatter('fr', 'en').quantity(1.75)).toBe('1.75')
  })

  it('keeps at most 4 decimals, rounded: two thirds of an hour is 0.6667', () => {
    expect(decimalQuantity(2 / 3)).toBe('0.6667')
    expect(createFormatter('fr').quantity(2 / 3)).toBe('0,6667')
    expect(decimalQuantity(0.00001)).toBe('0')
    expect(decimalQuantity(-1.5)).toBe('-1.5')
    expect(decimalQuantity(-0.00001)).toBe('0')
  })

  it('refuses a quantity that is not a finite number, naming quantity', () => {
    expect(() => decimalQuantity(Number.NaN)).toThrow(/quantity: must be a finite number/)
    expect(() => decimalQuantity(Number.POSITIVE_INFINITY)).toThrow(/quantity/)
  })
})

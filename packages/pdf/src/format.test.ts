import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createFormatter } from './format'

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
    expect(datesUnder('Pacific/Kiritimati', ['1994-12-31', '1995-01-01'])).toEqual([['31 décembre 1994', '31-12-1994'], ['1 janvier 1995', '01-01-1995']])
    expect(datesUnder('Pacific/Apia', ['2011-12-30', '2011-12-31'])).toEqual([['30 décembre 2011', '30-12-2011'], ['31 décembre 2011', '31-12-2011']])
  })

  it('writes the years 0 to 99 as themselves, not as 1900 to 1999', () => {
    expect(createFormatter('fr').date('0099-06-15')).toBe('15 juin 0099')
    expect(createFormatter('it').date('0001-01-01')).toBe('1 gennaio 0001')
    expect(createFormatter('nl').shortDate('0099-06-15')).toBe('15-06-0099')
    expect(createFormatter('fr').shortDate('0099-06-15')).toBe('15/06/0099')
  })
})

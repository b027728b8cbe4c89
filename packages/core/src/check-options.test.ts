import { fc, test as prop } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { checkOptions, type OptionKinds } from './check-options'
import { isEcoleError } from './errors'

interface PaymentOptions { walletOnly?: boolean; timeZone?: string; limit?: number; issueDate: string; audit?: (entry: unknown) => void }
const kinds: OptionKinds<PaymentOptions> = { walletOnly: 'boolean?', timeZone: 'string?', limit: 'integer?', issueDate: 'date', audit: 'function?' }

function refusal(value: unknown): { message: string; paths: string[]; codes: string[]; fn: unknown } {
  try {
    checkOptions<PaymentOptions>('recordPayment', 'options', value, kinds)
  } catch (e) {
    if (!isEcoleError(e, 'INVALID_INPUT')) throw e
    return { message: e.message, paths: e.details.issues.map((i) => i.path), codes: e.details.issues.map((i) => i.code), fn: e.details['function'] }
  }
  throw new Error('expected a refusal')
}

describe('checkOptions: a misspelt option is refused, never read as absent', () => {
  it('returns the options as given when every key is known and of its kind', () => {
    const options = { walletOnly: true, issueDate: '2027-01-11', limit: 3 }
    expect(checkOptions<PaymentOptions>('recordPayment', 'options', options, kinds)).toBe(options)
  })

  it('names an unknown key, the function, and the nearest known key', () => {
    const r = refusal({ walletonly: true, issueDate: '2027-01-11' })
    expect(r.message).toBe('[ecole] recordPayment: options.walletonly: unknown key `walletonly` in `options`: did you mean `walletOnly`?')
    expect(r).toMatchObject({ paths: ['options.walletonly'], codes: ['unrecognized_keys'], fn: 'recordPayment' })
  })

  it('lists the known keys when no key is close', () => {
    expect(refusal({ zzzzzzzzzzzz: 1, issueDate: '2027-01-11' }).message).toContain('(known keys: walletOnly, timeZone, limit, issueDate, audit)')
  })

  it('refuses a known key whose value has the wrong kind, and a required key that is missing', () => {
    const r = refusal({ walletOnly: 'yes', limit: 2.5 })
    expect(r.paths).toEqual(['options.walletOnly', 'options.limit', 'options.issueDate'])
    expect(r.message).toContain('options.walletOnly: must be a boolean or absent, got "yes"')
    expect(r.message).toContain('options.issueDate: must be a LocalDate (YYYY-MM-DD), got undefined')
  })

  it('refuses a string, an array or null where the options go, and reads undefined as no options', () => {
    for (const value of ['walletOnly', ['walletOnly'], null, 3]) expect(refusal(value).paths).toEqual(['options'])
    expect(checkOptions<{ limit?: number }>('f', 'options', undefined, { limit: 'integer?' })).toEqual({})
    expect(refusal(undefined).paths).toEqual(['options.issueDate'])
  })

  it('accepts any of a list of kinds', () => {
    const k: OptionKinds<{ reference?: string | ((n: number) => string) }> = { reference: ['string?', 'function?'] }
    expect(checkOptions('f', 'options', { reference: 'rf' }, k)).toEqual({ reference: 'rf' })
    expect(() => checkOptions('f', 'options', { reference: 3 }, k)).toThrow('must be a string or a function or absent, got 3')
  })
})

describe('checkOptions: properties', () => {
  const knownKeys = Object.keys(kinds)
  prop.prop([fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !knownKeys.includes(k) && k !== '__proto__'), fc.anything()])(
    'any key the options do not know is refused, at its path, whatever its value',
    (key, value) => {
      const options: Record<string, unknown> = { issueDate: '2027-01-11' }
      Object.defineProperty(options, key, { value, enumerable: true })
      expect(refusal(options).paths).toContain(`options.${key}`)
    },
  )

  prop.prop([fc.record({ walletOnly: fc.boolean(), timeZone: fc.string(), limit: fc.integer(), audit: fc.constant(() => undefined) }, { requiredKeys: [] }), fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2999, 11, 31)), noInvalidDate: true })])(
    'options whose keys are known and of their kind pass unchanged',
    (options, day) => {
      const value = { ...options, issueDate: day.toISOString().slice(0, 10) }
      expect(checkOptions<PaymentOptions>('recordPayment', 'options', value, kinds)).toBe(value)
    },
  )
})

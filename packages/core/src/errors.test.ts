import { readFileSync } from 'node:fs'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as z from 'zod'
import { ChargeConfigSchema } from './billing'
import { ERROR_CATALOGUE } from './error-catalogue'
import { EcoleError, isEcoleError, parseInput, type EcoleErrorCode, type InvalidInputDetails } from './errors'
import { editDistance, nearestKey } from './nearest-key'

function thrown(f: () => unknown): EcoleError<'INVALID_INPUT'> {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e, 'INVALID_INPUT')) return e
    throw e
  }
  throw new Error('expected an EcoleError')
}

describe('EcoleError', () => {
  it('prefixes its message with [ecole] and keeps code, details and cause', () => {
    const cause = new Error('socket closed')
    const e = new EcoleError('STORE_UNAVAILABLE', 'the store did not answer', { details: { siteId: 's1' }, cause })
    expect(e.message).toBe('[ecole] the store did not answer')
    expect(e.code).toBe('STORE_UNAVAILABLE')
    expect(e.details).toEqual({ siteId: 's1' })
    expect(e.cause).toBe(cause)
    expect(isEcoleError(e)).toBe(true)
    expect(isEcoleError(new Error('x'))).toBe(false)
  })

  it('names every invalid field of a zod-checked input, with its path', () => {
    const schema = z.object({ name: z.string().min(1), guardians: z.array(z.object({ email: z.email() })) })
    const err = thrown(() => parseInput(schema, { name: '', guardians: [{ email: 'not-an-email' }] }, 'household'))
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.message).toMatch(/^\[ecole\] invalid input for household: /)
    expect(err.message).toContain('household.name:')
    expect(err.message).toContain('household.guardians.0.email:')
    expect(err.details.issues.map((i) => i.path)).toEqual(['household.name', 'household.guardians.0.email'])
  })

  it('returns the parsed value when the input is valid', () => {
    expect(parseInput(z.object({ n: z.coerce.number() }), { n: '3' })).toEqual({ n: 3 })
  })
})

describe('one error shape for invalid input', () => {
  it('gives every INVALID_INPUT error details.issues, even one built by hand without them', () => {
    const e = new EcoleError('INVALID_INPUT', 'draft d1: its charges must stay the stored ones', { details: { invoiceId: 'd1' } })
    expect(e.details).toEqual({ invoiceId: 'd1', issues: [{ path: '', code: 'custom', message: 'draft d1: its charges must stay the stored ones' }] })
  })

  it('builds a one-field INVALID_INPUT with invalidInput, its issue at the field', () => {
    const e = EcoleError.invalidInput('payment.amount', 'must be above zero')
    expect(e.message).toBe('[ecole] payment.amount: must be above zero')
    expect(e.details.issues).toEqual([{ path: 'payment.amount', code: 'custom', message: 'must be above zero' }])
  })
})

describe('unknown keys', () => {
  const TariffSchema = z.strictObject({ label: z.string(), quotients: z.array(z.number()).default([]) })
  const ConfigSchema = z.strictObject({ tariffs: z.array(TariffSchema) })

  it('refuses a misspelt key, naming where it is and the nearest known key', () => {
    const err = thrown(() => parseInput(ConfigSchema, { tariffs: [{ label: 'A', familyQuotients: [1] }] }))
    expect(err.code).toBe('INVALID_INPUT')
    expect(err.details.issues).toEqual([
      { path: 'tariffs.0.familyQuotients', code: 'unrecognized_keys', message: 'unknown key `familyQuotients` at `tariffs[0]`: did you mean `quotients`?' },
    ])
    expect(err.message).toContain('unknown key `familyQuotients` at `tariffs[0]`: did you mean `quotients`?')
  })

  it('lists the known keys when no key is close to the unknown one', () => {
    const err = thrown(() => parseInput(TariffSchema, { label: 'A', zzzzzzzzzzzz: 1 }, 'tariff'))
    expect(err.details.issues[0]!.message).toBe('unknown key `zzzzzzzzzzzz` at `tariff` (known keys: label, quotients)')
  })

  it('refuses a misspelt key of a real billing configuration instead of pricing without quotients', () => {
    const config = { rules: [], services: [], billingOffices: [], pricing: [], beneficiaries: [], familyQuotients: [] }
    const err = thrown(() => parseInput(ChargeConfigSchema, config, 'config'))
    expect(err.details.issues).toEqual([
      { path: 'config.familyQuotients', code: 'unrecognized_keys', message: 'unknown key `familyQuotients` at `config`: did you mean `quotients`?' },
    ])
  })

  it('suggests by edit distance: one letter off is close, an unrelated word is not', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(nearestKey('jointDebtors', ['jointDebtorIds', 'debtors', 'from'])).toBe('jointDebtorIds')
    expect(nearestKey('curency', ['amount', 'currency'])).toBe('currency')
    expect(nearestKey('banana', ['amount', 'currency'])).toBeUndefined()
  })
})

describe('the error catalogue', () => {
  it('describes every code with when it happens and what a caller does', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/)
      expect(entry.when.length, code).toBeGreaterThan(10)
      expect(entry.action.length, code).toBeGreaterThan(5)
    }
  })

  it('is documented in docs/errors.md: every code of the catalogue has its row, and no row names another code', () => {
    const page = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
    const documented = [...page.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort())
  })

  it('narrows an error to one code with isEcoleError(e, code)', () => {
    const e: unknown = EcoleError.invalidInput('x', 'bad')
    expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
    expect(isEcoleError(e, 'NOT_FOUND')).toBe(false)
    expect(isEcoleError({ code: 'INVALID_INPUT' }, 'INVALID_INPUT')).toBe(false)
    if (isEcoleError(e, 'INVALID_INPUT')) {
      expectTypeOf(e.code).toEqualTypeOf<'INVALID_INPUT'>()
      expectTypeOf(e.details).toEqualTypeOf<InvalidInputDetails>()
    }
  })

  it('types codes from the catalogue, so a misspelt code fails to compile', () => {
    expectTypeOf<'INVALID_INPUT'>().toExtend<EcoleErrorCode>()
    expectTypeOf<'USER_EXISTS' | 'ROLE_ABOVE_GRANTER' | 'IDEMPOTENCY_CONFLICT' | 'STORAGE_UNAVAILABLE'>().toExtend<EcoleErrorCode>()
    // @ts-expect-error INVALID_IMPUT is not a code of the catalogue
    expect(() => new EcoleError('INVALID_IMPUT', 'x')).not.toThrow()
    // @ts-expect-error a guard for a code that does not exist does not compile
    expect(isEcoleError(new Error('x'), 'NOPE')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { EcoleError, isEcoleError, parseInput } from './errors'

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
    try {
      parseInput(schema, { name: '', guardians: [{ email: 'not-an-email' }] }, 'household')
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e)).toBe(true)
      const err = e as EcoleError
      expect(err.code).toBe('INVALID_INPUT')
      expect(err.message).toMatch(/^\[ecole\] invalid input for household: /)
      expect(err.message).toContain('household.name:')
      expect(err.message).toContain('household.guardians.0.email:')
      expect((err.details.issues as { path: string }[]).map((i) => i.path)).toEqual(['household.name', 'household.guardians.0.email'])
    }
  })

  it('returns the parsed value when the input is valid', () => {
    expect(parseInput(z.object({ n: z.coerce.number() }), { n: '3' })).toEqual({ n: 3 })
  })
})

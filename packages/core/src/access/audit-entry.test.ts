import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { auditChanges, auditEntry } from './audit-entry'

const base = { id: 'a1', siteId: 's1', at: '2027-01-04T09:00:00+01:00', actor: { kind: 'user' as const, id: 'u1' }, action: 'household.renamed', subject: { kind: 'household', id: 'h1' } }

describe('audit entries', () => {
  it('stores the instant in UTC with milliseconds, whatever offset it was given with', () => {
    expect(auditEntry(base).at).toBe('2027-01-04T08:00:00.000Z')
  })

  it('refuses an entry without an actor id, naming the field', () => {
    try {
      auditEntry({ ...base, actor: { kind: 'user', id: '' } })
      expect.fail('accepted')
    } catch (e) {
      expect(isEcoleError(e) && e.code).toBe('INVALID_INPUT')
      expect(String((e as Error).message)).toContain('actor.id')
    }
  })

  it('refuses an instant without a zone (a local time would depend on the host)', () => {
    expect(() => auditEntry({ ...base, at: '2027-01-04T09:00:00' })).toThrow(/at/)
  })
})

describe('auditChanges', () => {
  it('keeps only the fields that changed, before and after', () => {
    expect(auditChanges({ name: 'Martin', city: 'Créteil' }, { name: 'Martin-Roux', city: 'Créteil' })).toEqual({ before: { name: 'Martin' }, after: { name: 'Martin-Roux' } })
  })

  it('shows a field added as absent before, and a field removed as absent after', () => {
    expect(auditChanges({ a: 1 }, { b: 2 })).toEqual({ before: { a: 1 }, after: { b: 2 } })
  })

  it('compares amounts in minor units (bigints) by value', () => {
    expect(auditChanges({ totalMinor: 100n }, { totalMinor: 100n })).toEqual({ before: {}, after: {} })
  })
})

import { describe, expect, it } from 'vitest'
import { consentApplies } from './consent'

describe('consentApplies on a consent of an unknown scope', () => {
  it('is INVALID_INPUT naming consent.scope.kind, not a silent undefined', () => {
    const consent = { id: 'c', siteId: 's', title: 't', text: 'x', validity: { from: '2026-01-01', to: '2026-12-31' }, scope: { kind: 'school' } } as unknown as Parameters<typeof consentApplies>[0]
    expect(() => consentApplies(consent, { guardianId: 'g', date: '2026-03-02', groupIds: [], subscribedServiceIds: [] })).toThrow(/consent\.scope\.kind: must be 'site', 'groups' or 'services', got "school"/)
  })
})

import { describe, expect, it } from 'vitest'
import { closureImpact } from './closure-impact'
import type { Period } from './period'

const closure: Period = { id: 'p', kind: 'closure', label: 'Fermeture', from: '2026-03-12', to: '2026-03-13', scopes: [{ serviceId: 'canteen', schoolId: 'jaures' }] }
const b = (id: string, date: string, over: object = {}) => ({ id, serviceId: 'canteen', schoolId: 'jaures', classId: 'cp', date: date as `${number}-${number}-${number}`, ...over })

describe('closureImpact', () => {
  it('returns the bookings inside the closure that it would cancel', () => {
    const r = closureImpact(closure, [b('in1', '2026-03-12'), b('in2', '2026-03-13'), b('before', '2026-03-11'), b('after', '2026-03-14')])
    expect(r.cancelled.map((x) => x.id)).toEqual(['in1', 'in2'])
  })

  it('leaves other schools and services alone', () => {
    const r = closureImpact(closure, [b('other-school', '2026-03-12', { schoolId: 'ferry' }), b('other-service', '2026-03-12', { serviceId: 'garderie' })])
    expect(r.cancelled).toEqual([])
  })

  it('lists billed bookings apart instead of cancelling them', () => {
    const r = closureImpact(closure, [b('billed', '2026-03-12', { billed: true })])
    expect(r.cancelled).toEqual([])
    expect(r.billedInside.map((x) => x.id)).toEqual(['billed'])
  })

  it('cancels nothing for an opening', () => {
    expect(closureImpact({ ...closure, kind: 'opening' }, [b('x', '2026-03-12')]).cancelled).toEqual([])
  })
})

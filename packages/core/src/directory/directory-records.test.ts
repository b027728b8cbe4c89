import { describe, expect, it } from 'vitest'
import { addDays, type LocalDate } from '../time'
import { defineInvoiceNumbering } from '../invoicing/numbering'
import { BillingOfficeSchema } from './billing-office'
import { ChildSchema, childSchemaAsOf } from './child'
import { EnrolmentListSchema, findEnrolmentOverlaps } from './enrolment'
import { GuardianSchema } from './guardian'
import { SchoolSchema } from './school'
import { ServiceSchema } from './service'

const child = { id: 'c1', siteId: 's1', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }

describe('guardian and child rules', () => {
  it('refuses a guardian e-mail or phone of the wrong shape', () => {
    const r = GuardianSchema.safeParse({ id: 'g1', siteId: 's1', householdId: 'h1', firstName: 'M', lastName: 'D', email: 'marie@', phone: '12' })
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['email', 'phone'])
  })

  it('accepts French and Belgian phone numbers with dots, spaces and a + prefix', () => {
    for (const phone of ['01.23.45.67.89', '+33 1 23 45 67 89', '0032 2 123 45 67', '+32 (0)2 123 45 67']) {
      expect(GuardianSchema.safeParse({ id: 'g1', siteId: 's1', householdId: 'h1', firstName: 'M', lastName: 'D', phone }).success).toBe(true)
    }
  })

  it('refuses a birth date after today and accepts one on today', () => {
    expect(childSchemaAsOf('2026-09-01').safeParse({ ...child, birthDate: '2026-09-02' }).success).toBe(false)
    expect(childSchemaAsOf('2026-09-01').safeParse({ ...child, birthDate: '2026-09-01' }).success).toBe(true)
  })

  it('refuses a child without a guardian or with the same guardian twice', () => {
    expect(ChildSchema.safeParse({ ...child, guardians: [] }).success).toBe(false)
    expect(ChildSchema.safeParse({ ...child, guardians: [child.guardians[0], child.guardians[0]] }).success).toBe(false)
  })

  it('validates the shape of an INE', () => {
    expect(ChildSchema.safeParse({ ...child, ine: '123456789ab' }).data?.ine).toBe('123456789AB')
    expect(ChildSchema.safeParse({ ...child, ine: '12345' }).success).toBe(false)
  })
})

describe('enrolments of one child', () => {
  const e = (id: string, from: LocalDate, to?: LocalDate, who = 'c1') => ({ id, siteId: 's1', beneficiaryId: who, schoolId: 'sc1', classId: 'cl1', from, to })
  it('may follow each other but not share a day', () => {
    expect(findEnrolmentOverlaps([e('a', '2025-09-01', '2026-07-03'), e('b', '2026-07-04')])).toEqual([])
    expect(findEnrolmentOverlaps([e('b', '2026-07-03'), e('a', '2025-09-01', '2026-07-03')])).toEqual([{ beneficiaryId: 'c1', enrolmentIds: ['a', 'b'] }])
  })
  it('of two different children never conflict', () => {
    expect(findEnrolmentOverlaps([e('a', '2025-09-01'), e('b', '2025-09-01', undefined, 'c2')])).toEqual([])
  })
  it('are refused by the list schema when they overlap, naming the later one', () => {
    const r = EnrolmentListSchema.safeParse([e('a', '2025-09-01'), e('b', '2026-01-05', '2026-02-01')])
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.path).toEqual([1, 'from'])
  })
  it('are refused, naming the field, when the list is not a list of enrolments (a string is not iterated letter by letter)', () => {
    const pathOf = (input: unknown) => {
      try {
        findEnrolmentOverlaps(input as never)
      } catch (err) {
        expect((err as { code?: string }).code).toBe('INVALID_INPUT')
        return (err as { details: { issues: Array<{ path: string }> } }).details.issues[0]?.path
      }
      return undefined
    }
    expect(pathOf('x'.repeat(2_000))).toBe('enrolments')
    expect(pathOf([e('a', '2025-09-01'), null])).toBe('enrolments.1')
    expect(pathOf([{ id: 'a', from: '2025-09-01' }])).toBe('enrolments.0.beneficiaryId')
    expect(pathOf([e('a', '2025-09-01'), e('b', '2025-09-0' as LocalDate)])).toBe('enrolments.1.from')
    expect(pathOf([e('a', '2025-09-01', '2025-08-31')])).toBe('enrolments.0.to')
  })
  it('of two children are never reported together because of a misspelt key (childId for beneficiaryId)', () => {
    const { beneficiaryId: _a, ...a } = e('a', '2025-09-01', undefined, 'c1')
    const { beneficiaryId: _b, ...b } = e('b', '2025-09-01', undefined, 'c2')
    expect(() => findEnrolmentOverlaps([{ ...a, childId: 'c1' }, { ...b, childId: 'c2' }] as never)).toThrow(/enrolments\.0\.beneficiaryId: must be a non-empty string/)
  })
  it('are checked per person in order of start, so 50,000 consecutive enrolments of one child take no quadratic time', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => { const d = addDays('2000-01-01', i); return e(`e${i}`, d, d) })
    expect(findEnrolmentOverlaps(many)).toEqual([])
    expect(findEnrolmentOverlaps([...many, e('x', '2000-01-02', '2000-01-02')])).toEqual([{ beneficiaryId: 'c1', enrolmentIds: ['e1', 'x'] }])
  }, 3_000)
  it('end on or after they start', () => {
    expect(EnrolmentListSchema.safeParse([e('a', '2026-09-01', '2026-08-31')]).success).toBe(false)
  })
})

describe('schools, services and billing offices', () => {
  it('checks the UAI check letter', () => {
    // 751234 = 23 * 32662 + 8, and letter 8 of ABCDEFGHJ... is J
    expect(SchoolSchema.safeParse({ id: 'sc', siteId: 's1', name: 'X', uai: '0751234j' }).data?.uai).toBe('0751234J')
    expect(SchoolSchema.safeParse({ id: 'sc', siteId: 's1', name: 'X', uai: '0010856B' }).success).toBe(false)
  })

  it('bills a service either invoiced or prepaid, nothing else', () => {
    const base = { id: 'meal', siteId: 's1', name: 'Repas', billingOfficeId: 'bo1' }
    expect(ServiceSchema.parse({ ...base, billing: 'prepaid' }).billing).toBe('prepaid')
    expect(ServiceSchema.safeParse({ ...base, billing: 'both' }).success).toBe(false)
    expect(ServiceSchema.safeParse(base).success).toBe(false)
  })

  it('stores the IBAN in electronic form and checks it, with half-up rounding and EUR by default', () => {
    const bo = BillingOfficeSchema.parse({ id: 'bo1', siteId: 's1', name: 'Régie', iban: 'be15 7326 6455 4630', bic: 'gebabebb', paymentReference: 'ogm' })
    expect(bo.iban).toBe('BE15732664554630')
    expect(bo.bic).toBe('GEBABEBB')
    expect(bo.currency).toBe('EUR')
    expect(bo.roundingMode).toBe('halfUp')
    expect(bo.invoiceNumbering).toEqual(defineInvoiceNumbering())
    expect(BillingOfficeSchema.safeParse({ id: 'bo1', siteId: 's1', name: 'R', iban: 'BE15732664554631', paymentReference: 'ogm' }).success).toBe(false)
  })

  it('checks the check digits of the SEPA creditor identifier', () => {
    const base = { id: 'bo1', siteId: 's1', name: 'R', paymentReference: 'rf' }
    expect(BillingOfficeSchema.parse({ ...base, creditorId: 'fr72 zzz 123456' }).creditorId).toBe('FR72ZZZ123456')
    expect(BillingOfficeSchema.safeParse({ ...base, creditorId: 'FR73ZZZ123456' }).success).toBe(false)
  })

  it('needs a segregation code for pagoPA references', () => {
    const r = BillingOfficeSchema.safeParse({ id: 'bo1', siteId: 's1', name: 'R', paymentReference: 'pagoPa' })
    expect(r.error!.issues[0]!.path).toEqual(['pagoPaSegregationCode'])
  })
})

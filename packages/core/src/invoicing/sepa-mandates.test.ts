import { describe, expect, it } from 'vitest'
import { refusal } from '../test-support/refusal'
import { amendSepaMandate, defineSepaMandate, SepaMandateInputSchema } from './sepa-mandates'

// FR76 3000 6000 0112 3456 7890 189 is a valid IBAN; changing its last digit breaks the ISO 7064 check digits
const input = { id: 'm1', siteId: 's', debtorId: 'g1', rum: 'RUM-1', signatureDate: '2026-09-01', debtorName: 'Claire Martin', iban: 'FR7630006000011234567890189' }
const typo = 'FR7630006000011234567890188'

describe('a mandate\'s IBAN is checked as the bank checks it', () => {
  it('refuses a new mandate whose IBAN has wrong check digits, naming mandate.iban', () => {
    const r = refusal(() => defineSepaMandate({ ...input, iban: typo }))
    expect(r).toMatchObject({ code: 'INVALID_INPUT', paths: ['mandate.iban'] })
    expect(r.message).toContain(typo)
  })
  it('refuses it in the exported schema too, so a form shows the error before saving', () => {
    const parsed = SepaMandateInputSchema.safeParse({ ...input, iban: typo })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['iban'])
  })
  it('refuses an IBAN of the wrong length for its country (a Belgian IBAN has 16 characters)', () => {
    expect(refusal(() => defineSepaMandate({ ...input, iban: 'BE7109612345676' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['mandate.iban'] })
  })
  it('still accepts valid IBANs of several countries', () => {
    for (const iban of ['FR7630006000011234567890189', 'BE71096123456769', 'DE89370400440532013000']) expect(defineSepaMandate({ ...input, iban }).iban).toBe(iban)
  })
  it('still refuses an IBAN written with spaces, as before (the electronic form is stored)', () => {
    expect(refusal(() => defineSepaMandate({ ...input, iban: 'FR76 3000 6000 0112 3456 7890 189' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['mandate.iban'] })
  })
  it('refuses an amendment to an IBAN with wrong check digits, naming mandateAmendment.iban, and leaves the mandate as it was', () => {
    const m = defineSepaMandate(input)
    expect(refusal(() => amendSepaMandate(m, { date: '2027-02-01', iban: 'FR7610107001011234567890128' }))).toMatchObject({ code: 'INVALID_INPUT', paths: ['mandateAmendment.iban'] })
    expect(m.iban).toBe(input.iban)
  })
  it('corrects a mandate stored with a wrong IBAN (before IBANs were checked) by an amendment to a valid one', () => {
    const stored = { ...defineSepaMandate(input), iban: typo }
    const fixed = amendSepaMandate(stored, { date: '2027-02-01', iban: 'FR7610107001011234567890129' })
    expect([fixed.iban, fixed.amendments.map((a) => a.originalIban)]).toEqual(['FR7610107001011234567890129', [typo]])
  })
})

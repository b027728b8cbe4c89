import * as z from 'zod'
import { parseInput } from '../errors'
import { asInputError } from '../input-error'
import { getRecord, refuse, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { RecordIdSchema, requiredString } from './fields'
import { GuardianInsuranceSchema, type GuardianInsurance } from './guardian'

/**
 * Schema of an insurance of the site's list (seed 001 "ajouter une assurance"): a label, and
 * whether it is offered when adding an insurance to a guardian.
 *
 * @example
 * InsuranceSchema.parse({ id: 'maif', siteId: 's1', label: 'MAIF', visible: true })
 */
export const InsuranceSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Label. */
  label: requiredString(100),
  /** Offered in the list when adding an insurance to a guardian. */
  visible: z.boolean().default(true),
})
/** An insurance as its form sends it. */
export type InsuranceInput = z.input<typeof InsuranceSchema>
/** An insurance of the site's list. */
export type Insurance = z.output<typeof InsuranceSchema>

/**
 * Adds (or replaces) an insurance on a guardian. Only a visible insurance of the site's list can
 * be chosen (`INSURANCE_HIDDEN` otherwise); an archived guardian's file is read-only
 * (`GUARDIAN_ARCHIVED`).
 *
 * @example
 * setGuardianInsurance(state, [maif], 'g1', { insuranceId: 'maif', policyNumber: 'P-123', validUntil: '2027-08-31' })
 * @throws EcoleError `NOT_FOUND` (guardian, or an insurance not in the list), `INVALID_INPUT`.
 */
export function setGuardianInsurance(
  state: DirectoryState,
  insurances: readonly Insurance[],
  guardianId: string,
  input: z.input<typeof GuardianInsuranceSchema>,
): DirectoryOutcome {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId })
    const entry: GuardianInsurance = parseInput(GuardianInsuranceSchema, input, 'insurance')
    const insurance = getRecord(Object.fromEntries(insurances.map((i) => [i.id, i])), entry.insuranceId, 'insurance')
    if (!insurance.visible) return refuse({ code: 'INSURANCE_HIDDEN', insuranceId: insurance.id })
    const list = [...guardian.insurances.filter((i) => i.insuranceId !== entry.insuranceId), entry]
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardianId]: { ...guardian, insurances: list } } } }
  } catch (error) {
    throw asInputError(error, 'setGuardianInsurance', {
      state: [state, 'object', 'the directory state'],
      insurances: [insurances, 'array', "the site's insurances"],
      guardianId: [guardianId, 'string'],
      input: [input, 'object', "the guardian's insurance"],
    })
  }
}

/**
 * Removes an insurance from a guardian (nothing changes when the guardian does not have it;
 * an archived guardian's file is read-only: `GUARDIAN_ARCHIVED`).
 *
 * @example
 * removeGuardianInsurance(state, 'g1', 'maif').ok //=> true
 * @throws EcoleError `NOT_FOUND` for an unknown guardian, `INVALID_INPUT` when an argument is not of its type.
 */
export function removeGuardianInsurance(state: DirectoryState, guardianId: string, insuranceId: string): DirectoryOutcome {
  try {
    const guardian = getRecord(state.guardians, guardianId, 'guardian')
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId })
    const list = guardian.insurances.filter((i) => i.insuranceId !== insuranceId)
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardianId]: { ...guardian, insurances: list } } } }
  } catch (error) {
    throw asInputError(error, 'removeGuardianInsurance', {
      state: [state, 'object', 'the directory state'],
      guardianId: [guardianId, 'string'],
      insuranceId: [insuranceId, 'string'],
    })
  }
}

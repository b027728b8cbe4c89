import { EcoleError, parseInput } from '../errors'
import { asInputError } from '../input-error'
import { BillingOfficeSchema, type BillingOffice, type BillingOfficeInput } from './billing-office'
import { getRecord, refuse, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { SchoolClassSchema, SchoolSchema, type School, type SchoolClass, type SchoolClassInput, type SchoolInput } from './school'
import { ServiceSchema, type Service, type ServiceInput } from './service'

/** What a `create...` operation did: added the record, or found the same record already there. */
export type CreateResult = 'created' | 'exists'

/** A new school as its form sends it (the site is added by the operation). */
export type NewSchoolInput = Omit<SchoolInput, 'siteId'>
/** A new class as its form sends it (the site is added by the operation). */
export type NewSchoolClassInput = Omit<SchoolClassInput, 'siteId'>
/** A new service as its form sends it (the site is added by the operation). */
export type NewServiceInput = Omit<ServiceInput, 'siteId'>
/** A new billing office as its form sends it (the site is added by the operation). */
export type NewBillingOfficeInput = Omit<BillingOfficeInput, 'siteId'>

// Strict at the boundary: a misspelt field is an error, never silently dropped.
const NewSchool = SchoolSchema.strict()
const NewSchoolClass = SchoolClassSchema.strict()
const NewService = ServiceSchema.strict()
const NewBillingOffice = BillingOfficeSchema.strict()

/** Deep equality of two validated records (plain JSON-like values). */
function sameRecord(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (ka.length !== kb.length) return false
  return ka.every((k) => sameRecord((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/**
 * Adds a validated record to a table, idempotently by id: the same record again is `'exists'`
 * (state unchanged); another record under that id throws `IDEMPOTENCY_CONFLICT`.
 */
function addOnce<T extends { id: string }>(
  table: Readonly<Record<string, T>>,
  record: T,
  what: string,
): { result: CreateResult; table: Readonly<Record<string, T>> } {
  const existing = Object.prototype.hasOwnProperty.call(table, record.id) ? table[record.id] : undefined
  if (existing === undefined) return { result: 'created', table: { ...table, [record.id]: record } }
  if (sameRecord(existing, record)) return { result: 'exists', table }
  throw new EcoleError('IDEMPOTENCY_CONFLICT', `${what} ${JSON.stringify(record.id)} already exists with different content`, {
    details: { what, id: record.id },
  })
}

/**
 * Adds a school (an établissement, a structure) to the directory. Idempotent by id: the same school
 * again answers `'exists'` and changes nothing.
 *
 * @example
 * const r = createSchool(emptyDirectory('s1'), { id: 'jaures', name: 'École Jean Jaurès', uai: '0751234J' })
 * r.ok && r.result //=> 'created'
 * @throws EcoleError `INVALID_INPUT` naming the field (`school.uai`...), or `IDEMPOTENCY_CONFLICT` when
 * another school has this id.
 */
export function createSchool(state: DirectoryState, input: NewSchoolInput): DirectoryOutcome<{ result: CreateResult; schoolId: string }> {
  try {
    const school: School = parseInput(NewSchool, { ...input, siteId: state.siteId }, 'school')
    const { result, table } = addOnce(state.schools, school, 'school')
    return { ok: true, state: result === 'created' ? { ...state, schools: table } : state, result, schoolId: school.id }
  } catch (error) {
    throw asInputError(error, 'createSchool', { state: [state, 'object', 'the directory state'], input: [input, 'object', 'a new school'] })
  }
}

/**
 * Adds a class (or group) to a school of the directory. Idempotent by id.
 *
 * @example
 * const r = createSchoolClass(state, { id: 'cp-a', schoolId: 'jaures', name: 'CP A', levels: ['CP'], schoolYear: '2026-2027' })
 * r.ok && r.result //=> 'created'
 * @throws EcoleError `INVALID_INPUT` naming the field, `NOT_FOUND` for an unknown school, or
 * `IDEMPOTENCY_CONFLICT` when another class has this id.
 */
export function createSchoolClass(state: DirectoryState, input: NewSchoolClassInput): DirectoryOutcome<{ result: CreateResult; classId: string }> {
  try {
    const klass: SchoolClass = parseInput(NewSchoolClass, { ...input, siteId: state.siteId }, 'class')
    getRecord(state.schools, klass.schoolId, 'school')
    const { result, table } = addOnce(state.classes, klass, 'class')
    return { ok: true, state: result === 'created' ? { ...state, classes: table } : state, result, classId: klass.id }
  } catch (error) {
    throw asInputError(error, 'createSchoolClass', { state: [state, 'object', 'the directory state'], input: [input, 'object', 'a new class'] })
  }
}

/**
 * Adds a billing office (a régie) to the directory: its currency, rounding, invoice numbering,
 * creditor id, bank account and payment-reference scheme. Idempotent by id.
 *
 * @example
 * const r = createBillingOffice(state, { id: 'regie', name: 'Régie cantine', paymentReference: 'rf' })
 * r.ok && r.result //=> 'created'
 * @throws EcoleError `INVALID_INPUT` naming the field (`billingOffice.iban`...), or
 * `IDEMPOTENCY_CONFLICT` when another billing office has this id.
 */
export function createBillingOffice(
  state: DirectoryState,
  input: NewBillingOfficeInput,
): DirectoryOutcome<{ result: CreateResult; billingOfficeId: string }> {
  try {
    const office: BillingOffice = parseInput(NewBillingOffice, { ...input, siteId: state.siteId }, 'billingOffice')
    const { result, table } = addOnce(state.billingOffices, office, 'billing office')
    return { ok: true, state: result === 'created' ? { ...state, billingOffices: table } : state, result, billingOfficeId: office.id }
  } catch (error) {
    throw asInputError(error, 'createBillingOffice', { state: [state, 'object', 'the directory state'], input: [input, 'object', 'a new billing office'] })
  }
}

/**
 * Adds a service (a prestation: meal, morning care, study) to the directory. Its billing office and
 * the schools it is offered to must exist; a class it is offered to must belong to that school
 * (refused with `CLASS_NOT_IN_SCHOOL`). Idempotent by id.
 *
 * @example
 * const r = createService(state, { id: 'meal', name: 'Repas', billing: 'invoiced', billingOfficeId: 'regie', offeredTo: [{ schoolId: 'jaures' }] })
 * r.ok && r.result //=> 'created'
 * @throws EcoleError `INVALID_INPUT` naming the field, `NOT_FOUND` for an unknown billing office,
 * school or class, or `IDEMPOTENCY_CONFLICT` when another service has this id.
 */
export function createService(state: DirectoryState, input: NewServiceInput): DirectoryOutcome<{ result: CreateResult; serviceId: string }> {
  try {
    const service: Service = parseInput(NewService, { ...input, siteId: state.siteId }, 'service')
    getRecord(state.billingOffices, service.billingOfficeId, 'billing office')
    for (const offer of service.offeredTo) {
      getRecord(state.schools, offer.schoolId, 'school')
      for (const classId of offer.classIds ?? []) {
        const klass = getRecord(state.classes, classId, 'class')
        if (klass.schoolId !== offer.schoolId) return refuse({ code: 'CLASS_NOT_IN_SCHOOL', classId, schoolId: offer.schoolId })
      }
    }
    const { result, table } = addOnce(state.services, service, 'service')
    return { ok: true, state: result === 'created' ? { ...state, services: table } : state, result, serviceId: service.id }
  } catch (error) {
    throw asInputError(error, 'createService', { state: [state, 'object', 'the directory state'], input: [input, 'object', 'a new service'] })
  }
}

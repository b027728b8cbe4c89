import { parseInput } from '../errors'
import { asInputError } from '../input-error'
import type { Child } from './child'
import { requiredString } from './fields'
import { checkImage, ImageRefSchema, type ImageRef, type ImageRefusal } from './image'
import type { School } from './school'

/** Countries where French establishment rules apply (France and its overseas departments and collectivities). */
export const FRENCH_COUNTRIES: readonly string[] = ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT', 'PM', 'BL', 'MF', 'NC', 'PF', 'WF']

/**
 * Whether a site's country follows the French establishment rules (UAI, INE, CNIL declaration).
 *
 * @example
 * isFrenchCountry('RE') //=> true
 * isFrenchCountry('BE') //=> false
 */
export function isFrenchCountry(country: string): boolean {
  if (typeof country !== 'string') return false
  return FRENCH_COUNTRIES.includes(country.toUpperCase())
}

/** Fields of a French establishment needed before users can be created. */
export type EstablishmentField = 'name' | 'email' | 'uai'

/** Why an establishment operation was refused. */
export type EstablishmentRefusal =
  | { code: 'ESTABLISHMENT_INCOMPLETE'; schoolId: string; missing: EstablishmentField[] }
  | { code: 'CNIL_DECLARATION_MISSING'; schoolId: string }
  | { code: 'TRANSFER_DISABLED'; schoolId: string }
  | { code: 'PUPIL_WITHOUT_INE'; childId: string }
  | { code: 'IMAGE_REFUSED'; use: 'logo' | 'stamp'; reasons: ImageRefusal[] }

/** What an establishment operation returns: the updated school, or the refusal. */
export type EstablishmentOutcome = { ok: true; school: School } | { ok: false; refusal: EstablishmentRefusal }

/**
 * The fields a French establishment still lacks before users can be created (seed 003: name,
 * e-mail and UAI code are required); empty when ready.
 *
 * @example
 * missingEstablishmentFields({ ...school, email: undefined, uai: undefined }) //=> ['email', 'uai']
 */
export function missingEstablishmentFields(school: Pick<School, 'name' | 'email' | 'uai'>): EstablishmentField[] {
  try {
    const missing: EstablishmentField[] = []
    if (!school.name?.trim()) missing.push('name')
    if (!school.email) missing.push('email')
    if (!school.uai) missing.push('uai')
    return missing
  } catch (error) {
    throw asInputError(error, 'missingEstablishmentFields', { school: [school, 'object', 'a school'] })
  }
}

/**
 * Switches pupil-data transfer on (with the establishment's CNIL declaration number, required) or
 * off. Refused with `CNIL_DECLARATION_MISSING` when switching on without a number.
 *
 * @example
 * setPupilTransfer(school, { enabled: true, cnilDeclaration: '1234567' }).ok //=> true
 * setPupilTransfer(school, { enabled: true, cnilDeclaration: '' }) //=> { ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', ... } }
 */
export function setPupilTransfer(school: School, args: { enabled: boolean; cnilDeclaration?: string | undefined }): EstablishmentOutcome {
  try {
    const number = args.cnilDeclaration?.trim() || school.cnilDeclaration
    if (args.enabled && !number) return { ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', schoolId: school.id } }
    return { ok: true, school: { ...school, cnilDeclaration: number, pupilTransferEnabled: args.enabled } }
  } catch (error) {
    throw asInputError(error, 'setPupilTransfer', {
      school: [school, 'object', 'a school'],
      args: [args, 'object', 'the transfer setting ({ enabled, cnilDeclaration? })'],
    })
  }
}

/** A pupil listed because it cannot be transferred (no INE). */
export interface PupilWithoutIne {
  /** The child. */
  childId: string
  /** First name. */
  firstName: string
  /** Last name. */
  lastName: string
}

/** The plan of a pupil-data transfer: who can go, and who is listed because they have no INE. */
export type PupilTransferPlan =
  | { ok: true; transferable: string[]; withoutIne: PupilWithoutIne[] }
  | { ok: false; refusal: EstablishmentRefusal }

/**
 * Which pupils' data an establishment can transfer (seed 003): nothing without the CNIL
 * declaration number (`CNIL_DECLARATION_MISSING`) and transfer switched on (`TRANSFER_DISABLED`);
 * pupils without an INE are never transferred and are listed instead.
 *
 * @example
 * planPupilTransfer(school, [lea, tom]) //=> { ok: true, transferable: ['lea'], withoutIne: [{ childId: 'tom', firstName: 'Tom', lastName: 'Martin' }] }
 */
export function planPupilTransfer(school: School, pupils: readonly Pick<Child, 'id' | 'firstName' | 'lastName' | 'ine'>[]): PupilTransferPlan {
  try {
    if (!school.cnilDeclaration) return { ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', schoolId: school.id } }
    if (!school.pupilTransferEnabled) return { ok: false, refusal: { code: 'TRANSFER_DISABLED', schoolId: school.id } }
    const transferable: string[] = []
    const withoutIne: PupilWithoutIne[] = []
    for (const p of pupils) {
      if (p.ine) transferable.push(p.id)
      else withoutIne.push({ childId: p.id, firstName: p.firstName, lastName: p.lastName })
    }
    return { ok: true, transferable, withoutIne }
  } catch (error) {
    throw asInputError(error, 'planPupilTransfer', { school: [school, 'object', 'a school'], pupils: [pupils, 'array', 'the pupils'] })
  }
}

/**
 * Whether one pupil's data may be transferred: refused without the CNIL declaration, with
 * transfer off, or for a pupil without an INE (`PUPIL_WITHOUT_INE`).
 *
 * @example
 * checkPupilTransfer(school, { id: 'tom', ine: undefined }) //=> { ok: false, refusal: { code: 'PUPIL_WITHOUT_INE', childId: 'tom' } }
 */
export function checkPupilTransfer(school: School, pupil: Pick<Child, 'id' | 'ine'>): { ok: true } | { ok: false; refusal: EstablishmentRefusal } {
  try {
    if (!school.cnilDeclaration) return { ok: false, refusal: { code: 'CNIL_DECLARATION_MISSING', schoolId: school.id } }
    if (!school.pupilTransferEnabled) return { ok: false, refusal: { code: 'TRANSFER_DISABLED', schoolId: school.id } }
    if (!pupil.ine) return { ok: false, refusal: { code: 'PUPIL_WITHOUT_INE', childId: pupil.id } }
    return { ok: true }
  } catch (error) {
    throw asInputError(error, 'checkPupilTransfer', { school: [school, 'object', 'a school'], pupil: [pupil, 'object', 'a pupil ({ id, ine? })'] })
  }
}

/**
 * Sets a diploma's input labels (seed 003 "masques de saisie"), merged over its existing overrides.
 *
 * @example
 * setDiplomaLabels(school, 'cap-cuisine', { activity: 'Situation professionnelle' }).labelOverrides
 * //=> { 'cap-cuisine': { activity: 'Situation professionnelle' } }
 * @throws EcoleError `INVALID_INPUT` for an empty label.
 */
export function setDiplomaLabels(school: School, diplomaId: string, labels: Readonly<Record<string, string>>): School {
  try {
    const checked: Record<string, string> = {}
    for (const [field, label] of Object.entries(labels)) checked[field] = parseInput(requiredString(200), label, `labelOverrides.${diplomaId}.${field}`)
    return { ...school, labelOverrides: { ...school.labelOverrides, [diplomaId]: { ...school.labelOverrides[diplomaId], ...checked } } }
  } catch (error) {
    throw asInputError(error, 'setDiplomaLabels', {
      school: [school, 'object', 'a school'],
      diplomaId: [diplomaId, 'string'],
      labels: [labels, 'object', 'the labels by field'],
    })
  }
}

/**
 * Resets a diploma's labels to the defaults (all of them, or only the listed fields).
 *
 * @example
 * resetDiplomaLabels(school, 'cap-cuisine').labelOverrides['cap-cuisine'] //=> undefined
 */
export function resetDiplomaLabels(school: School, diplomaId: string, fields?: readonly string[]): School {
  try {
    const { [diplomaId]: current, ...others } = school.labelOverrides
    if (current === undefined) return school
    if (fields === undefined) return { ...school, labelOverrides: others }
    const kept = Object.fromEntries(Object.entries(current).filter(([k]) => !fields.includes(k)))
    return { ...school, labelOverrides: Object.keys(kept).length > 0 ? { ...others, [diplomaId]: kept } : others }
  } catch (error) {
    throw asInputError(error, 'resetDiplomaLabels', {
      school: [school, 'object', 'a school'],
      diplomaId: [diplomaId, 'string'],
      fields: [fields, 'array?', 'the fields to reset'],
    })
  }
}

/**
 * The label of a field for a diploma: the override when set, else the default.
 *
 * @example
 * diplomaLabel(school, 'cap-cuisine', 'activity', 'Activité') //=> 'Situation professionnelle'
 */
export function diplomaLabel(school: Pick<School, 'labelOverrides'>, diplomaId: string, field: string, defaultLabel: string): string {
  try {
    return school.labelOverrides[diplomaId]?.[field] ?? defaultLabel
  } catch (error) {
    throw asInputError(error, 'diplomaLabel', {
      school: [school, 'object', 'a school'],
      diplomaId: [diplomaId, 'string'],
      field: [field, 'string'],
      defaultLabel: [defaultLabel, 'string'],
    })
  }
}

/**
 * Sets an establishment's logo or stamp, checked against `IMAGE_LIMITS` (type and size);
 * `IMAGE_REFUSED` lists every reason.
 *
 * @example
 * setSchoolImage(school, 'stamp', { key: 'k', mediaType: 'image/svg+xml', sizeBytes: 1000 }).ok //=> false
 * @throws EcoleError `INVALID_INPUT` for a malformed image reference.
 */
export function setSchoolImage(school: School, use: 'logo' | 'stamp', image: ImageRef): EstablishmentOutcome {
  const ref = parseInput(ImageRefSchema, image, use)
  const reasons = checkImage(use === 'logo' ? 'schoolLogo' : 'schoolStamp', ref)
  if (reasons.length > 0) return { ok: false, refusal: { code: 'IMAGE_REFUSED', use, reasons } }
  return { ok: true, school: { ...school, [use]: ref } }
}

/**
 * Removes an establishment's logo or stamp.
 *
 * @example
 * removeSchoolImage(school, 'logo').logo //=> null
 */
export function removeSchoolImage(school: School, use: 'logo' | 'stamp'): School {
  try {
    return { ...school, [use]: null }
  } catch (error) {
    throw asInputError(error, 'removeSchoolImage', { school: [school, 'object', 'a school'], use: [use, 'string', "'logo' or 'stamp'"] })
  }
}

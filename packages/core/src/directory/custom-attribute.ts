import * as z from 'zod'
import { getRecord, refuse, type DirectoryOutcome, type DirectoryState } from './directory-state'
import { RecordIdSchema, requiredString } from './fields'
import { asInputError } from '../input-error'

/**
 * Schema of a site-defined attribute ("critère", seed 001): a label, whether it describes children
 * or guardians, and its allowed values (distinct, at least one).
 *
 * @example
 * CustomAttributeSchema.parse({ id: 'diet', siteId: 's1', label: 'Régime', appliesTo: 'child', allowedValues: ['standard', 'sans porc', 'végétarien'] })
 */
export const CustomAttributeSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Label shown in forms and filters. */
  label: requiredString(100),
  /** Whether it describes children or guardians. */
  appliesTo: z.enum(['child', 'guardian']),
  /** The values a person may have. */
  allowedValues: z
    .array(requiredString(100))
    .min(1, 'must list at least one value')
    .refine((vs) => new Set(vs).size === vs.length, { message: 'must not list a value twice' }),
})
/** A custom attribute as its form sends it. */
export type CustomAttributeInput = z.input<typeof CustomAttributeSchema>
/** A custom attribute. */
export type CustomAttribute = z.output<typeof CustomAttributeSchema>

/**
 * Sets (or, with `null`, clears) a custom attribute of a child or a guardian. Refused with
 * `ATTRIBUTE_NOT_APPLICABLE` when the attribute describes the other kind of person, and with
 * `ATTRIBUTE_VALUE_NOT_ALLOWED` for a value not in its list; an archived guardian's file is
 * read-only (`GUARDIAN_ARCHIVED`).
 *
 * @example
 * setAttributeValue(state, diet, { kind: 'child', id: 'c1' }, 'végétarien').ok //=> true
 * setAttributeValue(state, diet, { kind: 'child', id: 'c1' }, 'vegan') //=> { ok: false, refusal: { code: 'ATTRIBUTE_VALUE_NOT_ALLOWED', ... } }
 * @throws EcoleError `NOT_FOUND` for an unknown person, `INVALID_INPUT` when an argument is not of its type.
 */
export function setAttributeValue(
  state: DirectoryState,
  attribute: CustomAttribute,
  person: { kind: 'child' | 'guardian'; id: string },
  value: string | null,
): DirectoryOutcome {
  try {
    if (attribute.appliesTo !== person.kind) return refuse({ code: 'ATTRIBUTE_NOT_APPLICABLE', attributeId: attribute.id, appliesTo: attribute.appliesTo })
    if (value !== null && !attribute.allowedValues.includes(value)) {
      return refuse({ code: 'ATTRIBUTE_VALUE_NOT_ALLOWED', attributeId: attribute.id, value, allowed: [...attribute.allowedValues] })
    }
    const apply = (attrs: Readonly<Record<string, string>>): Record<string, string> => {
      const next = { ...attrs }
      if (value === null) delete next[attribute.id]
      else next[attribute.id] = value
      return next
    }
    if (person.kind === 'child') {
      const child = getRecord(state.children, person.id, 'child')
      return { ok: true, state: { ...state, children: { ...state.children, [child.id]: { ...child, attributes: apply(child.attributes) } } } }
    }
    const guardian = getRecord(state.guardians, person.id, 'guardian')
    if (guardian.archived !== null) return refuse({ code: 'GUARDIAN_ARCHIVED', guardianId: guardian.id })
    return { ok: true, state: { ...state, guardians: { ...state.guardians, [guardian.id]: { ...guardian, attributes: apply(guardian.attributes) } } } }
  } catch (error) {
    throw asInputError(error, 'setAttributeValue', {
      state: [state, 'object', 'the directory state'],
      attribute: [attribute, 'object', 'a custom attribute'],
      person: [person, 'object', 'a person ({ kind, id })'],
      value: [value, 'any', 'an allowed value or null'],
    })
  }
}

/** A stored attribute value that no longer fits its attribute. */
export interface AttributeValueProblem {
  /** The attribute id. */
  attributeId: string
  /** The stored value. */
  value: string
  /** Why: unknown attribute, wrong kind of person, or a value not (or no longer) allowed. */
  code: 'UNKNOWN_ATTRIBUTE' | 'ATTRIBUTE_NOT_APPLICABLE' | 'ATTRIBUTE_VALUE_NOT_ALLOWED'
}

/**
 * Checks a person's stored attribute values against the site's attributes (after an attribute's
 * values were edited, for instance); empty when all fit.
 *
 * @example
 * checkAttributeValues({ diet: 'vegan' }, 'child', [diet]) //=> [{ attributeId: 'diet', value: 'vegan', code: 'ATTRIBUTE_VALUE_NOT_ALLOWED' }]
 */
export function checkAttributeValues(
  values: Readonly<Record<string, string>>,
  kind: 'child' | 'guardian',
  attributes: readonly CustomAttribute[],
): AttributeValueProblem[] {
  try {
    const byId = new Map(attributes.map((a) => [a.id, a]))
    const problems: AttributeValueProblem[] = []
    for (const [attributeId, value] of Object.entries(values)) {
      const a = byId.get(attributeId)
      if (!a) problems.push({ attributeId, value, code: 'UNKNOWN_ATTRIBUTE' })
      else if (a.appliesTo !== kind) problems.push({ attributeId, value, code: 'ATTRIBUTE_NOT_APPLICABLE' })
      else if (!a.allowedValues.includes(value)) problems.push({ attributeId, value, code: 'ATTRIBUTE_VALUE_NOT_ALLOWED' })
    }
    return problems
  } catch (error) {
    throw asInputError(error, 'checkAttributeValues', {
      values: [values, 'object', 'the stored attribute values'],
      kind: [kind, 'string', "'child' or 'guardian'"],
      attributes: [attributes, 'array', "the site's custom attributes"],
    })
  }
}

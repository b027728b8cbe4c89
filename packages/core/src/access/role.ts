import * as z from 'zod'
import { RecordIdSchema, optionalString, requiredString } from '../directory/fields'
import { asInputError } from '../input-error'
import { PermissionSchema, type Permission } from './permission'

/**
 * Schema of a role: a label, a description, and permissions of the catalogue (each once).
 *
 * @example
 * RoleSchema.parse({ id: 'cashier', siteId: 's1', label: 'Régisseur', permissions: ['invoices.read', 'payments.write'] })
 */
export const RoleSchema = z.strictObject({
  id: RecordIdSchema,
  siteId: RecordIdSchema,
  /** Label. */
  label: requiredString(100),
  /** Description. */
  description: optionalString(500),
  /** Permissions granted. */
  permissions: z
    .array(PermissionSchema)
    .default([])
    .transform((ps) => [...new Set(ps)]),
})
/** A role as its form sends it. */
export type RoleInput = z.input<typeof RoleSchema>
/** A role. */
export type Role = z.output<typeof RoleSchema>

/**
 * The role with a permission added (once).
 *
 * @example
 * grantPermission(role, 'invoices.validate').permissions.includes('invoices.validate') //=> true
 */
export function grantPermission(role: Role, permission: Permission): Role {
  try {
    return role.permissions.includes(permission) ? role : { ...role, permissions: [...role.permissions, permission] }
  } catch (error) {
    throw asInputError(error, 'grantPermission', { role: [role, 'object', 'a role'], permission: [permission, 'string', 'a permission'] })
  }
}

/**
 * The role without a permission.
 *
 * @example
 * revokePermission(role, 'invoices.validate').permissions.includes('invoices.validate') //=> false
 */
export function revokePermission(role: Role, permission: Permission): Role {
  try {
    return { ...role, permissions: role.permissions.filter((p) => p !== permission) }
  } catch (error) {
    throw asInputError(error, 'revokePermission', { role: [role, 'object', 'a role'], permission: [permission, 'string', 'a permission'] })
  }
}

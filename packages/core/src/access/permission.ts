import { describeValue } from '../describe-value'
import { EcoleError } from '../errors'
import * as z from 'zod'

/**
 * The permission catalogue, grouped by category as the role screen lists them (seed 001
 * "Rôles - permissions"): category -> permission -> label. A role holds a subset of these.
 */
export const PERMISSION_CATALOGUE = {
  households: {
    'households.read': 'See households, guardians and children',
    'households.write': 'Create and edit households, guardians and children',
    'households.archive': 'Archive and unarchive guardians and children',
    'enrolments.write': 'Enrol children and open service rights',
  },
  bookings: {
    'bookings.read': 'See bookings',
    'bookings.write': 'Book and cancel',
    'attendance.write': 'Record attendance',
  },
  billing: {
    'billingRules.write': 'Edit billing rules',
    'invoices.read': 'See invoices',
    'invoices.write': 'Create invoice batches and drafts, adjust drafts',
    'invoices.validate': 'Validate invoices',
    'payments.write': 'Record payments, deposits and direct-debit returns',
    'wallets.read': 'See prepaid balances',
    'wallets.credit': 'Credit prepaid accounts',
  },
  messaging: {
    'messages.send': 'Send messages to families',
    'documents.write': 'Add and remove documents',
    'consents.write': 'Manage consents',
  },
  settings: {
    'settings.site': 'Edit the site settings (SMTP, licence, portal texts)',
    'settings.services': 'Edit services, periods and calendars',
    'settings.establishment': 'Edit the establishment (UAI, CNIL, logo, stamp, labels)',
    'pupils.transfer': 'Transfer pupil data to another establishment',
  },
  permissions: {
    'roles.write': 'Manage roles and permissions',
    'users.write': 'Manage users',
    'portal.accounts': 'Create and delete parent-portal logins',
    'inspector.grant': 'Open an inspector access (head-teacher profile only)',
    'audit.read': 'See the audit trail (who changed what, when, before and after)',
  },
} as const

/** A category of the permission catalogue. */
export type PermissionCategory = keyof typeof PERMISSION_CATALOGUE

/** A permission of the catalogue, e.g. `invoices.validate`. */
export type Permission = { [C in PermissionCategory]: keyof (typeof PERMISSION_CATALOGUE)[C] }[PermissionCategory]

/** Every permission of the catalogue, in catalogue order. */
export const PERMISSIONS: readonly Permission[] = Object.values(PERMISSION_CATALOGUE).flatMap((c) => Object.keys(c) as Permission[])

/**
 * Whether `value` is a permission of the catalogue.
 *
 * @example
 * isPermission('invoices.validate') //=> true
 * isPermission('invoices.delete') //=> false
 */
export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value)
}

/**
 * Schema of a permission name.
 *
 * @example
 * PermissionSchema.parse('bookings.write') //=> 'bookings.write'
 */
export const PermissionSchema = z.string().refine(isPermission, { message: 'is not a permission of the catalogue' }) as unknown as z.ZodType<Permission, string>

/**
 * The category a permission is listed under.
 *
 * @example
 * permissionCategory('payments.write') //=> 'billing'
 */
export function permissionCategory(permission: Permission): PermissionCategory {
  for (const [category, perms] of Object.entries(PERMISSION_CATALOGUE)) {
    if (typeof permission === 'string' && Object.hasOwn(perms, permission)) return category as PermissionCategory
  }
  throw EcoleError.invalidInput('permission', `${describeValue(permission)} is not a permission of the catalogue`)
}

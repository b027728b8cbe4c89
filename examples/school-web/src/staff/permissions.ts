/**
 * The back office's one gate: every screen and every action names a {@link StaffAction}, and
 * {@link authorize} asks the library's `can()` whether the signed-in actor may do it on the school
 * and service concerned. A refusal says which permission is missing (or that the school or service
 * is outside the user's scope), so the page can tell the user exactly why.
 */
import { can, PERMISSIONS, type AccessScope, type Actor, type Permission, type RoleInput, type UserScope } from '@ecole/core'

/** What a staff user does on a screen, and the permission it takes. */
export const STAFF_ACTIONS = {
  'households.list': 'households.read',
  'households.view': 'households.read',
  'households.create': 'households.write',
  'households.rename': 'households.write',
  'guardians.move': 'households.write',
  'guardians.archive': 'households.archive',
  'children.archive': 'households.archive',
  'children.enrol': 'enrolments.write',
  'children.subscribe': 'enrolments.write',
  'bookings.view': 'bookings.read',
  'bookings.weekTemplate': 'bookings.write',
  'bookings.staffBook': 'bookings.write',
  'attendance.take': 'attendance.write',
  'billingRules.edit': 'billingRules.write',
  'invoices.list': 'invoices.read',
  'invoices.view': 'invoices.read',
  'invoices.createBatch': 'invoices.write',
  'invoices.adjustDraft': 'invoices.write',
  'invoices.editDrafts': 'invoices.write',
  'invoices.deleteDrafts': 'invoices.write',
  'invoices.validate': 'invoices.validate',
  'invoices.creditNote': 'invoices.validate',
  'payments.record': 'payments.write',
  'deposits.manage': 'payments.write',
  'directDebits.return': 'payments.write',
  'bank.import': 'payments.write',
  'wallets.view': 'wallets.read',
  'wallets.credit': 'wallets.credit',
  'messages.send': 'messages.send',
  'documents.add': 'documents.write',
  'consents.manage': 'consents.write',
  'site.edit': 'settings.site',
  'periods.edit': 'settings.services',
  // what a day costs (tariffs.tsx): the tariffs seen by whoever sees invoices, set by whoever edits services; a guardian's family quotient
  'tariffs.view': 'invoices.read',
  'tariffs.edit': 'settings.services',
  'quotients.edit': 'households.write',
  'establishment.edit': 'settings.establishment',
  'roles.manage': 'roles.write',
  'users.manage': 'users.write',
  'portal.accounts': 'portal.accounts',
  'audit.view': 'audit.read',
  'purchases.list': 'invoices.read',
  // the money procedures (batches.tsx, bank.tsx, reminders.tsx, accounts.tsx)
  'directDebits.collect': 'payments.write',
  'reminders.list': 'invoices.read',
  'reminders.send': 'invoices.write',
  'taxCertificates.issue': 'documents.write',
  'accounts.view': 'wallets.read',
  // the people screens (households.tsx, enrolments.tsx, billing-rules.tsx, attendance.tsx)
  'guardians.edit': 'households.write',
  'guardians.mandate': 'payments.write',
  'children.move': 'households.write',
  // a child's or a guardian's criteria (person-criteria.tsx)
  'people.criteria': 'households.write',
  // the establishment screen (establishment.tsx, seed 003): the transfer switch, its log, pupils without INE
  'pupils.transfer': 'pupils.transfer',
  // the administration screens (issue 18, staffadmin): mail accounts (mail.tsx, seed 002)
  'mail.personal': 'messages.send',
  'mail.accounts': 'settings.site',
  // the establishment's inspector access (establishment-extras.tsx, seed 003)
  'inspector.open': 'inspector.grant',
  // messages and portal logins (issue 18, staffmsg): messages.tsx, portal-logins.tsx
  'messages.list': 'messages.send',
  'messages.deliveries': 'messages.send',
  'portal.status': 'portal.accounts',
  // invoice folders (invoice-folders.tsx, staffmsg)
  'invoiceFolders.view': 'invoices.read',
  'invoiceFolders.manage': 'invoices.write',
  'invoices.file': 'invoices.write',
  'invoices.portalDate': 'invoices.write',
  // documents of the families and groups, info sheets, logo and stamp (documents.tsx, site-images.tsx, info-sheets.tsx: staffdocs)
  'documents.list': 'documents.write',
  'documents.delete': 'documents.write',
  'infoSheets.print': 'households.read',
  'images.siteLogo': 'settings.site',
  'images.school': 'settings.establishment',
} as const satisfies Record<string, Permission>

/** A back-office action. */
export type StaffAction = keyof typeof STAFF_ACTIONS

/** Every back-office action, in table order. */
export const STAFF_ACTION_NAMES = Object.keys(STAFF_ACTIONS) as StaffAction[]

/** Why {@link authorize} said no. */
export type StaffRefusal =
  | { code: 'PERMISSION_MISSING'; action: StaffAction; permission: Permission }
  | { code: 'OUT_OF_SCOPE'; action: StaffAction; permission: Permission; schoolId?: string | undefined; serviceId?: string | undefined }

/**
 * Whether `actor` may do `action` on `scope` (the library's `can()`), and if not, why: the
 * permission the role lacks, or the school / service outside the user's scope.
 */
export function authorize(actor: Actor, action: StaffAction, scope: AccessScope): { ok: true } | { ok: false; refusal: StaffRefusal } {
  const permission: Permission = STAFF_ACTIONS[action]
  if (can(actor, permission, scope)) return { ok: true }
  if (actor.siteId !== scope.siteId || !actor.permissions.includes(permission)) {
    return { ok: false, refusal: { code: 'PERMISSION_MISSING', action, permission } }
  }
  return { ok: false, refusal: { code: 'OUT_OF_SCOPE', action, permission, schoolId: scope.schoolId, serviceId: scope.serviceId } }
}

/** The roles of the demo school (seed 001 "Rôles - permissions"), by id. */
export const DEMO_ROLES: Record<'admin' | 'regisseur' | 'secretariat' | 'animateur' | 'direction', Omit<RoleInput, 'siteId'>> = {
  admin: { id: 'admin', label: 'Administrateur', description: 'Tout le logiciel', permissions: [...PERMISSIONS] },
  regisseur: {
    id: 'regisseur', label: 'Régisseur', description: 'Factures, paiements, dépôts, prépaiement',
    permissions: ['households.read', 'bookings.read', 'invoices.read', 'invoices.write', 'invoices.validate', 'payments.write', 'wallets.read', 'wallets.credit', 'billingRules.write', 'documents.write', 'messages.send'],
  },
  secretariat: {
    id: 'secretariat', label: 'Secrétariat', description: 'Familles, inscriptions, réservations, messages',
    permissions: ['households.read', 'households.write', 'households.archive', 'enrolments.write', 'bookings.read', 'bookings.write', 'billingRules.write', 'invoices.read', 'messages.send', 'documents.write', 'portal.accounts'],
  },
  animateur: {
    id: 'animateur', label: 'Animateur', description: 'Présences de ses classes et prestations',
    permissions: ['households.read', 'bookings.read', 'attendance.write'],
  },
  direction: {
    id: 'direction', label: 'Direction', description: "Paramètres de l'établissement, accès inspecteur",
    permissions: ['households.read', 'invoices.read', 'settings.establishment', 'pupils.transfer', 'inspector.grant', 'settings.services', 'settings.site', 'consents.write', 'audit.read'],
  },
}

/** A role id of the demo. */
export type DemoRoleId = keyof typeof DEMO_ROLES

/** The demo's staff users: one per role, the animateur tied to one school and one service. */
export const DEMO_STAFF: ReadonlyArray<{ id: string; login: string; firstName: string; lastName: string; roleId: DemoRoleId; profile: 'administrator' | 'headTeacher' | 'staff'; scope: UserScope }> = [
  { id: 'u-bo-admin', login: 'bo-admin@jaures.example', firstName: 'Alice', lastName: 'Administratrice', roleId: 'admin', profile: 'administrator', scope: { schoolIds: 'all', serviceIds: 'all' } },
  { id: 'u-bo-regisseur', login: 'regisseur@jaures.example', firstName: 'Rémi', lastName: 'Régisseur', roleId: 'regisseur', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' } },
  { id: 'u-bo-secretariat', login: 'secretariat@jaures.example', firstName: 'Sophie', lastName: 'Secrétaire', roleId: 'secretariat', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' } },
  { id: 'u-bo-animateur', login: 'animateur@jaures.example', firstName: 'Antoine', lastName: 'Animateur', roleId: 'animateur', profile: 'staff', scope: { schoolIds: ['ecole-jaures'], serviceIds: ['garderie'] } },
  { id: 'u-bo-direction', login: 'direction@jaures.example', firstName: 'Danielle', lastName: 'Directrice', roleId: 'direction', profile: 'headTeacher', scope: { schoolIds: 'all', serviceIds: 'all' } },
]

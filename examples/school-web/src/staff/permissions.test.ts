import { actorOf, RoleSchema, UserSchema, type Actor } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { authorize, DEMO_ROLES, DEMO_STAFF, STAFF_ACTION_NAMES, STAFF_ACTIONS, type DemoRoleId, type StaffAction } from './permissions'

const SITE = 'demo-creteil'

function actor(roleId: DemoRoleId): Actor {
  const staff = DEMO_STAFF.find((u) => u.roleId === roleId)!
  const user = UserSchema.parse({ ...staff, siteId: SITE })
  return actorOf(user, RoleSchema.parse({ ...DEMO_ROLES[roleId], siteId: SITE }))
}

// The table of roles x actions, written out by hand from the role descriptions (not derived from
// the roles' permission lists): what each demo role may do on the whole site.
const ALLOWED: Record<DemoRoleId, StaffAction[] | 'all'> = {
  admin: 'all',
  regisseur: [
    'households.list', 'households.view', 'bookings.view', 'billingRules.edit', 'invoices.list', 'invoices.view', 'invoices.createBatch', 'invoices.adjustDraft',
    'invoices.editDrafts', 'invoices.deleteDrafts', 'invoices.validate', 'invoices.creditNote', 'payments.record', 'deposits.manage', 'directDebits.return',
    'bank.import', 'wallets.view', 'wallets.credit', 'messages.send', 'documents.add',
    'purchases.list',
    'directDebits.collect', 'reminders.list', 'reminders.send', 'taxCertificates.issue', 'accounts.view',
    'guardians.mandate',
    'mail.personal',
    'tariffs.view',
    'messages.list', 'messages.deliveries',
    'invoiceFolders.view', 'invoiceFolders.manage', 'invoices.file', 'invoices.portalDate',
    'documents.list', 'documents.delete', 'infoSheets.print',
  ],
  secretariat: [
    'households.list', 'households.view', 'households.create', 'households.rename', 'guardians.move', 'guardians.archive', 'children.archive', 'children.enrol',
    'children.subscribe', 'bookings.view', 'bookings.weekTemplate', 'bookings.staffBook', 'billingRules.edit', 'invoices.list', 'invoices.view', 'messages.send', 'documents.add', 'portal.accounts',
    'purchases.list',
    'reminders.list', 'taxCertificates.issue',
    'guardians.edit', 'children.move', 'people.criteria',
    'mail.personal',
    'tariffs.view', 'quotients.edit',
    'messages.list', 'messages.deliveries', 'portal.status',
    'invoiceFolders.view',
    'documents.list', 'documents.delete', 'infoSheets.print',
  ],
  animateur: [],
  direction: ['households.list', 'households.view', 'invoices.list', 'invoices.view', 'establishment.edit', 'periods.edit', 'site.edit', 'consents.manage', 'audit.view',
    'purchases.list', 'reminders.list',
    'pupils.transfer',
    'mail.accounts',
    'inspector.open',
    'tariffs.view', 'tariffs.edit',
    'invoiceFolders.view',
    'infoSheets.print', 'images.siteLogo', 'images.school'],
}

describe('the roles x actions table of the back office', () => {
  for (const roleId of Object.keys(ALLOWED) as DemoRoleId[]) {
    for (const action of STAFF_ACTION_NAMES) {
      const expected = ALLOWED[roleId] === 'all' || (ALLOWED[roleId] as StaffAction[]).includes(action)
      it(`${roleId} ${expected ? 'may' : 'may not'} ${action} on the whole site`, () => {
        const r = authorize(actor(roleId), action, { siteId: SITE })
        expect(r.ok).toBe(expected)
        // a refusal names the permission the action takes
        if (!r.ok) expect(r.refusal.permission).toBe(STAFF_ACTIONS[action])
      })
    }
  }
})

describe('refusals name what is missing', () => {
  it('a cashier refused the household form is told the permission households.write is missing', () => {
    const r = authorize(actor('regisseur'), 'households.create', { siteId: SITE })
    expect(r).toEqual({ ok: false, refusal: { code: 'PERMISSION_MISSING', action: 'households.create', permission: 'households.write' } })
  })

  it('an actor of another site is refused everything, even as administrator', () => {
    for (const action of STAFF_ACTION_NAMES) expect(authorize(actor('admin'), action, { siteId: 'another-site' }).ok).toBe(false)
  })
})

describe('users are scoped to their schools and services (seed 001: a user is tied to a structure and its services)', () => {
  it('the animateur takes attendance for the after-school care of their school', () => {
    expect(authorize(actor('animateur'), 'attendance.take', { siteId: SITE, schoolId: 'ecole-jaures', serviceId: 'garderie' }).ok).toBe(true)
  })

  it('the animateur may not take attendance for the canteen, and is told it is outside their scope', () => {
    const r = authorize(actor('animateur'), 'attendance.take', { siteId: SITE, schoolId: 'ecole-jaures', serviceId: 'cantine' })
    expect(r).toEqual({ ok: false, refusal: { code: 'OUT_OF_SCOPE', action: 'attendance.take', permission: 'attendance.write', schoolId: 'ecole-jaures', serviceId: 'cantine' } })
  })

  it('the animateur may not take attendance in another school', () => {
    expect(authorize(actor('animateur'), 'attendance.take', { siteId: SITE, schoolId: 'ecole-ferry', serviceId: 'garderie' }).ok).toBe(false)
  })

  it('an action on the whole site needs a user tied to every school and service', () => {
    expect(authorize(actor('animateur'), 'households.list', { siteId: SITE }).ok).toBe(false)
    expect(authorize(actor('animateur'), 'households.list', { siteId: SITE, schoolId: 'ecole-jaures', serviceId: 'garderie' }).ok).toBe(true)
  })
})

/**
 * Roles and users of the back office (seed 001, « Rôles - permissions » and « Utilisateurs »):
 *
 * - `/staff/admin/roles`: the site's roles; a role's label, description and permissions ticked by
 *   category (`PERMISSION_CATALOGUE`), saved with `RoleSchema` (`roles.write`, action
 *   `roles.manage`). No one grants a permission they do not hold themselves, nor takes
 *   `roles.write` away from their own role; a role still given to users is not deleted (they are
 *   named).
 * - `/staff/admin/users`: the users a page at a time; a user's name, login (e-mail), role, profile,
 *   the structures (schools) and services they are tied to and the messaging they may use, created
 *   with `createUser` and changed with `updateUser` (`users.write`, action `users.manage`): the
 *   library refuses a scope beyond the granter's own (`scopeWithin`), a role with permissions the
 *   granter lacks, a profile above theirs, a login taken, and (in France) an establishment without
 *   its e-mail and UAI. Each refusal is said in the user's language.
 *
 * Every change goes into the audit trail; destructive actions ask for a confirmation first.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  checkNewPassword, createUser, isEcoleError, MESSAGING_CHANNELS, parseInput, PERMISSION_CATALOGUE, RoleSchema, STAFF_PROFILES, updateUser,
  type Actor, type Permission, type PermissionCategory, type Role, type User, type UserContext, type UserInput, type UserRefusal,
} from '@ecole/core'
import type { AccessStore, DirectoryStore, StoragePortSet } from '@ecole/core/ports'
import { deleteRoleEdit, deleteUserEdit, hashPassword, lockStaffRole, staffEditVersion, saveRoleEdit, saveUserEdit } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t, type Lang } from '../i18n'
import { CsrfField } from '../views/layout'
import { html } from '../views/render'
import { CheckedField, ErrorSummary, fieldErrorsOf, type FieldErrors } from './field-errors'
import { CheckboxFieldset, Choice, formValues } from './form-fields'
import { page, readAll } from '../read-all'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, Pager, refused } from './routes'
import { pageSizeOf } from './staff-billing'
import { recordStaffChanges, staffDiff } from './staff-audit'
import { checkRoleChange } from './role-grants'

const ROLES = '/staff/admin/roles'
const USERS = '/staff/admin/users'
const enc = encodeURIComponent
type Values = Record<string, string>
type Body = Record<string, string | File | (string | File)[]>

function accessOf(c: Context<AppEnv>): AccessStore {
  return c.var.ctx.storage.access!
}

/** Roles are directory records (kind `role`). */
function directoryOf(c: Context<AppEnv>): DirectoryStore {
  return c.var.ctx.storage.directory!
}

/** Every value of a form field sent several times (checkboxes). */
function many(body: Body, name: string): string[] {
  const v = body[name] ?? body[`${name}[]`]
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string')
}

/** Writes the audit entry of a change through `ports` (inside the change's transaction when it is one). */
function auditTo(ports: StoragePortSet, c: Context<AppEnv>, actor: Actor, action: string, kind: string, id: string, before: object | undefined, after: object | undefined): Promise<void> {
  return recordStaffChanges(ports, actor, c.var.ctx.clock.now(), [staffDiff(action, { kind, id }, before, after)])
}

/** The version an edit form was opened with (its hidden field); empty when the form sent none (the library then refuses it, naming `version`). */
function versionOf(body: Body): string {
  return typeof body['version'] === 'string' ? body['version'] : ''
}

/** The people's sentence for `RECORD_CHANGED`: the fields someone else changed since the form was opened, by their labels. */
function changedText(lang: Lang, error: unknown, label: (field: string) => string): string {
  const details = (isEcoleError(error) ? error.details : undefined) as { fields?: string[]; deleted?: boolean } | undefined
  if (details?.deleted) return t(lang, 'staff.record.deleted')
  return t(lang, 'staff.record.changed', { fields: (details?.fields ?? []).map(label).join(', ') })
}

/** The people's sentence for `RECORD_CHANGED` on a deletion: the fields someone else changed since the confirmation was shown; nothing deleted. */
function deleteChangedText(lang: Lang, error: unknown, label: (field: string) => string): string {
  const details = (isEcoleError(error) ? error.details : undefined) as { fields?: string[] } | undefined
  return t(lang, 'staff.record.changedBeforeDelete', { fields: (details?.fields ?? []).map(label).join(', ') })
}

/**
 * The gate of these screens: the role's permission alone. Roles and users are not tied to one
 * school or service, so a user tied to one school who holds `users.write` may open them; what they
 * may grant is then bounded by the library (`createUser` / `updateUser`: `scopeWithin` their own
 * scope, their own permissions, their profile). Without the permission: the 403 page naming it.
 */
function denied(c: Context<AppEnv>, action: 'roles.manage' | 'users.manage') {
  const actor = actorOfRequest(c)
  if (actor.permissions.includes(action === 'roles.manage' ? 'roles.write' : 'users.write')) return undefined
  return refused(c, action, { siteId: actor.siteId })
}

/** The people's sentence for a refusal of `createUser` / `updateUser`. */
export function userRefusalText(lang: Lang, r: UserRefusal, names: { role: (id: string) => string; school: (id: string) => string }): string {
  switch (r.code) {
    case 'NOT_PERMITTED': return t(lang, 'staff.refused.permission', { permission: r.permission })
    case 'SCOPE_EXCEEDED': return t(lang, 'staff.users.refused.scope')
    case 'PERMISSIONS_EXCEEDED': return t(lang, 'staff.users.refused.permissions', { permissions: r.permissions.join(', ') })
    case 'ROLE_ABOVE_GRANTER': return t(lang, 'staff.users.refused.profile', { profile: t(lang, `staff.users.profile.${r.profile}`), granter: t(lang, `staff.users.profile.${r.granterProfile}`) })
    case 'LOGIN_TAKEN': return t(lang, 'staff.users.refused.login', { login: r.login })
    case 'UNKNOWN_ROLE': return t(lang, 'staff.users.refused.role', { role: r.roleId })
    case 'UNKNOWN_SCHOOL': return t(lang, 'staff.users.refused.school', { school: r.schoolId })
    case 'ESTABLISHMENT_INCOMPLETE': return t(lang, 'staff.users.refused.establishment', { school: names.school(r.schoolId), fields: r.missing.map((f) => t(lang, `staff.establishment.field.${f}`)).join(', ') })
    case 'INSPECTOR_NEEDS_HEAD_TEACHER': return t(lang, 'staff.users.refused.inspector')
    case 'USER_EXISTS': return t(lang, 'staff.users.refused.exists', { id: r.userId })
    case 'USER_NOT_FOUND': return t(lang, 'staff.users.refused.notFound', { id: r.userId })
  }
}

/** Mounts the roles and users screens. */
export function userRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // ---------- roles ----------

  async function rolesPage(c: Context<AppEnv>, opts: { error?: string; done?: string } = {}, status?: 400 | 409) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const roles = await readAll((a) => directoryOf(c).listDirectoryRecords(actor.siteId, 'role', page(a)))
    const users = await readAll((a) => accessOf(c).listUsers(actor.siteId, page(a)))
    const notice = opts.error ? { kind: 'error' as const, text: opts.error } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.roles.title')} current={ROLES} notice={notice}>
        <table class="roles">
          <thead><tr><th scope="col">{t(lang, 'staff.roles.label')}</th><th scope="col">{t(lang, 'staff.roles.description')}</th><th scope="col">{t(lang, 'staff.roles.permissionCount')}</th><th scope="col">{t(lang, 'staff.roles.userCount')}</th></tr></thead>
          <tbody>
            {roles.map((r) => (
              <tr><td><a href={`${ROLES}/${enc(r.id)}`}>{r.label}</a></td><td>{r.description ?? ''}</td><td>{r.permissions.length}</td><td>{users.filter((u) => u.roleId === r.id).length}</td></tr>
            ))}
          </tbody>
        </table>
        <p><a href={`${ROLES}/new`}>{t(lang, 'staff.roles.new')}</a></p>
      </Page>,
      status ?? (opts.error ? 400 : 200),
    )
  }

  async function roleForm(c: Context<AppEnv>, role: Role | undefined, opts: { values?: Values; permissions?: readonly string[]; version?: string; errors?: FieldErrors; error?: string; done?: string } = {}) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const v: Values = opts.values ?? { label: role?.label ?? '', description: role?.description ?? '' }
    const ticked = new Set(opts.permissions ?? role?.permissions ?? [])
    const failed = opts.errors !== undefined || opts.error !== undefined
    const notice = opts.error ? { kind: 'error' as const, text: opts.error } : opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const action = role ? `${ROLES}/${enc(role.id)}` : ROLES
    return html(c,
      <Page c={c} title={role ? t(lang, 'staff.roles.edit', { role: role.label }) : t(lang, 'staff.roles.new')} current={ROLES} notice={notice}>
        <form method="post" action={action} class="card role-form" novalidate>
          <CsrfField session={c.var.session} />
          {role ? <input type="hidden" name="version" value={opts.version ?? staffEditVersion(role)} /> : null}
          <ErrorSummary lang={lang} errors={opts.errors} />
          <CheckedField label={t(lang, 'staff.roles.label')} name="label" value={v['label']} required errors={opts.errors} />
          <CheckedField label={t(lang, 'staff.roles.description')} name="description" value={v['description']} errors={opts.errors} />
          {(Object.keys(PERMISSION_CATALOGUE) as PermissionCategory[]).map((category) => (
            <fieldset class="permissions">
              <legend>{t(lang, `staff.permission.category.${category}`)}</legend>
              {(Object.keys(PERMISSION_CATALOGUE[category]) as Permission[]).map((p) => {
                const mine = actor.permissions.includes(p)
                return (
                  <p class="choice">
                    <label>
                      <input type="checkbox" name="permissions" value={p} checked={ticked.has(p)} disabled={!mine && !ticked.has(p)} />{' '}
                      {t(lang, `staff.permission.${p}`)} <code>{p}</code>
                    </label>
                    {!mine ? <small class="hint">{t(lang, 'staff.roles.notYours')}</small> : null}
                  </p>
                )
              })}
            </fieldset>
          ))}
          <button type="submit">{t(lang, 'staff.roles.save')}</button>
        </form>
        {role ? <p><a href={`${ROLES}/${enc(role.id)}/delete`}>{t(lang, 'staff.roles.delete')}</a></p> : null}
      </Page>,
      failed ? 400 : 200,
    )
  }

  /** Saves a role from its form: the granter's own permissions bound what they may add or keep away from themself. */
  async function saveRole(c: Context<AppEnv>, existing: Role | undefined) {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const body = (await c.req.parseBody({ all: true })) as Body
    const v = formValues(body)
    const wanted = many(body, 'permissions')
    const retry = (o: { errors?: FieldErrors; error?: string }) => roleForm(c, existing, { values: v, permissions: wanted, version: versionOf(body), ...o })
    let role: Role
    try {
      role = parseInput(RoleSchema, { id: existing?.id ?? `role-${randomUUID()}`, siteId: actor.siteId, label: v['label'] ?? '', description: v['description'] || undefined, permissions: wanted }, 'role')
    } catch (error) {
      const errors = fieldErrorsOf(lang, error, { label: t(lang, 'staff.roles.label'), description: t(lang, 'staff.roles.description'), permissions: t(lang, 'staff.roles.permissions') })
      if (errors) return retry({ errors })
      throw error
    }
    // no one grants what they do not hold, nor locks themself out (checkRoleChange)
    const me = await accessOf(c).getUser(actor.siteId, actor.userId)
    const no = checkRoleChange({ before: existing?.permissions ?? [], after: role.permissions, granter: actor.permissions, ownRole: existing !== undefined && me?.roleId === existing.id })
    if (no?.code === 'BEYOND_GRANTER') return retry({ error: t(lang, 'staff.roles.refused.beyond', { permissions: no.permissions.join(', ') }) })
    if (no?.code === 'SELF_LOCKOUT') return retry({ error: t(lang, 'staff.roles.refused.selfLockout') })
    if (!existing) {
      // the new role (a fresh id) and its audit entry in one transaction
      await c.var.ctx.storage.transaction(actor.siteId, async (tx) => {
        await tx.directory!.putDirectoryRecord(actor.siteId, 'role', role)
        await auditTo(tx, c, actor, 'role.created', 'role', role.id, undefined, role)
      })
      return c.redirect(`${ROLES}/${enc(role.id)}?done=saved`, 303)
    }
    // saved only if no one changed the role since this form was opened (its version), with its audit entry
    try {
      await saveRoleEdit({ storage: c.var.ctx.storage, siteId: actor.siteId, role, version: versionOf(body), withChange: (tx, before) => auditTo(tx, c, actor, 'role.edited', 'role', role.id, before, role) })
    } catch (error) {
      if (!isEcoleError(error, 'RECORD_CHANGED')) {
        const errors = fieldErrorsOf(lang, error, { version: t(lang, 'staff.roles.edit', { role: existing.label }) })
        if (errors) return retry({ errors })
        throw error
      }
      // shown again with what was typed and the role's current version: saving again replaces the other change, knowingly
      const current = await directoryOf(c).getDirectoryRecord(actor.siteId, 'role', role.id)
      const labels: Values = { label: t(lang, 'staff.roles.label'), description: t(lang, 'staff.roles.description'), permissions: t(lang, 'staff.roles.permissions') }
      return roleForm(c, current ?? existing, { values: v, permissions: wanted, version: current ? staffEditVersion(current) : versionOf(body), error: changedText(lang, error, (f) => labels[f] ?? f) })
    }
    return c.redirect(`${ROLES}/${enc(role.id)}?done=saved`, 303)
  }

  app.get('/admin/roles', async (c) => {
    const no = denied(c, 'roles.manage')
    if (no) return no
    return rolesPage(c, c.req.query('done') === 'deleted' ? { done: t(c.var.lang, 'staff.roles.done.deleted') } : {})
  })
  app.get('/admin/roles/new', async (c) => {
    const no = denied(c, 'roles.manage')
    if (no) return no
    return roleForm(c, undefined)
  })
  app.post('/admin/roles', async (c) => {
    const no = denied(c, 'roles.manage')
    if (no) return no
    return saveRole(c, undefined)
  })
  app.get('/admin/roles/:id', async (c) => {
    const actor = actorOfRequest(c)
    const no = denied(c, 'roles.manage')
    if (no) return no
    const role = await directoryOf(c).getDirectoryRecord(actor.siteId, 'role', c.req.param('id'))
    if (!role) return c.notFound()
    return roleForm(c, role, c.req.query('done') === 'saved' ? { done: t(c.var.lang, 'staff.roles.done.saved') } : {})
  })
  app.post('/admin/roles/:id', async (c) => {
    const actor = actorOfRequest(c)
    const no = denied(c, 'roles.manage')
    if (no) return no
    const role = await directoryOf(c).getDirectoryRecord(actor.siteId, 'role', c.req.param('id'))
    if (!role) return c.notFound()
    return saveRole(c, role)
  })

  async function roleUsers(c: Context<AppEnv>, roleId: string): Promise<User[]> {
    return (await readAll((a) => accessOf(c).listUsers(actorOfRequest(c).siteId, page(a)))).filter((u) => u.roleId === roleId)
  }

  /** The role of the route when it may be deleted (`roles.manage`, no user holds it); a refusal, a 404 or the roles page saying who holds it otherwise. */
  async function deletableRole(c: Context<AppEnv>): Promise<Role | Response> {
    const no = denied(c, 'roles.manage')
    if (no) return no
    const role = await directoryOf(c).getDirectoryRecord(actorOfRequest(c).siteId, 'role', c.req.param('id') ?? '')
    if (!role) return c.notFound()
    const holders = await roleUsers(c, role.id)
    if (holders.length > 0) return rolesPage(c, { error: t(c.var.lang, 'staff.roles.refused.inUse', { role: role.label, users: holders.map(fullName).join(', ') }) })
    return role
  }

  app.get('/admin/roles/:id/delete', async (c) => {
    const { lang } = c.var
    const role = await deletableRole(c)
    if (role instanceof Response) return role
    return html(c,
      <Page c={c} title={t(lang, 'staff.roles.delete')} current={ROLES}>
        <p>{t(lang, 'staff.roles.deleteConfirm', { role: role.label, count: role.permissions.length })}</p>
        <form method="post" action={`${ROLES}/${enc(role.id)}/delete`}>
          <CsrfField session={c.var.session} />
          <input type="hidden" name="version" value={staffEditVersion(role)} />
          <button type="submit">{t(lang, 'staff.roles.deleteYes')}</button> <a href={`${ROLES}/${enc(role.id)}`}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })
  app.post('/admin/roles/:id/delete', async (c) => {
    const actor = actorOfRequest(c)
    const role = await deletableRole(c)
    if (role instanceof Response) return role
    const body = (await c.req.parseBody()) as Body
    // deleted only as the confirmation showed it and while no user holds it (a user given the role
    // at the same moment waits for this deletion, or makes it refused), with its audit entry
    try {
      await deleteRoleEdit({ storage: c.var.ctx.storage, siteId: actor.siteId, roleId: role.id, version: versionOf(body), withChange: (tx, before) => auditTo(tx, c, actor, 'role.deleted', 'role', role.id, before, {}) })
    } catch (error) {
      const lang = c.var.lang
      if (isEcoleError(error, 'ROLE_IN_USE')) {
        const holders = await roleUsers(c, role.id)
        return rolesPage(c, { error: t(lang, 'staff.roles.refused.inUse', { role: role.label, users: holders.map(fullName).join(', ') }) }, 409)
      }
      if (isEcoleError(error, 'RECORD_CHANGED')) {
        const label = (f: string) => f === 'label' ? t(lang, 'staff.roles.label') : f === 'description' ? t(lang, 'staff.roles.description') : f === 'permissions' ? t(lang, 'staff.roles.permissions') : f
        return rolesPage(c, { error: `${role.label} — ${deleteChangedText(lang, error, label)}` }, 409)
      }
      if (isEcoleError(error, 'INVALID_INPUT')) return rolesPage(c, { error: t(lang, 'staff.record.staleConfirmation') }, 400)
      throw error
    }
    return c.redirect(`${ROLES}?done=deleted`, 303)
  })

  // ---------- users ----------

  async function contextOf(c: Context<AppEnv>): Promise<UserContext & { services: Array<{ id: string; name: string }> }> {
    const actor = actorOfRequest(c)
    const { storage } = c.var.ctx
    const [site, schools, services, roles, users] = await Promise.all([
      storage.directory!.getSite(actor.siteId),
      allRecords(storage, actor.siteId, 'school'),
      allRecords(storage, actor.siteId, 'service'),
      readAll((a) => directoryOf(c).listDirectoryRecords(actor.siteId, 'role', page(a))),
      readAll((a) => accessOf(c).listUsers(actor.siteId, page(a))),
    ])
    return {
      siteId: actor.siteId, siteCountry: site?.country ?? 'FR',
      schools: Object.fromEntries(schools.filter((s) => s.kind === 'school').map((s) => [s.id, s])),
      roles: Object.fromEntries(roles.map((r) => [r.id, r])),
      users: Object.fromEntries(users.map((u) => [u.id, u])),
      services: services.map((s) => ({ id: s.id, name: s.name })),
    }
  }

  function scopeText(lang: Lang, ids: 'all' | string[], names: Map<string, string>, allKey: 'staff.users.allSchools' | 'staff.users.allServices'): string {
    return ids === 'all' ? t(lang, allKey) : ids.map((id) => names.get(id) ?? id).join(', ')
  }

  app.get('/admin/users', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const no = denied(c, 'users.manage')
    if (no) return no
    const after = c.req.query('after')
    const page = await accessOf(c).listUsers(actor.siteId, { limit: pageSizeOf(c.req.query('limit')), ...(after ? { after } : {}) })
    const ctx = await contextOf(c)
    const schoolNames = new Map(Object.values(ctx.schools).map((s) => [s.id, s.name]))
    const serviceNames = new Map(ctx.services.map((s) => [s.id, s.name]))
    const done = c.req.query('done')
    const notice = done === 'deleted' ? { kind: 'ok' as const, text: t(lang, 'staff.users.done.deleted') } : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.users.title')} current={USERS} notice={notice}>
        <table class="users">
          <thead><tr>
            <th scope="col">{t(lang, 'staff.users.name')}</th><th scope="col">{t(lang, 'staff.users.field.login')}</th><th scope="col">{t(lang, 'staff.users.field.roleId')}</th>
            <th scope="col">{t(lang, 'staff.users.field.profile')}</th><th scope="col">{t(lang, 'staff.users.schools')}</th><th scope="col">{t(lang, 'staff.users.services')}</th><th scope="col">{t(lang, 'staff.users.messaging')}</th>
          </tr></thead>
          <tbody>
            {page.items.map((u) => (
              <tr>
                <td><a href={`${USERS}/${enc(u.id)}`}>{fullName(u)}</a></td><td>{u.login}</td><td>{ctx.roles[u.roleId]?.label ?? u.roleId}</td>
                <td>{t(lang, `staff.users.profile.${u.profile}`)}</td>
                <td>{scopeText(lang, u.scope.schoolIds, schoolNames, 'staff.users.allSchools')}</td>
                <td>{scopeText(lang, u.scope.serviceIds, serviceNames, 'staff.users.allServices')}</td>
                <td>{u.messaging.map((m) => t(lang, `staff.users.channel.${m}`)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager lang={lang} base={USERS} query={{}} next={page.next} />
        <p><a href={`${USERS}/new`}>{t(lang, 'staff.users.new')}</a></p>
      </Page>,
    )
  })

  async function userForm(c: Context<AppEnv>, user: User | undefined, opts: { values?: Values; lists?: { schools: string[]; services: string[]; messaging: string[] }; version?: string; errors?: FieldErrors; error?: string; done?: string } = {}, status?: 409) {
    const { lang } = c.var
    const ctx = await contextOf(c)
    const v: Values = opts.values ?? {
      firstName: user?.firstName ?? '', lastName: user?.lastName ?? '', login: user?.login ?? '', roleId: user?.roleId ?? '', profile: user?.profile ?? 'staff',
      allSchools: !user || user.scope.schoolIds === 'all' ? 'on' : '', allServices: !user || user.scope.serviceIds === 'all' ? 'on' : '',
    }
    const lists = opts.lists ?? {
      schools: user && user.scope.schoolIds !== 'all' ? user.scope.schoolIds : [], services: user && user.scope.serviceIds !== 'all' ? user.scope.serviceIds : [], messaging: user?.messaging ?? ['email'],
    }
    const failed = opts.errors !== undefined || opts.error !== undefined
    const notice = opts.error ? { kind: 'error' as const, text: opts.error } : opts.errors ? { kind: 'error' as const, text: t(lang, 'staff.form.nothingSaved') } : opts.done ? { kind: 'ok' as const, text: opts.done } : undefined
    const L = (f: string) => t(lang, `staff.users.field.${f}` as never)
    return html(c,
      <Page c={c} title={user ? fullName(user) : t(lang, 'staff.users.new')} current={USERS} notice={notice}>
        <form method="post" action={user ? `${USERS}/${enc(user.id)}` : USERS} class="card user-form" novalidate>
          <CsrfField session={c.var.session} />
          {user ? <input type="hidden" name="version" value={opts.version ?? staffEditVersion(user)} /> : null}
          <ErrorSummary lang={lang} errors={opts.errors} />
          <CheckedField label={L('firstName')} name="firstName" value={v['firstName']} required errors={opts.errors} />
          <CheckedField label={L('lastName')} name="lastName" value={v['lastName']} required errors={opts.errors} />
          <CheckedField label={L('login')} name="login" type="email" value={v['login']} required errors={opts.errors} hint={t(lang, 'staff.users.loginHint')} />
          {user ? null : <>
            <CheckedField label={L('password')} name="password" type="password" required autocomplete="new-password" errors={opts.errors} hint={t(lang, 'staff.users.passwordHint')} />
            <CheckedField label={L('confirmation')} name="confirmation" type="password" required autocomplete="new-password" errors={opts.errors} />
          </>}
          <p class="field">
            <label for="f-roleId">{L('roleId')}</label>
            <select id="f-roleId" name="roleId">
              {Object.values(ctx.roles).map((r) => <option value={r.id} selected={r.id === v['roleId']}>{r.label}</option>)}
            </select>
          </p>
          <p class="field">
            <label for="f-profile">{L('profile')}</label>
            <select id="f-profile" name="profile">
              {STAFF_PROFILES.filter((p) => p !== 'inspector').map((p) => <option value={p} selected={p === v['profile']}>{t(lang, `staff.users.profile.${p}`)}</option>)}
            </select>
          </p>
          <CheckboxFieldset legend={t(lang, 'staff.users.schools')} name="schools" checked={lists.schools} options={Object.values(ctx.schools).map((s) => ({ value: s.id, label: s.name }))}
            before={<Choice name="allSchools" value="on" checked={v['allSchools'] === 'on'} label={t(lang, 'staff.users.allSchools')} />} />
          <CheckboxFieldset legend={t(lang, 'staff.users.services')} name="services" checked={lists.services} options={ctx.services.map((s) => ({ value: s.id, label: s.name }))}
            before={<Choice name="allServices" value="on" checked={v['allServices'] === 'on'} label={t(lang, 'staff.users.allServices')} />} />
          <CheckboxFieldset legend={t(lang, 'staff.users.messaging')} name="messaging" checked={lists.messaging} options={MESSAGING_CHANNELS.map((m) => ({ value: m, label: t(lang, `staff.users.channel.${m}`) }))} />
          <button type="submit">{t(lang, 'staff.users.save')}</button>
        </form>
        {user ? <p><a href={`${USERS}/${enc(user.id)}/delete`}>{t(lang, 'staff.users.delete')}</a></p> : null}
      </Page>,
      status ?? (failed ? 400 : 200),
    )
  }

  /** The library's user input from the form. */
  function userInputOf(body: Body): { v: Values; lists: { schools: string[]; services: string[]; messaging: string[] }; input: Omit<UserInput, 'siteId' | 'id'> } {
    const v = formValues(body)
    const lists = { schools: many(body, 'schools'), services: many(body, 'services'), messaging: many(body, 'messaging') }
    return {
      v, lists,
      input: {
        firstName: v['firstName'] ?? '', lastName: v['lastName'] ?? '', login: v['login'] ?? '', roleId: v['roleId'] ?? '', profile: (v['profile'] ?? 'staff') as 'staff',
        scope: { schoolIds: v['allSchools'] === 'on' ? 'all' : lists.schools, serviceIds: v['allServices'] === 'on' ? 'all' : lists.services },
        messaging: lists.messaging as Array<'email'>,
      },
    }
  }

  const USER_FIELDS = ['firstName', 'lastName', 'login', 'roleId', 'profile', 'password', 'confirmation', 'schoolIds', 'serviceIds', 'messaging']

  app.get('/admin/users/new', async (c) => {
    const no = denied(c, 'users.manage')
    if (no) return no
    return userForm(c, undefined)
  })

  app.post('/admin/users', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const no = denied(c, 'users.manage')
    if (no) return no
    const body = (await c.req.parseBody({ all: true })) as Body
    const { v, lists, input } = userInputOf(body)
    const labels = Object.fromEntries(USER_FIELDS.map((f) => [f, t(lang, `staff.users.field.${f}` as never)]))
    const ctx = await contextOf(c)
    const names = { role: (id: string) => ctx.roles[id]?.label ?? id, school: (id: string) => ctx.schools[id]?.name ?? id }
    try {
      const out = createUser(ctx, { ...input, id: `u-${randomUUID()}` }, actor)
      if (!out.ok) return userForm(c, undefined, { values: v, lists, error: userRefusalText(lang, out.refusal, names) })
      const password = typeof body['password'] === 'string' ? body['password'] : ''
      const problems = checkNewPassword(password, typeof body['confirmation'] === 'string' ? body['confirmation'] : '')
      if (problems.length > 0) {
        return userForm(c, undefined, { values: v, lists, errors: { password: `${labels['password']}${lang === 'fr' ? ' :' : ':'} ${problems.map((p) => t(lang, `password.${p}`, { min: 10, max: 256 })).join(' ')}` } })
      }
      const passwordHash = await hashPassword(password)
      // the user, their password and the audit entry in one transaction; the store claims the login,
      // so of two administrators creating the same login at once exactly one gets it (LOGIN_TAKEN)
      const now = c.var.ctx.clock.now()
      const created = await c.var.ctx.storage.transaction(actor.siteId, async (tx) => {
        // the role chosen still exists, and is not deleted until this commits (lockStaffRole)
        await lockStaffRole(tx, out.user.roleId)
        if ((await tx.access!.createUser(actor.siteId, out.user)) !== 'created') return false
        await tx.access!.putCredential(actor.siteId, { subject: { kind: 'user', id: out.user.id }, passwordHash, updatedAt: now.toISOString() })
        await recordStaffChanges(tx, actor, now, [staffDiff('user.created', { kind: 'user', id: out.user.id }, undefined, out.user)])
        return true
      })
      if (!created) return userForm(c, undefined, { values: v, lists, error: t(lang, 'staff.users.refused.exists', { id: out.user.id }) })
      return c.redirect(`${USERS}/${enc(out.user.id)}?done=created`, 303)
    } catch (error) {
      if (isEcoleError(error, 'LOGIN_TAKEN')) return userForm(c, undefined, { values: v, lists, error: t(lang, 'staff.users.refused.login', { login: input.login.trim().toLowerCase() }) })
      if (isEcoleError(error, 'RECORD_CHANGED')) return userForm(c, undefined, { values: v, lists, error: t(lang, 'staff.users.refused.roleGone', { role: names.role(String(error.details['id'])) }) }, 409)
      const errors = fieldErrorsOf(lang, error, labels)
      if (errors) return userForm(c, undefined, { values: v, lists, errors })
      throw error
    }
  })

  app.get('/admin/users/:id', async (c) => {
    const actor = actorOfRequest(c)
    const no = denied(c, 'users.manage')
    if (no) return no
    const user = await accessOf(c).getUser(actor.siteId, c.req.param('id'))
    if (!user) return c.notFound()
    const done = c.req.query('done')
    return userForm(c, user, done === 'created' || done === 'saved' ? { done: t(c.var.lang, `staff.users.done.${done}`) } : {})
  })

  app.post('/admin/users/:id', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const no = denied(c, 'users.manage')
    if (no) return no
    const user = await accessOf(c).getUser(actor.siteId, c.req.param('id'))
    if (!user) return c.notFound()
    const body = (await c.req.parseBody({ all: true })) as Body
    const { v, lists, input } = userInputOf(body)
    const ctx = await contextOf(c)
    const names = { role: (id: string) => ctx.roles[id]?.label ?? id, school: (id: string) => ctx.schools[id]?.name ?? id }
    const version = versionOf(body)
    try {
      const out = updateUser(ctx, user.id, input, actor)
      if (!out.ok) return userForm(c, user, { values: v, lists, version, error: userRefusalText(lang, out.refusal, names) })
      // saved only if no one changed the user since this form was opened (its version), with its audit entry
      const saved = out.user
      await saveUserEdit({ storage: c.var.ctx.storage, siteId: actor.siteId, user: saved, version, withChange: (tx, before) => auditTo(tx, c, actor, 'user.edited', 'user', user.id, before, saved) })
      return c.redirect(`${USERS}/${enc(user.id)}?done=saved`, 303)
    } catch (error) {
      if (isEcoleError(error, 'LOGIN_TAKEN')) return userForm(c, user, { values: v, lists, version, error: t(lang, 'staff.users.refused.login', { login: input.login.trim().toLowerCase() }) })
      if (isEcoleError(error, 'RECORD_CHANGED') && error.details['kind'] === 'role') {
        return userForm(c, user, { values: v, lists, version, error: t(lang, 'staff.users.refused.roleGone', { role: names.role(String(error.details['id'])) }) }, 409)
      }
      if (isEcoleError(error, 'RECORD_CHANGED')) {
        const current = await accessOf(c).getUser(actor.siteId, user.id)
        const label = (f: string) => f === 'scope' ? `${t(lang, 'staff.users.schools')}, ${t(lang, 'staff.users.services')}` : f === 'messaging' ? t(lang, 'staff.users.messaging') : USER_FIELDS.includes(f) ? t(lang, `staff.users.field.${f}` as never) : f
        return userForm(c, current ?? user, { values: v, lists, version: current ? staffEditVersion(current) : version, error: changedText(lang, error, label) })
      }
      const errors = fieldErrorsOf(lang, error, Object.fromEntries([...USER_FIELDS, 'version'].map((f) => [f, f === 'version' ? fullName(user) : t(lang, `staff.users.field.${f}` as never)])))
      if (errors) return userForm(c, user, { values: v, lists, version, errors })
      throw error
    }
  })

  /** Whether the actor may remove `user`: the same bounds as changing them (`updateUser` with no change), and never themself. */
  async function mayRemove(c: Context<AppEnv>, user: User): Promise<string | undefined> {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    if (user.id === actor.userId) return t(lang, 'staff.users.refused.self')
    const ctx = await contextOf(c)
    const check = updateUser(ctx, user.id, {}, actor)
    return check.ok ? undefined : userRefusalText(lang, check.refusal, { role: (id) => ctx.roles[id]?.label ?? id, school: (id) => ctx.schools[id]?.name ?? id })
  }

  app.get('/admin/users/:id/delete', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const no = denied(c, 'users.manage')
    if (no) return no
    const user = await accessOf(c).getUser(actor.siteId, c.req.param('id'))
    if (!user) return c.notFound()
    const why = await mayRemove(c, user)
    if (why) return userForm(c, user, { error: why })
    return html(c,
      <Page c={c} title={t(lang, 'staff.users.delete')} current={USERS}>
        <p>{t(lang, 'staff.users.deleteConfirm', { name: fullName(user), login: user.login })}</p>
        <form method="post" action={`${USERS}/${enc(user.id)}/delete`}>
          <CsrfField session={c.var.session} />
          <input type="hidden" name="version" value={staffEditVersion(user)} />
          <button type="submit">{t(lang, 'staff.users.deleteYes')}</button> <a href={`${USERS}/${enc(user.id)}`}>{t(lang, 'staff.smtp.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/users/:id/delete', async (c) => {
    const actor = actorOfRequest(c)
    const no = denied(c, 'users.manage')
    if (no) return no
    const user = await accessOf(c).getUser(actor.siteId, c.req.param('id'))
    if (!user) return c.notFound()
    const why = await mayRemove(c, user)
    if (why) return userForm(c, user, { error: why })
    const body = (await c.req.parseBody()) as Body
    // deleted only as the confirmation showed them (changed meanwhile: shown again, not deleted), with the audit entry
    try {
      await deleteUserEdit({ storage: c.var.ctx.storage, siteId: actor.siteId, userId: user.id, version: versionOf(body), withChange: (tx, before) => auditTo(tx, c, actor, 'user.deleted', 'user', user.id, before, {}) })
    } catch (error) {
      const lang = c.var.lang
      if (isEcoleError(error, 'INVALID_INPUT')) return userForm(c, user, { error: t(lang, 'staff.record.staleConfirmation') })
      if (!isEcoleError(error, 'RECORD_CHANGED')) throw error
      const current = await accessOf(c).getUser(actor.siteId, user.id)
      const label = (f: string) => USER_FIELDS.includes(f) ? t(lang, `staff.users.field.${f}` as never) : f
      if (!current) return c.redirect(`${USERS}?done=deleted`, 303)
      return userForm(c, current, { error: deleteChangedText(lang, error, label) }, 409)
    }
    return c.redirect(`${USERS}?done=deleted`, 303)
  })

  return app
}

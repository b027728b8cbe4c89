import { isEcoleError, type User } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { freshSiteId, need, type ConformanceContext } from './support'

const user = (siteId: string, id: string, login: string, over: Partial<User> = {}) =>
  ({ id, siteId, login, firstName: 'Ana', lastName: 'Rossi', roleId: 'cashier', profile: 'staff', scope: { schoolIds: 'all', serviceIds: 'all' }, messaging: ['email'], ...over }) as User

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  return isEcoleError(e) ? e.code : e === undefined ? undefined : String(e)
}

/** Access: creating a user never replaces one (issue 12, defect 7). @internal */
export function describeUserCreation(ctx: ConformanceContext): void {
  describe('access: creating users', () => {
    it('creates a user once, answers a replay with exists, and never replaces another user with the same id', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const admin = user(s, 'admin', 'admin@example.fr', { profile: 'administrator', roleId: 'admin' })
      expect(await store.createUser(s, admin)).toBe('created')
      expect(await store.createUser(s, admin)).toBe('exists')
      // a staff member creating "admin" with their own login must not take the administrator's account over
      expect(await codeOf(store.createUser(s, user(s, 'admin', 'intruder@example.fr')))).toBe('USER_EXISTS')
      expect(await store.getUser(s, 'admin')).toEqual(admin)
      // the administrator's login is still theirs
      expect(await codeOf(store.createUser(s, user(s, 'other', 'admin@example.fr')))).toBe('LOGIN_TAKEN')
      expect(await store.createUser(s, user(s, 'other', 'intruder@example.fr'))).toBe('created')
    })

    it('lets exactly one of concurrent creations of one id in', async () => {
      const store = need(ctx.storage().access, 'access')
      const s = freshSiteId()
      const n = Math.min(ctx.concurrency, 10)
      const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => store.createUser(s, user(s, 'u1', `racer${i}@example.fr`))))
      const created = results.filter((r) => r.status === 'fulfilled' && r.value === 'created')
      expect(created).toHaveLength(1)
      for (const r of results) if (r.status === 'rejected') expect(isEcoleError(r.reason) ? r.reason.code : String(r.reason)).toMatch(/^(USER_EXISTS|STORAGE_RETRYABLE)$/)
      const stored = await store.getUser(s, 'u1')
      expect((await store.listUsers(s)).items).toEqual([stored])
    })
  })
}

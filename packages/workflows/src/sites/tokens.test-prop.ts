import { fc, test } from '@fast-check/vitest'
import { issueOneTimeToken } from './tokens'
import { fakeAccessStore } from './fakes.test-support'

test.prop([fc.integer({ min: 1, max: 40 })], { numRuns: 25 })('tokens are unique and never stored in clear', async (n) => {
  const access = fakeAccessStore()
  let i = 0
  const ids = { next: () => `t${++i}` }
  const issued: string[] = []
  for (let k = 0; k < n; k++) {
    const { token } = await issueOneTimeToken({ access: access.store, ids, siteId: 's1', subject: { kind: 'guardian', id: `g${k}` }, purpose: 'firstLogin', now: new Date('2026-09-01T08:00:00Z') })
    issued.push(token)
  }
  const stored = JSON.stringify([...access.tokens.values()])
  return new Set(issued).size === n && issued.every((t) => !stored.includes(t) && !stored.includes(t.toLowerCase()))
})

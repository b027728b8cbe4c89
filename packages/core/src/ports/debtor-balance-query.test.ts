import { describe, expect, it } from 'vitest'
import { checkDebtorBalanceQuery } from './invoicing'

const query = { billingOfficeId: 'office-1' }
const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('checkDebtorBalanceQuery page', () => {
  it('reads limit and offset, 25 and 0 when absent', () => {
    expect(checkDebtorBalanceQuery(query, { limit: 10, offset: 20 })).toEqual({ limit: 10, offset: 20 })
    expect(checkDebtorBalanceQuery(query)).toEqual({ limit: 25, offset: 0 })
  })

  it('refuses a misspelt key naming the key it meant, instead of reading the default page', () => {
    expect(() => checkDebtorBalanceQuery(query, { limt: 10 } as never)).toThrow(refused(/page\.limt: unknown key .*did you mean `limit`/))
    expect(() => checkDebtorBalanceQuery(query, { offst: 10 } as never)).toThrow(refused(/page\.offst: unknown key .*did you mean `offset`/))
  })

  it('refuses a limit or offset that is not a whole number in range', () => {
    expect(() => checkDebtorBalanceQuery(query, { limit: '10' } as never)).toThrow(refused('page.limit'))
    expect(() => checkDebtorBalanceQuery(query, { limit: 0 })).toThrow(refused('page.limit'))
    expect(() => checkDebtorBalanceQuery(query, { offset: -1 })).toThrow(refused('page.offset'))
  })

  it('refuses a page that is not an object (an array is not the default page)', () => {
    for (const page of [[], null, 10, 'next']) expect(() => checkDebtorBalanceQuery(query, page as never)).toThrow(refused('page'))
  })
})

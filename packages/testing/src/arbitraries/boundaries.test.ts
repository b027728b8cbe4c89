import fc from 'fast-check'
import { BillingRuleSetSchema, EcoleError, Money } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { eurosArb } from './money'
import { anyArguments, exportedFunctions, foreignError } from './boundaries'

class Counter {
  static of(n: number): Counter {
    return new Counter(n)
  }
  static self(): unknown {
    return this
  }
  constructor(readonly n: number) {}
}

const ns = {
  tag: 'ns',
  me(this: { tag: string }) {
    return this.tag
  },
  Counter,
}

const module = { plain: (x: number) => x + 1, Counter, ns, BillingRuleSetSchema, euros: eurosArb(), list: [() => 1], count: 3 }

describe('exportedFunctions', () => {
  it('lists plain functions, static methods and namespace members, by the name a caller writes', () => {
    expect(exportedFunctions(module).map(([name]) => name)).toEqual(['plain', 'Counter.of', 'Counter.self', 'ns.me'])
  })

  it('binds a static method to its class and a namespace member to its object', () => {
    const found = Object.fromEntries(exportedFunctions(module))
    expect(found['Counter.self']!()).toBe(Counter)
    expect(found['ns.me']!()).toBe('ns')
  })

  it('leaves out the names it is told to skip, and an export skipped leaves out its members', () => {
    expect(exportedFunctions(module, { skip: ['plain', 'Counter.self', 'ns'] }).map(([name]) => name)).toEqual(['Counter.of'])
  })

  it('refuses a module that is not an object, or names that are not strings, with INVALID_INPUT', () => {
    expect(() => exportedFunctions(null as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => exportedFunctions(module, { skip: [5] as never })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
    expect(() => exportedFunctions(module, null as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }))
  })
})

describe('anyArguments', () => {
  it('draws lists of at most maxLength arguments (4 by default), and at least minLength', () => {
    expect(fc.sample(anyArguments(), { numRuns: 200, seed: 1 }).every((args) => args.length <= 4)).toBe(true)
    const lists = fc.sample(anyArguments({ minLength: 1, maxLength: 2 }), { numRuns: 200, seed: 1 })
    expect(lists.every((args) => args.length >= 1 && args.length <= 2)).toBe(true)
  })

  it('draws the extra values, and the edge cases, among the arguments', () => {
    const drawn = fc.sample(anyArguments({ extra: ['EUR-only-here'] }), { numRuns: 300, seed: 1 }).flat()
    expect(drawn).toContain('EUR-only-here')
    expect(drawn).toContain(10n ** 30n)
    expect(drawn.some((v) => Number.isNaN(v))).toBe(true)
  })

  it('refuses lengths it cannot draw with INVALID_INPUT naming the option', () => {
    const path = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return (e as EcoleError).details['issues'] as Array<{ path: string }>
      }
      return 'NO_ERROR'
    }
    expect(path(() => anyArguments({ maxLength: 1e9 }))).toMatchObject([{ path: 'options.maxLength' }])
    expect(path(() => anyArguments({ minLength: 3, maxLength: 2 }))).toMatchObject([{ path: 'options.minLength' }])
    expect(path(() => anyArguments({ extra: 'EUR' as never }))).toMatchObject([{ path: 'options.extra' }])
  })
})

describe('foreignError', () => {
  it('returns what a call throws that is not an EcoleError', async () => {
    expect(await foreignError(JSON.parse, ['{'])).toBeInstanceOf(SyntaxError)
  })

  it('returns undefined when the call succeeds or throws an EcoleError', async () => {
    const euros = (amount: string) => Money.of(amount, 'EUR')
    expect(await foreignError(euros, ['1'])).toBeUndefined()
    expect(await foreignError(euros, ['x'])).toBeUndefined()
  })

  it('awaits a promise the call returns, and returns its foreign rejection', async () => {
    const failure = new RangeError('late')
    expect(await foreignError(async () => Promise.reject(failure), [])).toBe(failure)
    expect(await foreignError(async () => Promise.reject(new EcoleError('INVALID_INPUT', 'no')), [])).toBeUndefined()
  })

  it('tells a function that throws undefined as an Error, since undefined means nothing escaped', async () => {
    expect(await foreignError(() => {
      throw undefined
    }, [])).toBeInstanceOf(Error)
  })

  it('refuses something that is not a function, or arguments that are not an array, with INVALID_INPUT', async () => {
    await expect(foreignError(5 as never, [])).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(foreignError(JSON.parse, 'x' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})

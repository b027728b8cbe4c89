import { fc, test as prop } from '@fast-check/vitest'
import { describe, expect, it } from 'vitest'
import { EcoleError, isEcoleError } from './errors'
import { asInputError } from './input-error'

function linesTotal(invoice: { lines: Array<{ minor: bigint }> }): bigint {
  try {
    return invoice.lines.reduce((sum, line) => sum + line.minor, 0n)
  } catch (error) {
    throw asInputError(error, 'linesTotal', { invoice: [invoice, 'object', 'a stored invoice'] })
  }
}

function thrown(f: () => unknown): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

describe('asInputError', () => {
  it('returns an EcoleError unchanged', () => {
    const e = new EcoleError('NOT_FOUND', 'no such invoice')
    expect(asInputError(e, 'f', { x: [null, 'object'] })).toBe(e)
  })

  it('tells an inner public function’s INVALID_INPUT again for the outer one when the outer’s own argument has the wrong kind', () => {
    const inner = asInputError(new TypeError('x'), 'inRange', { range: [null, 'object'] })
    const outer = asInputError(inner, 'consentApplies', { consent: [42, 'object', 'a stored consent'], day: ['2026-03-02', 'date'] })
    expect(outer.message).toBe('[ecole] consentApplies: consent must be a stored consent (an object), got 42')
    expect(outer.cause).toBe(inner)
    // the outer's arguments all have their kinds: the inner error is the better one, kept as it is
    expect(asInputError(inner, 'consentApplies', { consent: [{}, 'object'] })).toBe(inner)
    // the same function (a recursive call) keeps its own error
    expect(asInputError(inner, 'inRange', { range: [7, 'object'] })).toBe(inner)
  })

  it('names the first argument of the wrong kind, what it must be and what it got, keeping the cause', () => {
    const e = thrown(() => linesTotal(null as never))
    expect(isEcoleError(e, 'INVALID_INPUT')).toBe(true)
    const error = e as EcoleError<'INVALID_INPUT'>
    expect(error.message).toBe('[ecole] linesTotal: invoice must be a stored invoice (an object), got null')
    expect(error.details.issues).toEqual([{ path: 'invoice', code: 'invalid_type', message: 'must be a stored invoice (an object), got null' }])
    expect(error.details['function']).toBe('linesTotal')
    expect(error.cause).toBeInstanceOf(TypeError)
  })

  it('skips arguments of the right kind and an optional one left undefined', () => {
    const e = asInputError(new TypeError('boom'), 'f', {
      rules: [[], 'array'],
      on: [undefined, 'date?'],
      at: [new Date(Number.NaN), 'instant', 'the moment of the call'],
    })
    expect(e.message).toBe('[ecole] f: at must be the moment of the call (a valid Date), got an invalid Date')
  })

  it('tells a LocalDate from another string', () => {
    expect(asInputError(new TypeError('x'), 'f', { day: ['2026-13', 'date'] }).message).toBe('[ecole] f: day must be a LocalDate (YYYY-MM-DD), got "2026-13"')
    expect((asInputError(new TypeError('x'), 'f', { day: ['2026-03-02', 'date'] }) as EcoleError<'INVALID_INPUT'>).details.issues[0]!.path).toBe('')
  })

  it('when every argument has its kind, names them all and quotes the cause', () => {
    const e = thrown(() => linesTotal({ lines: [null] } as never)) as EcoleError<'INVALID_INPUT'>
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toMatch(/^\[ecole\] linesTotal could not use invoice: a value inside is not what the library builds \(TypeError: Cannot read properties of null/)
    expect(e.details.issues[0]!.path).toBe('')
  })

  prop.prop([fc.anything(), fc.anything(), fc.anything()])('never throws, and always returns an EcoleError, whatever it is given', (error, fn, args) => {
    const out = asInputError(error, fn as string, args as never)
    expect(isEcoleError(out)).toBe(true)
    if (isEcoleError(error)) expect(out).toBe(error)
    else expect(out.code).toBe('INVALID_INPUT')
  })
})

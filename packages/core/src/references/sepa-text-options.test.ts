import { describe, expect, it } from 'vitest'
import { toSepaText } from './sepa-text'

const refused = (path: string | RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: typeof path === 'string' ? expect.stringContaining(path) : expect.stringMatching(path) })

describe('toSepaText options', () => {
  it('cuts to maxLength and spells umlauts out in the german style', () => {
    expect(toSepaText('Müller & Söhne', { style: 'german', maxLength: 10 })).toBe('Mueller +')
  })

  it('refuses a misspelt key naming the key it meant, instead of writing the text uncut or in the default style', () => {
    expect(() => toSepaText('Müller', { maxlength: 3 } as never)).toThrow(refused(/options\.maxlength: unknown key .*did you mean `maxLength`/))
    expect(() => toSepaText('Müller', { stye: 'german' } as never)).toThrow(refused(/options\.stye: unknown key .*did you mean `style`/))
  })

  it('refuses a style other than epc or german, and a maxLength or replacement of the wrong kind', () => {
    for (const style of [1, 'German', 'din']) expect(() => toSepaText('Müller', { style } as never)).toThrow(refused('options.style'))
    for (const maxLength of ['10', 2.5, -1]) expect(() => toSepaText('Müller', { maxLength } as never)).toThrow(refused('options.maxLength'))
    expect(() => toSepaText('Müller', { replacement: 0 } as never)).toThrow(refused('options.replacement'))
  })

  it('refuses options that are not an object', () => {
    for (const options of ['german', 70, [], null]) expect(() => toSepaText('Müller', options as never)).toThrow(refused('options'))
  })
})

import { describe, expect, it } from 'vitest'
import { ChildSchema } from './child'
import { GuardianSchema } from './guardian'
import { HouseholdSchema } from './household'
import { NAME_FORBIDDEN_CHARACTERS, personName } from './person-name'

const guardian = { id: 'g1', siteId: 's1', householdId: 'h1', firstName: 'Marie', lastName: 'Dupont' }
const child = { id: 'c1', siteId: 's1', firstName: 'Léa', lastName: 'Dupont', birthDate: '2019-05-14', guardians: [{ guardianId: 'g1', relationship: 'mother' }] }

describe('personName', () => {
  it('keeps names of every script, with their accents, apostrophes, hyphens and the LRM/RLM marks, trimmed', () => {
    for (const name of ['Léa', 'Nguyễn Thị Hoa', "D'Artagnan-Dupré", 'Øyvind Ærø', 'محمد\u200F', 'שרה', '李小龙', 'Ẓoë Ğül']) {
      expect(personName(100).parse(` ${name} `)).toBe(name)
    }
  })

  it('refuses a bidirectional override, embedding or isolate, which turns the text after it around wherever the name is shown', () => {
    for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const r = personName(100).safeParse(`Martin${c}fdp.exe`)
      expect(r.success, `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`).toBe(false)
      expect(r.error?.issues[0]?.message).toMatch(/bidirectional overrides/)
    }
  })

  it('refuses control characters and line breaks, even at the ends where trimming would hide them', () => {
    for (const c of ['\n', '\r', '\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029']) {
      expect(personName(100).safeParse(`Marie${c}`).success).toBe(false)
      expect(NAME_FORBIDDEN_CHARACTERS.test(`a${c}b`)).toBe(true)
    }
  })

  it("is how a guardian's, a child's and a household's names are checked: the path names the field", () => {
    const g = GuardianSchema.safeParse({ ...guardian, lastName: 'Martin\u202Efdp.exe' })
    expect(g.success).toBe(false)
    expect(g.error?.issues[0]?.path).toEqual(['lastName'])
    const c = ChildSchema.safeParse({ ...child, firstName: 'L\u202Eéa' })
    expect(c.error?.issues[0]?.path).toEqual(['firstName'])
    const h = HouseholdSchema.safeParse({ id: 'h1', siteId: 's1', name: 'Famille\u2067 Dupont' })
    expect(h.error?.issues[0]?.path).toEqual(['name'])
    expect(GuardianSchema.parse(guardian).lastName).toBe('Dupont')
    expect(ChildSchema.parse(child).firstName).toBe('Léa')
  })

  it('refuses a maximum that is not a number, naming it', () => {
    expect(() => personName('x' as never)).toThrow(/max/)
  })
})

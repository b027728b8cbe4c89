import { describe, expect, it } from 'vitest'
import { isEcoleError, parseInput } from '../errors'
import { SiteSchema, SmtpSettingsInputSchema, portalText, siteView, type Site } from './site'

describe('SiteSchema', () => {
  it('requires a name and a country', () => {
    const r = SiteSchema.safeParse({ id: 's1', name: '  ' })
    expect(r.success).toBe(false)
    const paths = r.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toContain('name')
    expect(paths).toContain('country')
  })

  it('sets the time zone from the country (Italy -> Europe/Rome) and lets it be overridden', () => {
    expect(SiteSchema.parse({ id: 's1', name: 'Plesso Garibaldi', country: 'it' }).timeZone).toBe('Europe/Rome')
    expect(SiteSchema.parse({ id: 's1', name: 'Saint-Denis', country: 'FR', timeZone: 'Indian/Reunion' }).timeZone).toBe('Indian/Reunion')
  })

  it('asks for a time zone when the country has no default', () => {
    const r = SiteSchema.safeParse({ id: 's1', name: 'X', country: 'JP' })
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.path).toEqual(['timeZone'])
  })

  it('keeps both options off by default (browser attendance off is recommended)', () => {
    const s = SiteSchema.parse({ id: 's1', name: 'X', country: 'IT' })
    expect(s.options).toEqual({ supplierEInvoices: false, browserAttendance: false })
  })

  it('reads empty licence limits as unlimited and digits as numbers', () => {
    const s = SiteSchema.parse({ id: 's1', name: 'X', country: 'IT', licence: { maxPupils: '300', maxStorageGb: '' } })
    expect(s.licence).toEqual({ maxPupils: 300, maxStorageGb: null })
    expect(SiteSchema.safeParse({ id: 's1', name: 'X', country: 'IT', licence: { maxPupils: 0 } }).success).toBe(false)
    // pupils are counted whole, storage may be a fraction of a GB
    expect(SiteSchema.safeParse({ id: 's1', name: 'X', country: 'IT', licence: { maxPupils: '12.5' } }).success).toBe(false)
    expect(SiteSchema.parse({ id: 's1', name: 'X', country: 'IT', licence: { maxStorageGb: '0.5' } }).licence.maxStorageGb).toBe(0.5)
  })

  it('checks the shape of the contacts, PEC included, and the website', () => {
    const r = SiteSchema.safeParse({
      id: 's1', name: 'X', country: 'IT',
      contact: { pec: 'not-an-address', phone: 'abc', email: 'info@scuola.it' },
      website: 'ftp://scuola.it',
    })
    expect(r.success).toBe(false)
    const paths = r.error!.issues.map((i) => i.path.join('.')).sort()
    expect(paths).toEqual(['contact.pec', 'contact.phone', 'website'])
  })

  it('names the field and the rule in the error message', () => {
    try {
      parseInput(SiteSchema, { id: 's1', name: 'X' }, 'site')
      expect.unreachable()
    } catch (e) {
      expect(isEcoleError(e)).toBe(true)
      expect((e as Error).message).toMatch(/^\[ecole\] .*site\.country/)
    }
  })
})

describe('SMTP settings', () => {
  it('accepts the port as a form string and refuses one out of range', () => {
    const base = { host: 'smtp.example.it', username: 'u', password: 'p', security: 'ssl' }
    expect(SmtpSettingsInputSchema.parse({ ...base, port: '465' }).port).toBe(465)
    expect(SmtpSettingsInputSchema.safeParse({ ...base, port: 70000 }).success).toBe(false)
  })

  it('never shows the sealed password in a read', () => {
    const settings = SiteSchema.parse({ id: 's1', name: 'X', country: 'IT' })
    const site: Site = {
      ...settings,
      smtp: {
        host: 'smtp.example.it', port: 465, username: 'u', security: 'ssl', fromAddress: undefined, fromName: undefined,
        password: { algorithm: 'aes-256-gcm', keyId: 'k1', iv: 'aXY=', tag: 'dGFn', ciphertext: 'Y2lwaGVy' },
      },
    }
    const view = siteView(site)
    expect(view.smtp).not.toHaveProperty('password')
    expect(view.smtp?.passwordSet).toBe(true)
    expect(JSON.stringify(view)).not.toContain('Y2lwaGVy')
  })
})

describe('portal texts: what the site shows families on its portal', () => {
  it('are kept per place and language, trimmed, and default to none', () => {
    expect(SiteSchema.parse({ id: 's1', name: 'École', country: 'FR' }).portalTexts).toEqual({})
    expect(SiteSchema.parse({ id: 's1', name: 'École', country: 'FR', portalTexts: { home: { fr: '  Les menus sont en ligne. ' } } }).portalTexts).toEqual({ home: { fr: 'Les menus sont en ligne.' } })
  })

  it('refuses an unknown place, an unknown language or a text over 2,000 characters, naming it', () => {
    const paths = (input: unknown) => {
      const r = SiteSchema.safeParse({ id: 's1', name: 'École', country: 'FR', portalTexts: input })
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    }
    expect(paths({ footer: { fr: 'x' } })).toEqual(['portalTexts: Unrecognized key: "footer"'])
    expect(paths({ home: { de: 'x' } })).toEqual(['portalTexts.home: Unrecognized key: "de"'])
    expect(paths({ home: { fr: 'x'.repeat(2001) } })).toEqual(['portalTexts.home.fr: must be at most 2,000 characters'])
  })

  it('are read in the family’s language, else in French, English, Italian, Dutch order', () => {
    const site = { portalTexts: { contact: { en: 'Office: 9-12', nl: 'Kantoor: 9-12' } } }
    expect(portalText(site, 'contact', 'nl')).toBe('Kantoor: 9-12')
    expect(portalText(site, 'contact', 'it')).toBe('Office: 9-12')
    expect(portalText(site, 'contact', 'fr', ['nl'])).toBe('Kantoor: 9-12')
    expect(portalText(site, 'home', 'fr')).toBeUndefined()
  })
})

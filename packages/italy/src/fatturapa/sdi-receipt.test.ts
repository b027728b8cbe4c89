import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { fixture, fixtureText } from '../test-support/fixtures'
import { parseSdiReceipt } from './sdi-receipt'

describe('SDI receipts and notifications', () => {
  it('reads a delivery receipt (RC): the file, when it was received and delivered', () => {
    const r = parseSdiReceipt(fixture('sdi/IT01234567890_11111_RC_001.xml'))
    expect(r).toMatchObject({ kind: 'RC', sdiId: '111', fileName: 'IT01234567890_11111.xml.p7m', receivedAt: '2013-06-06T12:00:00Z', deliveredAt: '2013-06-06T12:01:00Z', messageId: '123456' })
  })

  it('reads a rejection (NS) with each error code and text', () => {
    const r = parseSdiReceipt(fixtureText('sdi/IT01234567890_11111_NS_001.xml'))
    expect(r.kind).toBe('NS')
    expect(r.errors).toEqual([{ code: '00100', description: 'Certificato di firma scaduto' }])
  })

  it('reads every other kind by its root element: MC, NE, EC, SE, DT, AT, MT', () => {
    const kinds = ['MC', 'NE', 'EC', 'SE', 'DT', 'AT', 'MT'].map((k) => parseSdiReceipt(fixtureText(`sdi/IT01234567890_11111_${k}_001.xml`)).kind)
    expect(kinds).toEqual(['MC', 'NE', 'EC', 'SE', 'DT', 'AT', 'MT'])
    expect(parseSdiReceipt(fixtureText('sdi/IT01234567890_11111_NE_001.xml')).outcome).toBe('EC01')
    expect(parseSdiReceipt(fixtureText('sdi/IT01234567890_11111_SE_001.xml')).outcome).toBe('EN00')
  })

  it('refuses an invoice, or a receipt without its SDI identifier, with FATTURAPA_MALFORMED', () => {
    for (const bad of [fixtureText('fatturapa/IT01234567890_FPR01.xml'), fixtureText('sdi/IT01234567890_11111_RC_001.xml').replace('<IdentificativoSdI>111</IdentificativoSdI>', '')]) {
      let caught: unknown
      try {
        parseSdiReceipt(bad)
      } catch (e) {
        caught = e
      }
      expect(isEcoleError(caught, 'FATTURAPA_MALFORMED')).toBe(true)
    }
  })
})

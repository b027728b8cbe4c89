import { isEcoleError } from '@ecole/core'
import { describe, expect, it } from 'vitest'
import { fixture } from '../test-support/fixtures'
import { openSignedEnvelope } from './envelope'
import { parseFatturaPA } from './parse-fatturapa'

/** The DER envelope with `from` replaced by `to` (same length) inside its signed content. */
function tamper(der: Uint8Array, from: string, to: string): Uint8Array {
  expect(to.length).toBe(from.length)
  const buf = Buffer.from(der)
  const at = buf.indexOf(Buffer.from(from, 'latin1'))
  expect(at).toBeGreaterThan(0)
  Buffer.from(to, 'latin1').copy(buf, at)
  return new Uint8Array(buf)
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    expect(isEcoleError(e)).toBe(true)
    return (e as { code: string }).code
  }
  throw new Error('expected an EcoleError')
}

describe('signed .p7m envelopes (CAdES)', () => {
  it('opens a DER envelope: the signer from its certificate, the signing time, the content intact', async () => {
    const env = await openSignedEnvelope(fixture('oca/IT01234567890_FPR03.xml.p7m'))
    expect(env.encoding).toBe('der')
    expect(env.signer).toMatchObject({ commonName: 'CORATO SERGIO', serialNumber: 'TINIT-CRTSRG74M18A459G', country: 'IT', issuer: 'InfoCert Firma Qualificata 2' })
    expect(env.signingTime).toBe('2018-12-21T15:58:13.000Z')
    expect(env.intact).toBe(true)
    expect(env.problem).toBeNull()
    expect(Buffer.from(env.content.subarray(0, 5)).toString()).toBe('<?xml')
  })

  it('opens the same envelope in base64, on one line or with line breaks, to the same content', async () => {
    const der = await openSignedEnvelope(fixture('oca/IT01234567890_FPR03.xml.p7m'))
    for (const f of ['oca/IT01234567890_FPR03.base64.xml.p7m', 'oca/IT01234567890_FPR04.base64.xml.p7m']) {
      const env = await openSignedEnvelope(fixture(f))
      expect(env.encoding).toBe('base64')
      expect(env.intact).toBe(true)
      expect(Buffer.from(env.content).equals(Buffer.from(der.content))).toBe(true)
    }
  })

  it('says the content was tampered with when one digit of an amount changed after signing', async () => {
    const tampered = tamper(fixture('oca/IT01234567890_FPR03.xml.p7m'), '<ImportoPagamento>32.50', '<ImportoPagamento>39.50')
    const env = await openSignedEnvelope(tampered)
    expect(env.intact).toBe(false)
    expect(env.problem).toMatch(/digest/i)
    expect(env.signer.commonName).toBe('CORATO SERGIO')
    const file = await parseFatturaPA(tampered, { fileName: 'IT01234567890_FPR03.xml.p7m' })
    expect(file.envelope?.intact).toBe(false)
  })

  it('refuses an envelope that is truncated, blank, or base64 of something else, with FATTURAPA_ENVELOPE_CORRUPT', async () => {
    const der = fixture('oca/IT01234567890_FPR03.xml.p7m')
    expect(await code(openSignedEnvelope(der.subarray(0, 4000)))).toBe('FATTURAPA_ENVELOPE_CORRUPT')
    expect(await code(openSignedEnvelope(fixture('oca/IT05979361218_fake.xml.p7m')))).toBe('FATTURAPA_ENVELOPE_CORRUPT')
    expect(await code(openSignedEnvelope(new Uint8Array(Buffer.from('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', 'latin1'))))).toBe('FATTURAPA_ENVELOPE_CORRUPT')
    expect(await code(parseFatturaPA(fixture('oca/IT05979361218_fake.xml.p7m'), { fileName: 'IT05979361218_00001.xml.p7m' }))).toBe('FATTURAPA_ENVELOPE_CORRUPT')
  })

  it('reads the invoices inside an envelope like the plain file', async () => {
    const file = await parseFatturaPA(fixture('oca/IT01234567890_FPR03.xml.p7m'), { fileName: 'IT01234567890_FPR03.xml.p7m' })
    expect(file.envelope).toMatchObject({ encoding: 'der', intact: true, signer: { commonName: 'CORATO SERGIO' } })
    expect(file.invoices.map((i) => i.number)).toEqual(['123', '456'])
    expect(file.fileName?.signed).toBe(true)
  })

  it('reads a certificate once for many envelopes, and a caller changing one result does not change the next', async () => {
    const first = await openSignedEnvelope(fixture('oca/IT01234567890_FPR03.xml.p7m'))
    first.signer.commonName = 'SOMEONE ELSE'
    const second = await openSignedEnvelope(fixture('oca/IT01234567890_FPR04.base64.xml.p7m'))
    expect(second.signer.commonName).toBe('CORATO SERGIO')
    expect(second.intact).toBe(true)
  })
})

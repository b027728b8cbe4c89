import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { epcQr } from './index'

function issues(f: () => unknown): Array<{ path: string; message: string }> {
  try {
    f()
  } catch (e) {
    if (isEcoleError(e) && e.code === 'INVALID_INPUT') return e.details.issues as Array<{ path: string; message: string }>
    throw e
  }
  throw new Error('expected an EcoleError')
}

const OUTSIDE_EEA = {
  CH: { iban: 'CH93 0076 2011 6238 5295 7', bic: 'UBSWCHZH80A' },
  GB: { iban: 'GB29 NWBK 6016 1331 9268 19', bic: 'NWBKGB2L' },
  MC: { iban: 'MC58 1122 2000 0101 2345 6789 030', bic: 'CMCIMCM1' },
  SM: { iban: 'SM86 U032 2509 8000 0000 0270 100', bic: 'ICRASMSMXXX' },
}

describe('epcQr.payload BIC (EPC069-12 version 002: optional only within the EEA)', () => {
  it('refuses an IBAN outside the EEA (CH, GB, MC, SM) without a BIC, naming the BIC field', () => {
    for (const [country, { iban }] of Object.entries(OUTSIDE_EEA)) {
      for (const bic of [undefined, '', '  ']) {
        const found = issues(() => epcQr.payload({ name: 'Ecole du Lac', iban, ...(bic === undefined ? {} : { bic }), amount: '10.00' }))
        expect(found.map((i) => i.path)).toEqual(['epcQr.bic'])
        expect(found[0]!.message).toContain(`IBAN of ${country}, outside the EEA`)
      }
    }
  })

  it('accepts an IBAN outside the EEA with its BIC, written on line 5', () => {
    for (const { iban, bic } of Object.values(OUTSIDE_EEA)) expect(epcQr.payload({ name: 'Ecole du Lac', iban, bic, amount: '10.00' }).split('\n')[4]).toBe(bic)
  })

  it('accepts an IBAN of the EEA (EU, Iceland, Liechtenstein, Norway) without a BIC', () => {
    for (const iban of ['BE15 7326 6455 4630', 'FR14 2004 1010 0505 0001 3M02 606', 'NO93 8601 1117 947', 'DE89 3704 0044 0532 0130 00']) {
      expect(epcQr.payload({ name: 'Ecole', iban, amount: '1.00' }).split('\n')[4]).toBe('')
    }
  })
})

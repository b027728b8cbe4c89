import { fc, test } from '@fast-check/vitest'
import { isEcoleError } from '@ecole/core'
import { describe, expect } from 'vitest'
import { fixture } from '../test-support/fixtures'
import { openSignedEnvelope, type SignedEnvelope } from './envelope'

const der = fixture('oca/IT01234567890_FPR03.xml.p7m')
let original: SignedEnvelope | undefined

async function open(bytes: Uint8Array): Promise<SignedEnvelope | 'corrupt'> {
  try {
    return await openSignedEnvelope(bytes)
  } catch (e) {
    expect(isEcoleError(e) && e.code === 'FATTURAPA_ENVELOPE_CORRUPT').toBe(true)
    return 'corrupt'
  }
}

describe('signed envelopes damaged anywhere (properties)', () => {
  test.prop([fc.array(fc.record({ at: fc.nat({ max: der.length - 1 }), byte: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 4 })], { numRuns: 300 })(
    'a damaged envelope either opens or is refused as FATTURAPA_ENVELOPE_CORRUPT, and it is said intact only when its content is the signed content',
    async (changes) => {
      original ??= await openSignedEnvelope(der)
      const bytes = new Uint8Array(der)
      for (const c of changes) bytes[c.at] = c.byte
      const env = await open(bytes)
      if (env !== 'corrupt' && env.intact) expect(Buffer.from(env.content).equals(Buffer.from(original.content))).toBe(true)
    },
  )

  test.prop([fc.nat({ max: der.length - 1 })], { numRuns: 100 })('an envelope cut short anywhere is refused as FATTURAPA_ENVELOPE_CORRUPT', async (length) => {
    expect(await open(der.subarray(0, length))).toBe('corrupt')
  })

  test.prop([fc.uint8Array({ minLength: 0, maxLength: 200 })], { numRuns: 200 })('random bytes starting like a SEQUENCE are refused, never a crash', async (tail) => {
    expect(await open(new Uint8Array([0x30, ...tail]))).toBe('corrupt')
  })
})

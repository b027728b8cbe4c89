import { describe, expect, it } from 'vitest'
import { isEcoleError } from '../errors'
import { PupilTransferSchema, pupilTransfer, pupilTransferId } from './pupil-transfer'

const line = { siteId: 's1', schoolId: 'clg', direction: 'received' as const, childId: 'c1', ine: '070803070aj', date: '2026-09-01', otherUai: '0750001u', recordedAt: '2026-09-01T08:00:00Z' }

describe('a line of the pupil-data transfer log', () => {
  it('is identified by its direction, INE, day and school, so one transfer is one line', () => {
    expect(pupilTransfer(line)).toMatchObject({ id: 'received:070803070AJ:2026-09-01:clg', ine: '070803070AJ', otherUai: '0750001U' })
    expect(pupilTransferId({ ...line, direction: 'sent' })).not.toBe(pupilTransferId(line))
  })

  it('refuses an id that is not the one its fields give', () => {
    expect(PupilTransferSchema.safeParse({ ...line, id: 'something-else' }).success).toBe(false)
  })

  it('refuses an INE, a UAI or a day that is not one, naming the field', () => {
    for (const [field, value] of [['ine', '12345'], ['otherUai', '0750001A'], ['date', '2026-02-30'], ['recordedAt', 'yesterday']] as const) {
      const error = (() => { try { pupilTransfer({ ...line, [field]: value }) } catch (e) { return e } return undefined })()
      expect(isEcoleError(error) && [error.code, error.message.includes(field)]).toEqual(['INVALID_INPUT', true])
    }
  })

  it('may leave the other establishment unknown', () => {
    expect(pupilTransfer({ ...line, otherUai: undefined }).otherUai).toBeUndefined()
  })
})

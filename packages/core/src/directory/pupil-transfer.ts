import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { isValid as isValidIne } from '../references/ine'
import { isValid as isValidUai } from '../references/uai'
import { LocalDateSchema } from '../time/local-date-schema'
import { RecordIdSchema, optionalText } from './fields'

const fields = {
  siteId: RecordIdSchema,
  /** The establishment whose log this is. */
  schoolId: RecordIdSchema,
  /** Received from, or sent to, the establishment on the other side. */
  direction: z.enum(['received', 'sent']),
  /** The child in the directory. */
  childId: RecordIdSchema,
  /** Its INE (only pupils with one can be transferred). */
  ine: z.string().trim().toUpperCase().refine(isValidIne, { message: 'must be an INE: 11 characters in one of the published formats, e.g. 123456789AB' }),
  /** Day of arrival or departure. */
  date: LocalDateSchema,
  /** UAI of the establishment on the other side, when known. */
  otherUai: optionalText(z.string().trim().toUpperCase().refine(isValidUai, { message: 'must be a UAI code: 7 digits and its check letter, e.g. 0751234J' })),
  /** When the log line was recorded (ISO 8601 instant, the caller's clock). */
  recordedAt: z.iso.datetime({ offset: true }),
}

const PupilTransferFieldsSchema = z.strictObject(fields)

/**
 * Schema of one line of an establishment's pupil-data transfer log (seed 003, "Visualiser les
 * transferts effectués"): a pupil received from another establishment or sent to one, on a day,
 * kept only while the school's transfer is switched on with its CNIL declaration. The `id` is
 * {@link pupilTransferId} of the other fields, so recording the same transfer twice stores it once.
 *
 * @example
 * PupilTransferSchema.parse({
 *   id: 'received:070803070AJ:2026-09-01:clg', siteId: 's1', schoolId: 'clg', direction: 'received',
 *   childId: 'c1', ine: '070803070aj', date: '2026-09-01', otherUai: '0750001U', recordedAt: '2026-09-01T08:00:00.000Z',
 * }).ine //=> '070803070AJ'
 */
export const PupilTransferSchema = z
  .strictObject({ id: RecordIdSchema, ...fields })
  .refine((t) => t.id === pupilTransferId(t), { message: 'must be pupilTransferId(direction, ine, date, schoolId)', path: ['id'] })
/** A transfer-log line as a caller writes it. */
export type PupilTransferInput = z.input<typeof PupilTransferSchema>
/** A line of an establishment's pupil-data transfer log. */
export type PupilTransfer = z.output<typeof PupilTransferSchema>

/**
 * The id of a transfer-log line: direction, INE, day and school, so that one transfer has one line.
 *
 * @example
 * pupilTransferId({ direction: 'sent', ine: '070803070aj', date: '2027-02-01', schoolId: 'clg' }) //=> 'sent:070803070AJ:2027-02-01:clg'
 */
export function pupilTransferId(t: { direction: 'received' | 'sent'; ine: string; date: string; schoolId: string }): string {
  for (const field of ['direction', 'ine', 'date', 'schoolId'] as const) {
    if (typeof (t as Partial<Record<string, unknown>> | null | undefined)?.[field] !== 'string') {
      throw new EcoleError('INVALID_INPUT', `[ecole] invalid input for pupilTransferId: ${field} must be a string`, { details: { field } })
    }
  }
  return `${t.direction}:${t.ine.trim().toUpperCase()}:${t.date}:${t.schoolId}`
}

/**
 * Builds a validated transfer-log line, its id computed.
 *
 * @example
 * pupilTransfer({ siteId: 's1', schoolId: 'clg', direction: 'sent', childId: 'c1', ine: '070803070AJ', date: '2027-02-01', otherUai: undefined, recordedAt: '2027-02-01T09:00:00Z' }).id
 * //=> 'sent:070803070AJ:2027-02-01:clg'
 * @throws EcoleError `INVALID_INPUT` naming the field (an INE or UAI that is not one, a day that is not a calendar day).
 */
export function pupilTransfer(input: Omit<PupilTransferInput, 'id'>): PupilTransfer {
  const line = parseInput(PupilTransferFieldsSchema, input, 'pupilTransfer')
  return parseInput(PupilTransferSchema, { id: pupilTransferId(line), ...line }, 'pupilTransfer')
}

import * as z from 'zod'
import { isLocalDate, type LocalDate } from './local-date'

// Apart from local-date.ts, so that code using dates alone does not bundle zod.

/**
 * Schema of a {@link LocalDate} (`'YYYY-MM-DD'`, a real day).
 *
 * @example
 * LocalDateSchema.parse('2026-09-01') //=> '2026-09-01'
 */
export const LocalDateSchema = z.string().refine(isLocalDate, { message: 'must be a calendar day written YYYY-MM-DD' }) as unknown as z.ZodType<LocalDate, string>

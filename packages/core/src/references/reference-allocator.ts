import { describeValue } from '../describe-value'
import * as z from 'zod'
import { match } from 'ts-pattern'
import { EcoleError, parseInput } from '../errors'
import * as ogm from './ogm'
import * as pagoPa from './pago-pa'
import * as rf from './rf'

/** The reference schemes the allocator can produce. */
export type PaymentReferenceScheme = 'ogm' | 'rf' | 'pagoPa'

/** What an allocated reference pays: a prepaid wallet (stable) or one invoice (unique). */
export type PaymentReferenceKind = 'wallet' | 'invoice'

/** Length of the numeric base each scheme carries before its check digits. */
const BASE_LENGTH: Record<PaymentReferenceScheme, number> = { ogm: 10, rf: 21, pagoPa: 13 }

/**
 * Schema of a numbering space, as configuration sends it. The base of every reference is
 * `siteCode` + kind digit (wallet or invoice) + the sequence number left-padded to
 * `sequenceDigits`; the scheme then adds its check digits.
 *
 * - `ogm`: base of 10 digits (siteCode + kind + sequence must make exactly 10).
 * - `rf`: base of at most 21 characters (sequenceDigits defaults to 10).
 * - `pagoPa`: IUV base of 13 digits in a notice with aux digit 3 and the space's `segregationCode`.
 */
export const ReferenceSpaceSchema = z
  .strictObject({
    scheme: z.enum(['ogm', 'rf', 'pagoPa']),
    siteCode: z.string().regex(/^\d{0,12}$/, 'must be 0 to 12 digits'),
    walletKind: z.string().regex(/^\d$/, 'must be one digit').default('1'),
    invoiceKind: z.string().regex(/^\d$/, 'must be one digit').default('2'),
    sequenceDigits: z.number().int().min(1).max(20).optional(),
    segregationCode: z.string().regex(/^\d{2}$/, 'must be two digits').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.walletKind === v.invoiceKind) ctx.addIssue({ code: 'custom', path: ['invoiceKind'], message: 'must differ from walletKind' })
    if (v.scheme === 'pagoPa' && v.segregationCode === undefined) ctx.addIssue({ code: 'custom', path: ['segregationCode'], message: 'is required for pagoPA notices' })
    const room = BASE_LENGTH[v.scheme] - v.siteCode.length - 1
    const digits = v.sequenceDigits ?? (v.scheme === 'rf' ? Math.min(10, room) : room)
    if (digits < 1) ctx.addIssue({ code: 'custom', path: ['siteCode'], message: `leaves no room for a sequence in a ${v.scheme} base of ${BASE_LENGTH[v.scheme]}` })
    else if (v.scheme !== 'rf' && digits !== room) {
      ctx.addIssue({ code: 'custom', path: ['sequenceDigits'], message: `must be ${room}: siteCode + kind + sequence make the ${BASE_LENGTH[v.scheme]}-digit ${v.scheme} base` })
    } else if (digits > room) ctx.addIssue({ code: 'custom', path: ['sequenceDigits'], message: `must be at most ${room} (an RF body has at most 21 characters)` })
  })
  .transform((v) => {
    const room = BASE_LENGTH[v.scheme] - v.siteCode.length - 1
    return { ...v, sequenceDigits: v.sequenceDigits ?? (v.scheme === 'rf' ? Math.min(10, room) : room) }
  })

/** A numbering space as configuration sends it (see {@link ReferenceSpaceSchema}). */
export type ReferenceSpaceInput = z.input<typeof ReferenceSpaceSchema>
/** A validated numbering space (defaults filled in). */
export type ReferenceSpace = z.output<typeof ReferenceSpaceSchema>

/** A reference the allocator produced. */
export interface AllocatedReference {
  /** Its scheme. */
  scheme: PaymentReferenceScheme
  /** What it pays. */
  kind: PaymentReferenceKind
  /** The sequence number it carries (the wallet's or the invoice's number in the space). */
  sequence: bigint
  /** The form bank files carry: OGM 12 digits, RF electronic form, pagoPA 18-digit notice. */
  electronic: string
  /** The form printed for people: `+++ddd/dddd/ddddd+++`, `RF18 5390 0754 7034`, notice in groups of four. */
  display: string
}

/**
 * Validates a numbering space once (at configuration time), filling in defaults.
 *
 * @example
 * defineReferenceSpace({ scheme: 'ogm', siteCode: '042' }).sequenceDigits //=> 6
 * @throws EcoleError `INVALID_INPUT` naming the field (`referenceSpace.siteCode`...).
 */
export function defineReferenceSpace(input: ReferenceSpaceInput): ReferenceSpace {
  return parseInput(ReferenceSpaceSchema, input, 'referenceSpace')
}

function toSequence(n: number | bigint | string): bigint {
  if (typeof n === 'bigint' && n >= 0n) return n
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return BigInt(n)
  if (typeof n === 'string' && /^\d+$/.test(n)) return BigInt(n)
  throw new EcoleError('INVALID_INPUT', `sequence: must be a non-negative integer (number, bigint or digit string), got ${describeValue(String(n))}`, { details: { field: 'sequence' } })
}

function allocate(spaceInput: ReferenceSpace | ReferenceSpaceInput, kind: PaymentReferenceKind, n: number | bigint | string): AllocatedReference {
  const space = defineReferenceSpace(spaceInput as ReferenceSpaceInput)
  const sequence = toSequence(n)
  const max = 10n ** BigInt(space.sequenceDigits) - 1n
  if (sequence > max) {
    throw new EcoleError('REFERENCE_SPACE_EXHAUSTED', `sequence ${sequence} does not fit the ${space.sequenceDigits}-digit sequence of this ${space.scheme} space (0..${max})`, {
      details: { field: 'sequence', sequence: sequence.toString(), max: max.toString(), scheme: space.scheme, siteCode: space.siteCode },
    })
  }
  const base = `${space.siteCode}${kind === 'wallet' ? space.walletKind : space.invoiceKind}${sequence.toString().padStart(space.sequenceDigits, '0')}`
  return match(space.scheme)
    .with('ogm', () => {
      const display = ogm.generate(base)
      return { scheme: 'ogm' as const, kind, sequence, electronic: ogm.normalize(display), display }
    })
    .with('rf', () => {
      const electronic = rf.generate(base)
      return { scheme: 'rf' as const, kind, sequence, electronic, display: rf.format(electronic) }
    })
    .with('pagoPa', () => {
      const electronic = pagoPa.generateNotice({ segregationCode: space.segregationCode!, base })
      return { scheme: 'pagoPa' as const, kind, sequence, electronic, display: pagoPa.formatNotice(electronic) }
    })
    .exhaustive()
}

/**
 * The stable payment reference of a prepaid wallet: the same wallet number always gives the same
 * reference, so a parent can set up a standing order once.
 *
 * Pure: the caller supplies the wallet's number in the space. Storage keeps the counter and
 * assigns each wallet its number once, inside the transaction that creates the wallet (never
 * `MAX(n)+1` outside a transaction).
 *
 * @example
 * walletPaymentReference({ scheme: 'ogm', siteCode: '042' }, 17).display //=> '+++042/1000/01735+++'
 * @throws EcoleError `INVALID_INPUT` for a bad space or number; `REFERENCE_SPACE_EXHAUSTED` when the number does not fit.
 */
export function walletPaymentReference(space: ReferenceSpace | ReferenceSpaceInput, walletNumber: number | bigint | string): AllocatedReference {
  return allocate(space, 'wallet', walletNumber)
}

/**
 * The unique payment reference of one invoice, from the invoice's sequence number in the space.
 *
 * Pure: the caller supplies the next number of the space's invoice counter, which storage keeps
 * and increments atomically (one number per invoice, never reused).
 *
 * @example
 * invoicePaymentReference({ scheme: 'rf', siteCode: '042' }, 5).display //=> 'RF89 0422 0000 0000 05'
 * invoicePaymentReference({ scheme: 'pagoPa', siteCode: '42', segregationCode: '01' }, 5).electronic //=> '301422000000000550'
 * @throws EcoleError `INVALID_INPUT` for a bad space or number; `REFERENCE_SPACE_EXHAUSTED` when the number does not fit.
 */
export function invoicePaymentReference(space: ReferenceSpace | ReferenceSpaceInput, invoiceNumber: number | bigint | string): AllocatedReference {
  return allocate(space, 'invoice', invoiceNumber)
}

/**
 * Reads back which wallet or invoice a reference of this space designates, or undefined when the
 * reference is invalid or belongs to another space (another scheme, site, segregation code or
 * kind digit). Accepts every spelling the scheme's `isValid` accepts. Used to reconcile incoming
 * payments.
 *
 * @example
 * identifyPaymentReference({ scheme: 'ogm', siteCode: '042' }, '+++042/1000/01735+++') //=> { kind: 'wallet', sequence: 17n }
 * identifyPaymentReference({ scheme: 'ogm', siteCode: '043' }, '+++042/1000/01735+++') //=> undefined
 */
export function identifyPaymentReference(
  space: ReferenceSpace | ReferenceSpaceInput,
  reference: string,
): { kind: PaymentReferenceKind; sequence: bigint } | undefined {
  const s = defineReferenceSpace(space as ReferenceSpaceInput)
  const base = match(s.scheme)
    .with('ogm', () => (ogm.isValid(reference) ? ogm.normalize(reference).slice(0, 10) : undefined))
    .with('rf', () => (rf.isValid(reference) ? rf.normalize(reference).slice(4) : undefined))
    .with('pagoPa', () => {
      if (!pagoPa.isValidNotice(reference)) return undefined
      const p = pagoPa.parseNotice(reference)
      return p.auxDigit === 3 && p.segregationCode === s.segregationCode ? p.iuvBase : undefined
    })
    .exhaustive()
  if (base === undefined || base.length !== s.siteCode.length + 1 + s.sequenceDigits || !base.startsWith(s.siteCode)) return undefined
  const kindDigit = base[s.siteCode.length]
  const digits = base.slice(s.siteCode.length + 1)
  if (!/^\d+$/.test(digits)) return undefined
  const kind: PaymentReferenceKind | undefined = kindDigit === s.walletKind ? 'wallet' : kindDigit === s.invoiceKind ? 'invoice' : undefined
  return kind === undefined ? undefined : { kind, sequence: BigInt(digits) }
}

/**
 * The EPC QR code ("GiroCode", "SCT QR"): the text payload of a QR code that a banking app scans to
 * prefill a SEPA credit transfer, per EPC069-12 (Quick Response Code: guidelines to enable data
 * capture for the initiation of a SEPA credit transfer), version 002, character set 1 (UTF-8).
 * Import it as the `epcQr` namespace of `@ecole/core`. Rendering the QR image (error correction
 * level M, as EPC069-12 requires) is the PDF/web layer's job.
 *
 * @module
 */
import * as z from 'zod'
import { EcoleError, parseInput } from '../errors'
import { Money, isMoney, type MoneyInput } from '../money'
import * as bic from './bic'
import * as iban from './iban'
import * as ogm from './ogm'
import * as rf from './rf'
import { MoneyInputSchema } from '../money'

/** Largest payload EPC069-12 allows, in bytes. */
export const EPC_QR_MAX_BYTES = 331

const NO_NEWLINE = /^[^\r\n]*$/
const noNewline = (s: string): boolean => NO_NEWLINE.test(s)

const AmountSchema = z.union([
  z.custom<Money>((v) => isMoney(v), 'must be Money, { amount, currency } or a decimal string'),
  MoneyInputSchema,
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a decimal number of euros written with a dot, e.g. "12.50"')
    .transform((s) => Money.of(s, 'EUR')),
])

/**
 * The countries of the European Economic Area as IBANs name them: the 27 EU member states, Iceland,
 * Liechtenstein and Norway, and the EU regions with an IBAN country code of their own (Åland AX;
 * French Guiana GF, Guadeloupe GP, Martinique MQ, Réunion RE, Mayotte YT, Saint-Martin MF). The
 * SEPA countries outside the EEA (Switzerland, the United Kingdom, Monaco, San Marino, Vatican,
 * Andorra, Gibraltar, Saint-Barthélemy, Saint-Pierre-et-Miquelon...) are not among them.
 */
const EEA_IBAN_COUNTRIES: ReadonlySet<string> = new Set([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
  'IS', 'LI', 'NO',
  'AX', 'GF', 'GP', 'MQ', 'RE', 'YT', 'MF',
])

/**
 * Schema of the input of {@link payload}, as a form or an API sends it. It checks each field
 * against EPC069-12: BIC (optional in version 002 only within the EEA: required for an IBAN of
 * Switzerland, the United Kingdom, Monaco, San Marino or any other country outside it), beneficiary name (1-70 characters), IBAN,
 * amount (EUR 0.01 to 999999999.99, in cents), purpose (4-letter ISO 20022 code), structured
 * reference (a Belgian OGM or an ISO 11649 RF, at most 35 characters) or unstructured text (at
 * most 140 characters) but not both, information to the payer (at most 70 characters). The
 * whole payload must fit in 331 bytes ({@link payload} checks that).
 */
export const EpcQrInputSchema = z
  .strictObject({
    bic: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || v === '' || bic.isValid(v), 'must be a valid BIC (8 or 11 characters)')
      .transform((v) => (v === undefined || v === '' ? '' : bic.normalize(v))),
    name: z.string().trim().min(1, 'is required').max(70, 'must have at most 70 characters').refine(noNewline, 'must be on one line'),
    iban: z
      .string()
      .refine((v) => iban.isValid(v), 'must be a valid IBAN')
      .transform((v) => iban.normalize(v)),
    amount: AmountSchema.optional().superRefine((m, ctx) => {
      if (m === undefined) return
      if (m.currency !== 'EUR') {
        ctx.addIssue({ code: 'custom', message: `must be in EUR (SEPA credit transfer), got ${m.currency}` })
        return
      }
      if (!m.isRounded()) ctx.addIssue({ code: 'custom', message: `must be in whole cents, got ${m.amount}` })
      else if (m.toMinor() < 1n || m.toMinor() > 99_999_999_999n) ctx.addIssue({ code: 'custom', message: `must be between EUR 0.01 and EUR 999999999.99, got ${m.amount}` })
    }),
    purpose: z
      .string()
      .trim()
      .regex(/^[A-Z]{4}$/, 'must be a 4-letter ISO 20022 purpose code, e.g. "GDDS"')
      .optional(),
    reference: z
      .string()
      .optional()
      .refine((v) => v === undefined || v.trim() === '' || ogm.isValid(v) || rf.isValid(v), 'must be a Belgian structured communication (OGM) or an ISO 11649 RF reference'),
    text: z.string().trim().max(140, 'must have at most 140 characters').refine(noNewline, 'must be on one line').optional(),
    information: z.string().trim().max(70, 'must have at most 70 characters').refine(noNewline, 'must be on one line').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.reference !== undefined && v.reference.trim() !== '' && v.text !== undefined && v.text !== '') {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'must be empty when a structured reference is given (EPC069-12: reference or text, not both)' })
    }
    const country = v.iban.slice(0, 2)
    if (v.bic === '' && !EEA_IBAN_COUNTRIES.has(country)) {
      ctx.addIssue({ code: 'custom', path: ['bic'], message: `is required for an IBAN of ${country}, outside the EEA (EPC069-12: the BIC is optional only within the EEA)` })
    }
  })

/** The input of {@link payload}: what {@link EpcQrInputSchema} accepts. */
export interface EpcQrInput {
  /** BIC of the beneficiary's bank; optional in version 002 only for an IBAN of the EEA, required otherwise (CH, GB, MC, SM...). */
  bic?: string
  /** Beneficiary name, 1 to 70 characters. */
  name: string
  /** Beneficiary IBAN (spaces accepted). */
  iban: string
  /** Amount in EUR: Money, `{ amount: '12.34', currency: 'EUR' }` or `'12.34'`; omitted lets the payer type it. */
  amount?: Money | MoneyInput | string
  /** ISO 20022 purpose code (4 capital letters), optional. */
  purpose?: string
  /** Structured reference: a Belgian OGM (any accepted spelling; written as its 12 digits) or an RF reference (written in electronic form). */
  reference?: string
  /** Unstructured remittance text, at most 140 characters; only without `reference`. */
  text?: string
  /** Beneficiary-to-originator information shown by the app, at most 70 characters. */
  information?: string
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length
}

function euros(m: Money): string {
  const minor = m.toMinor()
  return `EUR${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`
}

/**
 * The EPC QR payload of a SEPA credit transfer: the lines `BCD`, `002`, `1` (UTF-8), `SCT`, BIC,
 * name, IBAN, `EUR<amount>`, purpose, structured reference, text, information, separated by LF;
 * empty optional lines keep their place, and nothing follows the last non-empty line.
 *
 * A Belgian OGM is written as its twelve digits, an RF reference in electronic form (what
 * banking apps expect in the structured field).
 *
 * @example
 * epcQr.payload({ bic: 'GKCCBEBB', name: 'Ecole Saint-Joseph', iban: 'BE15 7326 6455 4630', amount: '6.00', reference: '+++123/4567/89002+++' })
 * //=> 'BCD\n002\n1\nSCT\nGKCCBEBB\nEcole Saint-Joseph\nBE15732664554630\nEUR6.00\n\n123456789002'
 * @throws EcoleError `INVALID_INPUT` naming each field that breaks a rule (`epcQr.amount`,
 * `epcQr.text`...); `EPC_QR_TOO_LONG` when the payload exceeds 331 bytes.
 */
export function payload(input: EpcQrInput): string {
  const v = parseInput(EpcQrInputSchema, input, 'epcQr')
  const reference = v.reference === undefined || v.reference.trim() === '' ? '' : ogm.isValid(v.reference) ? ogm.normalize(v.reference) : rf.normalize(v.reference)
  const lines = [
    'BCD',
    '002',
    '1',
    'SCT',
    v.bic,
    v.name,
    v.iban,
    v.amount === undefined ? '' : euros(v.amount),
    v.purpose ?? '',
    reference,
    reference === '' ? (v.text ?? '') : '',
    v.information ?? '',
  ]
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const text = lines.join('\n')
  const bytes = utf8Length(text)
  if (bytes > EPC_QR_MAX_BYTES) {
    throw new EcoleError('EPC_QR_TOO_LONG', `epcQr: the payload has ${bytes} bytes, EPC069-12 allows at most ${EPC_QR_MAX_BYTES}; shorten epcQr.text, epcQr.name or epcQr.information`, {
      details: { bytes, max: EPC_QR_MAX_BYTES },
    })
  }
  return text
}

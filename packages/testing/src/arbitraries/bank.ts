import fc from 'fast-check'
import { inputCheckedArb } from '../input-errors'
import { creditorIdArb, mandateReferenceArb, ogmDigitsArb, rfArb } from './references'

// Bank-file arbitraries. IBANs are built here with BigInt arithmetic (ISO 13616 mod 97-10),
// independently of @ecole/core and ibantools, so tests check one against the other.

function digits(length: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }).map((a) => a.join(''))
}

function ibanOf(country: string, bban: string): string {
  const numeric = [...`${bban}${country}00`].map((c) => (c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c)).join('')
  const check = 98n - (BigInt(numeric) % 97n)
  return `${country}${String(check).padStart(2, '0')}${bban}`
}

/**
 * Valid IBANs of Belgium (with the BBAN's national check), France (with the RIB key) and Germany.
 *
 * @example
 * fc.sample(ibanArb(), 1)[0]!.slice(0, 2) //=> 'BE' (for instance)
 */
export function ibanArb(): fc.Arbitrary<string> {
  return fc.oneof(
    // Belgian BBAN: 10 digits and their national check (mod 97, 0 written 97)
    digits(10).map((b) => {
      const r = Number(BigInt(b) % 97n)
      return ibanOf('BE', `${b}${String(r === 0 ? 97 : r).padStart(2, '0')}`)
    }),
    digits(18).map((b) => ibanOf('DE', b)),
    // French BBAN: bank (5), branch (5), account (11 digits), RIB key = 97 - (89 bank + 15 branch + 3 account) mod 97
    fc.tuple(digits(5), digits(5), digits(11)).map(([bank, branch, account]) => {
      const key = 97n - ((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n)
      return ibanOf('FR', `${bank}${branch}${account}${String(key).padStart(2, '0')}`)
    }),
  )
}

/**
 * Names and free texts with the letters families really have (accents, ligatures, umlauts,
 * apostrophes), which pain.008 must transliterate to the SEPA set.
 *
 * @example
 * fc.sample(personNameArb(), 1)[0]!.length > 0 //=> true
 */
export function personNameArb(): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâäôöûüçñøåæœßÉÈÀÇÖÜ\'’- &'), { minLength: 1, maxLength: 60 })
    .map((a) => a.join(''))
    .filter((s) => s.trim() !== '')
}

/**
 * An amount in euros as a form sends it (`'12.50'`), from 0.01 to 99,999.99.
 *
 * @example
 * fc.sample(euroAmountArb(), 1)[0]!.currency //=> 'EUR'
 */
export function euroAmountArb(): fc.Arbitrary<{ amount: string; currency: 'EUR' }> {
  return fc.integer({ min: 1, max: 9_999_999 }).map((cents) => ({
    amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    currency: 'EUR' as const,
  }))
}

/**
 * A structured postal address with town and country at least.
 *
 * @example
 * fc.sample(postalAddressArb(), 1)[0]!.country.length //=> 2
 */
export function postalAddressArb(): fc.Arbitrary<{ street?: string; buildingNumber?: string; postCode?: string; town: string; country: string }> {
  return fc.record(
    {
      street: personNameArb(),
      buildingNumber: digits(2).map((d) => String(Number(d) + 1)),
      postCode: digits(4),
      town: personNameArb().map((s) => s.slice(0, 30)).filter((s) => s.trim() !== ''),
      country: fc.constantFrom('BE', 'FR', 'IT', 'DE', 'NL', 'LU'),
    },
    { requiredKeys: ['town', 'country'] },
  )
}

/** A mandate's signature day: 2018-01-01 to 2026-11-28, before every collection date of the batch (a later one is refused). */
const signatureDay = fc
  .tuple(fc.integer({ min: 2018, max: 2026 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .filter(([y, m]) => y < 2026 || m <= 11)
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)

/**
 * A valid SEPA direct-debit batch as `buildPain008` accepts it (plain JSON): a creditor with a
 * structured address and 1 to `maxDebits` debits of mixed sequence types, collection dates and
 * remittance kinds (OGM, RF, free text, none), with unique end-to-end ids. Every collection date
 * is on or after the file's creation day (`createdAt` 2026-11-20) and every mandate is signed
 * before its collection date, as `buildPain008` requires.
 *
 * @example
 * fc.sample(directDebitBatchArb(), 1)[0]!.debits.length >= 1 //=> true
 */
export function directDebitBatchArb(maxDebits = 12) {
  return inputCheckedArb('directDebitBatchArb', { maxDebits: [maxDebits, 'number?', 'the most debits'] }, () => {
    const remittance = fc.oneof(
      ogmDigitsArb().map((reference) => ({ kind: 'ogm' as const, reference })),
      rfArb().map((reference) => ({ kind: 'rf' as const, reference })),
      personNameArb().map((text) => ({ kind: 'text' as const, text })),
      fc.constant(undefined),
    )
    const debit = fc.record(
      {
        amount: euroAmountArb(),
        collectionDate: fc.constantFrom('2026-12-05', '2026-12-12', '2027-01-05'),
        sequenceType: fc.constantFrom('FRST' as const, 'RCUR' as const, 'OOFF' as const, 'FNAL' as const),
        mandate: fc.record({ id: mandateReferenceArb(), signatureDate: signatureDay }),
        debtor: fc.record(
          { name: personNameArb(), iban: ibanArb(), bic: fc.constantFrom('GEBABEBB', 'KREDBEBB', 'BNPAFRPPXXX'), address: postalAddressArb() },
          { requiredKeys: ['name', 'iban'] },
        ),
        remittance,
      },
      { requiredKeys: ['amount', 'collectionDate', 'sequenceType', 'mandate', 'debtor'] },
    )
    return fc
      .record({
        messageId: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,33}[A-Z0-9]$/),
        creditor: fc.record({ name: personNameArb(), iban: ibanArb(), creditorId: creditorIdArb(), address: postalAddressArb() }),
        debits: fc.array(debit, { minLength: 1, maxLength: maxDebits }),
      })
      .map((b) => ({
        messageId: b.messageId,
        createdAt: '2026-11-20T09:30:00Z',
        creditor: b.creditor,
        debits: b.debits.map((d, i) => {
          const { remittance: r, ...rest } = d
          return { endToEndId: `E2E-${i + 1}`, ...rest, ...(r === undefined ? {} : { remittance: r }) }
        }),
      }))
  })
}

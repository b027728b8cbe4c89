import { asInputError, EcoleError, type TaxCertificate } from '@ecole/core'
import type { Belcotax28186FicheInput } from './belcotax-281-86-input'
import { cents } from './belcotax-281-86-rules'
import type { BelcotaxWarning } from './belcotax-281-86'

/**
 * Who a certificate's ids are: the debtor (the payer) and the child, as the fiche prints them,
 * and the fiche's reference.
 *
 * @example
 * const people: BelcotaxFichePeople = { reference: 'K1-G1-2026', debtor, child }
 */
export interface BelcotaxFichePeople {
  /** f2010_referentie, 20 characters at most. */
  reference: string
  /** The payer, with their national number. */
  debtor: Belcotax28186FicheInput['debtor']
  /** The child (birth date, address, national number when known, severe disability). */
  child: Omit<Belcotax28186FicheInput['child'], 'birthDate'> & { birthDate?: string | undefined }
}

/**
 * Turns a Belgian tax certificate of `@ecole/core` (`computeTaxCertificates` with
 * `{ country: 'BE' }`: up to four periods of fully paid care days, each day capped at the
 * ceiling) into a 281.86 fiche. Belcotax declares a period as days × one daily rate in cents; when
 * a period's capped amount is not a whole number of cents per day, the rate is rounded down and
 * the amount with it (never more than was paid), with an `AMOUNT_ROUNDED_DOWN` warning.
 *
 * @example
 * const { fiche, warnings } = belcotaxFicheFromCertificate(certificate, people)
 * fiche.periods[0] //=> { from: '2026-12-01', to: '2026-12-10', days: 10, dailyRateMinor: 1640n }
 * @throws EcoleError `INVALID_INPUT` for a French certificate, one without periods, or a period
 * without care days or with a negative amount (naming `certificate.periods.<n>.<field>`).
 */
export function belcotaxFicheFromCertificate(certificate: TaxCertificate, people: BelcotaxFichePeople): { fiche: Belcotax28186FicheInput; warnings: BelcotaxWarning[] } {
  try {
    if (certificate.country !== 'BE' || certificate.periods.length === 0) {
      throw new EcoleError('INVALID_INPUT', `certificate: a 281.86 fiche comes from a Belgian certificate with at least one period (got ${certificate.country}, ${certificate.periods.length} periods)`, {
        details: { field: 'certificate' },
      })
    }
    const warnings: BelcotaxWarning[] = []
    const periods = certificate.periods.map((p, j) => {
      if (!Number.isSafeInteger(p.days) || p.days < 1) {
        throw EcoleError.invalidInput(`certificate.periods.${j}.days`, `must be a whole number of care days of at least 1, got ${String(p.days)}`, { field: `certificate.periods.${j}.days`, rule: 'at least one care day' })
      }
      if (typeof p.amountMinor !== 'bigint' || p.amountMinor < 0n) {
        throw EcoleError.invalidInput(`certificate.periods.${j}.amountMinor`, `must be an amount of at least 0 in minor units (bigint), got ${String(p.amountMinor)}`, { field: `certificate.periods.${j}.amountMinor`, rule: 'not negative' })
      }
      const rate = p.amountMinor / BigInt(p.days)
      if (rate * BigInt(p.days) !== p.amountMinor) {
        warnings.push({
          code: 'AMOUNT_ROUNDED_DOWN',
          field: `periods.${j}`,
          message: `${cents(p.amountMinor)} EUR for ${p.days} days is not a whole daily rate: declared ${p.days} × ${cents(rate)} = ${cents(rate * BigInt(p.days))} EUR`,
        })
      }
      return { from: p.from, to: p.to, days: p.days, dailyRateMinor: rate }
    })
    const fiche: Belcotax28186FicheInput = {
      reference: people.reference,
      childId: certificate.beneficiaryId,
      debtorId: certificate.debtorId,
      debtor: people.debtor,
      child: { ...people.child, birthDate: people.child.birthDate ?? certificate.birthDate },
      periods,
    }
    return { fiche, warnings }
  } catch (error) {
    throw asInputError(error, 'belcotaxFicheFromCertificate', { certificate: [certificate, 'object', 'a tax certificate (from computeTaxCertificates)'], people: [people, 'object', 'the fiche\'s people ({ reference, debtor, child })'] })
  }
}

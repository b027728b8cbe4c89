import type { CurrencyCode } from '@ecole/core'
import type { Draft } from '../common'
import { FACTUR_X_DEFAULT_VAT, type FacturXOptions } from '../factur-x'
import type { Formatter } from '../format'
import { label, type Language } from '../language'

/**
 * The VAT lines a printed invoice or credit note carries when it declares its VAT treatment
 * (its Factur-X options), as label/value pairs: the seller's VAT number and tax registration when
 * given; for the document's VAT category (exempt `E` or not subject `O`: schools invoice without
 * VAT), the breakdown (taxable amount, rate, VAT amount); and the exemption reason with its VATEX
 * code. The printed page then says what the embedded XML says. The reason is the caller's text as
 * given, except the package's default reason (`FACTUR_X_DEFAULT_VAT`), which is printed in the
 * document's language.
 *
 * @example
 * vatMentionFields({ seller: { country: 'BE', vatId: 'BE0207373429' }, vat: FACTUR_X_DEFAULT_VAT }, 6149n, 'EUR', createFormatter('en'))
 * //=> [['VAT number', 'BE0207373429'],
 * //    ['Exempt from VAT', 'taxable amount €61.49, rate 0%, VAT €0.00'],
 * //    ['Exemption reason', 'Article 132(1)(i) of Directive 2006/112/EC (education and the services closely related to it) (VATEX-EU-132-1I)']]
 */
export function vatMentionFields(fx: Pick<FacturXOptions, 'seller' | 'vat'>, basisMinor: bigint, currency: CurrencyCode, f: Formatter): Array<[string, string]> {
  const lang: Language = f.language
  const pairs: Array<[string, string]> = []
  if (fx.seller.vatId !== undefined) pairs.push([label(lang, 'vatNumber'), fx.seller.vatId])
  if (fx.seller.taxRegistrationId !== undefined) pairs.push([label(lang, 'taxRegistration'), fx.seller.taxRegistrationId])
  const { category, exemptionCode, exemptionReason } = fx.vat
  const zero = f.money(0n, currency)
  const basis = f.money(basisMinor, currency)
  if (category === 'E') {
    const rate = new Intl.NumberFormat(f.amountLocale, { style: 'percent' }).format(0)
    pairs.push([label(lang, 'vatCategory_E'), label(lang, 'vatBreakdown', { basis, rate, vat: zero })])
  } else {
    pairs.push([label(lang, 'vatCategory_O'), label(lang, 'vatBreakdownNoRate', { basis, vat: zero })])
  }
  const isDefault = exemptionCode === FACTUR_X_DEFAULT_VAT.exemptionCode && exemptionReason === FACTUR_X_DEFAULT_VAT.exemptionReason
  const reason = isDefault ? label(lang, 'vatex_EU_132_1I') : exemptionReason
  pairs.push([label(lang, category === 'E' ? 'vatExemption' : 'vatNotSubject'), `${reason} (${exemptionCode})`])
  return pairs
}

/**
 * Draws the VAT block ({@link vatMentionFields}) under its heading, kept on one page.
 *
 * @example
 * drawVatMention(draft, request.facturX, invoice.totalMinor, invoice.currency)
 */
export function drawVatMention(d: Draft, fx: Pick<FacturXOptions, 'seller' | 'vat'>, basisMinor: bigint, currency: CurrencyCode): void {
  const { layout: l, f, lang } = d
  const pairs = vatMentionFields(fx, basisMinor, currency, f)
  l.heading(label(lang, 'vat'), pairs.length * l.lineHeight(9) * 2)
  l.fields(pairs, { labelWidth: 150 })
  l.gap(6)
}

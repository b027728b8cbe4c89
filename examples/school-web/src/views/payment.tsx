/** How to pay by bank transfer: the account, the reference, the amount, each copyable, and the EPC QR code. */
import { epcQr } from '@ecole/core'
import type { FC } from 'hono/jsx'
import QRCode from 'qrcode'
import { formatAmount, t, type Lang } from '../i18n'
import { Copyable } from './layout'

/** The EPC QR code (SEPA credit transfer) of a payment, as an SVG data URI (no inline markup, CSP-safe). */
export async function epcQrDataUri(args: { name: string; iban: string; reference?: string | undefined; text?: string | undefined; amountMinor?: bigint | undefined }): Promise<string> {
  const payload = epcQr.payload({
    name: args.name, iban: args.iban, ...(args.reference !== undefined ? { reference: args.reference } : {}), ...(args.text !== undefined ? { text: args.text } : {}),
    ...(args.amountMinor !== undefined && args.amountMinor > 0n ? { amount: `${args.amountMinor / 100n}.${String(args.amountMinor % 100n).padStart(2, '0')}` } : {}),
  })
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}

/** The transfer details block. */
export const TransferDetails: FC<{ lang: Lang; iban: string; reference: string; referenceLabel?: string | undefined; amountMinor?: bigint | undefined; qr: string; idPrefix: string }> = (p) => (
  <div class="transfer">
    <dl class="copy-list">
      <Copyable lang={p.lang} label={t(p.lang, 'topup.iban')} value={p.iban} id={`${p.idPrefix}-iban`} />
      <Copyable lang={p.lang} label={p.referenceLabel ?? t(p.lang, 'topup.reference')} value={p.reference} id={`${p.idPrefix}-ref`} />
      {p.amountMinor !== undefined ? <Copyable lang={p.lang} label={t(p.lang, 'invoices.remaining')} value={formatAmount(p.lang, p.amountMinor)} id={`${p.idPrefix}-amount`} /> : null}
    </dl>
    <figure class="qr">
      <img src={p.qr} alt={t(p.lang, 'topup.qr')} width={176} height={176} />
      <figcaption>{t(p.lang, 'topup.qr')}</figcaption>
    </figure>
  </div>
)

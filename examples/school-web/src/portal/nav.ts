import { t, type Lang } from '../i18n'

/** The portal's navigation, the current page marked. */
export function portalNav(lang: Lang, current: string): Array<{ href: string; label: string; current: boolean }> {
  return [
    ['/', 'nav.home'], ['/invoices', 'nav.invoices'], ['/bookings', 'nav.bookings'], ['/consents', 'nav.consents'], ['/statement', 'nav.statement'], ['/documents', 'nav.documents'], ['/history', 'nav.history'],
  ].map(([href, key]) => ({ href: href!, label: t(lang, key as 'nav.home'), current: href === current }))
}

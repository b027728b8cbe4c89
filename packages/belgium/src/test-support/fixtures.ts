import type { Belcotax28186FicheInput, Belcotax28186Input } from '../belcotax-281-86-input'

// Identifiers with check digits computed by hand (97 - n mod 97), not by the code under test.
export const NN_DEBTOR = '85.07.30-033.28' // born 1985-07-30
export const NN_DEBTOR_2 = '90021412303' // born 1990-02-14
export const NN_CHILD = '18110345635' // born 2018-11-03 (2 prefixed)
export const NN_CHILD_2 = '19052001245' // born 2019-05-20
export const BCE_SCHOOL = '0207.373.132'
export const BCE_SENDER = '0850856086'
export const BCE_CERTIFIER = '0449747428'

export const address = { street: 'Rue de l\'École 12', postalCode: '1060', municipality: 'Saint-Gilles' }

export function fiche(over: Partial<Belcotax28186FicheInput> = {}): Belcotax28186FicheInput {
  return {
    reference: 'K1-G1-2026',
    childId: 'k1',
    debtorId: 'g1',
    debtor: { nationalNumber: NN_DEBTOR, lastName: 'Dupont', firstName: 'Marie', address },
    child: { nationalNumber: NN_CHILD, lastName: 'Dupont', firstName: 'Léa', birthDate: '2018-11-03', address },
    periods: [
      { from: '2026-01-05', to: '2026-03-27', days: 40, dailyRateMinor: 1250n },
      { from: '2026-04-13', to: '2026-06-30', days: 35, dailyRateMinor: 1690n },
    ],
    ...over,
  }
}

export function input(over: Partial<Belcotax28186Input> = {}): Belcotax28186Input {
  return {
    year: 2026,
    createdOn: '2027-02-01',
    dailyCeilingMinor: 1690n,
    sender: { name: 'École communale de Saint-Gilles', address, phone: '025361111', contactName: 'Anne Martin', email: 'compta@ecole.example', enterpriseNumber: BCE_SENDER, language: 'fr' },
    issuer: { name: 'Commune de Saint-Gilles', address, enterpriseNumber: BCE_SCHOOL, language: 'fr' },
    certifier: { code: '2', name: 'Commune de Saint-Gilles', enterpriseNumber: BCE_CERTIFIER, address },
    fiches: [
      fiche(),
      fiche({
        reference: 'K2-G2-2026', childId: 'k2', debtorId: 'g2',
        debtor: { nationalNumber: NN_DEBTOR_2, lastName: 'Peeters', firstName: 'Jan', address: { street: 'Kerkstraat 1', postalCode: '9000', municipality: 'Gent' } },
        child: { nationalNumber: NN_CHILD_2, lastName: 'Peeters', firstName: 'Lotte', birthDate: '2019-05-20', address: { street: 'Kerkstraat 1', postalCode: '9000', municipality: 'Gent' } },
        periods: [{ from: '2026-09-01', to: '2026-12-18', days: 60, dailyRateMinor: 800n }],
      }),
    ],
    ...over,
  }
}

/** The text of one element (the first), or undefined. */
export function zone(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)
  return m?.[1]
}

/** The texts of every element of that name. */
export function zones(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]!)
}

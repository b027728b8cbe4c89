import type { DirectDebit, DirectDebitBatch } from '../pain/direct-debit-batch'

/** IBANs published as examples (valid check digits). */
export const IBANS = ['BE68539007547034', 'FR1420041010050500013M02606', 'DE89370400440532013000', 'BE71096123456769', 'NL91ABNA0417164300'] as const

/** A small realistic batch: two collection dates, FRST and RCUR, OGM, RF and text remittance. */
export function sampleBatch(overrides: Partial<DirectDebitBatch> = {}): DirectDebitBatch {
  const debits: DirectDebit[] = [
    {
      endToEndId: 'INV-2026-0001', amount: { amount: '42.50', currency: 'EUR' }, collectionDate: '2026-12-05', sequenceType: 'RCUR',
      mandate: { id: 'RUM-0001', signatureDate: '2025-09-01' },
      debtor: { name: 'Hélène Dupré-Œuvray', iban: 'BE71096123456769', bic: 'GKCCBEBB', address: { street: 'Rue de la Station', buildingNumber: '12', postCode: '1300', town: 'Wavre', country: 'BE' } },
      remittance: { kind: 'ogm', reference: '+++123/4567/89002+++' },
    },
    {
      endToEndId: 'INV-2026-0002', amount: { amount: '17.05', currency: 'EUR' }, collectionDate: '2026-12-05', sequenceType: 'FRST',
      mandate: { id: 'RUM-0002', signatureDate: '2026-10-15' },
      debtor: { name: 'Jürgen Müller', iban: 'DE89370400440532013000', address: { town: 'Köln', country: 'DE' } },
      remittance: { kind: 'rf', reference: 'rf18 5390 0754 7034' },
    },
    {
      endToEndId: 'INV-2026-0003', amount: { amount: '100', currency: 'EUR' }, collectionDate: '2026-12-05', sequenceType: 'RCUR',
      mandate: { id: 'RUM-0003', signatureDate: '2024-01-10' },
      debtor: { name: 'François Lefèvre', iban: 'FR1420041010050500013M02606' },
      remittance: { kind: 'text', text: 'Cantine & garderie — novembre 2026' },
    },
    {
      endToEndId: 'INV-2026-0004', amount: { amount: '0.01', currency: 'EUR' }, collectionDate: '2026-12-12', sequenceType: 'RCUR',
      mandate: { id: 'RUM-0004', signatureDate: '2024-01-10' },
      debtor: { name: 'Ana Øster', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
    },
  ]
  return {
    messageId: 'ECOLE-2026-11-001',
    createdAt: '2026-11-20T09:30:00Z',
    creditor: { name: 'Commune de Wavre — Régie scolaire', iban: 'BE68539007547034', bic: 'GEBABEBB', creditorId: 'FR72ZZZ123456', address: { street: 'Place de l’Hôtel de Ville', buildingNumber: '1', postCode: '1300', town: 'Wavre', country: 'BE' } },
    debits,
    ...overrides,
  }
}

/**
 * The 18 columns of the FEC, in the order the administration requires them (BOI-CF-IOR-60-40-20,
 * § 90, for the file described in article A47 A-1 of the Livre des procédures fiscales). The first
 * line of the file carries these names.
 *
 * @example
 * FEC_COLUMNS[0] //=> 'JournalCode'
 * FEC_COLUMNS.length //=> 18
 */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const

/**
 * One column name of the FEC.
 *
 * @example
 * const c: FecColumn = 'EcritureNum'
 */
export type FecColumn = (typeof FEC_COLUMNS)[number]

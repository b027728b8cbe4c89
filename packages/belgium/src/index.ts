/**
 * `@ecole/belgium`: the files a Belgian school or childcare organiser hands the administration —
 * the Belcotax-on-web 281.86 childcare certificates (XML, control totals, the rules the official
 * validator enforces), recorded in the export register so that nothing is sent twice.
 *
 * @packageDocumentation
 */
export { enterpriseNumber, nationalNumber } from './identifiers'
export {
  BelgianAddressSchema, BelcotaxLanguageSchema, Belcotax28186PeriodSchema, Belcotax28186FicheSchema, Belcotax28186InputSchema,
  type Belcotax28186Input, type Belcotax28186FicheInput, type Belcotax28186, type Belcotax28186Fiche,
} from './belcotax-281-86-input'
export { BELCOTAX_28186_RULES, type Belcotax28186Rule } from './belcotax-281-86-rules'
export {
  BELCOTAX_28186_FORMAT, belcotaxItemKey, buildBelcotax28186, type BelcotaxWarning, type Belcotax28186Totals, type Belcotax28186File,
} from './belcotax-281-86'
export { belcotaxFicheFromCertificate, type BelcotaxFichePeople } from './from-tax-certificate'
export { exportBelcotax28186, type ExportBelcotax28186Input, type ExportBelcotax28186Result } from './export-belcotax-281-86'

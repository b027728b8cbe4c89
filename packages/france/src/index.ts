/**
 * `@ecole/france`: the files a French régie, association or school exchanges with the
 * administrations: the FEC (Fichier des écritures comptables) for the tax administration.
 *
 * @module @ecole/france
 */
export * from './fec'
export { encodeLatin9 } from './text/latin9'
export * from './pes'
export * from './xml/validate-xml'
export * from './siecle'

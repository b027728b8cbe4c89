import * as z from 'zod'
import { optionalString } from '../directory/fields'

/**
 * Schema of the texts a site shows on its parent portal (seed 001 "modifier les textes d'accueil
 * du portail"): on the login page, on the home page once logged in, in the contact box, and on
 * the booking page. Plain text (a host escapes it when it renders HTML); blank = none.
 *
 * @example
 * PortalTextsSchema.parse({ loginPage: 'Bienvenue sur le portail famille de la ville.' })
 */
export const PortalTextsSchema = z.strictObject({
  /** Shown on the login page. */
  loginPage: optionalString(5000),
  /** Shown on the home page once logged in. */
  homePage: optionalString(5000),
  /** Shown in the contact box. */
  contact: optionalString(2000),
  /** Shown on the booking page. */
  bookingPage: optionalString(5000),
})
/** Portal texts as the form sends them. */
export type PortalTextsInput = z.input<typeof PortalTextsSchema>
/** A site's portal texts. */
export type PortalTexts = z.output<typeof PortalTextsSchema>

import { asInputError } from '@ecole/core'
import * as z from 'zod'

/**
 * The languages every document is printed in: French, English, Italian, Dutch.
 *
 * @example
 * LANGUAGES.length //=> 4
 */
export const LANGUAGES = ['fr', 'en', 'it', 'nl'] as const

/**
 * A language documents are printed in.
 *
 * @example
 * const language: Language = 'it'
 */
export type Language = (typeof LANGUAGES)[number]

/**
 * Schema of a {@link Language}: one of `fr`, `en`, `it`, `nl`.
 *
 * @example
 * LanguageSchema.parse('nl') //=> 'nl'
 */
export const LanguageSchema = z.enum(LANGUAGES, { error: () => 'must be one of fr, en, it, nl' })

type Entry = Readonly<Record<Language, string>>

const e = (fr: string, en: string, it: string, nl: string): Entry => ({ fr, en, it, nl })

/**
 * Every fixed text printed on a document, in the four languages. `{name}` marks a value filled
 * in by {@link label}.
 *
 * @example
 * LABELS.invoice.it //=> 'Fattura'
 */
export const LABELS = {
  page: e('Page {n} / {m}', 'Page {n} / {m}', 'Pagina {n} / {m}', 'Pagina {n} / {m}'),
  invoice: e('Facture', 'Invoice', 'Fattura', 'Factuur'),
  creditNote: e('Avoir', 'Credit note', 'Nota di credito', 'Creditnota'),
  number: e('Numéro', 'Number', 'Numero', 'Nummer'),
  issueDate: e("Date d'émission", 'Issue date', 'Data di emissione', 'Uitgiftedatum'),
  period: e('Période', 'Period', 'Periodo', 'Periode'),
  periodValue: e('du {from} au {to}', '{from} to {to}', 'dal {from} al {to}', 'van {from} tot {to}'),
  dueDate: e("Date d'échéance", 'Due date', 'Data di scadenza', 'Vervaldatum'),
  payer: e('Redevable', 'Debtor', 'Debitore', 'Schuldenaar'),
  jointDebtors: e('Tiers solidaire', 'Jointly liable', 'Coobbligato in solido', 'Hoofdelijk medeschuldenaar'),
  beneficiary: e('Bénéficiaire', 'For', 'Beneficiario', 'Begunstigde'),
  service: e('Prestation', 'Service', 'Servizio', 'Dienst'),
  dates: e('Dates', 'Dates', 'Date', 'Data'),
  quantity: e('Qté', 'Qty', 'Q.tà', 'Aantal'),
  unitPrice: e('Prix unit.', 'Unit price', 'Prezzo unit.', 'Eenheidsprijs'),
  amount: e('Montant', 'Amount', 'Importo', 'Bedrag'),
  linesTotal: e('Total des prestations', 'Services total', 'Totale servizi', 'Totaal diensten'),
  adjustments: e('Réductions et majorations', 'Reductions and surcharges', 'Riduzioni e maggiorazioni', 'Kortingen en toeslagen'),
  reduction: e('Réduction', 'Reduction', 'Riduzione', 'Korting'),
  surcharge: e('Majoration', 'Surcharge', 'Maggiorazione', 'Toeslag'),
  onLine: e('sur {line}', 'on {line}', 'su {line}', 'op {line}'),
  total: e('Total à payer', 'Total due', 'Totale da pagare', 'Te betalen'),
  // dated: a snapshot taken when the invoice was made, never read as today's balance on a reprint
  previousBalance: e(
    'Solde antérieur restant dû au {date} (non inclus dans le total)',
    'Earlier unpaid balance on {date} (not included in the total)',
    'Saldo precedente non pagato al {date} (non incluso nel totale)',
    'Vorig openstaand saldo op {date} (niet inbegrepen in het totaal)',
  ),
  alreadyPaid: e('Déjà payé', 'Already paid', 'Già pagato', 'Reeds betaald'),
  creditNotes: e('Avoirs', 'Credit notes', 'Note di credito', "Creditnota's"),
  excessCarried: e(
    'Excédent reporté sur vos autres factures ou votre compte',
    'Excess carried to your other invoices or your account',
    'Eccedenza riportata sulle altre fatture o sul conto',
    'Overschot overgedragen naar uw andere facturen of uw rekening',
  ),
  leftToPay: e('Reste à payer', 'Left to pay', 'Resta da pagare', 'Nog te betalen'),
  directDebit: e(
    'Cette facture sera prélevée sur votre compte le {date}. Ne la payez pas par virement.',
    'This invoice will be collected by direct debit from your account on {date}. Do not pay it by transfer.',
    'Questa fattura sarà addebitata sul vostro conto il {date}. Non pagatela con bonifico.',
    'Deze factuur wordt op {date} van uw rekening gedomicilieerd. Betaal ze niet via overschrijving.',
  ),
  mandate: e('Mandat SEPA {mandate}, créancier {creditor}', 'SEPA mandate {mandate}, creditor {creditor}', 'Mandato SEPA {mandate}, creditore {creditor}', 'SEPA-mandaat {mandate}, schuldeiser {creditor}'),
  payByTransfer: e('Paiement par virement', 'Payment by transfer', 'Pagamento con bonifico', 'Betaling via overschrijving'),
  ogm: e('Communication structurée', 'Structured communication', 'Comunicazione strutturata', 'Gestructureerde mededeling'),
  rf: e('Référence de paiement', 'Payment reference', 'Riferimento di pagamento', 'Betalingsreferentie'),
  pagoPa: e("Numéro d'avis pagoPA", 'pagoPA notice number', 'Codice avviso pagoPA', 'pagoPA-berichtnummer'),
  beneficiaryAccount: e('Bénéficiaire', 'Beneficiary', 'Beneficiario', 'Begunstigde'),
  scanToPay: e('Scannez avec votre application bancaire', 'Scan with your banking app', "Inquadra con l'app della banca", 'Scan met uw bankapp'),
  instalments: e('Échéancier', 'Instalments', 'Rate', 'Afbetalingsplan'),
  instalment: e('Échéance', 'Instalment', 'Rata', 'Termijn'),
  instalmentNumber: e('{n} sur {count}', '{n} of {count}', '{n} di {count}', '{n} van {count}'),
  instalmentAmount: e("Montant de l'échéance", 'Instalment amount', 'Importo della rata', 'Bedrag van de termijn'),
  laterInstalments: e(
    "Les échéances suivantes sont à payer aux dates de l'échéancier.",
    'Pay the later instalments on the dates of the schedule.',
    'Le rate successive sono da pagare alle date del piano.',
    'Betaal de volgende termijnen op de data van het afbetalingsplan.',
  ),
  payByPagoPa: e('Paiement par pagoPA', 'Payment through pagoPA', 'Pagamento tramite pagoPA', 'Betaling via pagoPA'),
  creditor: e('Créancier', 'Creditor', 'Ente creditore', 'Schuldeiser'),
  creditorFiscalCode: e('Code fiscal du créancier', "Creditor's fiscal code", 'Codice fiscale ente creditore', 'Fiscale code van de schuldeiser'),
  scanPagoPa: e('Scannez avec votre app de paiement', 'Scan with your payment app', "Inquadra con l'app di pagamento", 'Scan met uw betaalapp'),
  vat: e('TVA', 'VAT', 'IVA', 'Btw'),
  vatNumber: e('N° de TVA', 'VAT number', 'Partita IVA', 'Btw-nummer'),
  taxRegistration: e('Identifiant fiscal', 'Tax registration number', 'Codice fiscale', 'Fiscaal identificatienummer'),
  vatCategory_E: e('Exonéré de TVA', 'Exempt from VAT', 'Esente IVA', 'Vrijgesteld van btw'),
  vatCategory_O: e('Hors du champ de la TVA', 'Not subject to VAT', 'Fuori campo IVA', 'Niet onderworpen aan btw'),
  vatBreakdown: e('base {basis}, taux {rate}, TVA {vat}', 'taxable amount {basis}, rate {rate}, VAT {vat}', 'imponibile {basis}, aliquota {rate}, IVA {vat}', 'maatstaf {basis}, tarief {rate}, btw {vat}'),
  vatBreakdownNoRate: e('base {basis}, TVA {vat}', 'taxable amount {basis}, VAT {vat}', 'imponibile {basis}, IVA {vat}', 'maatstaf {basis}, btw {vat}'),
  vatExemption: e("Motif d'exonération", 'Exemption reason', 'Motivo di esenzione', 'Reden van vrijstelling'),
  vatNotSubject: e('Motif', 'Reason', 'Motivo', 'Reden'),
  vatex_EU_132_1I: e(
    'Article 132, paragraphe 1, point i), de la directive 2006/112/CE (enseignement et prestations étroitement liées)',
    'Article 132(1)(i) of Directive 2006/112/EC (education and the services closely related to it)',
    'Articolo 132, paragrafo 1, lettera i), della direttiva 2006/112/CE (insegnamento e prestazioni strettamente connesse)',
    'Artikel 132, lid 1, onder i), van Richtlijn 2006/112/EG (onderwijs en nauw daarmee samenhangende diensten)',
  ),
  continued: e('(suite)', '(continued)', '(segue)', '(vervolg)'),
  comment: e('Commentaire', 'Comment', 'Commento', 'Opmerking'),
  creditNoteFor: e('Avoir sur la facture {number} du {date}', 'Credit note on invoice {number} of {date}', 'Nota di credito sulla fattura {number} del {date}', 'Creditnota op factuur {number} van {date}'),
  reason: e('Motif', 'Reason', 'Motivo', 'Reden'),
  credited: e('Montant crédité', 'Amount credited', 'Importo accreditato', 'Gecrediteerd bedrag'),
  creditedLine: e('Ligne créditée', 'Line credited', 'Riga accreditata', 'Gecrediteerde lijn'),
  creditWhole: e("Annulation de la facture", 'Cancellation of the invoice', 'Annullamento della fattura', 'Annulering van de factuur'),
  reminder: e('Rappel', 'Reminder', 'Sollecito', 'Herinnering'),
  reminderLevel: e('Rappel n° {level}', 'Reminder no. {level}', 'Sollecito n. {level}', 'Herinnering nr. {level}'),
  reminderBody1: e(
    "Sauf erreur de notre part, les factures ci-dessous restent impayées à ce jour. Nous vous remercions de bien vouloir en régler le montant dans les meilleurs délais.",
    'Unless we are mistaken, the invoices below are still unpaid. Please settle them at your earliest convenience.',
    'Salvo errore da parte nostra, le fatture qui sotto risultano ancora non pagate. Vi preghiamo di saldarle al più presto.',
    'Tenzij wij ons vergissen, zijn de onderstaande facturen nog niet betaald. Gelieve ze zo spoedig mogelijk te voldoen.',
  ),
  reminderBody2: e(
    'Malgré notre précédent rappel, les factures ci-dessous restent impayées. Nous vous prions de les régler sous huit jours.',
    'Despite our earlier reminder, the invoices below are still unpaid. Please pay them within eight days.',
    'Nonostante il nostro precedente sollecito, le fatture qui sotto restano non pagate. Vi preghiamo di saldarle entro otto giorni.',
    'Ondanks onze vorige herinnering zijn de onderstaande facturen nog niet betaald. Gelieve ze binnen acht dagen te betalen.',
  ),
  reminderBody3: e(
    'Mise en demeure\u00a0: à défaut de paiement des factures ci-dessous sous quinze jours, le recouvrement sera confié au comptable public.',
    'Formal notice: unless the invoices below are paid within fifteen days, collection will be handed to the public accountant.',
    'Messa in mora: in mancanza di pagamento delle fatture qui sotto entro quindici giorni, la riscossione sarà affidata al tesoriere.',
    'Ingebrekestelling: zonder betaling van de onderstaande facturen binnen vijftien dagen wordt de invordering aan de ontvanger overgedragen.',
  ),
  daysLate: e('Jours de retard', 'Days past due', 'Giorni di ritardo', 'Dagen achterstand'),
  amountDue: e('Reste dû', 'Amount due', 'Importo dovuto', 'Verschuldigd'),
  totalDue: e('Total restant dû', 'Total amount due', 'Totale dovuto', 'Totaal verschuldigd'),
  ignoreIfPaid: e(
    'Si vous avez réglé ces sommes entre-temps, veuillez ne pas tenir compte de ce courrier.',
    'If you have paid in the meantime, please disregard this letter.',
    'Se avete già pagato nel frattempo, non tenete conto di questa lettera.',
    'Indien u intussen betaald hebt, mag u deze brief als onbestaande beschouwen.',
  ),
  taxFrTitle: e(
    'Attestation de frais de garde des enfants de moins de 6 ans',
    'Certificate of childcare costs for children under 6',
    'Attestazione delle spese di custodia dei bambini di età inferiore a 6 anni',
    'Attest van kosten voor kinderopvang van kinderen jonger dan 6 jaar',
  ),
  taxFrLaw: e(
    'Article 200 quater B du code général des impôts. Année {year}.',
    'Article 200 quater B of the French general tax code. Year {year}.',
    'Articolo 200 quater B del codice generale delle imposte francese. Anno {year}.',
    'Artikel 200 quater B van het Franse algemeen belastingwetboek. Jaar {year}.',
  ),
  taxBeTitle: e(
    "Attestation de frais de garde d'enfant – modèle 281.86",
    'Childcare cost certificate – form 281.86',
    "Attestazione delle spese di custodia dei bambini – modello 281.86",
    'Attest kinderopvang – model 281.86',
  ),
  taxBeLaw: e(
    'Article 145/35 du Code des impôts sur les revenus 1992. Année de revenus {year}.',
    'Article 145/35 of the Belgian income tax code 1992. Income year {year}.',
    'Articolo 145/35 del codice belga delle imposte sui redditi 1992. Anno di reddito {year}.',
    'Artikel 145/35 van het Wetboek van de inkomstenbelastingen 1992. Inkomstenjaar {year}.',
  ),
  issuer: e('Établissement', 'Establishment', 'Struttura', 'Instelling'),
  child: e('Enfant', 'Child', 'Bambino', 'Kind'),
  birthDate: e('Date de naissance', 'Date of birth', 'Data di nascita', 'Geboortedatum'),
  paidCare: e(
    'Sommes versées pour la garde (hors frais de repas)',
    'Amounts paid for care (meals excluded)',
    'Somme versate per la custodia (pasti esclusi)',
    'Betaalde bedragen voor opvang (maaltijden uitgesloten)',
  ),
  mealsExcluded: e('Frais de repas exclus', 'Meals excluded', 'Pasti esclusi', 'Uitgesloten maaltijden'),
  eligible: e('Montant retenu (plafond de {ceiling})', 'Amount that counts (ceiling {ceiling})', 'Importo considerato (massimale {ceiling})', 'In aanmerking genomen bedrag (plafond {ceiling})'),
  taxCredit: e("Crédit d'impôt correspondant ({percent} %)", 'Corresponding tax credit ({percent} %)', 'Credito d’imposta corrispondente ({percent} %)', 'Overeenstemmend belastingkrediet ({percent} %)'),
  certify: e(
    'Le soussigné certifie que les sommes ci-dessus ont été effectivement versées.',
    'The undersigned certifies that the amounts above were actually paid.',
    'Il sottoscritto certifica che le somme qui sopra sono state effettivamente versate.',
    'Ondergetekende verklaart dat de bovenstaande bedragen werkelijk betaald zijn.',
  ),
  from: e('Du', 'From', 'Dal', 'Van'),
  to: e('Au', 'To', 'Al', 'Tot'),
  days: e('Jours', 'Days', 'Giorni', 'Dagen'),
  dailyRate: e('Tarif journalier', 'Daily rate', 'Tariffa giornaliera', 'Dagprijs'),
  dailyCeiling: e('Plafond journalier\u00a0: {ceiling}', 'Daily ceiling: {ceiling}', 'Massimale giornaliero: {ceiling}', 'Maximum per dag: {ceiling}'),
  amountPaid: e('Montant payé', 'Amount paid', 'Importo pagato', 'Betaald bedrag'),
  beSectionIssuer: e("I. Milieu d'accueil", 'I. Childcare provider', 'I. Struttura di accoglienza', 'I. Opvangvoorziening'),
  beSectionDebtor: e('II. Débiteur des frais', 'II. Person who paid', 'II. Debitore delle spese', 'II. Schuldenaar van de kosten'),
  beSectionChild: e("III. Enfant (moins de 14 ans)", 'III. Child (under 14)', 'III. Bambino (meno di 14 anni)', 'III. Kind (jonger dan 14 jaar)'),
  beSectionPeriods: e('IV. Périodes de garde', 'IV. Periods of care', 'IV. Periodi di custodia', 'IV. Opvangperiodes'),
  total2: e('Total', 'Total', 'Totale', 'Totaal'),
  walletStatement: e('Relevé du compte prépayé', 'Prepaid account statement', 'Estratto conto prepagato', 'Overzicht prepaidrekening'),
  holder: e('Titulaire', 'Holder', 'Titolare', 'Houder'),
  compartment: e('Compartiment', 'Compartment', 'Scomparto', 'Compartiment'),
  opening: e('Solde au début', 'Opening balance', 'Saldo iniziale', 'Beginsaldo'),
  closing: e('Solde à la fin', 'Closing balance', 'Saldo finale', 'Eindsaldo'),
  date: e('Date', 'Date', 'Data', 'Datum'),
  description: e('Libellé', 'Description', 'Descrizione', 'Omschrijving'),
  debit: e('Débit', 'Debit', 'Addebito', 'Debet'),
  credit: e('Crédit', 'Credit', 'Accredito', 'Krediet'),
  balance: e('Solde', 'Balance', 'Saldo', 'Saldo'),
  reserved: e('Réservations en attente', 'Pending bookings', 'Prenotazioni in attesa', 'Openstaande reservaties'),
  available: e('Disponible', 'Available', 'Disponibile', 'Beschikbaar'),
  depositSlip: e('Bordereau de remise de chèques', 'Cheque deposit slip', 'Distinta di versamento assegni', 'Borderel van cheque-afgifte'),
  depositSlipOther: e('Bordereau de remise', 'Deposit slip', 'Distinta di versamento', 'Stortingsborderel'),
  bankAccount: e('Compte', 'Account', 'Conto', 'Rekening'),
  drawer: e('Tireur', 'Drawer', 'Traente', 'Trekker'),
  chequeNumber: e('N° de chèque', 'Cheque no.', 'N. assegno', 'Chequenr.'),
  bank: e('Banque', 'Bank', 'Banca', 'Bank'),
  count: e('Nombre', 'Count', 'Numero', 'Aantal'),
  byProduct: e('Répartition par produit', 'By product', 'Ripartizione per prodotto', 'Per product'),
  noProduct: e('(sans produit)', '(no product)', '(senza prodotto)', '(geen product)'),
  invoiceList: e('Liste des factures', 'List of invoices', 'Elenco delle fatture', 'Lijst van facturen'),
  folder: e('Dossier', 'Folder', 'Cartella', 'Map'),
  outstanding: e('Reste dû', 'Outstanding', 'Residuo', 'Openstaand'),
  infoSheet: e('Fiche de renseignements', 'Information sheet', 'Scheda informativa', 'Inlichtingenfiche'),
  secIdentity: e('Identité', 'Identity', 'Identità', 'Identiteit'),
  secGuardians: e('Responsables et foyers', 'Guardians and households', 'Responsabili e nuclei familiari', 'Verantwoordelijken en gezinnen'),
  secHousehold: e('Foyer', 'Household', 'Nucleo familiare', 'Gezin'),
  secHealth: e('Santé et autorisations', 'Health and consents', 'Salute e consensi', 'Gezondheid en toestemmingen'),
  secEnrolments: e('Inscriptions et prestations', 'Enrolments and services', 'Iscrizioni e servizi', 'Inschrijvingen en diensten'),
  secBilling: e('Règles de facturation', 'Billing rules', 'Regole di fatturazione', 'Factureringsregels'),
  lastName: e('Nom', 'Last name', 'Cognome', 'Naam'),
  firstName: e('Prénom', 'First name', 'Nome', 'Voornaam'),
  address: e('Adresse', 'Address', 'Indirizzo', 'Adres'),
  phone: e('Téléphone', 'Phone', 'Telefono', 'Telefoon'),
  email: e('Courriel', 'E-mail', 'E-mail', 'E-mail'),
  relationship: e('Lien', 'Relationship', 'Parentela', 'Verwantschap'),
  father: e('Père', 'Father', 'Padre', 'Vader'),
  mother: e('Mère', 'Mother', 'Madre', 'Moeder'),
  tutor: e('Tuteur', 'Tutor', 'Tutore', 'Voogd'),
  other: e('Autre', 'Other', 'Altro', 'Andere'),
  allergies: e('Allergies', 'Allergies', 'Allergie', 'Allergieën'),
  diet: e('Régime', 'Diet', 'Dieta', 'Dieet'),
  doctor: e('Médecin', 'Doctor', 'Medico', 'Arts'),
  notes: e('Observations', 'Notes', 'Note', 'Opmerkingen'),
  consent: e('Autorisation', 'Consent', 'Consenso', 'Toestemming'),
  yes: e('Oui', 'Yes', 'Sì', 'Ja'),
  no: e('Non', 'No', 'No', 'Nee'),
  school: e('École', 'School', 'Scuola', 'School'),
  class: e('Classe', 'Class', 'Classe', 'Klas'),
  since: e('Depuis', 'Since', 'Dal', 'Sinds'),
  until: e("Jusqu'au", 'Until', 'Fino al', 'Tot'),
  share: e('Part', 'Share', 'Quota', 'Aandeel'),
  printedOn: e('Édité le {date}', 'Printed on {date}', 'Stampato il {date}', 'Afgedrukt op {date}'),
  code_topUp: e('Rechargement', 'Top-up', 'Ricarica', 'Opwaardering'),
  code_booking: e('Réservation', 'Booking', 'Prenotazione', 'Reservatie'),
  code_cancellation: e('Annulation', 'Cancellation', 'Annullamento', 'Annulering'),
  code_invoicePayment: e('Paiement de facture', 'Invoice payment', 'Pagamento fattura', 'Betaling factuur'),
  code_refund: e('Remboursement', 'Refund', 'Rimborso', 'Terugbetaling'),
  code_directDebitReturn: e('Rejet de prélèvement', 'Direct-debit return', 'Storno addebito', 'Geweigerde domiciliëring'),
  code_correction: e('Correction', 'Correction', 'Rettifica', 'Correctie'),
  code_compartmentTransfer: e('Transfert entre compartiments', 'Transfer between compartments', 'Trasferimento tra scomparti', 'Overdracht tussen compartimenten'),
  code_openingBalance: e("Solde d'ouverture", 'Opening balance', 'Saldo di apertura', 'Openingssaldo'),
  code_writeOff: e('Passage en perte', 'Write-off', 'Stralcio', 'Afschrijving'),
  code_other: e('Mouvement', 'Movement', 'Movimento', 'Beweging'),
} as const satisfies Record<string, Entry>

/**
 * What goes between a label and its value, by the typography of the language: French puts a
 * no-break space before the colon ("Montant\u00a0: 12,45 €", never broken across lines);
 * English, Italian and Dutch put none ("Amount: €12.45"). Every label-colon-value text of a
 * document is written with it.
 *
 * @example
 * `${label('fr', 'compartment')}${colon('fr')}Cantine` //=> 'Compartiment\u00a0: Cantine'
 * `${label('it', 'compartment')}${colon('it')}Mensa` //=> 'Scomparto: Mensa'
 */
export function colon(language: Language): string {
  return language === 'fr' ? '\u00a0: ' : ': '
}

/**
 * A key of {@link LABELS}.
 *
 * @example
 * const key: LabelKey = 'invoice'
 */
export type LabelKey = keyof typeof LABELS

/**
 * The text of a label in a language, with `{name}` placeholders filled from `values`.
 *
 * @example
 * label('it', 'page', { n: 1, m: 3 }) //=> 'Pagina 1 / 3'
 */
export function label(language: Language, key: LabelKey, values?: Readonly<Record<string, string | number>>): string {
  try {
    const text: string = LABELS[key][language]
    if (!values) return text
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m))
  } catch (error) {
    throw asInputError(error, 'label', { language: [language, 'string', 'a language (fr, en, it, nl)'], key: [key, 'string', 'a label key'], values: [values, 'object?', 'the placeholder values'] })
  }
}

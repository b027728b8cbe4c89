/**
 * Directory storage: the site's settings and its records (schools, classes, services, billing
 * offices, households, guardians, children, enrolments, service rights, custom attributes,
 * insurances, pupil transfers, mail accounts, SEPA mandates, invoice folders, roles, billing
 * rules, service pricing, family quotients, periods).
 *
 * @module
 */
import type {
  BillingOffice, Child, CustomAttribute, DirectorySearch, DirectorySearchKind, DirectoryState, Enrolment, Guardian, Household, Insurance, PupilTransfer, School, SchoolClass, Service,
  ServiceSubscription, Site, SiteToStore, StoredSmtpSettings,
} from '../directory'
import type { Role } from '../access'
import type { BillingRule, FamilyQuotientRecord, ServicePricingRecord } from '../billing'
import type { PeriodRecord } from '../calendar'
import type { CollectionFile, InvoiceBatchJob, InvoiceFolder, SepaMandate } from '../invoicing'
import type { ConsentRecord, MailAccount } from '../messaging'
import type { Page, PageRequest } from './storage'

/** The directory's record types by kind, as {@link DirectoryStore} stores them. */
export interface DirectoryRecords {
  /** Schools (establishments, structures). */
  school: School
  /** Classes and groups. */
  schoolClass: SchoolClass
  /** Services. */
  service: Service
  /** Billing offices (régies). */
  billingOffice: BillingOffice
  /** Households. */
  household: Household
  /** Guardians. */
  guardian: Guardian
  /** Children. */
  child: Child
  /** Enrolments. */
  enrolment: Enrolment
  /** Service rights. */
  subscription: ServiceSubscription
  /** Site-defined attributes. */
  customAttribute: CustomAttribute
  /** The site's insurance list. */
  insurance: Insurance
  /** The pupil-data transfer log of French establishments (seed 003), one line per transfer. */
  pupilTransfer: PupilTransfer
  /** Mail accounts the site sends from (personal, establishment with its authorised staff; seed 002). */
  mailAccount: MailAccount
  /**
   * SEPA direct-debit mandates, one per id (an amendment, the next sequence or a suspension is a
   * new version put over the old one); {@link DirectoryStore.listSepaMandatesOf} reads them by debtor.
   */
  sepaMandate: SepaMandate
  /**
   * Invoice folders (a tree: the caller checks it with `assertInvoiceFolderTree`); the invoicing
   * port's `fileInvoices` refuses a folder that is not stored here.
   */
  invoiceFolder: InvoiceFolder
  /**
   * Roles (a label and permissions of the catalogue) that users are given by `roleId`; users and
   * portal accounts stay on the access port (unique logins).
   */
  role: Role
  /**
   * Billing rules (règles de facturation: who pays which beneficiaries' services, when), stored
   * whole as `BillingRuleSchema` gives them; stopping a rule is putting it back with a `to` date.
   * {@link DirectoryStore.listBillingRulesOf} reads the rules of some beneficiaries;
   * `billingRuleMatches` narrows them by service and day in force.
   */
  billingRule: BillingRule
  /**
   * How each service is priced (one record per service, its id the service's id), checked by
   * `defineServicePricing` and read back with `servicePricingOf`.
   */
  servicePricing: ServicePricingRecord
  /** Family quotients of guardians over time (`defineFamilyQuotients`, read back with `quotientRecordsOf`). */
  familyQuotient: FamilyQuotientRecord
  /**
   * The site's closures and openings (périodes), checked by `definePeriod` and read back as the
   * booking context's periods with `periodsOf`; a site has tens of them a year, read whole with
   * {@link DirectoryStore.listDirectoryRecords}.
   */
  period: PeriodRecord
  /**
   * Consents that gate booking from the portal (`defineConsent`; `bookingConsentOf` gives the
   * `Consent` booking checks). Acceptances stay on the booking port, by version id.
   */
  consent: ConsentRecord
  /**
   * SEPA collection files (pain.008), each stored by `collectDirectDebits` of `@ecole/workflows`
   * in the transaction of its collection, its id the file's message id; listed in id order.
   */
  collectionFile: CollectionFile
  /**
   * Invoice batches being created in the background, as a host writes them outside the batch's
   * transaction at each step (`InvoiceBatchJob`; `invoiceBatchJobStatus` says when one was
   * interrupted): any process over the database shows their progress and outcome.
   */
  invoiceBatchJob: InvoiceBatchJob
}

/** A kind of directory record. */
export type DirectoryRecordKind = keyof DirectoryRecords

/** What a put did. */
export type PutDirectoryResult = 'created' | 'updated'

/**
 * Directory storage.
 *
 * Contract:
 * - every method takes the `siteId` first; a record's own `siteId` must equal it (otherwise
 *   `EcoleError` `SITE_MISMATCH`), and no read or write crosses sites;
 * - records are stored whole, already validated by their schemas (`GuardianSchema`...), one per
 *   (site, kind, id); a put replaces it; reads return equal copies, never live references;
 * - listings are in `id` order (code-point order) and paginate stably;
 * - a site's SMTP password is only ever stored sealed ({@link StoredSmtpSettings}); the store
 *   never sees it in clear, and `saveSmtpSettings` writes it only after a successful check.
 *
 * @example
 * await storage.directory!.putDirectoryRecord('site-1', 'guardian', guardian) //=> 'created'
 * const g = await storage.directory!.getDirectoryRecord('site-1', 'guardian', 'marie')
 */
export interface DirectoryStore {
  /**
   * The site, with its sealed SMTP settings (call `siteView` before showing it).
   *
   * @example
   * const site = await store.getSite('site-1')
   */
  getSite(siteId: string): Promise<Site | undefined>
  /**
   * Stores the site's settings (validated by `SiteSchema`); its SMTP settings are kept as they
   * were when `site.smtp` is `undefined` (read under the lock of the write, so a concurrent
   * `putSmtpSettings` is never undone).
   *
   * @example
   * await store.putSite('site-1', { ...SiteSchema.parse(form), smtp: null }) //=> 'created'
   */
  putSite(siteId: string, site: SiteToStore): Promise<PutDirectoryResult>
  /**
   * Replaces the site's SMTP settings (sealed), or removes them with `null`.
   *
   * @throws EcoleError `NOT_FOUND` when the site does not exist.
   * @example
   * await store.putSmtpSettings('site-1', sealedSettings)
   */
  putSmtpSettings(siteId: string, smtp: StoredSmtpSettings | null): Promise<void>
  /**
   * One record by kind and id.
   *
   * @example
   * await store.getDirectoryRecord('site-1', 'child', 'lea')
   */
  getDirectoryRecord<K extends DirectoryRecordKind>(siteId: string, kind: K, id: string): Promise<DirectoryRecords[K] | undefined>
  /**
   * Many records of one kind by id, in one read (a page's payers' names, say): the records found,
   * by id. An id with no record of that kind on this site is absent from the map (never another
   * site's record); an id given twice is answered once; an empty list answers an empty map without
   * reading the store. The map's order is not specified.
   *
   * @param ids - at most 1,000 ids (split longer lists); each a string.
   * @throws EcoleError `INVALID_INPUT` naming `ids` when there are more than 1,000 of them or one
   * is not a string.
   * @example
   * const payers = await store.getDirectoryRecords('site-1', 'guardian', page.items.map((i) => i.payerId))
   * const name = (id: string) => { const g = payers.get(id); return g ? `${g.firstName} ${g.lastName}` : id }
   */
  getDirectoryRecords<K extends DirectoryRecordKind>(siteId: string, kind: K, ids: readonly string[]): Promise<Map<string, DirectoryRecords[K]>>
  /**
   * Stores a record, replacing the one with its id.
   *
   * @example
   * await store.putDirectoryRecord('site-1', 'household', household) //=> 'created'
   */
  putDirectoryRecord<K extends DirectoryRecordKind>(siteId: string, kind: K, record: DirectoryRecords[K]): Promise<PutDirectoryResult>
  /**
   * Deletes a record; `false` when there was none.
   *
   * @example
   * await store.deleteDirectoryRecord('site-1', 'insurance', 'old') //=> true
   */
  deleteDirectoryRecord(siteId: string, kind: DirectoryRecordKind, id: string): Promise<boolean>
  /**
   * Records of a kind, in id order, a page at a time.
   *
   * @example
   * const { items, next } = await store.listDirectoryRecords('site-1', 'guardian', { limit: 100 })
   */
  listDirectoryRecords<K extends DirectoryRecordKind>(siteId: string, kind: K, page?: PageRequest): Promise<Page<DirectoryRecords[K]>>
  /**
   * The SEPA mandates (kind `sepaMandate`) of the given debtors (`SepaMandate.debtorId`), in id order, in one read (every
   * mandate of a site is `listDirectoryRecords(siteId, 'sepaMandate')`). A debtor with no mandate
   * answers nothing; a debtor given twice is answered once; an empty list answers `[]` without
   * reading the store. Adapters answer it without reading the site's other mandates.
   *
   * @param debtorIds - at most 1,000 debtor ids (guardian ids) (split longer lists); each a string.
   * @throws EcoleError `INVALID_INPUT` naming `debtorIds` when there are more than 1,000 of them or
   * one is not a string.
   * @example
   * await store.putDirectoryRecord('site-1', 'sepaMandate', mandate) //=> 'created'
   * const active = (await store.listSepaMandatesOf('site-1', ['g1'])).find((m) => m.status === 'active')
   */
  listSepaMandatesOf(siteId: string, debtorIds: readonly string[]): Promise<SepaMandate[]>
  /**
   * The billing rules (kind `billingRule`) covering any of the given beneficiaries (children, or
   * adults who book meals), in id order, each rule once, in one read (every rule of a site is
   * `listDirectoryRecords(siteId, 'billingRule')`; `billingRuleMatches` narrows the answer by
   * service and day in force). A beneficiary no rule covers answers nothing; a beneficiary given
   * twice is answered once; an empty list answers `[]` without reading the store. Adapters answer
   * it without reading the site's other rules (PostgreSQL: an index on the rules' coverage).
   *
   * @param beneficiaryIds - at most 1,000 beneficiary ids (split longer lists); each a string.
   * @throws EcoleError `INVALID_INPUT` naming `beneficiaryIds` when there are more than 1,000 of
   * them or one is not a string.
   * @example
   * await store.putDirectoryRecord('site-1', 'billingRule', BillingRuleSchema.parse(form)) //=> 'created'
   * const lunch = (await store.listBillingRulesOf('site-1', ['lea'])).filter((r) => billingRuleMatches(r, { serviceId: 'lunch', activeOn: '2026-03-02' }))
   */
  listBillingRulesOf(siteId: string, beneficiaryIds: readonly string[]): Promise<BillingRule[]>
  /**
   * The enrolments or the service rights (kinds `enrolment`, `subscription`) of the given
   * children, in id order, in one read: what a booking of one family's children needs, without
   * the site's other children's records (every one of a site is `listDirectoryRecords`). A child
   * with none answers nothing; a child given twice is answered once; an empty list answers `[]`
   * without reading the store. Adapters answer it without reading the site's other records of the
   * kind (a 50,000-child site stays fast).
   *
   * @param beneficiaryIds - at most 1,000 child ids (split longer lists); each a string.
   * @throws EcoleError `INVALID_INPUT` naming `beneficiaryIds` when there are more than 1,000 of
   * them or one is not a string.
   * @example
   * const enrolments = await store.listDirectoryRecordsOf('site-1', 'enrolment', ['lea', 'tom'])
   * const lea = enrolments.filter((e) => e.beneficiaryId === 'lea')
   */
  listDirectoryRecordsOf<K extends 'enrolment' | 'subscription'>(siteId: string, kind: K, beneficiaryIds: readonly string[]): Promise<Array<DirectoryRecords[K]>>
  /**
   * Households, guardians or children matching a search, in id order, a page at a time: each word
   * of `search.name` begins a word of the record's name (case and accents ignored as
   * `foldName` says); `search.archived` keeps the active (`false`) or the archived (`true`) only;
   * `search.householdId` keeps the guardians of one household. The search is validated by
   * `prepareDirectorySearch` and matches exactly what `matchesDirectorySearch` says. Adapters
   * answer it without reading every record of the kind (a 50,000-child site stays fast).
   *
   * @throws EcoleError `INVALID_INPUT` naming the field of a bad search.
   * @example
   * const { items } = await store.searchDirectoryRecords('site-1', 'child', { name: 'dup', archived: false }, { limit: 20 })
   * const parents = await store.searchDirectoryRecords('site-1', 'guardian', { householdId: 'h1' })
   */
  searchDirectoryRecords<K extends DirectorySearchKind>(siteId: string, kind: K, search: DirectorySearch, page?: PageRequest): Promise<Page<DirectoryRecords[K]>>
  /**
   * The whole directory of the site as the pure operations take it (schools, classes, services,
   * billing offices, households, guardians, children, enrolments, service rights).
   *
   * @example
   * const state = await store.loadDirectory('site-1')
   * const r = moveGuardian(state, 'paul', { householdId: 'h2' })
   */
  loadDirectory(siteId: string): Promise<DirectoryState>
}

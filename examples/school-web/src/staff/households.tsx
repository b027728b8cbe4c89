/**
 * Families in the back office (seed 001, Foyer): create a household in the documented steps
 * (guardian, contact details, a new child, an existing child for separated parents, or an adult
 * only; then the household's name and address), add guardians and children, edit a guardian's
 * contact details and SEPA mandate (debtor data for direct-debit billing), move a child to
 * another household. Every action passes the gate with its named permission; a library refusal
 * or an `EcoleError` is shown on the form, with what was typed, and nothing is stored.
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { isEcoleError, type Child, type Guardian, type Household, type Insurance, type Relationship } from '@ecole/core'
import type { AppEnv } from '../env'
import { formatDate, t, type Lang } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { DateField, RelationshipSelect, dateOfForm, ecoleErrorText, formValues, refusalText } from './form-fields'
import { addChildAs, addGuardianAs, allRecords, childrenOf, createHouseholdAs, editGuardianAs, fullName, guardiansOf, mandateOf, moveChildAs, removeGuardianInsuranceAs, saveMandateAs, setGuardianInsuranceAs } from './people'
import { searchPage } from './directory-search'
import { authorize } from './permissions'
import { RecordConflictCard, recordConflictView, VersionField, versionOf, type RecordConflictView } from './record-conflict'
import { actorOfRequest, Page, refused, today } from './routes'

type Values = Record<string, string>
const enc = encodeURIComponent

function relationshipOf(v: string | undefined): Relationship {
  return v === 'father' || v === 'tutor' || v === 'other' ? v : 'mother'
}

/** The children the "existing child" step offers: found by name, or the one already picked. */
interface ChildChoice {
  /** The children to pick from (radio buttons). */
  candidates: Child[]
  /** The search was refused (more than 5 words or 100 characters). */
  searchError: boolean
}

/**
 * The "existing child" step's choice: the active children whose name begins with the words typed
 * (`searchDirectoryRecords`, as /staff/children), 20 at most, and the child already picked (from
 * the child's file, or before a refusal) kept first. No id is typed.
 */
async function childChoice(c: Context<AppEnv>, v: Values): Promise<ChildChoice> {
  const { ctx } = c.var
  const actor = actorOfRequest(c)
  const q = (v['childQuery'] ?? '').trim()
  const found = q ? await searchPage(ctx.storage, actor.siteId, 'child', { name: q, archived: false }, { limit: 20 }) : undefined
  const candidates = found?.ok ? [...found.page.items] : []
  const picked = v['existingChildId']
  if (picked && !candidates.some((ch) => ch.id === picked)) {
    const child = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', picked)
    if (child) candidates.unshift(child)
  }
  return { candidates, searchError: found !== undefined && !found.ok }
}

/** The household form (seed 001 "Comment créer un foyer ?"), its steps as fieldsets. */
function NewHouseholdForm(p: { c: Context<AppEnv>; values: Values; choice: ChildChoice }) {
  const { lang } = p.c.var
  const v = p.values
  const childMode = v['childMode'] ?? 'new'
  return (
    <form method="post" action="/staff/households/new" class="card">
      <CsrfField session={p.c.var.session} />
      <input type="hidden" name="householdId" value={v['householdId'] || `foyer-${randomUUID()}`} />
      <input type="hidden" name="guardianId" value={v['guardianId'] || `resp-${randomUUID()}`} />
      <input type="hidden" name="childId" value={v['childId'] || `enfant-${randomUUID()}`} />
      <fieldset>
        <legend>{t(lang, 'staff.people.step.guardian')}</legend>
        <Field label={t(lang, 'staff.people.firstName')} name="firstName" value={v['firstName']} />
        <Field label={t(lang, 'staff.people.lastName')} name="lastName" value={v['lastName']} />
        <Field label={t(lang, 'staff.email')} name="email" type="email" value={v['email']} required={false} />
        <Field label={t(lang, 'staff.people.phone')} name="phone" type="tel" value={v['phone']} required={false} />
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'staff.people.step.child')}</legend>
        {(['new', 'existing', 'none'] as const).map((m) => (
          <p class="choice"><label><input type="radio" name="childMode" value={m} checked={childMode === m} /> {t(lang, `staff.people.childMode.${m}`)}</label></p>
        ))}
        <Field label={t(lang, 'staff.people.childFirstName')} name="childFirstName" value={v['childFirstName']} required={false} />
        <Field label={t(lang, 'staff.people.childLastName')} name="childLastName" value={v['childLastName']} required={false} />
        <DateField lang={lang} label={t(lang, 'staff.people.birthDate')} name="birthDate" value={v['birthDate']} required={false} />
        <p class="field">
          <label for="f-childQuery">{t(lang, 'staff.people.existingChild')}</label>
          <input id="f-childQuery" name="childQuery" type="search" value={v['childQuery'] ?? ''} aria-invalid={p.choice.searchError ? 'true' : undefined} aria-describedby={p.choice.searchError ? 'childQuery-error' : undefined} />{' '}
          <button type="submit" name="findChild" value="1" formnovalidate>{t(lang, 'staff.search.submit')}</button>
          {p.choice.searchError ? <span class="field-error" id="childQuery-error" role="alert">{t(lang, 'staff.search.invalid')}</span> : null}
        </p>
        {p.choice.candidates.length > 0 ? (
          <fieldset class="children-found">
            <legend>{t(lang, 'staff.people.pickChild')}</legend>
            {p.choice.candidates.map((ch) => (
              <p class="choice"><label><input type="radio" name="existingChildId" value={ch.id} checked={v['existingChildId'] === ch.id || p.choice.candidates.length === 1} /> {fullName(ch)} ({formatDate(lang, ch.birthDate)})</label></p>
            ))}
          </fieldset>
        ) : (v['childQuery'] ?? '').trim() !== '' && !p.choice.searchError ? <p class="empty">{t(lang, 'staff.search.none')}</p> : <p class="hint">{t(lang, 'staff.people.childSearchFirst')}</p>}
        <RelationshipSelect lang={lang} value={v['relationship']} />
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'staff.people.step.household')}</legend>
        <Field label={t(lang, 'staff.households.name')} name="name" value={v['name']} />
        <Field label={t(lang, 'staff.people.street')} name="line1" value={v['line1']} required={false} />
        <Field label={t(lang, 'staff.people.postcode')} name="postcode" value={v['postcode']} required={false} />
        <Field label={t(lang, 'staff.people.city')} name="city" value={v['city']} required={false} />
      </fieldset>
      <button type="submit">{t(lang, 'staff.people.createHousehold')}</button>
    </form>
  )
}

function GuardianForm(p: { c: Context<AppEnv>; action: string; values: Values; submit: string; version?: string }) {
  const { lang } = p.c.var
  const v = p.values
  return (
    <form method="post" action={p.action} class="card">
      <CsrfField session={p.c.var.session} />
      {p.action.endsWith('/guardians/new') ? <input type="hidden" name="guardianId" value={v['guardianId'] || `resp-${randomUUID()}`} /> : null}
      {p.version !== undefined ? <VersionField version={p.version} /> : null}
      <Field label={t(lang, 'staff.people.firstName')} name="firstName" value={v['firstName']} />
      <Field label={t(lang, 'staff.people.lastName')} name="lastName" value={v['lastName']} />
      <Field label={t(lang, 'staff.email')} name="email" type="email" value={v['email']} required={false} />
      <Field label={t(lang, 'staff.people.phone')} name="phone" type="tel" value={v['phone']} required={false} />
      <Field label={t(lang, 'staff.people.mobile')} name="mobile" type="tel" value={v['mobile']} required={false} />
      <button type="submit">{p.submit}</button>
    </form>
  )
}

function MandateForm(p: { c: Context<AppEnv>; guardianId: string; values: Values; exists: boolean }) {
  const { lang } = p.c.var
  const v = p.values
  return (
    <form method="post" action={`/staff/guardians/${enc(p.guardianId)}/mandate`} class="card">
      <h2>{t(lang, 'staff.mandate.title')}</h2>
      <CsrfField session={p.c.var.session} />
      <Field label={t(lang, 'staff.mandate.debtorName')} name="debtorName" value={v['debtorName']} />
      <Field label={t(lang, 'staff.mandate.iban')} name="iban" value={v['iban']} />
      <Field label={t(lang, 'staff.mandate.bic')} name="bic" value={v['bic']} required={false} />
      <Field label={t(lang, 'staff.mandate.rum')} name="rum" value={v['rum']} />
      {p.exists ? null : <DateField lang={lang} label={t(lang, 'staff.mandate.signatureDate')} name="signatureDate" value={v['signatureDate']} />}
      <button type="submit">{t(lang, p.exists ? 'staff.mandate.amend' : 'staff.mandate.save')}</button>
    </form>
  )
}

/**
 * The insurances on a guardian's file (seed 001: chosen among the site's visible insurances), as a
 * table: the insurance's label (its id when the list no longer has it), the policy number, the
 * last day covered; with a remove button each when `removable`.
 */
function GuardianInsurancesTable(p: { c: Context<AppEnv>; guardian: Guardian; list: readonly Insurance[]; removable: boolean }) {
  const { lang } = p.c.var
  const labels = new Map(p.list.map((i) => [i.id, i.label]))
  if (p.guardian.insurances.length === 0) return <p class="empty">{t(lang, 'staff.guardianInsurances.none')}</p>
  return (
    <table class="guardian-insurances">
      <thead><tr>
        <th scope="col">{t(lang, 'staff.guardianInsurances.insurance')}</th><th scope="col">{t(lang, 'staff.guardianInsurances.policyNumber')}</th><th scope="col">{t(lang, 'staff.guardianInsurances.validUntil')}</th>
        {p.removable ? <th scope="col"></th> : null}
      </tr></thead>
      <tbody>{p.guardian.insurances.map((i) => (
        <tr>
          <td>{labels.get(i.insuranceId) ?? i.insuranceId}</td><td>{i.policyNumber ?? '-'}</td><td>{i.validUntil ? formatDate(lang, i.validUntil) : '-'}</td>
          {p.removable ? (
            <td>
              <form method="post" action={`/staff/guardians/${enc(p.guardian.id)}/insurances/remove`} class="inline">
                <CsrfField session={p.c.var.session} />
                <input type="hidden" name="insuranceId" value={i.insuranceId} />
                <button type="submit" class="secondary">{t(lang, 'staff.guardianInsurances.remove')}</button>
              </form>
            </td>
          ) : null}
        </tr>
      ))}</tbody>
    </table>
  )
}

/** The insurances card of a guardian's edit page: those on the file, and the form adding one of the site's visible insurances. */
function GuardianInsurancesCard(p: { c: Context<AppEnv>; guardian: Guardian; list: readonly Insurance[]; values: Values }) {
  const { lang } = p.c.var
  const offered = p.list.filter((i) => i.visible)
  const v = p.values
  return (
    <section class="card" id="insurances">
      <h2>{t(lang, 'staff.guardianInsurances.title')}</h2>
      <GuardianInsurancesTable c={p.c} guardian={p.guardian} list={p.list} removable />
      {offered.length === 0 ? <p class="hint">{t(lang, 'staff.guardianInsurances.noneOffered')}</p> : (
        <form method="post" action={`/staff/guardians/${enc(p.guardian.id)}/insurances`}>
          <CsrfField session={p.c.var.session} />
          <p class="field">
            <label for="f-insuranceId">{t(lang, 'staff.guardianInsurances.insurance')}</label>
            <select id="f-insuranceId" name="insuranceId">{offered.map((i) => <option value={i.id} selected={v['insuranceId'] === i.id}>{i.label}</option>)}</select>
          </p>
          <Field label={t(lang, 'staff.guardianInsurances.policyNumber')} name="policyNumber" value={v['policyNumber']} required={false} />
          <DateField lang={lang} label={t(lang, 'staff.guardianInsurances.validUntil')} name="validUntil" value={v['validUntil']} required={false} />
          <button type="submit">{t(lang, 'staff.guardianInsurances.add')}</button>
        </form>
      )}
    </section>
  )
}

/**
 * The people part of a household's page (shown by the household route): its children with their
 * links, and the links to add a guardian or a child.
 */
export async function householdPeople(c: Context<AppEnv>, household: Household, guardians: readonly Guardian[]) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const children = await childrenOf(ctx.storage, actor.siteId, guardians.map((g) => g.id))
  const canWrite = authorize(actor, 'households.create', { siteId: actor.siteId }).ok
  return (
    <section>
      <h2>{t(lang, 'staff.people.children')}</h2>
      <ul class="children">
        {children.map((ch) => <li><a href={`/staff/children/${enc(ch.id)}`}>{fullName(ch)}</a>{` (${formatDate(lang, ch.birthDate)})`}{ch.archived ? ` (${t(lang, 'staff.archived')})` : ''}</li>)}
      </ul>
      {canWrite ? (
        <p class="actions">
          <a href={`/staff/households/${enc(household.id)}/guardians/new`}>{t(lang, 'staff.people.addGuardian')}</a>{' · '}
          <a href={`/staff/households/${enc(household.id)}/children/new`}>{t(lang, 'staff.people.addChild')}</a>
        </p>
      ) : null}
    </section>
  )
}

/** The people part of a guardian's page: contact details, the SEPA mandate, the children. */
export async function guardianPeople(c: Context<AppEnv>, guardian: Guardian) {
  const { lang, ctx } = c.var
  const actor = actorOfRequest(c)
  const children = await childrenOf(ctx.storage, actor.siteId, [guardian.id])
  const mandate = authorize(actor, 'guardians.mandate', { siteId: actor.siteId }).ok ? await mandateOf(ctx.storage, actor.siteId, guardian.id) : undefined
  const insurances = guardian.insurances.length > 0 ? await allRecords(ctx.storage, actor.siteId, 'insurance') : []
  return (
    <section>
      <dl class="card">
        <dt>{t(lang, 'staff.people.phone')}</dt><dd>{guardian.phone ?? '-'}</dd>
        <dt>{t(lang, 'staff.people.mobile')}</dt><dd>{guardian.mobile ?? '-'}</dd>
        {mandate ? <><dt>{t(lang, 'staff.mandate.title')}</dt><dd id="mandate">{`${mandate.rum} · ${mandate.iban}`}</dd></> : null}
      </dl>
      <h2>{t(lang, 'staff.guardianInsurances.title')}</h2>
      <GuardianInsurancesTable c={c} guardian={guardian} list={insurances} removable={false} />
      <h2>{t(lang, 'staff.people.children')}</h2>
      <ul class="children">{children.map((ch) => <li><a href={`/staff/children/${enc(ch.id)}`}>{fullName(ch)}</a></li>)}</ul>
      {authorize(actor, 'guardians.edit', { siteId: actor.siteId }).ok || authorize(actor, 'guardians.mandate', { siteId: actor.siteId }).ok
        ? <p><a href={`/staff/guardians/${enc(guardian.id)}/edit`}>{t(lang, 'staff.people.editGuardian')}</a></p>
        : null}
    </section>
  )
}

/** The notice of a household page after one of the people actions (`?done=`). */
export function householdDoneNotice(lang: Lang, done: string | undefined): { kind: 'ok'; text: string } | undefined {
  const key = done === 'created' ? 'staff.people.created' : done === 'guardian' ? 'staff.people.guardianAdded' : done === 'child' ? 'staff.people.childAdded' : done === 'guardianMoved' ? 'staff.moveGuardian.done' : undefined
  return key ? { kind: 'ok', text: t(lang, key) } : undefined
}

/** The household routes of the people screens. */
export function householdRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const newPage = async (c: Context<AppEnv>, values: Values, error?: string) => {
    const choice = await childChoice(c, values)
    return html(c, <Page c={c} title={t(c.var.lang, 'staff.people.newHousehold')} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}><NewHouseholdForm c={c} values={values} choice={choice} /></Page>, error || choice.searchError ? 400 : 200)
  }

  app.get('/households/new', async (c) => {
    const actor = actorOfRequest(c)
    // from a child's file (separated parents): that child already picked
    const picked = c.req.query('childId') ?? ''
    return refused(c, 'households.create', { siteId: actor.siteId }) ?? newPage(c, { existingChildId: picked, childMode: picked ? 'existing' : 'new' })
  })

  app.post('/households/new', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.create', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    // "Rechercher" in the existing-child step: the form again, with what was typed and the children found
    if (v['findChild'] === '1') return newPage(c, { ...v, childMode: 'existing' })
    const relationship = relationshipOf(v['relationship'])
    const child = v['childMode'] === 'none'
      ? undefined
      : v['childMode'] === 'existing'
        ? { existingChildId: v['existingChildId'] ?? '', relationship }
        : { newChild: { id: v['childId'] ?? '', firstName: v['childFirstName'] ?? '', lastName: v['childLastName'] ?? '', birthDate: dateOfForm(v['birthDate'] ?? '') }, relationship }
    try {
      const r = await createHouseholdAs(ctx.storage, actor, {
        householdId: v['householdId'] ?? '', name: v['name'] ?? '', address: { line1: v['line1'], postcode: v['postcode'], city: v['city'] },
        guardian: { id: v['guardianId'] ?? '', firstName: v['firstName'] ?? '', lastName: v['lastName'] ?? '', email: v['email'], phone: v['phone'] },
        child,
      }, today(c), ctx.clock.now())
      if (!r.ok) return newPage(c, v, refusalText(lang, r.refusal))
      return c.redirect(`/staff/households/${enc(r.householdId)}?done=created`, 303)
    } catch (error) {
      // a second submit of the same form: the household is there, show it
      if (isEcoleError(error, 'DUPLICATE_ID') && (await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', v['householdId'] ?? ''))) {
        return c.redirect(`/staff/households/${enc(v['householdId']!)}?done=created`, 303)
      }
      const text = ecoleErrorText(error)
      if (text) return newPage(c, v, t(lang, isEcoleError(error, 'NOT_FOUND') ? 'staff.people.childNotFound' : 'staff.people.invalid', { message: text }))
      throw error
    }
  })

  // add a guardian to a household
  const guardianPage = (c: Context<AppEnv>, household: Household, values: Values, error?: string) =>
    html(c, (
      <Page c={c} title={`${t(c.var.lang, 'staff.people.addGuardian')} · ${household.name}`} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}>
        <GuardianForm c={c} action={`/staff/households/${enc(household.id)}/guardians/new`} values={values} submit={t(c.var.lang, 'staff.people.addGuardian')} />
      </Page>
    ), error ? 400 : 200)

  app.get('/households/:id/guardians/new', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.create', { siteId: actor.siteId })
    if (denied) return denied
    const household = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', c.req.param('id'))
    return household ? guardianPage(c, household, {}) : c.notFound()
  })

  app.post('/households/:id/guardians/new', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.create', { siteId: actor.siteId })
    if (denied) return denied
    const household = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', c.req.param('id'))
    if (!household) return c.notFound()
    const v = formValues(await c.req.parseBody())
    try {
      const r = await addGuardianAs(ctx.storage, actor, household.id, { id: v['guardianId'] ?? '', firstName: v['firstName'] ?? '', lastName: v['lastName'] ?? '', email: v['email'], phone: v['phone'] }, ctx.clock.now())
      if (!r.ok) return guardianPage(c, household, v, refusalText(lang, r.refusal))
      return c.redirect(`/staff/households/${enc(household.id)}?done=guardian`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return guardianPage(c, household, v, t(lang, 'staff.people.invalid', { message: text }))
      throw error
    }
  })

  // add a child, linked to a guardian of the household
  const childPage = (c: Context<AppEnv>, household: Household, guardians: readonly Guardian[], values: Values, error?: string) => {
    const { lang } = c.var
    return html(c, (
      <Page c={c} title={`${t(lang, 'staff.people.addChild')} · ${household.name}`} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}>
        <form method="post" action={`/staff/households/${enc(household.id)}/children/new`} class="card">
          <CsrfField session={c.var.session} />
          <input type="hidden" name="childId" value={values['childId'] || `enfant-${randomUUID()}`} />
          <Field label={t(lang, 'staff.people.firstName')} name="firstName" value={values['firstName']} />
          <Field label={t(lang, 'staff.people.lastName')} name="lastName" value={values['lastName']} />
          <DateField lang={lang} label={t(lang, 'staff.people.birthDate')} name="birthDate" value={values['birthDate']} />
          <p class="field">
            <label for="f-guardianId">{t(lang, 'staff.people.guardian')}</label>
            <select id="f-guardianId" name="guardianId">{guardians.map((g) => <option value={g.id} selected={values['guardianId'] === g.id}>{fullName(g)}</option>)}</select>
          </p>
          <RelationshipSelect lang={lang} value={values['relationship']} />
          <button type="submit">{t(lang, 'staff.people.addChild')}</button>
        </form>
      </Page>
    ), error ? 400 : 200)
  }

  app.get('/households/:id/children/new', async (c) => {
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.create', { siteId: actor.siteId })
    if (denied) return denied
    const household = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', c.req.param('id'))
    if (!household) return c.notFound()
    return childPage(c, household, await guardiansOf(c.var.ctx.storage, actor.siteId, household.id), {})
  })

  app.post('/households/:id/children/new', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'households.create', { siteId: actor.siteId })
    if (denied) return denied
    const household = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'household', c.req.param('id'))
    if (!household) return c.notFound()
    const guardians = await guardiansOf(ctx.storage, actor.siteId, household.id)
    const v = formValues(await c.req.parseBody())
    const guardian = guardians.find((g) => g.id === v['guardianId'])
    if (!guardian) return childPage(c, household, guardians, v, t(lang, 'staff.people.guardianNotInHousehold'))
    try {
      const r = await addChildAs(ctx.storage, actor, household.id, {
        id: v['childId'] ?? '', firstName: v['firstName'] ?? '', lastName: v['lastName'] ?? '', birthDate: dateOfForm(v['birthDate'] ?? ''), guardianId: guardian.id, relationship: relationshipOf(v['relationship']),
      }, today(c), ctx.clock.now())
      if (!r.ok) return childPage(c, household, guardians, v, refusalText(lang, r.refusal, () => fullName(guardian)))
      return c.redirect(`/staff/households/${enc(household.id)}?done=child`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return childPage(c, household, guardians, v, t(lang, 'staff.people.invalid', { message: text }))
      throw error
    }
  })

  // a guardian's contact details and mandate
  const editPage = async (c: Context<AppEnv>, guardian: Guardian, values: Values, mandateValues: Values, error?: string, status: 200 | 400 | 409 = 200, conflict?: RecordConflictView, insuranceValues: Values = {}) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const mandate = await mandateOf(ctx.storage, actor.siteId, guardian.id)
    // an archived guardian's file is read-only until unarchived (seed 001: « grisée, non modifiable »)
    const canEdit = authorize(actor, 'guardians.edit', { siteId: actor.siteId }).ok && guardian.archived === null
    const insurances = canEdit ? await allRecords(ctx.storage, actor.siteId, 'insurance') : []
    const done = c.req.query('done')
    const doneKey = done === 'mandate' ? 'staff.mandate.done' : done === 'insurance' ? 'staff.guardianInsurances.saved' : done === 'insuranceRemoved' ? 'staff.guardianInsurances.removed' : 'staff.people.saved'
    const notice = error ? { kind: 'error' as const, text: error } : done ? { kind: 'ok' as const, text: t(lang, doneKey) } : undefined
    // the version the form carries: the one it was opened with, or after a conflict the one stored now
    const version = conflict ? conflict.version : values['version'] || versionOf(guardian)
    return html(c, (
      <Page c={c} title={`${t(lang, 'staff.people.editGuardian')} · ${fullName(guardian)}`} current="/staff/households" notice={notice}>
        <p><a href={`/staff/guardians/${enc(guardian.id)}`}>{fullName(guardian)}</a></p>
        {guardian.archived ? <p class="card muted" id="archived-read-only">{t(lang, 'staff.people.archivedReadOnly', { date: formatDate(lang, guardian.archived.on) })}</p> : null}
        {conflict ? <RecordConflictCard lang={lang} conflict={conflict} /> : null}
        {canEdit
          ? <GuardianForm c={c} action={`/staff/guardians/${enc(guardian.id)}/edit`} values={values} version={version} submit={t(lang, 'staff.people.save')} />
          : null}
        {canEdit ? <GuardianInsurancesCard c={c} guardian={guardian} list={insurances} values={insuranceValues} /> : null}
        {authorize(actor, 'guardians.mandate', { siteId: actor.siteId }).ok
          ? <MandateForm c={c} guardianId={guardian.id} exists={mandate !== undefined} values={{ ...(mandate ? { rum: mandate.rum, iban: mandate.iban, bic: mandate.bic ?? '', debtorName: mandate.debtorName } : { debtorName: fullName(guardian), signatureDate: today(c) }), ...mandateValues }} />
          : null}
      </Page>
    ), status)
  }
  const guardianLabels = (lang: Lang): Record<string, string> => ({
    firstName: t(lang, 'staff.people.firstName'), lastName: t(lang, 'staff.people.lastName'), email: t(lang, 'staff.email'), phone: t(lang, 'staff.people.phone'), mobile: t(lang, 'staff.people.mobile'),
  })
  const contactValues = (g: Guardian): Values => ({ firstName: g.firstName, lastName: g.lastName, email: g.email ?? '', phone: g.phone ?? '', mobile: g.mobile ?? '' })

  app.get('/guardians/:id/edit', async (c) => {
    const actor = actorOfRequest(c)
    const canEdit = authorize(actor, 'guardians.edit', { siteId: actor.siteId }).ok
    const denied = canEdit ? undefined : refused(c, 'guardians.mandate', { siteId: actor.siteId })
    if (denied) return denied
    const guardian = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('id'))
    return guardian ? editPage(c, guardian, contactValues(guardian), {}) : c.notFound()
  })

  /** The guardian a write route names, once `action` is allowed: the refusal or 404 response otherwise. */
  const guardianFor = async (c: Context<AppEnv>, action: 'guardians.edit' | 'guardians.mandate'): Promise<{ actor: ReturnType<typeof actorOfRequest>; guardian: Guardian } | Response> => {
    const actor = actorOfRequest(c)
    const denied = refused(c, action, { siteId: actor.siteId })
    if (denied) return denied
    const guardian = await c.var.ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('id') ?? '')
    return guardian ? { actor, guardian } : c.notFound()
  }

  app.post('/guardians/:id/edit', async (c) => {
    const { lang, ctx } = c.var
    const found = await guardianFor(c, 'guardians.edit')
    if (found instanceof Response) return found
    const { actor, guardian } = found
    const v = formValues(await c.req.parseBody())
    try {
      const r = await editGuardianAs(ctx.storage, actor, guardian.id, { firstName: v['firstName'], lastName: v['lastName'], email: v['email'] ?? '', phone: v['phone'] ?? '', mobile: v['mobile'] ?? '' }, ctx.clock.now(), v['version'])
      if (!r.ok) return editPage(c, guardian, v, {}, refusalText(lang, r.refusal), 400)
      return c.redirect(`/staff/guardians/${enc(guardian.id)}/edit?done=contact`, 303)
    } catch (error) {
      const conflict = await recordConflictView(ctx.storage, lang, actor.siteId, error, { ref: { kind: 'guardian', id: guardian.id }, reload: `/staff/guardians/${enc(guardian.id)}/edit`, labels: guardianLabels(lang) })
      if (conflict) return editPage(c, guardian, v, {}, conflict.text, 409, conflict)
      const text = ecoleErrorText(error)
      if (text) return editPage(c, guardian, v, {}, t(lang, 'staff.people.invalid', { message: text }), 400)
      throw error
    }
  })

  app.post('/guardians/:id/mandate', async (c) => {
    const { lang, ctx } = c.var
    const found = await guardianFor(c, 'guardians.mandate')
    if (found instanceof Response) return found
    const { actor, guardian } = found
    const v = formValues(await c.req.parseBody())
    try {
      await saveMandateAs(ctx.storage, actor, guardian, { rum: v['rum'] ?? '', iban: v['iban'] ?? '', bic: v['bic'] || undefined, debtorName: v['debtorName'] ?? '', signatureDate: dateOfForm(v['signatureDate'] ?? '') }, today(c), ctx.clock.now())
      return c.redirect(`/staff/guardians/${enc(guardian.id)}/edit?done=mandate`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return editPage(c, guardian, contactValues(guardian), v, t(lang, 'staff.people.invalid', { message: text }), 400)
      throw error
    }
  })

  // the insurances on a guardian's file (seed 001): one of the site's visible insurances added, or one removed
  app.post('/guardians/:id/insurances', async (c) => {
    const { lang, ctx } = c.var
    const found = await guardianFor(c, 'guardians.edit')
    if (found instanceof Response) return found
    const { actor, guardian } = found
    const v = formValues(await c.req.parseBody())
    const form = { insuranceId: v['insuranceId'] ?? '', policyNumber: v['policyNumber'] || undefined, validUntil: v['validUntil'] ? dateOfForm(v['validUntil']) : undefined }
    try {
      const r = await setGuardianInsuranceAs(ctx.storage, actor, guardian.id, form, ctx.clock.now())
      if (!r.ok) {
        const text = r.refusal.code === 'INSURANCE_HIDDEN' ? t(lang, 'staff.guardianInsurances.hiddenNow') : refusalText(lang, r.refusal)
        return editPage(c, guardian, contactValues(guardian), {}, text, 409, undefined, v)
      }
      return c.redirect(`/staff/guardians/${enc(guardian.id)}/edit?done=insurance#insurances`, 303)
    } catch (error) {
      // the insurance was deleted from the site's list since the page was shown
      if (isEcoleError(error, 'NOT_FOUND') && (error.details as { what?: string } | undefined)?.what === 'insurance') {
        return editPage(c, guardian, contactValues(guardian), {}, t(lang, 'staff.guardianInsurances.gone'), 409, undefined, v)
      }
      const text = ecoleErrorText(error)
      if (text) return editPage(c, guardian, contactValues(guardian), {}, t(lang, 'staff.people.invalid', { message: text }), 400, undefined, v)
      throw error
    }
  })

  app.post('/guardians/:id/insurances/remove', async (c) => {
    const { ctx } = c.var
    const found = await guardianFor(c, 'guardians.edit')
    if (found instanceof Response) return found
    const { actor, guardian } = found
    const v = formValues(await c.req.parseBody())
    try {
      const r = await removeGuardianInsuranceAs(ctx.storage, actor, guardian.id, v['insuranceId'] ?? '', ctx.clock.now())
      if (!r.ok) return editPage(c, guardian, contactValues(guardian), {}, refusalText(c.var.lang, r.refusal), 400)
      // nothing to remove (removed meanwhile, or another page's form): the file as it is, no notice
      return c.redirect(`/staff/guardians/${enc(guardian.id)}/edit${r.removed ? '?done=insuranceRemoved' : ''}#insurances`, 303)
    } catch (error) {
      // the guardian deleted since the page was shown
      if (isEcoleError(error, 'NOT_FOUND')) return c.notFound()
      throw error
    }
  })

  // move a child to another household (a guardian of it), or add that household (separated parents)
  const movePage = async (c: Context<AppEnv>, childId: string, values: Values, error?: string) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const child = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'child', childId)
    if (!child) return c.notFound()
    const guardians = await allRecords(ctx.storage, actor.siteId, 'guardian')
    const households = new Map((await allRecords(ctx.storage, actor.siteId, 'household')).map((h) => [h.id, h.name]))
    const mine = new Set(child.guardians.map((l) => l.guardianId))
    const fromIds = [...new Set(guardians.filter((g) => mine.has(g.id)).map((g) => g.householdId))]
    return html(c, (
      <Page c={c} title={`${t(lang, 'staff.move.title')} · ${fullName(child)}`} current="/staff/households" notice={error ? { kind: 'error', text: error } : undefined}>
        <form method="post" action={`/staff/children/${enc(child.id)}/move`} class="card">
          <CsrfField session={c.var.session} />
          <p class="field">
            <label for="f-fromHouseholdId">{t(lang, 'staff.move.from')}</label>
            <select id="f-fromHouseholdId" name="fromHouseholdId">{fromIds.map((id) => <option value={id} selected={values['fromHouseholdId'] === id}>{households.get(id) ?? id}</option>)}</select>
          </p>
          <p class="field">
            <label for="f-guardianId">{t(lang, 'staff.move.to')}</label>
            <select id="f-guardianId" name="guardianId">
              {guardians.filter((g) => !mine.has(g.id) && g.archived === null).map((g) => <option value={g.id} selected={values['guardianId'] === g.id}>{`${fullName(g)} (${households.get(g.householdId) ?? g.householdId})`}</option>)}
            </select>
          </p>
          <RelationshipSelect lang={lang} value={values['relationship']} />
          <p class="choice"><label><input type="checkbox" name="keepOldLinks" value="1" checked={values['keepOldLinks'] === '1'} /> {t(lang, 'staff.move.keep')}</label></p>
          <button type="submit">{t(lang, 'staff.move.submit')}</button> <a href={`/staff/children/${enc(child.id)}`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>
    ), error ? 400 : 200)
  }

  app.get('/children/:id/move', (c) => {
    const actor = actorOfRequest(c)
    return refused(c, 'children.move', { siteId: actor.siteId }) ?? movePage(c, c.req.param('id'), {})
  })

  app.post('/children/:id/move', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'children.move', { siteId: actor.siteId })
    if (denied) return denied
    const v = formValues(await c.req.parseBody())
    const names = async (id: string) => {
      const g = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', id)
      return g ? fullName(g) : id
    }
    try {
      const r = await moveChildAs(ctx.storage, actor, { childId: c.req.param('id'), fromHouseholdId: v['fromHouseholdId'] ?? '', guardianId: v['guardianId'] ?? '', relationship: relationshipOf(v['relationship']), keepOldLinks: v['keepOldLinks'] === '1' }, ctx.clock.now())
      if (!r.ok) {
        const name = await names(v['guardianId'] ?? '')
        return movePage(c, c.req.param('id'), v, refusalText(lang, r.refusal, () => name))
      }
      return c.redirect(`/staff/children/${enc(c.req.param('id'))}?done=moved`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return movePage(c, c.req.param('id'), v, t(lang, 'staff.people.invalid', { message: text }))
      throw error
    }
  })

  return app
}

/**
 * A child's billing rules in the back office (seed 001 "Règles de facturation", separated
 * parents): who pays which of the child's services, when — every day, alternate ISO weeks (with
 * the week-53 policy said out loud), or a list of weeks — with a joint debtor, and the mirror rule
 * for the other parent. The library's diagnostics (`validateRuleSet`: days paid twice, days paid
 * by no one, week 53) are shown before a rule is saved, and for the rules in force; a rule is
 * stopped at a date (`stopRule`) or deleted after a confirmation (`deleteRule`).
 */
import { randomUUID } from 'node:crypto'
import { Hono, type Context } from 'hono'
import {
  addDays, addRule, deleteRule, isEcoleError, isoWeek, isoWeekMonday, mirrorRule, removeJointDebtor, resolveDebtors, stopRule, transferRule, validateRuleSet, WEEK53_POLICIES, type BillingCriterionInput, type BillingRule, type LocalDate, type RuleDiagnostic,
} from '@ecole/core'
import { checkRecordVersion, lockDirectoryKeys, recordVersion } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { formatDate, t, type Lang } from '../i18n'
import { CsrfField, Field } from '../views/layout'
import { html } from '../views/render'
import { DateField, dateOfForm, ecoleErrorText, formValues } from './form-fields'
import { allRecords, fullName } from './people'
import { actorOfRequest, Page, refused, today } from './routes'
import { recordConflictView, VersionField, versionOf } from './record-conflict'
import { recordStaffChanges } from './staff-audit'
import type { StorageTransaction } from '@ecole/core/ports'

/**
 * The lock of one child's billing rules: every writer of them takes it first (adding a rule, and
 * the stop, transfer, delete and joint-debtor actions), so an addition checked against the rules
 * as they were is never saved beside a rule someone else saved meanwhile unseen.
 */
const childRulesKey = (childId: string): string => `billingRules:child:${childId}`

/** The version of a child's billing rules (what a preview's diagnostics were computed over), whatever their order. */
const rulesVersionOf = (rules: readonly BillingRule[]): string => recordVersion([...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))

/**
 * In one transaction: the billing rule a form changes, checked against the version the form was
 * opened with (`RECORD_CHANGED` when someone changed it meanwhile), read, and changed by `change`;
 * `false` when the rule is gone.
 */
function changeStoredRule(c: Context<AppEnv>, ruleId: string, version: string | undefined, change: (tx: StorageTransaction, rule: BillingRule) => Promise<void>): Promise<boolean> {
  const siteId = actorOfRequest(c).siteId
  return c.var.ctx.storage.transaction(siteId, async (tx) => {
    await lockDirectoryKeys(tx, siteId, [childRulesKey(c.req.param('id') ?? '')])
    await checkRecordVersion(tx, siteId, { kind: 'billingRule', id: ruleId }, version)
    const rule = await tx.directory!.getDirectoryRecord(siteId, 'billingRule', ruleId)
    if (!rule) return false
    await change(tx, rule)
    return true
  })
}

type Values = Record<string, string>
const enc = encodeURIComponent

/** The school year around a day: 1 September to 31 August. */
function schoolYear(day: LocalDate): { from: LocalDate; to: LocalDate } {
  const y = Number(day.slice(0, 4))
  const start = Number(day.slice(5, 7)) >= 9 ? y : y - 1
  return { from: `${start}-09-01` as LocalDate, to: `${start + 1}-08-31` as LocalDate }
}

function criterionOf(v: Values): BillingCriterionInput {
  if (v['criterion'] === 'isoParity') return { kind: 'isoParity', parity: v['parity'] === 'odd' ? 'odd' : 'even', week53: (WEEK53_POLICIES as readonly string[]).includes(v['week53'] ?? '') ? v['week53'] as 'odd' : 'odd' }
  if (v['criterion'] === 'weekList') {
    const weeks = (v['weeks'] ?? '').split(/[\s,;]+/).filter(Boolean).map((w) => {
      const m = w.toUpperCase().match(/^(\d{4})-?W(\d{1,2})$/)
      return m ? { year: Number(m[1]), week: Number(m[2]) } : { year: Number.NaN, week: Number.NaN }
    })
    return { kind: 'weekList', weeks }
  }
  return { kind: 'always' }
}

function describeCriterion(lang: Lang, r: BillingRule): string {
  const c = r.criterion
  if (c.kind === 'isoParity') return t(lang, c.parity === 'even' ? 'staff.rules.even' : 'staff.rules.odd', { policy: t(lang, `staff.rules.week53.${c.week53}`) })
  if (c.kind === 'weekList') return t(lang, 'staff.rules.weekListOf', { weeks: c.weeks.map((w) => `${w.year}-W${String(w.week).padStart(2, '0')}`).join(', ') })
  if (c.kind === 'anchored') return t(lang, 'staff.rules.anchored', { monday: formatDate(lang, c.referenceMonday) })
  return t(lang, 'staff.rules.always')
}

/**
 * The diagnostics as lines for people: the runs of days paid twice (by the same payers) or by no
 * one are grouped per service, one line each listing the runs.
 */
function diagnosticLines(lang: Lang, list: readonly RuleDiagnostic[], payersOf: (ruleId: string) => string, serviceName: (id: string) => string): Array<{ code: string; text: string }> {
  type Runs = { code: 'RULES_OVERLAP' | 'UNCOVERED_DATES'; service: string; payers: string; runs: string[] }
  const lines: Array<Runs | { code: string; text: string }> = []
  const groups = new Map<string, Runs>()
  for (const d of list) {
    if (d.code !== 'RULES_OVERLAP' && d.code !== 'UNCOVERED_DATES') {
      lines.push({ code: d.code, text: diagnosticText(lang, d, payersOf, serviceName) })
      continue
    }
    const payers = d.code === 'RULES_OVERLAP' ? d.ruleIds.map(payersOf).join(' + ') : ''
    const key = `${d.code}|${d.serviceId}|${payers}`
    let g = groups.get(key)
    if (!g) {
      g = { code: d.code, service: serviceName(d.serviceId), payers, runs: [] }
      groups.set(key, g)
      lines.push(g)
    }
    g.runs.push(d.from === d.to ? formatDate(lang, d.from) : `${formatDate(lang, d.from)} – ${formatDate(lang, d.to)}`)
  }
  return lines.map((l) => ('runs' in l
    ? { code: l.code, text: t(lang, l.code === 'RULES_OVERLAP' ? 'staff.rules.diag.overlap' : 'staff.rules.diag.uncovered', { service: l.service, payers: l.payers, runs: l.runs.join(', ') }) }
    : l))
}

function diagnosticText(lang: Lang, d: RuleDiagnostic, payersOf: (ruleId: string) => string, serviceName: (id: string) => string): string {
  switch (d.code) {
    case 'RULES_OVERLAP': return t(lang, 'staff.rules.diag.overlap', { service: serviceName(d.serviceId), runs: `${formatDate(lang, d.from)} – ${formatDate(lang, d.to)}`, payers: d.ruleIds.map(payersOf).join(' + ') })
    case 'UNCOVERED_DATES': return t(lang, 'staff.rules.diag.uncovered', { service: serviceName(d.serviceId), runs: `${formatDate(lang, d.from)} – ${formatDate(lang, d.to)}` })
    case 'NON_POSITIVE_WEIGHT': return t(lang, 'staff.rules.diag.weight', { payers: payersOf(d.ruleId), weight: d.weight })
    case 'PARITY_CROSSES_WEEK_53': return t(lang, 'staff.rules.diag.week53', { payers: payersOf(d.ruleId), year: d.isoYear, monday: formatDate(lang, d.week53Monday), policy: t(lang, `staff.rules.week53.${d.policy}`) })
  }
}

/**
 * Who pays each school day of the first weeks of a window (the library's `resolveDebtors`, as
 * invoicing will): a name, "—" when no one pays, "×2" when two rules claim the day.
 */
function PayersCalendar(p: { lang: Lang; rules: readonly BillingRule[]; childId: string; serviceIds: readonly string[]; from: LocalDate; weeks: number; guardianName: (id: string) => string; serviceName: (id: string) => string }) {
  const { lang } = p
  const first = isoWeek(p.from)
  const firstMonday = isoWeekMonday(first.year, first.week)
  const weekdays = [0, 1, 2, 3, 4]
  const dayName = (offset: number) => new Intl.DateTimeFormat(lang, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2027, 0, 4 + offset)))
  const cell = (date: LocalDate, serviceId: string) => {
    const r = resolveDebtors(p.rules, { beneficiaryId: p.childId, serviceId, date })
    if (r.status === 'billed') return r.debtors.map((d) => p.guardianName(d.guardianId)).join(' + ')
    return r.reason === 'RULES_OVERLAP' ? t(lang, 'staff.rules.calendar.twice') : '—'
  }
  return (
    <table class="payers-calendar">
      <caption>{t(lang, 'staff.rules.calendar')}</caption>
      <thead><tr><th scope="col">{t(lang, 'staff.rules.calendar.week')}</th>{weekdays.map((d) => <th scope="col">{dayName(d)}</th>)}</tr></thead>
      <tbody>
        {Array.from({ length: p.weeks }, (_, w) => {
          const monday = addDays(firstMonday, 7 * w)
          const iso = isoWeek(monday)
          return (
            <tr>
              <th scope="row">{`${iso.year}-W${String(iso.week).padStart(2, '0')} (${formatDate(lang, monday)})`}</th>
              {weekdays.map((d) => {
                const date = addDays(firstMonday, 7 * w + d)
                return <td>{p.serviceIds.map((s) => (p.serviceIds.length > 1 ? `${p.serviceName(s)} : ${cell(date, s)}` : cell(date, s))).join(' · ')}</td>
              })}
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** The routes of a child's billing rules. */
export function billingRuleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  async function load(c: Context<AppEnv>, childId: string) {
    const { ctx } = c.var
    const siteId = actorOfRequest(c).siteId
    const child = await ctx.storage.directory!.getDirectoryRecord(siteId, 'child', childId)
    if (!child) return undefined
    const rules: BillingRule[] = await ctx.storage.directory!.listBillingRulesOf(siteId, [childId])
    const guardians = await allRecords(ctx.storage, siteId, 'guardian')
    const services = await allRecords(ctx.storage, siteId, 'service')
    const subscriptions = (await allRecords(ctx.storage, siteId, 'subscription')).filter((s) => s.beneficiaryId === childId)
    const guardianName = (id: string) => { const g = guardians.find((x) => x.id === id); return g ? fullName(g) : id }
    const serviceName = (id: string) => services.find((s) => s.id === id)?.name ?? id
    return { child, rules, guardians, subscriptions, guardianName, serviceName }
  }

  const rulesPage = async (c: Context<AppEnv>, childId: string, v: Values, extra: { error?: string | undefined; preview?: { rules: BillingRule[]; added: BillingRule[] }; status?: 200 | 400 | 409 } = {}) => {
    const { lang } = c.var
    const data = await load(c, childId)
    if (!data) return c.notFound()
    const { child, rules, guardianName, serviceName, subscriptions } = data
    const childGuardians = child.guardians.map((l) => l.guardianId)
    const serviceIds = [...new Set([...subscriptions.map((s) => s.serviceId), ...rules.flatMap((r) => r.covers.filter((x) => x.beneficiaryId === child.id).map((x) => x.serviceId))])]
    const set = extra.preview?.rules ?? rules
    const window = extra.preview
      ? { from: extra.preview.added[0]!.from, to: extra.preview.added[0]!.to ?? schoolYear(extra.preview.added[0]!.from).to }
      : schoolYear(today(c))
    const payersOf = (ruleId: string) => { const r = set.find((x) => x.id === ruleId); return r ? r.payers.map((p) => guardianName(p.guardianId)).join(', ') : ruleId }
    const diagnostics = validateRuleSet(set, window.from, window.to, { pairs: serviceIds.map((serviceId) => ({ beneficiaryId: child.id, serviceId })) })
      .filter((d) => !('beneficiaryId' in d) || d.beneficiaryId === child.id)
    const done = c.req.query('done')
    const notice = extra.error ? { kind: 'error' as const, text: extra.error } : done ? { kind: 'ok' as const, text: t(lang, `staff.rules.done.${done === 'stopped' || done === 'deleted' || done === 'transferred' || done === 'jointRemoved' ? done : 'added'}`) } : undefined
    const checked = (id: string) => (v['services'] ?? serviceIds.join(',')).split(',').includes(id)
    return html(c, (
      <Page c={c} title={`${t(lang, 'staff.rules.title')} · ${fullName(child)}`} current="/staff/households" notice={notice}>
        <p><a href={`/staff/children/${enc(child.id)}`}>{fullName(child)}</a></p>
        <table>
          <thead><tr><th scope="col">{t(lang, 'staff.rules.payers')}</th><th scope="col">{t(lang, 'staff.subscribe.service')}</th><th scope="col">{t(lang, 'staff.enrol.dates')}</th><th scope="col">{t(lang, 'staff.rules.criterion')}</th><th scope="col">{t(lang, 'staff.rules.joint')}</th><th scope="col"></th></tr></thead>
          <tbody>
            {set.map((r) => (
              <tr class={extra.preview?.added.some((a) => a.id === r.id) ? 'new' : undefined}>
                <td>{r.payers.map((p) => guardianName(p.guardianId)).join(', ')}</td>
                <td>{r.covers.filter((x) => x.beneficiaryId === child.id).map((x) => serviceName(x.serviceId)).join(', ')}</td>
                <td>{r.to ? `${formatDate(lang, r.from)} – ${formatDate(lang, r.to)}` : t(lang, 'staff.enrol.fromOn', { from: formatDate(lang, r.from) })}</td>
                <td>{describeCriterion(lang, r)}</td>
                <td>{r.jointDebtorIds.map((j, i) => <>{i > 0 ? ', ' : ''}{guardianName(j)}{extra.preview ? null : <> (<a href={`/staff/children/${enc(child.id)}/rules/${enc(r.id)}/joint/${enc(j)}/remove`}>{t(lang, 'staff.rules.jointRemove')}</a>)</>}</>)}</td>
                <td>{extra.preview ? null : (
                  <>
                    <form method="post" action={`/staff/children/${enc(child.id)}/rules/${enc(r.id)}/stop`} class="inline">
                      <CsrfField session={c.var.session} />
                      <VersionField version={versionOf(r)} />
                      <DateField lang={lang} label={t(lang, 'staff.rules.stopOn')} name="to" value={today(c)} />
                      <button type="submit">{t(lang, 'staff.rules.stop')}</button>
                    </form>
                    <form method="post" action={`/staff/children/${enc(child.id)}/rules/${enc(r.id)}/transfer`} class="inline">
                      <CsrfField session={c.var.session} />
                      <VersionField version={versionOf(r)} />
                      <p class="field">
                        <label for={`f-to-${r.id}`}>{t(lang, 'staff.rules.transferTo')}</label>
                        <select id={`f-to-${r.id}`} name="toGuardianId">{childGuardians.filter((g) => !r.payers.some((p) => p.guardianId === g)).map((g) => <option value={g}>{guardianName(g)}</option>)}</select>
                      </p>
                      <DateField lang={lang} label={t(lang, 'staff.rules.transferFrom')} name="from" value={today(c)} />
                      <button type="submit">{t(lang, 'staff.rules.transfer')}</button>
                    </form>
                    <a href={`/staff/children/${enc(child.id)}/rules/${enc(r.id)}/delete`}>{t(lang, 'staff.rules.delete')}</a>
                  </>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <section class="card diagnostics">
          <h2>{t(lang, extra.preview ? 'staff.rules.diagPreview' : 'staff.rules.diagCurrent', { from: formatDate(lang, window.from), to: formatDate(lang, window.to) })}</h2>
          {diagnostics.length === 0
            ? <p class="ok" id="diagnostics-ok">{t(lang, 'staff.rules.diag.none')}</p>
            : <ul id="diagnostics">{diagnosticLines(lang, diagnostics, payersOf, serviceName).map((d) => <li class={d.code}>{d.text}</li>)}</ul>}
          <PayersCalendar lang={lang} rules={set} childId={child.id} serviceIds={serviceIds} from={window.from} weeks={4} guardianName={guardianName} serviceName={serviceName} />
        </section>
        <form method="post" action={`/staff/children/${enc(child.id)}/rules`} class="card">
          <h2>{t(lang, 'staff.rules.add')}</h2>
          <CsrfField session={c.var.session} />
          <input type="hidden" name="ruleId" value={v['ruleId'] || `regle-${randomUUID()}`} />
          <input type="hidden" name="rulesVersion" value={rulesVersionOf(rules)} />
          <p class="field">
            <label for="f-payerId">{t(lang, 'staff.rules.payer')}</label>
            <select id="f-payerId" name="payerId">{childGuardians.map((g) => <option value={g} selected={v['payerId'] === g}>{guardianName(g)}</option>)}</select>
          </p>
          <fieldset>
            <legend>{t(lang, 'staff.rules.services')}</legend>
            {serviceIds.map((s) => <label class="choice"><input type="checkbox" name="services" value={s} checked={checked(s)} /> {serviceName(s)}</label>)}
          </fieldset>
          <DateField lang={lang} label={t(lang, 'staff.template.from')} name="from" value={v['from'] ?? today(c)} />
          <DateField lang={lang} label={t(lang, 'staff.template.to')} name="to" value={v['to'] ?? ''} required={false} />
          <fieldset>
            <legend>{t(lang, 'staff.rules.criterion')}</legend>
            {(['always', 'isoParity', 'weekList'] as const).map((k) => <p class="choice"><label><input type="radio" name="criterion" value={k} checked={(v['criterion'] ?? 'always') === k} /> {t(lang, `staff.rules.criterion.${k}`)}</label></p>)}
            <p class="field">
              <label for="f-parity">{t(lang, 'staff.rules.parity')}</label>
              <select id="f-parity" name="parity">{(['even', 'odd'] as const).map((p) => <option value={p} selected={v['parity'] === p}>{t(lang, `staff.rules.parity.${p}`)}</option>)}</select>
            </p>
            <p class="field">
              <label for="f-week53">{t(lang, 'staff.rules.week53')}</label>
              <select id="f-week53" name="week53">{WEEK53_POLICIES.map((p) => <option value={p} selected={v['week53'] === p}>{t(lang, `staff.rules.week53.${p}`)}</option>)}</select>
            </p>
            <Field label={t(lang, 'staff.rules.weeks')} name="weeks" value={v['weeks'] ?? ''} required={false} />
          </fieldset>
          <p class="field">
            <label for="f-jointDebtorId">{t(lang, 'staff.rules.joint')}</label>
            <select id="f-jointDebtorId" name="jointDebtorId"><option value="">-</option>{childGuardians.map((g) => <option value={g} selected={v['jointDebtorId'] === g}>{guardianName(g)}</option>)}</select>
          </p>
          <p class="field">
            <label for="f-mirrorId">{t(lang, 'staff.rules.mirror')}</label>
            <select id="f-mirrorId" name="mirrorId"><option value="">-</option>{childGuardians.map((g) => <option value={g} selected={v['mirrorId'] === g}>{guardianName(g)}</option>)}</select>
          </p>
          <button type="submit" name="step" value="preview">{t(lang, 'staff.rules.preview')}</button>
          {extra.preview ? <> <button type="submit" name="step" value="save">{t(lang, 'staff.rules.save')}</button></> : null}
        </form>
      </Page>
    ), extra.status ?? 200)
  }

  app.get('/children/:id/rules', (c) => refused(c, 'billingRules.edit', { siteId: actorOfRequest(c).siteId }) ?? rulesPage(c, c.req.param('id'), {}))

  app.post('/children/:id/rules', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const body = await c.req.parseBody({ all: true })
    const services = ([] as unknown[]).concat(body['services'] ?? []).filter((x): x is string => typeof x === 'string')
    const v: Values = { ...formValues(body), services: services.join(',') }
    const data = await load(c, childId)
    if (!data) return c.notFound()
    try {
      const ruleId = v['ruleId'] ?? ''
      const added = addRule(data.rules, {
        id: ruleId, payers: [{ guardianId: v['payerId'] ?? '', weight: 1 }], covers: services.map((serviceId) => ({ beneficiaryId: childId, serviceId })),
        from: dateOfForm(v['from'] ?? ''), to: v['to'] ? dateOfForm(v['to']) : undefined, criterion: criterionOf(v), jointDebtorIds: v['jointDebtorId'] && v['jointDebtorId'] !== v['payerId'] ? [v['jointDebtorId']] : [],
      })
      const result = v['mirrorId'] ? mirrorRule(added.rules, ruleId, { guardianId: v['mirrorId'], newRuleId: `${ruleId}-miroir` }) : added
      const newRules = result.rules.filter((r) => !data.rules.some((x) => x.id === r.id))
      if (v['step'] !== 'save') return rulesPage(c, childId, v, { preview: { rules: result.rules, added: newRules } })
      // saved only over the rules the preview's diagnostics were computed on: the child's rules
      // locked, read again and compared with the form's version (someone else's rule saved
      // meanwhile: check again, nothing saved), then the new rules and their audit entries
      const saved = await ctx.storage.transaction(actor.siteId, async (tx) => {
        await lockDirectoryKeys(tx, actor.siteId, [childRulesKey(childId)])
        const current = await tx.directory!.listBillingRulesOf(actor.siteId, [childId])
        if (v['rulesVersion'] && rulesVersionOf(current) !== v['rulesVersion']) return false
        for (const r of newRules) await tx.directory!.putDirectoryRecord(actor.siteId, 'billingRule', r)
        await recordStaffChanges(tx, actor, ctx.clock.now(), newRules.map((r) => ({ action: 'billingRule.added', subject: { kind: 'billingRule', id: r.id }, after: JSON.parse(JSON.stringify(r)) as Record<string, unknown> })))
        return true
      })
      if (!saved) return rulesPage(c, childId, v, { error: t(lang, 'staff.rules.changedSinceCheck'), status: 409 })
      return c.redirect(`/staff/children/${enc(childId)}/rules?done=added`, 303)
    } catch (error) {
      const text = ecoleErrorText(error)
      if (text) return rulesPage(c, childId, v, { error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
      throw error
    }
  })

  // a rule changed or deleted by someone else since its form was opened: the rules as they are now, saying who and when
  const ruleConflict = async (c: Context<AppEnv>, childId: string, error: unknown) => {
    const view = await recordConflictView(c.var.ctx.storage, c.var.lang, actorOfRequest(c).siteId, error, { ref: { kind: 'billingRule', id: c.req.param('ruleId') ?? '' }, reload: `/staff/children/${enc(childId)}/rules` })
    return view ? rulesPage(c, childId, {}, { error: view.text, status: 409 }) : undefined
  }

  app.post('/children/:id/rules/:ruleId/stop', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    try {
      await ctx.storage.transaction(actor.siteId, async (tx) => {
        await checkRecordVersion(tx, actor.siteId, { kind: 'billingRule', id: c.req.param('ruleId') }, v['version'] || undefined)
        const rule = await tx.directory!.getDirectoryRecord(actor.siteId, 'billingRule', c.req.param('ruleId'))
        const { rules, change } = stopRule(rule ? [rule] : [], c.req.param('ruleId'), dateOfForm(v['to'] ?? '') as LocalDate)
        await tx.directory!.putDirectoryRecord(actor.siteId, 'billingRule', rules[0]!)
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'billingRule.stopped', subject: { kind: 'billingRule', id: rule!.id }, before: { to: rule!.to ?? null }, after: { to: change.kind === 'stopped' ? change.to : null } }])
      })
      return c.redirect(`/staff/children/${enc(childId)}/rules?done=stopped`, 303)
    } catch (error) {
      const conflict = await ruleConflict(c, childId, error)
      if (conflict) return conflict
      const text = ecoleErrorText(error)
      if (text) return rulesPage(c, childId, {}, { error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
      throw error
    }
  })

  // "Transférer la règle sur" another guardian from a date: the rule ends the day before, a copy starts for the new payer
  app.post('/children/:id/rules/:ruleId/transfer', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    try {
      const found = await changeStoredRule(c, c.req.param('ruleId'), v['version'] || undefined, async (tx, rule) => {
        const { rules, change } = transferRule([rule], rule.id, { toGuardianId: v['toGuardianId'] ?? '', from: dateOfForm(v['from'] ?? '') as LocalDate, newRuleId: `${rule.id}-${randomUUID().slice(0, 8)}` })
        for (const r of rules) await tx.directory!.putDirectoryRecord(actor.siteId, 'billingRule', r)
        if (!rules.some((r) => r.id === rule.id)) await tx.directory!.deleteDirectoryRecord(actor.siteId, 'billingRule', rule.id)
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'billingRule.transferred', subject: { kind: 'billingRule', id: rule.id }, after: JSON.parse(JSON.stringify(change)) as Record<string, unknown> }])
      })
      return found ? c.redirect(`/staff/children/${enc(childId)}/rules?done=transferred`, 303) : c.notFound()
    } catch (error) {
      const conflict = await ruleConflict(c, childId, error)
      if (conflict) return conflict
      const text = ecoleErrorText(error)
      if (text) return rulesPage(c, childId, {}, { error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
      throw error
    }
  })

  app.get('/children/:id/rules/:ruleId/delete', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const data = await load(c, c.req.param('id'))
    const rule = data?.rules.find((r) => r.id === c.req.param('ruleId'))
    if (!data || !rule) return c.notFound()
    return html(c, (
      <Page c={c} title={t(lang, 'staff.rules.delete')} current="/staff/households">
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <VersionField version={versionOf(rule)} />
          <p>{t(lang, 'staff.rules.deleteConfirm', { payers: rule.payers.map((p) => data.guardianName(p.guardianId)).join(', '), criterion: describeCriterion(lang, rule), child: fullName(data.child) })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/children/${enc(data.child.id)}/rules`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>
    ))
  })

  app.post('/children/:id/rules/:ruleId/delete', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    try {
      const found = await changeStoredRule(c, c.req.param('ruleId'), v['version'] || undefined, async (tx, rule) => {
        deleteRule([rule], rule.id)
        await tx.directory!.deleteDirectoryRecord(actor.siteId, 'billingRule', rule.id)
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{ action: 'billingRule.deleted', subject: { kind: 'billingRule', id: rule.id }, before: JSON.parse(JSON.stringify(rule)) as Record<string, unknown> }])
      })
      return found ? c.redirect(`/staff/children/${enc(childId)}/rules?done=deleted`, 303) : c.notFound()
    } catch (error) {
      const conflict = await ruleConflict(c, childId, error)
      if (conflict) return conflict
      throw error
    }
  })

  // "retirer un tiers solidaire": a confirmation naming who is removed from which rule, then the rule without them
  app.get('/children/:id/rules/:ruleId/joint/:guardianId/remove', async (c) => {
    const { lang } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const data = await load(c, c.req.param('id'))
    const rule = data?.rules.find((r) => r.id === c.req.param('ruleId'))
    if (!data || !rule || !rule.jointDebtorIds.includes(c.req.param('guardianId'))) return c.notFound()
    return html(c, (
      <Page c={c} title={t(lang, 'staff.rules.jointRemoveTitle')} current="/staff/households">
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <VersionField version={versionOf(rule)} />
          <p id="joint-effect">{t(lang, 'staff.rules.jointRemoveConfirm', { joint: data.guardianName(c.req.param('guardianId')), payers: rule.payers.map((p) => data.guardianName(p.guardianId)).join(', '), criterion: describeCriterion(lang, rule), child: fullName(data.child) })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={`/staff/children/${enc(data.child.id)}/rules`}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>
    ))
  })

  app.post('/children/:id/rules/:ruleId/joint/:guardianId/remove', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const denied = refused(c, 'billingRules.edit', { siteId: actor.siteId })
    if (denied) return denied
    const childId = c.req.param('id')
    const v = formValues(await c.req.parseBody())
    try {
      const found = await changeStoredRule(c, c.req.param('ruleId'), v['version'] || undefined, async (tx, rule) => {
        const { rules, change } = removeJointDebtor([rule], rule.id, c.req.param('guardianId'))
        await tx.directory!.putDirectoryRecord(actor.siteId, 'billingRule', rules[0]!)
        await recordStaffChanges(tx, actor, ctx.clock.now(), [{
          action: 'billingRule.jointDebtorRemoved', subject: { kind: 'billingRule', id: rule.id },
          before: { jointDebtorIds: rule.jointDebtorIds }, after: { ...(JSON.parse(JSON.stringify(change)) as Record<string, unknown>), jointDebtorIds: rules[0]!.jointDebtorIds },
        }])
      })
      return found ? c.redirect(`/staff/children/${enc(childId)}/rules?done=jointRemoved`, 303) : c.notFound()
    } catch (error) {
      if (isEcoleError(error, 'JOINT_DEBTOR_NOT_FOUND')) {
        const g = await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'guardian', c.req.param('guardianId'))
        return rulesPage(c, childId, {}, { error: t(lang, 'staff.rules.jointNotFound', { name: g ? fullName(g) : c.req.param('guardianId') }), status: 400 })
      }
      const conflict = await ruleConflict(c, childId, error)
      if (conflict) return conflict
      const text = ecoleErrorText(error)
      if (text) return rulesPage(c, childId, {}, { error: t(lang, 'staff.people.invalid', { message: text }), status: 400 })
      throw error
    }
  })

  return app
}

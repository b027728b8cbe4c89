/**
 * Form pieces of the people screens: a date field whose value is ISO (`<input type="date">`) with
 * the site's format shown beside it (a browser draws the date input in its own locale, e.g.
 * mm/dd/yyyy in an American Chromium; the hint says what the school means), the relationship
 * choice, and the texts of the library's refusals and errors.
 */
import { isEcoleError, isLocalDate, RELATIONSHIPS, type DirectoryRefusal, type LocalDate } from '@ecole/core'
import { formatDate, t, type Lang } from '../i18n'

/** A date field: ISO value, the site's format and an example as a visible hint. */
export function DateField(p: { lang: Lang; label: string; name: string; value?: string | undefined; required?: boolean }) {
  const hintId = `f-${p.name}-hint`
  return (
    <p class="field">
      <label for={`f-${p.name}`}>{p.label}</label>
      <input id={`f-${p.name}`} name={p.name} type="date" value={p.value ?? ''} required={p.required ?? true} aria-describedby={hintId} lang={p.lang} />
      <small id={hintId} class="hint">{t(p.lang, 'staff.date.hint', { example: formatDate(p.lang, '2027-01-20') })}</small>
    </p>
  )
}

/**
 * A date as a form sends it: ISO `YYYY-MM-DD` (the date input), or typed `DD/MM/YYYY` (a browser
 * without a date input, or a person reading the hint); anything else is returned as typed, for the
 * library's schema to refuse with its message.
 */
export function dateOfForm(value: string): string {
  const m = value.trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/)
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : value.trim()
}

/**
 * A form's date when it is a day of the calendar a school works in (1900 to 2199), else
 * `undefined`: `2027-02-30` or `0000-01-01` have the shape of a date but are none (the database
 * refused them with a server error).
 *
 * @example
 * usableDate('30/01/2027') // '2027-01-30'
 * usableDate('2027-02-30') // undefined
 */
export function usableDate(value: string): LocalDate | undefined {
  const date = dateOfForm(value)
  return isLocalDate(date) && date >= '1900-01-01' && date <= '2199-12-31' ? date : undefined
}

/** The relationship of a guardian to a child, as a select. */
export function RelationshipSelect(p: { lang: Lang; name?: string; value?: string | undefined }) {
  const name = p.name ?? 'relationship'
  return (
    <p class="field">
      <label for={`f-${name}`}>{t(p.lang, 'staff.people.relationship')}</label>
      <select id={`f-${name}`} name={name}>
        {RELATIONSHIPS.map((r) => <option value={r} selected={p.value === r}>{t(p.lang, `staff.people.relationship.${r}`)}</option>)}
      </select>
    </p>
  )
}

/** The people's message for a refusal of the library's directory operations. */
export function refusalText(lang: Lang, r: DirectoryRefusal, names: (id: string) => string = (id) => id): string {
  switch (r.code) {
    case 'LICENCE_LIMIT': return t(lang, 'staff.enrol.licence', { max: r.maxPupils, pupils: r.pupils })
    case 'ENROLMENT_OVERLAP': return t(lang, 'staff.enrol.overlap', { name: names(r.beneficiaryId) })
    case 'SUBSCRIPTION_OVERLAP': return t(lang, 'staff.subscribe.overlap', { name: names(r.beneficiaryId), service: r.serviceId })
    case 'CHILD_ARCHIVED': return t(lang, 'staff.people.childArchived', { name: names(r.childId) })
    case 'GUARDIAN_ARCHIVED': return t(lang, 'staff.people.guardianArchived', { name: names(r.guardianId) })
    case 'SAME_HOUSEHOLD': return t(lang, 'staff.move.sameHousehold', { name: names(r.guardianId) })
    case 'ALREADY_LINKED': return t(lang, 'staff.move.alreadyLinked', { name: names(r.guardianId) })
    case 'CLASS_NOT_IN_SCHOOL': return t(lang, 'staff.enrol.classNotInSchool')
    default: return t(lang, 'staff.people.refused', { code: r.code })
  }
}

/** The message of an `EcoleError` (its `[ecole]` prefix removed: it names the field and the rule), or undefined for another error. */
export function ecoleErrorText(error: unknown): string | undefined {
  return isEcoleError(error) ? error.message.replace(/^\[ecole\] /, '') : undefined
}

/** A form's string fields. */
export function formValues(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string' && k !== '_csrf') out[k] = v.trim()
  return out
}

/** `LocalDate` of a form value already normalised by {@link dateOfForm}. */
export function asDay(value: string): LocalDate {
  return value as LocalDate
}

/** One checkbox or radio button with its label, as the staff forms lay them out. */
export function Choice(p: { type?: 'checkbox' | 'radio'; name: string; value: string; checked: boolean; label: unknown }) {
  return <p class="choice"><label><input type={p.type ?? 'checkbox'} name={p.name} value={p.value} checked={p.checked} /> {p.label}</label></p>
}

/** A fieldset of checkboxes named `name`, one per option, ticked when their value is in `checked`; `before` comes first (e.g. an "all" box). */
export function CheckboxFieldset(p: { legend: string; name: string; options: ReadonlyArray<{ value: string; label: unknown }>; checked: readonly string[]; before?: unknown }) {
  return (
    <fieldset>
      <legend>{p.legend}</legend>
      {p.before ?? null}
      {p.options.map((o) => <Choice name={p.name} value={o.value} checked={p.checked.includes(o.value)} label={o.label} />)}
    </fieldset>
  )
}

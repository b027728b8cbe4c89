/**
 * Field-level errors of the administration forms, in the user's language: the library's
 * `INVALID_INPUT` names each field (`site.contact.email: must be an e-mail address…`); the form
 * shows, beside that field, its label and the rule in the user's language (the library's English
 * rule kept in brackets when the host has no words for it), and a summary at the top.
 */
import { isEcoleError } from '@ecole/core'
import { t, type Lang, type MessageKey } from '../i18n'

/** One refused field: the form's field name and the sentence shown beside it. */
export type FieldErrors = Record<string, string>

const RULES: Array<[RegExp, MessageKey]> = [
  [/^is required/, 'staff.form.rule.required'],
  [/^must be an e-mail address/, 'staff.form.rule.email'],
  [/^must be a phone number/, 'staff.form.rule.phone'],
  [/^must be a web address/, 'staff.form.rule.website'],
  [/^must be at most ([\d,]+) characters/, 'staff.form.rule.tooLong'],
  [/^must be positive/, 'staff.form.rule.positive'],
  [/^must be a whole number/, 'staff.form.rule.whole'],
  [/^must be a host name/, 'staff.form.rule.host'],
  [/^must be (1 to 65535|a port number)/, 'staff.form.rule.port'],
  [/expected number, received NaN/, 'staff.form.rule.number'],
  [/^must be above min/, 'staff.form.rule.aboveMin'],
  [/^must not be negative/, 'staff.form.rule.notNegative'],
]

/** The rule of one library issue in the user's language. */
export function ruleText(lang: Lang, message: string): string {
  for (const [re, key] of RULES) {
    const m = message.match(re)
    if (m) return t(lang, key, { max: m[1] ?? '' })
  }
  return t(lang, 'staff.form.rule.other', { rule: message })
}

/**
 * The field errors of an `EcoleError` (`undefined` for another error): each issue's path is
 * reduced to its last segment (the form's field name) and given the field's label and the rule.
 */
export function fieldErrorsOf(lang: Lang, error: unknown, labels: Readonly<Record<string, string>>): FieldErrors | undefined {
  if (!isEcoleError(error)) return undefined
  const issues = (error.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues ?? []
  const out: FieldErrors = {}
  for (const issue of issues) {
    const field = issue.path.split('.').pop() ?? ''
    const label = labels[field] ?? issue.path
    out[field in labels ? field : '_form'] ??= `${label}${lang === 'fr' ? ' :' : ':'} ${ruleText(lang, issue.message)}`
  }
  if (Object.keys(out).length === 0) out['_form'] = error.message.replace(/^\[ecole\] /, '')
  return out
}

/** A labelled input with its error beside it (`aria-invalid`, described by the error). */
export function CheckedField(p: {
  label: string; name: string; value?: string | undefined; type?: string; required?: boolean; errors?: FieldErrors | undefined; hint?: string | undefined
  inputmode?: 'text' | 'numeric' | 'decimal' | 'email' | 'tel' | 'url'; autocomplete?: string
  /** Prefix of the element ids (`f` by default): two forms of one page use different ones. */
  idPrefix?: string
}) {
  const error = p.errors?.[p.name]
  const id = `${p.idPrefix ?? 'f'}-${p.name}`
  const ids = [p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <p class={error ? 'field invalid' : 'field'}>
      <label for={id}>{p.label}</label>
      <input id={id} name={p.name} type={p.type ?? 'text'} value={p.value ?? ''} required={p.required ?? false}
        inputmode={p.inputmode} autocomplete={p.autocomplete} aria-invalid={error ? 'true' : undefined} aria-describedby={ids || undefined} />
      {p.hint ? <small id={`${id}-hint`} class="hint">{p.hint}</small> : null}
      {error ? <strong id={`${id}-error`} class="field-error">{error}</strong> : null}
    </p>
  )
}

/** The summary of a form's errors (every sentence, in field order). */
export function ErrorSummary(p: { lang: Lang; errors?: FieldErrors | undefined }) {
  if (!p.errors || Object.keys(p.errors).length === 0) return null
  return (
    <div class="error-summary" role="alert">
      <p>{t(p.lang, 'staff.form.errors')}</p>
      <ul>{Object.values(p.errors).map((e) => <li>{e}</li>)}</ul>
    </div>
  )
}

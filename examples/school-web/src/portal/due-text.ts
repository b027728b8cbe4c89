/**
 * How a family reads an invoice's due date on the portal: the day it is due, or, once that day has
 * passed with money still owed, that it is late.
 */
import type { LocalDate } from '@ecole/core'
import { formatDate, t, type Lang } from '../i18n'

/**
 * Whether an invoice still owing money is late on `today` (the site's day): its due date, the last
 * day to pay, has passed.
 *
 * @example
 * isOverdue('2027-01-15', '2027-02-08') //=> true
 * isOverdue('2027-02-15', '2027-02-15') //=> false
 */
export function isOverdue(dueDate: LocalDate, today: LocalDate): boolean {
  return dueDate < today
}

/**
 * The due date of an invoice still owing money, as a family reads it: "Échéance le 15/02/2027", or
 * "En retard depuis le 15/01/2027" once the day has passed (never "next due date" for a date gone).
 *
 * @example
 * dueText('fr', '2027-01-15', '2027-02-08') //=> 'En retard depuis le 15/01/2027'
 * dueText('en', '2027-02-15', '2027-02-08') //=> 'Due on 15/02/2027'
 */
export function dueText(lang: Lang, dueDate: LocalDate, today: LocalDate): string {
  return t(lang, isOverdue(dueDate, today) ? 'home.overdueSince' : 'home.dueOn', { date: formatDate(lang, dueDate) })
}

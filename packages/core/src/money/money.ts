import { describeValue } from '../describe-value'
import Decimal from 'decimal.js'
import type { Decimal as DecimalInstance } from 'decimal.js'
import { EcoleError } from '../errors'
import { allocateMinor } from './allocate'
import { minorUnits, type CurrencyCode } from './currency'
import { decimalRounding, type RoundingMode } from './rounding'

/** decimal.js with enough digits for any amount times any rate, isolated from the global config. */
const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 })
type Dec = DecimalInstance

const MONEY = Symbol.for('@ecole/core/Money')
/** @internal a decimal number written with a dot: no float, no exponent. */
export const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

/**
 * A factor money can be multiplied by: an integer quantity (`number` or `bigint`) or an exact
 * decimal rate written as a string (`'0.5'`, `'1.15'`). A fractional JS number is refused: it is
 * a float, and floats never touch money.
 */
export type Factor = number | bigint | string

/** What callers and JSON APIs pass for money: the amount as a decimal string. */
export interface MoneyInput {
  /** Decimal amount with a dot, e.g. `'12.50'`, `'-3'`. */
  amount: string
  /** ISO 4217 code, e.g. `'EUR'`. */
  currency: CurrencyCode
}

/**
 * An amount posted, invoiced, reserved or paid: an integer number of minor units (cents) with its
 * currency. Money (`Money`, any number of decimals) is for prices and rates; this is the one shape
 * of what is posted. `Money.fromMinor(a.minor, a.currency)` and `money.toMinor()` convert.
 *
 * @example
 * const reserved: MinorAmount = { minor: 415n, currency: 'EUR' }
 * Money.fromMinor(reserved.minor, reserved.currency).toString() //=> '4.15 EUR'
 */
export interface MinorAmount {
  /** Integer minor units (cents for EUR), negative for a debit where the record says so. */
  minor: bigint
  /** ISO 4217 code, e.g. `'EUR'`. */
  currency: CurrencyCode
}

function toDecimal(value: Factor, field: string): Dec {
  if (typeof value === 'bigint') return new D(value.toString())
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new EcoleError('INVALID_AMOUNT', `${field} must be an integer or a decimal string, not the float ${value}`, { details: { field, value } })
    }
    return new D(value)
  }
  if (typeof value !== 'string' || !DECIMAL_STRING.test(value.trim())) {
    throw new EcoleError('INVALID_AMOUNT', `${field} must be a decimal number written with a dot, got ${describeValue(value)}`, { details: { field, value } })
  }
  return new D(value.trim())
}

/**
 * An exact amount of one currency.
 *
 * Arithmetic is exact (decimal.js inside, never a JS float). Amounts that are posted, invoiced or
 * paid are brought to the currency's minor unit with an explicit, named {@link RoundingMode}
 * (`round`), then handled as integer minor units (`toMinor`, a bigint). Values are immutable.
 * Recognise one with {@link isMoney}, not `instanceof` (ESM and CJS copies may coexist).
 *
 * @example
 * const meal = Money.of('4.15', 'EUR')
 * meal.times(17).toString() //=> '70.55 EUR'
 * Money.of('10', 'EUR').allocate([1, 2]).map(String) //=> ['3.33 EUR', '6.67 EUR']
 */
export class Money {
  /** The ISO 4217 currency code. */
  readonly currency: CurrencyCode
  readonly #value: Dec
  /** @internal brand shared by every copy of this class (ESM and CJS). */
  readonly [MONEY] = true

  private constructor(value: Dec, currency: CurrencyCode) {
    this.#value = value
    this.currency = currency
  }


  /**
   * Money from an exact decimal string (or an integer).
   *
   * @example
   * Money.of('12.5', 'EUR').toString() //=> '12.50 EUR'
   * @throws EcoleError `INVALID_AMOUNT` for a float, a malformed string; `UNKNOWN_CURRENCY`.
   */
  static of(amount: string | bigint | number, currency: CurrencyCode): Money {
    minorUnits(currency)
    return new Money(toDecimal(amount, 'amount'), currency)
  }

  /**
   * Money from integer minor units (cents for EUR).
   *
   * @example
   * Money.fromMinor(1234n, 'EUR').toString() //=> '12.34 EUR'
   */
  static fromMinor(minor: bigint | number, currency: CurrencyCode): Money {
    const digits = minorUnits(currency)
    const units = typeof minor === 'bigint' ? minor.toString() : toDecimal(minor, 'minor').toFixed(0)
    return new Money(new D(units).div(new D(10).pow(digits)), currency)
  }

  /**
   * Zero of a currency.
   *
   * @example
   * Money.zero('EUR').isZero() //=> true
   */
  static zero(currency: CurrencyCode): Money {
    minorUnits(currency)
    return new Money(new D(0), currency)
  }

  /**
   * The sum of `items`, in `currency` (needed when the list may be empty).
   *
   * @example
   * Money.sum([Money.of('1.10', 'EUR'), Money.of('2.20', 'EUR')], 'EUR').toString() //=> '3.30 EUR'
   */
  static sum(items: readonly Money[], currency: CurrencyCode): Money {
    if (!Array.isArray(items)) throw new EcoleError('INVALID_AMOUNT', `Money.sum: expected an array of Money, got ${describeValue(items)}`, { details: { field: 'items' } })
    let total = Money.zero(currency)
    for (const m of items) total = total.plus(m)
    return total
  }

  /** The exact amount as a decimal string, with at least the currency's minor digits (`'12.50'`). */
  get amount(): string {
    const digits = minorUnits(this.currency)
    return this.#value.decimalPlaces() <= digits ? this.#value.toFixed(digits) : this.#value.toFixed()
  }

  #same(other: Money, op: string): void {
    if (!isMoney(other)) throw new EcoleError('INVALID_AMOUNT', `${op}: expected Money, got ${describeValue(other)}`)
    if (other.currency !== this.currency) {
      throw new EcoleError('CURRENCY_MISMATCH', `${op}: cannot mix ${this.currency} and ${other.currency}`, {
        details: { left: this.currency, right: other.currency },
      })
    }
  }

  /** @internal exact decimal value; for code inside `money/` only. */
  static decimalOf(money: Money): Dec {
    if (!isMoney(money)) throw new EcoleError('INVALID_AMOUNT', `Money.decimalOf: expected Money, got ${describeValue(money)}`)
    return money.#value
  }

  /**
   * This plus `other` (same currency).
   *
   * @example
   * Money.of('1.10', 'EUR').plus(Money.of('2.20', 'EUR')).toString() //=> '3.30 EUR'
   */
  plus(other: Money): Money {
    this.#same(other, 'plus')
    return new Money(this.#value.plus(other.#value), this.currency)
  }

  /**
   * This minus `other` (same currency).
   *
   * @example
   * Money.of('5', 'EUR').minus(Money.of('7.5', 'EUR')).toString() //=> '-2.50 EUR'
   */
  minus(other: Money): Money {
    this.#same(other, 'minus')
    return new Money(this.#value.minus(other.#value), this.currency)
  }

  /**
   * This multiplied by an integer quantity or an exact decimal rate (string); exact, not rounded.
   *
   * @example
   * Money.of('4.15', 'EUR').times(17).toString() //=> '70.55 EUR'
   * Money.of('10', 'EUR').times('0.055').amount //=> '0.55'
   */
  times(factor: Factor): Money {
    return new Money(this.#value.times(toDecimal(factor, 'factor')), this.currency)
  }

  /**
   * `percent` per cent of this amount (exact): `percent` is an integer or a decimal string.
   *
   * @example
   * Money.of('80', 'EUR').percentage('12.5').toString() //=> '10.00 EUR'
   */
  percentage(percent: Factor): Money {
    return new Money(this.#value.times(toDecimal(percent, 'percent')).div(100), this.currency)
  }

  /**
   * The opposite amount.
   *
   * @example
   * Money.of('3', 'EUR').negated().toString() //=> '-3.00 EUR'
   */
  negated(): Money {
    return new Money(this.#value.negated(), this.currency)
  }

  /**
   * The absolute amount.
   *
   * @example
   * Money.of('-3', 'EUR').abs().toString() //=> '3.00 EUR'
   */
  abs(): Money {
    return new Money(this.#value.abs(), this.currency)
  }

  /**
   * This amount brought to the currency's minor unit with `mode` (default `halfUp`).
   * Rounding a rounded amount changes nothing.
   *
   * @example
   * Money.of('2.345', 'EUR').round().amount //=> '2.35'
   * Money.of('2.345', 'EUR').round('halfEven').amount //=> '2.34'
   * @throws EcoleError `INVALID_INPUT` naming `mode` for a mode other than `halfUp`, `halfEven`, `up`, `down`.
   */
  round(mode: RoundingMode = 'halfUp'): Money {
    // an unknown mode is refused even when there is nothing to round
    const rounding = decimalRounding(mode)
    const digits = minorUnits(this.currency)
    if (this.#value.decimalPlaces() <= digits) return this
    return new Money(this.#value.toDecimalPlaces(digits, rounding), this.currency)
  }

  /**
   * Whether this amount has no more digits than the currency's minor unit.
   *
   * @example
   * Money.of('1.005', 'EUR').isRounded() //=> false
   */
  isRounded(): boolean {
    return this.#value.decimalPlaces() <= minorUnits(this.currency)
  }

  /**
   * The amount in integer minor units (cents). Exact: an amount with more precision than the
   * currency allows is refused rather than silently rounded.
   *
   * @example
   * Money.of('12.34', 'EUR').toMinor() //=> 1234n
   * @throws EcoleError `TOO_PRECISE` when the amount has more digits than the currency allows.
   */
  toMinor(): bigint {
    const digits = minorUnits(this.currency)
    if (this.#value.decimalPlaces() > digits) {
      throw new EcoleError('TOO_PRECISE', `${this.amount} ${this.currency} has more than the ${digits} decimals ${this.currency} allows; round it first`, {
        details: { amount: this.amount, currency: this.currency, decimals: digits },
      })
    }
    return BigInt(this.#value.times(new D(10).pow(digits)).toFixed(0))
  }

  /**
   * Splits this (rounded) amount by integer weights with the largest-remainder method: the parts
   * always add up to the whole, each differs from its exact share by less than one minor unit, and
   * ties go to the earlier weight.
   *
   * @example
   * Money.of('100', 'EUR').allocate([1, 1, 1]).map((m) => m.amount) //=> ['33.34', '33.33', '33.33']
   * @throws EcoleError `TOO_PRECISE` for an unrounded amount; `INVALID_WEIGHTS` for negative or all-zero weights.
   */
  allocate(weights: readonly (number | bigint)[]): Money[] {
    return allocateMinor(this.toMinor(), weights).map((part) => Money.fromMinor(part, this.currency))
  }

  /**
   * -1, 0 or 1 as this is less than, equal to or greater than `other`.
   *
   * @example
   * Money.of('1', 'EUR').compare(Money.of('2', 'EUR')) //=> -1
   */
  compare(other: Money): -1 | 0 | 1 {
    this.#same(other, 'compare')
    return this.#value.comparedTo(other.#value) as -1 | 0 | 1
  }

  /** Whether both amounts are equal (same currency). @example Money.of('1.0', 'EUR').equals(Money.of('1', 'EUR')) //=> true */
  equals(other: Money): boolean {
    return this.compare(other) === 0
  }

  /** Whether this is less than `other`. @example Money.of('1', 'EUR').lessThan(Money.of('2', 'EUR')) //=> true */
  lessThan(other: Money): boolean {
    return this.compare(other) < 0
  }

  /** Whether this is greater than `other`. @example Money.of('3', 'EUR').greaterThan(Money.of('2', 'EUR')) //=> true */
  greaterThan(other: Money): boolean {
    return this.compare(other) > 0
  }

  /** Whether this is zero. @example Money.zero('EUR').isZero() //=> true */
  isZero(): boolean {
    return this.#value.isZero()
  }

  /** Whether this is below zero. @example Money.of('-0.01', 'EUR').isNegative() //=> true */
  isNegative(): boolean {
    return this.#value.isNegative() && !this.#value.isZero()
  }

  /** Whether this is above zero. @example Money.of('0.01', 'EUR').isPositive() //=> true */
  isPositive(): boolean {
    return this.#value.isPositive() && !this.#value.isZero()
  }

  /**
   * The smaller of two amounts.
   *
   * @example
   * Money.min(Money.of('1', 'EUR'), Money.of('2', 'EUR')).amount //=> '1.00'
   */
  static min(a: Money, b: Money): Money {
    if (!isMoney(a)) throw new EcoleError('INVALID_AMOUNT', `Money.min: expected Money, got ${describeValue(a)}`)
    return a.compare(b) <= 0 ? a : b
  }

  /**
   * The larger of two amounts.
   *
   * @example
   * Money.max(Money.of('1', 'EUR'), Money.of('2', 'EUR')).amount //=> '2.00'
   */
  static max(a: Money, b: Money): Money {
    if (!isMoney(a)) throw new EcoleError('INVALID_AMOUNT', `Money.max: expected Money, got ${describeValue(a)}`)
    return a.compare(b) >= 0 ? a : b
  }

  /** `'12.34 EUR'`. @example String(Money.of('12.34', 'EUR')) //=> '12.34 EUR' */
  toString(): string {
    return `${this.amount} ${this.currency}`
  }

  /** The plain JSON form, which {@link MoneyInputSchema} reads back. @example JSON.stringify(Money.of('1', 'EUR')) //=> '{"amount":"1.00","currency":"EUR"}' */
  toJSON(): MoneyInput {
    return { amount: this.amount, currency: this.currency }
  }

  /**
   * How Node's `console.log` and `util.inspect` show it: the amount and the currency (the amount
   * lives in a private field, which they would not show).
   *
   * @example
   * util.inspect(Money.of('12.5', 'EUR')) //=> 'Money(12.50 EUR)'
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Money(${this.toString()})`
  }
}

/**
 * Whether `value` is a {@link Money}, from either the ESM or the CJS build.
 *
 * @example
 * isMoney(Money.zero('EUR')) //=> true
 * isMoney({ amount: '1', currency: 'EUR' }) //=> false
 */
export function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MONEY] === true
}

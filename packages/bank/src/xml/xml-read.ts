import { EcoleError } from '@ecole/core'
import { lineOf, type XmlElement } from './xml-scanner'

/**
 * Read helpers over {@link XmlElement}s by local-name paths (`'Refs/EndToEndId'`), with errors
 * that name the line and the field. One instance per document (it keeps the source for lines).
 */
export class XmlReader {
  readonly #paths = new Map<string, string[]>()

  constructor(
    readonly source: string,
    readonly subject: string,
  ) {}

  /** The first child of `el` at `path` (slash-separated local names), if any. */
  at(el: XmlElement | undefined, path: string): XmlElement | undefined {
    let cur = el
    let steps = this.#paths.get(path)
    if (steps === undefined) this.#paths.set(path, (steps = path.split('/')))
    for (const name of steps) {
      if (cur === undefined) return undefined
      let found: XmlElement | undefined
      for (const c of cur.children) {
        if (c.name === name) {
          found = c
          break
        }
      }
      cur = found
    }
    return cur
  }

  /** Every child of `el` named `name`. */
  all(el: XmlElement | undefined, name: string): XmlElement[] {
    if (el === undefined) return []
    const out: XmlElement[] = []
    for (const c of el.children) if (c.name === name) out.push(c)
    return out
  }

  /** Every element at `path` below `el` (each step may repeat). */
  allAt(el: XmlElement | undefined, path: string): XmlElement[] {
    let cur: XmlElement[] = el === undefined ? [] : [el]
    for (const name of path.split('/')) {
      const next: XmlElement[] = []
      for (const c of cur) for (const k of c.children) if (k.name === name) next.push(k)
      cur = next
    }
    return cur
  }

  /** The trimmed text at `path`, undefined when absent or empty. */
  text(el: XmlElement | undefined, path?: string): string | undefined {
    const t = path === undefined ? el : this.at(el, path)
    if (t === undefined) return undefined
    const s = t.text.trim()
    return s === '' ? undefined : s
  }

  /** The trimmed text at `path`, or an error naming the line and the missing field. */
  required(el: XmlElement, path: string): string {
    const s = this.text(el, path)
    if (s === undefined) throw this.error(el, `${el.name}/${path}`, 'is missing or empty')
    return s
  }

  /** An `EcoleError` `MALFORMED_BANK_FILE` for `field` of the element at `el`, with its line. */
  error(el: XmlElement, field: string, problem: string, details: Record<string, unknown> = {}): EcoleError {
    const { line } = lineOf(this.source, el.offset)
    return new EcoleError('MALFORMED_BANK_FILE', `${this.subject}: line ${line}, field ${field}: ${problem}`, {
      details: { line, field, problem, ...details },
    })
  }
}

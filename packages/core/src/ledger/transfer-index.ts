import type { LedgerTransfer } from './transfer'

/**
 * 32-bit hash of a transfer id (FNV-1a, then murmur3's finaliser so the low bits are well mixed).
 *
 * @internal
 */
export function hashId(id: string): number {
  let h = 0x811c9dc5 | 0
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}

const EMPTY = 0
const DELETED = -1

/** Pending state of a log position: not a pending transfer. @internal */
export const NOT_PENDING = 0
/** Pending state: still reserving. @internal */
export const PENDING = 1
/** Pending state: posted. @internal */
export const POSTED = 2
/** Pending state: voided. @internal */
export const VOIDED = 3
/** Pending state: expired. @internal */
export const EXPIRED = 4

/**
 * The created transfers of a ledger: an append-only log and an open-addressing index from id to
 * log position (pairs of [hash, position + 1] in one Int32Array, linear probing, load <= 1/2).
 *
 * Why not a `Map`: a miss on a `Map` of a million string keys walks a chain of heap entries
 * (several cache misses, about half a microsecond here), and idempotency makes every new
 * transfer a miss. Here a miss reads one or two adjacent table slots and never touches a
 * transfer unless the 32-bit hashes match.
 *
 * @internal
 */
export class TransferIndex {
  /** Every created transfer, in application order. */
  readonly log: LedgerTransfer[] = []
  /** Pending state per log position (NOT_PENDING for every other transfer). */
  status = new Uint8Array(1024)
  private table: Int32Array
  private mask: number
  /** Slots that are not EMPTY (live or deleted). */
  private used = 0

  /** `capacityBits`: log2 of the initial number of slots (tests use small tables). */
  constructor(capacityBits = 12) {
    this.table = new Int32Array(2 << capacityBits)
    this.mask = (1 << capacityBits) - 1
  }

  /** Number of transfers. */
  get size(): number {
    return this.log.length
  }

  /** Log position of `id` (whose hash is `h`), or -1. */
  position(id: string, h: number): number {
    const table = this.table
    const mask = this.mask
    let i = h & mask
    for (;;) {
      const v = table[2 * i + 1]!
      if (v === EMPTY) return -1
      if (v > 0 && table[2 * i] === h && this.log[v - 1]!.id === id) return v - 1
      i = (i + 1) & mask
    }
  }

  /** The transfer with this id, or undefined. */
  get(id: string): LedgerTransfer | undefined {
    const p = this.position(id, hashId(id))
    return p < 0 ? undefined : this.log[p]
  }

  /** Whether a transfer has this id. */
  has(id: string): boolean {
    return this.position(id, hashId(id)) >= 0
  }

  /** Appends a transfer whose id (hash `h`) is absent, with its pending state. */
  add(t: LedgerTransfer, h: number, pending: number): void {
    const position = this.log.length
    if (position === this.status.length) {
      const grown = new Uint8Array(position * 2)
      grown.set(this.status)
      this.status = grown
    }
    this.status[position] = pending
    if ((this.used + 1) * 2 > this.mask + 1) this.grow()
    const table = this.table
    const mask = this.mask
    let i = h & mask
    while (table[2 * i + 1]! > 0) i = (i + 1) & mask
    if (table[2 * i + 1] === EMPTY) this.used++
    table[2 * i] = h
    this.log.push(t)
    table[2 * i + 1] = this.log.length
  }

  /** Removes the last transfer appended (undo of a rolled-back chain). */
  pop(): void {
    const t = this.log[this.log.length - 1]!
    const h = hashId(t.id)
    const table = this.table
    const mask = this.mask
    const target = this.log.length
    let i = h & mask
    while (table[2 * i + 1] !== target) i = (i + 1) & mask
    table[2 * i + 1] = DELETED
    this.status[target - 1] = NOT_PENDING
    this.log.pop()
  }

  private grow(): void {
    const old = this.table
    const live = this.log.length
    // double when mostly live; rebuild at the same size when tombstones dominate
    let capacity = this.mask + 1
    while (live * 2 >= capacity) capacity *= 2
    const table = new Int32Array(capacity * 2)
    const mask = capacity - 1
    for (let j = 0; j < old.length; j += 2) {
      const v = old[j + 1]!
      if (v <= 0) continue
      const h = old[j]!
      let i = h & mask
      while (table[2 * i + 1] !== EMPTY) i = (i + 1) & mask
      table[2 * i] = h
      table[2 * i + 1] = v
    }
    this.table = table
    this.mask = mask
    this.used = live
  }
}

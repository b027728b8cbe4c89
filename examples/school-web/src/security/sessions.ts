/**
 * Server-side sessions: an opaque random id (256 bits) in a cookie, everything else on the
 * server. A new id is issued at every login (the anonymous session's id is never promoted, so a
 * planted id is useless), sessions end after `idleMs` without a request and `absoluteMs` after
 * login whatever the activity, and all of a person's sessions end when their password changes.
 *
 * The store is in memory: enough for one process (the example). A host running several processes
 * keeps the same records in its database or Redis; nothing else changes.
 */
import { randomBytes } from 'node:crypto'
import type { Lang } from '../i18n'

/** Bytes of randomness in a session id (and a CSRF token): 32 bytes = 256 bits, above the 128 the rules ask. */
export const SESSION_ID_BYTES = 32

/** Who a session belongs to, once logged in. */
export type SessionSubject = { kind: 'guardian'; id: string } | { kind: 'user'; id: string }

/** One session. */
export interface Session {
  id: string
  siteId: string
  /** Undefined for an anonymous visitor (who still gets a CSRF token for the login forms). */
  subject?: SessionSubject | undefined
  /** The anti-forgery token every form of this session carries. */
  csrf: string
  createdAt: number
  loggedInAt?: number | undefined
  lastSeenAt: number
  lang?: Lang | undefined
  /** A one-line notice shown once on the next page (after a redirect). */
  flash?: string | undefined
  /** When the portal last read that this session's guardian may still use it (`requireGuardian`). */
  portalCheckedAt?: number | undefined
}

/** Timeouts of the session store. */
export interface SessionTimeouts {
  /** Ends a session this long after its last request (30 minutes by default). */
  idleMs: number
  /** Ends a logged-in session this long after login, whatever the activity (12 hours by default). */
  absoluteMs: number
}

/** Default timeouts. */
export const DEFAULT_TIMEOUTS: SessionTimeouts = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 }

/** A random URL-safe id of {@link SESSION_ID_BYTES} bytes. */
export function randomId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url')
}

/** The in-memory session store. */
export class SessionStore {
  readonly #sessions = new Map<string, Session>()
  readonly #now: () => number
  readonly timeouts: SessionTimeouts
  /** The most sessions kept (anonymous ones are dropped first when full). */
  readonly max: number

  constructor(options: { now?: () => number; timeouts?: Partial<SessionTimeouts>; max?: number } = {}) {
    this.#now = options.now ?? Date.now
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
    this.max = options.max ?? 100_000
  }

  /** The live session with this id (touching it), or undefined when unknown, idle too long or past its absolute lifetime. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined
    const s = this.#sessions.get(id)
    if (!s) return undefined
    const now = this.#now()
    if (now - s.lastSeenAt > this.timeouts.idleMs || (s.loggedInAt !== undefined && now - s.loggedInAt > this.timeouts.absoluteMs)) {
      this.#sessions.delete(id)
      return undefined
    }
    s.lastSeenAt = now
    return s
  }

  /** A new anonymous session. */
  create(siteId: string, lang?: Lang): Session {
    if (this.#sessions.size >= this.max) this.sweep(true)
    const now = this.#now()
    const s: Session = { id: randomId(), siteId, csrf: randomId(), createdAt: now, lastSeenAt: now, lang }
    this.#sessions.set(s.id, s)
    return s
  }

  /** Logs in: the old session ends and a new one, with a new id and a new CSRF token, carries the subject. */
  login(old: Session | undefined, siteId: string, subject: SessionSubject): Session {
    if (old) this.#sessions.delete(old.id)
    const s = this.create(siteId, old?.lang)
    s.subject = subject
    s.loggedInAt = s.createdAt
    return s
  }

  /** Ends one session. */
  end(id: string): void {
    this.#sessions.delete(id)
  }

  /** Ends every session of a person (after a password change), except `keep` if given; answers how many ended. */
  endAllOf(siteId: string, subject: SessionSubject, keep?: string): number {
    let n = 0
    for (const [id, s] of this.#sessions) {
      if (id !== keep && s.siteId === siteId && s.subject?.kind === subject.kind && s.subject.id === subject.id) {
        this.#sessions.delete(id)
        n++
      }
    }
    return n
  }

  /** Drops expired sessions (and, when `anonymousToo`, every anonymous one). */
  sweep(anonymousToo = false): void {
    const now = this.#now()
    for (const [id, s] of this.#sessions) {
      if (now - s.lastSeenAt > this.timeouts.idleMs || (s.loggedInAt !== undefined && now - s.loggedInAt > this.timeouts.absoluteMs) || (anonymousToo && !s.subject)) this.#sessions.delete(id)
    }
  }

  /** How many sessions are held. */
  get size(): number {
    return this.#sessions.size
  }
}

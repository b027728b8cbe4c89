import type { MailerCheckStage } from '@ecole/core/ports'

/**
 * A failure of an SMTP exchange, read from nodemailer's error: the stage, the reply, whether retrying can help.
 *
 * @example
 * const f: SmtpFailure = { stage: 'recipient', code: 550, reason: '550 5.1.1 No such user', permanent: true }
 */
export interface SmtpFailure {
  /** The step that failed. */
  stage: MailerCheckStage
  /** The SMTP reply code, when the server answered. */
  code?: number | undefined
  /** The server's reply, or the network error's message. */
  reason: string
  /** A 5xx reply to the sender, a recipient or the message: retrying the same message will not help. */
  permanent: boolean
}

interface NodemailerLikeError {
  code?: string | undefined
  errno?: string | number | undefined
  command?: string | undefined
  response?: string | undefined
  responseCode?: number | undefined
  message?: string | undefined
  reason?: string | undefined
}

const DNS_ERRNOS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA'])
const CONNECT_ERRNOS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])
const TLS_TEXT = /\b(SSL|TLS|STARTTLS|certificate|wrong version number|EPROTO)\b/i

/**
 * Reads a nodemailer error as the step that failed, with the server's reply code and text
 * (`dns`, `connect`, `tls`, `authenticate`, `sender`, `recipient`, `send`).
 *
 * @example
 * classifySmtpError({ code: 'EAUTH', command: 'AUTH PLAIN', responseCode: 535, response: '535 5.7.8 bad credentials' })
 * //=> { stage: 'authenticate', code: 535, reason: '535 5.7.8 bad credentials', permanent: false }
 */
export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as NodemailerLikeError
  const errno = typeof e.errno === 'string' ? e.errno : undefined
  const text = `${e.message ?? ''} ${e.reason ?? ''}`
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const reason = (e.response ?? e.message ?? 'unknown error').trim()
  // nodemailer refused the envelope itself before any SMTP command ('No recipients defined',
  // 'Invalid recipient "..."', 'Invalid sender "..."'): the same message will never go
  if (e.code === 'EENVELOPE' && (e.command === undefined || e.command === 'API')) {
    return { stage: /\bsender\b/i.test(text) ? 'sender' : 'recipient', code, reason, permanent: true }
  }
  const stage = ((): MailerCheckStage => {
    if (e.code === 'EDNS' || (errno && DNS_ERRNOS.has(errno)) || /\b(ENOTFOUND|EAI_AGAIN)\b/.test(text)) return 'dns'
    if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return 'authenticate'
    if (e.code === 'ETLS' || e.code === 'EREQUIRETLS' || e.command === 'STARTTLS' || (e.code === 'ESOCKET' && TLS_TEXT.test(text))) return 'tls'
    if (e.code === 'EENVELOPE' && e.command === 'MAIL FROM') return 'sender'
    if (e.code === 'EENVELOPE' && e.command === 'RCPT TO') return 'recipient'
    if ((errno && CONNECT_ERRNOS.has(errno)) || /\bECONNREFUSED\b/.test(text) || e.command === 'CONN' || e.command === 'GREETING') return 'connect'
    if ((e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'ECONNECTION') && e.command === undefined) return 'connect'
    return 'send'
  })()
  const permanent = code !== undefined && code >= 500 && (stage === 'sender' || stage === 'recipient' || stage === 'send')
  return { stage, code, reason, permanent }
}

import { isEcoleError } from '@ecole/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compose, configFromEnv, type WebConfig } from '../src/compose'
import { isLoopbackAddress } from '../src/dev/routes'
import { Client, startTestHost, type TestHost } from './support'

// The development mailbox shows every mail the host sends, password reset codes included: it is
// off unless DEV_MAILBOX=1 turns it on, refused on a host served over HTTPS, and answers only
// requests from the host itself (a probe took over the admin account through it: anonymous
// "forgotten password", the code read on /dev/mailbox, a new password set).

/** The error `run` throws (undefined when it throws none). */
function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('DEV_MAILBOX: the development mailbox is off unless turned on', () => {
  it('is off when DEV_MAILBOX is absent, whatever NODE_ENV says', () => {
    expect(configFromEnv({}).devMailbox).toBe(false)
    expect(configFromEnv({ NODE_ENV: 'development' }).devMailbox).toBe(false)
    expect(configFromEnv({ NODE_ENV: 'test', PUBLIC_URL: 'https://portail.example' }).devMailbox).toBe(false)
  })

  it('is on with DEV_MAILBOX=1 or true, off with 0, false or empty', () => {
    expect(['1', 'true', 'TRUE'].map((v) => configFromEnv({ DEV_MAILBOX: v }).devMailbox)).toEqual([true, true, true])
    expect(['0', 'false', ''].map((v) => configFromEnv({ DEV_MAILBOX: v }).devMailbox)).toEqual([false, false, false])
  })

  it('refuses any other value of DEV_MAILBOX, naming the setting', () => {
    const error = thrown(() => configFromEnv({ DEV_MAILBOX: 'yes please' }))
    expect(isEcoleError(error, 'INVALID_INPUT')).toBe(true)
    expect((error as Error).message).toContain('DEV_MAILBOX')
  })

  it('refuses to start with DEV_MAILBOX=1 when PUBLIC_URL is https, naming the setting', () => {
    const error = thrown(() => configFromEnv({ DEV_MAILBOX: '1', PUBLIC_URL: 'https://portail.example' }))
    expect(isEcoleError(error, 'INVALID_INPUT')).toBe(true)
    expect((error as Error).message).toMatch(/DEV_MAILBOX.*HTTPS/)
  })

  it('refuses to compose a host served over HTTPS with the mailbox on, before opening anything', async () => {
    const config: WebConfig = { port: 0, publicUrl: 'https://portail.example', https: true, siteId: 's', dataDir: '/nonexistent', devMailbox: true, outboxWorker: false }
    const error = await compose(config).then(async (ctx) => {
      await ctx.close()
      return undefined
    }, (e: unknown) => e)
    expect(isEcoleError(error, 'INVALID_INPUT')).toBe(true)
    expect((error as Error).message).toContain('DEV_MAILBOX')
  })

  it('knows the loopback addresses, IPv4, IPv6 and IPv4-mapped', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([true, true, true, true])
    expect(['10.0.0.1', '192.168.1.20', '::ffff:10.0.0.1', '2001:db8::1', '', undefined, '127.0.0.1.evil.example'].map(isLoopbackAddress)).toEqual([false, false, false, false, false, false, false])
  })
})

describe('/dev/mailbox answers only the host itself', () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({ config: { devMailbox: true } })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  /** GET /dev/mailbox as if from a socket with this peer address (undefined: an in-process request, no socket). */
  const mailboxFrom = (address: string | undefined, headers: Record<string, string> = {}) =>
    host.app.request('http://localhost/dev/mailbox', { headers: { Host: 'localhost', ...headers } }, address === undefined ? undefined : { incoming: { socket: { remoteAddress: address } } })

  /** Waits for the mail to this address to reach the development SMTP server. */
  async function mailTo(address: string) {
    for (let i = 0; i < 100; i++) {
      await host.ctx.flushMail()
      const mail = host.ctx.mailbox!.messages.find((m) => m.to.includes(address))
      if (mail) return mail
      await new Promise((ok) => setTimeout(ok, 50))
    }
    throw new Error(`no mail to ${address}`)
  }

  it('does not show an anonymous visitor from another address the staff reset code it just asked for', async () => {
    const anonymous = new Client(host.app)
    await anonymous.get('/staff/forgot')
    await anonymous.post('/staff/forgot', { email: 'bo-admin@jaures.example' })
    const mail = await mailTo('bo-admin@jaures.example')
    const code = /Code de réinitialisation\s*:\s*([0-9A-Z]{20,})/.exec(mail.text)?.[1]
    expect(code).toBeDefined()
    for (const page of [await mailboxFrom('203.0.113.7'), await mailboxFrom('::ffff:192.0.2.1'), await mailboxFrom(undefined), await anonymous.get('/dev/mailbox').then((p) => p.res)]) {
      expect(page.status).toBe(404)
      expect(await page.text()).not.toContain(code!)
    }
  })

  it('does not show the mailbox to a request a proxy on the host forwarded from elsewhere', async () => {
    const forwarded: Record<string, string>[] = [{ 'X-Forwarded-For': '203.0.113.7' }, { Forwarded: 'for=203.0.113.7' }, { 'X-Real-IP': '203.0.113.7' }]
    for (const header of forwarded) {
      expect((await mailboxFrom('127.0.0.1', header)).status).toBe(404)
    }
  })

  it('shows the mails to a request from a loopback address', async () => {
    await mailTo('bo-admin@jaures.example')
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const page = await mailboxFrom(address)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('bo-admin@jaures.example')
    }
  })
})

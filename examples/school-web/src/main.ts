/**
 * `npm run web`: starts the host on `PORT` (3000), seeding the demo school on first start, and
 * prints the address and the demo logins.
 */
import { serve } from '@hono/node-server'
import { createApp } from './app'
import { compose, configFromEnv } from './compose'
import { seedDemoSchool } from './seed'

async function main(): Promise<void> {
  const config = configFromEnv()
  const ctx = await compose(config)
  const logins = await seedDemoSchool(ctx.storage, { now: ctx.clock.now(), log: (l) => console.log(l) })
  const app = createApp(ctx)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: process.env.HOST ?? '127.0.0.1' })
  const url = config.publicUrl
  console.log(`\n@ecole school-web: ${url}  (storage: ${config.databaseUrl ? 'PostgreSQL server' : `PGlite in ${config.dataDir}`}; demo clock ${ctx.clock.now().toISOString()})`)
  console.log('\nFamilies portal')
  console.log(`  first login (token):  ${url}/token  username ${logins.firstLogin.username}  token ${logins.firstLogin.token}`)
  console.log(`  parent with password: ${logins.withPassword.username} / ${logins.withPassword.password}`)
  for (const s of logins.separated) console.log(`  separated parent:     ${s.username} / ${s.password}`)
  console.log(`  joint debtor:         ${logins.jointDebtor.username} / ${logins.jointDebtor.password}`)
  console.log(`\nBack office: ${url}/staff`)
  for (const s of logins.staff) console.log(`  ${s.role.padEnd(14)} ${s.username} / ${s.password}`)
  if (ctx.mailbox) console.log(`\nOutgoing mail (development): ${url}/dev/mailbox  (from this machine only)`)
  else if (!config.smtp) console.log('\nOutgoing mail: no SMTP relay set (SMTP_HOST); start with DEV_MAILBOX=1 to read the mails on /dev/mailbox from this machine')
  const stop = () => {
    server.close()
    void ctx.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})

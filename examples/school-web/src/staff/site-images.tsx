/**
 * The site's logo (seed 000) and each school's logo and stamp (seed 003 « Logo et tampon »), at
 * `/staff/admin/images`: shown, uploaded (`putSiteImage`: type read from the bytes and size
 * checked against `IMAGE_LIMITS`, stored through the documents port as an internal document that
 * the portal never shows, counted in the storage quota) and deleted after a confirmation
 * (`removeSiteImage`). The site's logo is printed on the information sheets and the invoices.
 * Actions `images.siteLogo` (permission `settings.site`) and `images.school`
 * (`settings.establishment`).
 */
import { Hono, type Context } from 'hono'
import { IMAGE_LIMITS, isEcoleError, type ImageRef } from '@ecole/core'
import { putSiteImage, readSiteImage, removeSiteImage, type ImageTarget } from '@ecole/workflows'
import type { AppEnv } from '../env'
import { t } from '../i18n'
import { CsrfField } from '../views/layout'
import { errorPage, html } from '../views/render'
import { fileErrorText, fileOf, formatBytes, quotaText } from './documents'
import { allRecords } from './people'
import { recordStaffChanges } from './staff-audit'
import { actorOfRequest, Page, refused, today } from './routes'

const BASE = '/staff/admin/images'
type Use = ImageTarget['use']
const USES: readonly Use[] = ['siteLogo', 'schoolLogo', 'schoolStamp']

/** The target of a request (`/:use?schoolId=`), or undefined for an unknown one. */
function targetOf(use: string, schoolId: string | undefined): ImageTarget | undefined {
  if (use === 'siteLogo') return { use }
  if ((use === 'schoolLogo' || use === 'schoolStamp') && schoolId) return { use, schoolId }
  return undefined
}

const query = (target: ImageTarget) => (target.use === 'siteLogo' ? '' : `?schoolId=${encodeURIComponent(target.schoolId)}`)

/** Mounts the logo and stamp screen. */
export function siteImageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** Whether the user may change this image: the site logo takes `settings.site`, a school's images `settings.establishment`. */
  const gate = (c: Context<AppEnv>, target: ImageTarget) => refused(c, target.use === 'siteLogo' ? 'images.siteLogo' : 'images.school', { siteId: actorOfRequest(c).siteId, ...(target.use === 'siteLogo' ? {} : { schoolId: target.schoolId }) })

  async function show(c: Context<AppEnv>, opts: { error?: { key: string; text: string }; done?: string } = {}, status: 200 | 400 = 200) {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const site = await ctx.storage.directory!.getSite(actor.siteId)
    const schools = await allRecords(ctx.storage, actor.siteId, 'school')
    const mayLogo = refused(c, 'images.siteLogo', { siteId: actor.siteId }) === undefined
    const maySchool = refused(c, 'images.school', { siteId: actor.siteId }) === undefined
    const blocks: Array<{ target: ImageTarget; title: string; image: ImageRef | null }> = [
      ...(mayLogo ? [{ target: { use: 'siteLogo' } as ImageTarget, title: t(lang, 'staff.images.siteLogo'), image: site?.logo ?? null }] : []),
      ...(maySchool ? schools.flatMap((s) => [
        { target: { use: 'schoolLogo', schoolId: s.id } as ImageTarget, title: t(lang, 'staff.images.schoolLogo', { school: s.name }), image: s.logo },
        { target: { use: 'schoolStamp', schoolId: s.id } as ImageTarget, title: t(lang, 'staff.images.schoolStamp', { school: s.name }), image: s.stamp },
      ]) : []),
    ]
    const notice = opts.error ? { kind: 'error' as const, text: opts.error.text } : opts.done === 'saved' ? { kind: 'ok' as const, text: t(lang, 'staff.images.done.saved') } : opts.done === 'deleted' ? { kind: 'ok' as const, text: t(lang, 'staff.images.done.deleted') } : undefined
    return html(c,
      <Page c={c} title={t(lang, 'staff.images.title')} current={BASE} notice={notice}>
        <p class="hint">{t(lang, 'staff.images.printed')}</p>
        {blocks.map((b) => {
          const key = `${b.target.use}${b.target.use === 'siteLogo' ? '' : `-${b.target.schoolId}`}`
          const error = opts.error?.key === key ? opts.error.text : undefined
          const limit = IMAGE_LIMITS[b.target.use]
          return (
            <section class="card" data-image={key}>
              <h2>{b.title}</h2>
              {b.image ? (
                <p>
                  <img src={`${BASE}/${b.target.use}/file${query(b.target)}`} alt={b.title} height="80" /> {formatBytes(lang, b.image.sizeBytes)} ·{' '}
                  <a href={`${BASE}/${b.target.use}/delete${query(b.target)}`}>{t(lang, 'staff.images.delete')}</a>
                </p>
              ) : <p>{t(lang, 'staff.images.none')}</p>}
              <form method="post" action={`${BASE}/${b.target.use}${query(b.target)}`} enctype="multipart/form-data">
                <CsrfField session={c.var.session} />
                <p class={error ? 'field invalid' : 'field'}>
                  <label for={`f-${key}`}>{t(lang, b.target.use === 'schoolStamp' ? 'staff.images.fileStamp' : 'staff.images.file', { max: formatBytes(lang, limit.maxBytes) })}</label>
                  <input id={`f-${key}`} name="file" type="file" accept={limit.mediaTypes.join(',')} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `f-${key}-error` : undefined} />
                  {error ? <strong id={`f-${key}-error`} class="field-error">{error}</strong> : null}
                </p>
                <button type="submit">{t(lang, 'staff.images.upload')}</button>
              </form>
            </section>
          )
        })}
      </Page>,
      status,
    )
  }

  app.get('/admin/images', async (c) => {
    const actor = actorOfRequest(c)
    const logo = refused(c, 'images.siteLogo', { siteId: actor.siteId })
    const school = refused(c, 'images.school', { siteId: actor.siteId })
    if (logo && school) return logo
    return show(c, { done: c.req.query('done') })
  })

  app.get('/admin/images/:use/file', async (c) => {
    const { ctx } = c.var
    const target = targetOf(c.req.param('use'), c.req.query('schoolId'))
    if (!target) return errorPage(c, 404)
    const no = gate(c, target)
    if (no) return no
    const image = await readSiteImage(ctx.storage, { siteId: actorOfRequest(c).siteId, target })
    if (!image) return errorPage(c, 404)
    c.header('Content-Type', image.mediaType)
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Cache-Control', 'private, no-store')
    return c.body(image.bytes as Uint8Array<ArrayBuffer>)
  })

  app.post('/admin/images/:use', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const target = targetOf(c.req.param('use'), c.req.query('schoolId'))
    if (!target || !USES.includes(target.use)) return errorPage(c, 404)
    const no = gate(c, target)
    if (no) return no
    const key = `${target.use}${target.use === 'siteLogo' ? '' : `-${target.schoolId}`}`
    const { bytes, fileName } = await fileOf(await c.req.parseBody({ all: true }))
    let r
    try {
      r = await putSiteImage(ctx.storage, { siteId: actor.siteId, target, bytes, name: fileName, today: today(c) })
    } catch (e) {
      const text = fileErrorText(lang, e)
      if (text) return show(c, { error: { key, text } }, 400)
      if (isEcoleError(e, 'NOT_FOUND')) return errorPage(c, 404)
      throw e
    }
    if (!r.ok) return show(c, { error: { key, text: quotaText(lang, r.refusal) } }, 400)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: `${target.use}.uploaded`, subject: { kind: target.use === 'siteLogo' ? 'site' : 'school', id: target.use === 'siteLogo' ? actor.siteId : target.schoolId }, after: { image: r.image } }])
    return c.redirect(`${BASE}?done=saved`, 303)
  })

  app.get('/admin/images/:use/delete', async (c) => {
    const { lang, ctx } = c.var
    const actor = actorOfRequest(c)
    const target = targetOf(c.req.param('use'), c.req.query('schoolId'))
    if (!target) return errorPage(c, 404)
    const no = gate(c, target)
    if (no) return no
    const image = await readSiteImage(ctx.storage, { siteId: actor.siteId, target })
    if (!image) return errorPage(c, 404)
    const school = target.use === 'siteLogo' ? undefined : await ctx.storage.directory!.getDirectoryRecord(actor.siteId, 'school', target.schoolId)
    const what = target.use === 'siteLogo' ? t(lang, 'staff.images.siteLogo') : t(lang, target.use === 'schoolLogo' ? 'staff.images.schoolLogo' : 'staff.images.schoolStamp', { school: school?.name ?? target.schoolId })
    return html(c,
      <Page c={c} title={t(lang, 'staff.images.delete')} current={BASE}>
        <form method="post" class="card">
          <CsrfField session={c.var.session} />
          <p>{t(lang, 'staff.images.delete.confirm', { what: what.charAt(0).toLowerCase() + what.slice(1), size: formatBytes(lang, image.bytes.length) })}</p>
          <button type="submit">{t(lang, 'staff.confirm')}</button> <a href={BASE}>{t(lang, 'staff.cancel')}</a>
        </form>
      </Page>,
    )
  })

  app.post('/admin/images/:use/delete', async (c) => {
    const { ctx } = c.var
    const actor = actorOfRequest(c)
    const target = targetOf(c.req.param('use'), c.req.query('schoolId'))
    if (!target) return errorPage(c, 404)
    const no = gate(c, target)
    if (no) return no
    const removed = await removeSiteImage(ctx.storage, { siteId: actor.siteId, target }).catch((e: unknown) => {
      if (isEcoleError(e, 'NOT_FOUND')) return false
      throw e
    })
    if (!removed) return errorPage(c, 404)
    await recordStaffChanges(ctx.storage, actor, ctx.clock.now(), [{ action: `${target.use}.deleted`, subject: { kind: target.use === 'siteLogo' ? 'site' : 'school', id: target.use === 'siteLogo' ? actor.siteId : target.schoolId } }])
    return c.redirect(`${BASE}?done=deleted`, 303)
  })

  return app
}

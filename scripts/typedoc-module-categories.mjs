// A typedoc plugin: files the exports of each package under the module they come from
// (`@category Money`, `@category Booking`...), taken from the source folder under `src/` (or the
// file name for a file at the root of `src/`), so 700 names read as a dozen modules. An explicit
// `@category` tag in a TSDoc comment wins. Loaded by typedoc.json ("plugin").
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc'

/** Folder (or root file) name -> category title. */
const TITLES = {
  money: 'Money', time: 'Time', directory: 'Directory', calendar: 'Calendar', billing: 'Billing', booking: 'Booking',
  ledger: 'Ledger', invoicing: 'Invoicing', references: 'References', access: 'Access', messaging: 'Messaging',
  ports: 'Ports', errors: 'Errors', index: 'Package',
}
const titled = (name) => TITLES[name] ?? name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ')

/** The category of a source file: its folder under `src/`, or its name when it sits at the root. */
export function categoryOf(fileName) {
  const m = /\/src\/(?:([^/]+)\/)?(?:.*\/)?([^/]+?)(?:\.d)?\.[cm]?tsx?$/.exec(fileName.replaceAll('\\', '/'))
  if (!m) return undefined
  return titled(m[1] ?? m[2])
}

export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.Project | ReflectionKind.Module)) return // top-level exports only
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName
    const category = file && categoryOf(file)
    if (!category) return
    reflection.comment ??= new Comment()
    if (reflection.comment.blockTags.some((t) => t.tag === '@category')) return
    reflection.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]))
  })
}

import { packageBuild } from '../../tsup.base'

// shims: the CJS build gets import.meta.url (the fonts are resolved from the package) from __filename
export default packageBuild().map((options) => ({ ...options, shims: true }))

import type { Options } from 'tsup'
import { packageBuild } from '../../tsup.base'

// shims: the CJS build gets import.meta.url (the fonts are found next to the package) from __filename
export default { ...packageBuild(), shims: true } as Options

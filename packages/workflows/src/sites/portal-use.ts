import { checkOptions, type OptionKinds } from '@ecole/core'
import type { AccessStore, DirectoryStore } from '@ecole/core/ports'
import { asUseCaseError } from '../use-case-error'

/**
 * The guardian whose use of the portal {@link mayUsePortal} checks, and the ports it reads.
 *
 * @example
 * const args: PortalUseArgs = { access: storage.access!, directory: storage.directory!, siteId: 's1', guardianId: 'marie' }
 */
export interface PortalUseArgs {
  /** Access storage (the portal account). */
  access: AccessStore
  /** Directory storage (the guardian, archived or not). */
  directory: DirectoryStore
  /** The site. */
  siteId: string
  /** The guardian. */
  guardianId: string
}

const USE_KINDS: OptionKinds<PortalUseArgs> = { access: 'object', directory: 'object', siteId: 'any', guardianId: 'any' }

/**
 * Whether a guardian may use the parent portal now: they have a portal account, and their record
 * exists and is not archived (seed 001: a family that left the school loses portal access when
 * archived). Archiving through a host closes the access ({@link closePortalAccess} in the
 * archiving's transaction); this check also refuses a guardian archived while their access stayed
 * open (archived by another program, or before the host closed access on archiving). Unarchiving
 * does not open access again: staff do, with {@link openPortalAccess}.
 *
 * A host checks it on every request of a portal session (a session opened before the archiving
 * or the closing then stops working); {@link verifyPortalPassword} (given `directory`) and
 * {@link requestPasswordReset} check it too.
 *
 * @example
 * await mayUsePortal({ access: storage.access!, directory: storage.directory!, siteId: 's1', guardianId: 'marie' }) //=> true
 * // once Marie is archived, or her access closed
 * await mayUsePortal({ access: storage.access!, directory: storage.directory!, siteId: 's1', guardianId: 'marie' }) //=> false
 * @throws EcoleError `INVALID_INPUT` naming the argument that is not what the library builds.
 */
export async function mayUsePortal(args: PortalUseArgs): Promise<boolean> {
  try {
    checkOptions<PortalUseArgs>('mayUsePortal', 'args', args, USE_KINDS)
    if ((await args.access.getPortalAccount(args.siteId, args.guardianId)) === undefined) return false
    const guardian = await args.directory.getDirectoryRecord(args.siteId, 'guardian', args.guardianId)
    return guardian !== undefined && guardian.archived === null
  } catch (error) {
    throw asUseCaseError(error, 'mayUsePortal', { args: [args, 'object', 'the guardian ({ access, directory, siteId, guardianId })'] })
  }
}

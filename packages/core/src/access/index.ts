export {
  PERMISSIONS, PERMISSION_CATALOGUE, PermissionSchema, isPermission, permissionCategory, type Permission, type PermissionCategory,
} from './permission'
export { RoleSchema, grantPermission, revokePermission, type Role, type RoleInput } from './role'
export {
  MESSAGING_CHANNELS, STAFF_PROFILES, UserSchema, UserScopeSchema, scopeWithin, type MessagingChannel, type StaffProfile, type User,
  type UserInput, type UserScope,
} from './user'
export { actorOf, can, type AccessScope, type Actor } from './can'
export {
  STAFF_PROFILE_RANK, createUser, grantInspectorAccess, updateUser, type UserAuditEntry, type UserContext, type UserFieldChange, type UserOutcome,
  type UserRefusal, type UserUpdateInput, type UserUpdateOutcome,
} from './user-operations'
export {
  createPortalAccount, portalLogin, syncPortalAccount, type PortalAccount, type PortalAccountOutcome, type PortalAccountRefusal,
} from './portal-account'
export {
  checkNewPassword, checkTokenRecord, normalizeTokenInput, type CredentialSubject, type OneTimeTokenRecord, type PasswordPolicy,
  type PasswordRefusalCode, type TokenPurpose, type TokenRefusalCode,
} from './one-time-token'
export { AUDIT_ACTOR_KINDS, AuditEntrySchema, auditChanges, auditEntry, type AuditActorKind, type AuditEntry, type AuditEntryInput } from './audit-entry'

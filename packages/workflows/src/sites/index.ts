export { createSecretBox, type SecretBox, type SecretBoxOptions } from './secret-box'
export { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, type ScryptParams } from './passwords'
export {
  TOKEN_BITS, generateTokenSecret, hashToken, issueOneTimeToken, redeemOneTimeToken, setPasswordWithToken, verifyPortalPassword, verifyUserPassword,
  type IssueTokenArgs, type PasswordSignInArgs, type PortalSignInArgs, type RedeemResult, type RedeemTokenArgs, type SetPasswordResult, type SetPasswordWithTokenArgs,
} from './tokens'
export {
  readSite, removeSmtpSettings, saveSiteSettings, saveSmtpSettings, smtpSettingsForSending, type SaveSmtpResult, type SaveSmtpSettingsArgs, type SitePorts,
} from './smtp-settings'
export {
  closePortalAccess, openPortalAccess, portalAccessStatus, requestPasswordReset, resendPortalAccessToken, type ClosePortalAccessArgs, type OpenPortalAccessArgs, type OpenPortalAccessResult, type PasswordResetRequest, type PortalAccessArgs, type PortalAccessState, type ResendPortalTokenResult, type PasswordResetNotify, type PasswordResetPorts, type PasswordResetResult, type PortalAccessPorts, type PortalAccessStorage, type TokenNotify,
} from './portal-access'
export { mayUsePortal, type PortalUseArgs } from './portal-use'
export {
  DOCUMENT_UPLOAD_LIMITS, addPortalDocument, changeDocumentWindow, checkUpload, putSiteImage, readSiteImage, removePortalDocument, removeSiteImage, uploadPortalDocument,
  type AddDocumentResult, type AddPortalDocumentArgs, type DocumentWindowArgs, type ImageTarget, type PortalDocumentRef, type PutImageResult, type PutSiteImageArgs, type SiteImageRef,
  type UploadLimits, type UploadPortalDocumentArgs,
} from './documents'
export { requestUserPasswordReset, setUserPasswordWithToken, type SetUserPasswordArgs, type SetUserPasswordResult, type UserPasswordResetResult } from './user-password-reset'
export { saveFamilyDocuments, type FamilyDocumentToSave, type SaveFamilyDocumentsArgs, type SaveFamilyDocumentsResult } from './family-documents'
export { staffEditVersion, saveRoleEdit, saveUserEdit, deleteRoleEdit, deleteUserEdit, lockStaffRole, type StaffDeleteArgs, type StaffEditArgs, type StaffRecordKind } from './staff-edits'

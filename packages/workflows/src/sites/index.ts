export { createSecretBox, type SecretBox, type SecretBoxOptions } from './secret-box'
export { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, type ScryptParams } from './passwords'
export {
  TOKEN_BITS, generateTokenSecret, hashToken, issueOneTimeToken, redeemOneTimeToken, setPasswordWithToken, verifyPortalPassword, verifyUserPassword,
  type IssueTokenArgs, type RedeemResult, type SetPasswordResult,
} from './tokens'
export {
  readSite, removeSmtpSettings, saveSiteSettings, saveSmtpSettings, smtpSettingsForSending, type SaveSmtpResult, type SitePorts,
} from './smtp-settings'
export {
  closePortalAccess, openPortalAccess, portalAccessStatus, requestPasswordReset, resendPortalAccessToken, type OpenPortalAccessResult, type PortalAccessState, type ResendPortalTokenResult, type PasswordResetNotify, type PasswordResetResult, type PortalAccessPorts, type PortalAccessStorage, type TokenNotify,
} from './portal-access'
export {
  DOCUMENT_UPLOAD_LIMITS, addPortalDocument, changeDocumentWindow, checkUpload, putSiteImage, readSiteImage, removePortalDocument, removeSiteImage, uploadPortalDocument,
  type AddDocumentResult, type ImageTarget, type PutImageResult, type UploadLimits,
} from './documents'
export { requestUserPasswordReset, setUserPasswordWithToken, type SetUserPasswordResult, type UserPasswordResetResult } from './user-password-reset'
export { saveFamilyDocuments, type FamilyDocumentToSave, type SaveFamilyDocumentsResult } from './family-documents'
export { staffEditVersion, saveRoleEdit, saveUserEdit, deleteRoleEdit, deleteUserEdit, lockStaffRole, type StaffDeleteArgs, type StaffEditArgs, type StaffRecordKind } from './staff-edits'

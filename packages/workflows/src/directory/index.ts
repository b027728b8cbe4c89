export { changeDirectory, type ChangeDirectoryOptions, type ChangeDirectoryOutcome, type DirectoryChange, type DirectoryReads, type DirectoryTable } from './change-directory'
export {
  checkRecordVersion, compareRecordVersions, expectRecordVersions, lockDirectoryKeys, lockRecords, readRecord, recordLockKey, recordVersion,
  type ExpectedVersion, type RecordConflict, type RecordRef,
} from './record-versions'

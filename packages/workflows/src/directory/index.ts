export { changeDirectory, type ChangeDirectoryOptions, type ChangeDirectoryOutcome, type DirectoryChange, type DirectoryReads, type DirectoryTable } from './change-directory'

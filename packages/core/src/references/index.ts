/** Belgian structured communication (OGM/VCS): generate, validate, normalise, format, find in free text. */
export * as ogm from './ogm'
/** ISO 11649 RF creditor reference: generate, validate, normalise, format, find in free text. */
export * as rf from './rf'

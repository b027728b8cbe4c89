import { readFileSync } from 'node:fs'

/** The package's test fixtures: real bank files from other open-source projects, each with its licence beside it. */
export const FIXTURES = new URL('../../fixtures/', import.meta.url)

/** A fixture file as bytes. */
export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(new URL(name, FIXTURES))
}

/** A fixture file as text (UTF-8 unless told). */
export function fixtureText(name: string, encoding: BufferEncoding = 'utf8'): string {
  return readFileSync(new URL(name, FIXTURES), encoding)
}

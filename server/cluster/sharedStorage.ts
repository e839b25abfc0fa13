import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const migrations = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../postgres/migrations')

/**
 * Whether document content lives in PostgreSQL (migrations 0100–0199 create its tables): only then can
 * a document move between processes, which the ownership tests need.
 */
export function sharedDocumentStorage(): boolean {
  return readdirSync(migrations).some((file) => /^01\d\d_.*\.sql$/.test(file))
}

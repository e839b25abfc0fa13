import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { CorruptFileError } from './errors'

/**
 * Opens a lowdb JSON file. A missing file starts from `defaults`; a file that exists but does not
 * parse (or fails `isValid`) is a CorruptFileError, never silently replaced.
 */
export async function openLowFile<T extends object>(
  file: string,
  defaults: T,
  isValid: (data: unknown) => data is T,
): Promise<Low<T>> {
  const db = new Low<T>(new JSONFile<T>(file), defaults)
  try {
    await db.read()
  } catch (error) {
    throw new CorruptFileError(file, error instanceof Error ? error.message : String(error))
  }
  if (!isValid(db.data)) throw new CorruptFileError(file, 'unexpected content')
  return db
}

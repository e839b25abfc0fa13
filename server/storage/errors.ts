/**
 * A stored file exists but cannot be read back. It is never papered over with an empty document:
 * the document refuses to load until someone looks at the file named here.
 */
export class CorruptFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`Stored file ${file} is corrupt or unreadable: ${detail}`)
    this.name = 'CorruptFileError'
  }
}

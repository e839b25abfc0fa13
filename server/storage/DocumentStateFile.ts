import type { Low } from 'lowdb'
import { openLowFile } from './lowFile'

/** The compacted state of one document: one lowdb file each, so saving costs O(that document). */
export interface StoredState {
  format: 1
  /** Base64 of Y.encodeStateAsUpdate of the whole document. */
  state: string
  compactedAt: string
}

const isStoredState = (data: unknown): data is StoredState => {
  const value = data as Partial<StoredState> | null
  return value !== null && typeof value === 'object' && value.format === 1 && typeof value.state === 'string'
}

export class DocumentStateFile {
  private constructor(private readonly db: Low<StoredState>) {}

  static async open(file: string): Promise<DocumentStateFile> {
    const empty: StoredState = { format: 1, state: '', compactedAt: '' }
    return new DocumentStateFile(await openLowFile(file, empty, isStoredState))
  }

  get state(): Uint8Array {
    return new Uint8Array(Buffer.from(this.db.data.state, 'base64'))
  }

  async save(state: Uint8Array): Promise<void> {
    this.db.data = { format: 1, state: Buffer.from(state).toString('base64'), compactedAt: new Date().toISOString() }
    await this.db.write()
  }
}

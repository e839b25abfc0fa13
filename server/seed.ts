import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { plainTextToDocJSON } from '../shared/editor/lib/plainText'
import type { DocumentService } from './documents/DocumentService'

const SAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', '2022-party-building-report.txt')
export const SAMPLE_TITLE = '2022年度党建工作述职'

/** Puts the sample report in a brand-new data directory (owned by the administrator), so a first start has something to edit. */
export async function seedSample(documents: DocumentService, ownerId: string): Promise<void> {
  const text = await fs.readFile(SAMPLE, 'utf8')
  await documents.create(SAMPLE_TITLE, plainTextToDocJSON(text), ownerId)
}

import mammoth from 'mammoth'
import { importPlainText } from './importText'
import type { ReportModel } from './model'

/** A .docx that cannot be read (not a zip, no document part, …). */
export class DocxReadError extends Error {
  override name = 'DocxReadError'
}

/**
 * Reads a .docx through mammoth (the Word paragraphs, as text) and imports it like a pasted draft,
 * so 一、/（一）/1./（1） lines and masked figures are recognised the same way whatever the source.
 */
export async function importDocx(data: Uint8Array): Promise<ReportModel> {
  let text: string
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(data.buffer, data.byteOffset, data.byteLength) })
    text = result.value
  } catch (error) {
    throw new DocxReadError(`not a readable .docx file (${error instanceof Error ? error.message : String(error)})`)
  }
  return importPlainText(text)
}

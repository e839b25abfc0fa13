import { Node } from '@tiptap/core'
import { lineNodeConfig, type LineNodeOptions } from '../lib/lineNode'

/**
 * The 成文日期 of the 落款, last line of `reportSignature`: 2023年1月15日 (GB/T 9704-2012 7.3.5.1, Arabic
 * numerals, no leading zeros). Plain text, so a masked date (2023年*月*日) is a placeholder like any other.
 */
export const SignatureDate = Node.create<LineNodeOptions>({
  name: 'signatureDate',
  ...lineNodeConfig('signature-date'),
})

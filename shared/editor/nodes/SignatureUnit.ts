import { Node } from '@tiptap/core'
import { lineNodeConfig, type LineNodeOptions } from '../lib/lineNode'

/** The issuing unit of the 落款 (发文机关署名), first line of `reportSignature`. */
export const SignatureUnit = Node.create<LineNodeOptions>({
  name: 'signatureUnit',
  ...lineNodeConfig('signature-unit'),
})

import type { PlaceholderKind } from '../../shared/report/kinds'

/** A figure still masked (`*次`, `**局`) that stops a clean copy from being exported. */
export interface BlockingPlaceholder {
  id: string
  kind: PlaceholderKind
  /** The mask as it stands, e.g. `**`. */
  text: string
  /** A few words around it, the mask in 【】: 「全年主持局委会【*】次，研究审议」. */
  context: string
  /** Section labels from the top-level section down, e.g. ['一、强化政治引领', '（一）落实党建政治责任']. */
  sectionPath: string[]
}

/**
 * A clean copy (定稿) was asked for while placeholders are still unfilled. It lists them so the caller
 * can tell the drafters what is left (an HTTP layer would answer 409 with `unfilled`).
 */
export class ExportBlockedError extends Error {
  override name = 'ExportBlockedError'

  constructor(readonly unfilled: readonly BlockingPlaceholder[]) {
    super(
      `Cannot export a clean copy: ${unfilled.length} placeholder${unfilled.length === 1 ? ' is' : 's are'} still unfilled ` +
        `(${unfilled
          .slice(0, 3)
          .map((placeholder) => placeholder.context)
          .join('; ')}${unfilled.length > 3 ? '; …' : ''})`,
    )
  }
}
